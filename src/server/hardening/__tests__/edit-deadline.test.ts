/**
 * The execution deadline and edits: an edit whose turn comes after its request's deadline never starts and is
 * answered TIMEOUT; one that started before it is answered with its real result, however long its commit takes (it
 * may be committed, and TIMEOUT would tell the client it was not). An editing service that waits stands in for
 * storage, so that the edit's turn and its commit take as long as the test says.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Editing, EditingEditor } from '../../../schema/editing/editing';
import { EditQueueFull } from '../../../storage/edit-admission';
import { startTestServer, type TestServer } from '../../../test-support/test-server';
import { newToken, tokenHash, writeEditors } from '../../auth/editors-file';
import { DEFAULT_HARDENING } from '../options';

const LIMIT_MS = 300;
const SLUG = 'idlib-air-strike';
const UPDATE = `mutation { updateEvent(input: { slug: "${SLUG}", expectedRevision: 1, patch: { title: "New" }, note: "test" }) { event { slug } userErrors { code } } }`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** When the edit asks to start (its turn), and how long its commit takes once started. */
const timing = { turnMs: 0, commitMs: 0, queueFull: false };
/** What the editing service did with the last edit, once it has decided. */
let outcome: Promise<'started' | 'not started'>;
let decide: (what: 'started' | 'not started') => void;
beforeEach(() => {
  outcome = new Promise((resolve) => (decide = resolve));
});

let server: TestServer;
let dir: string;
const token = newToken();

/** An editing service whose `updateEvent` waits its turn, asks to start, then "commits" for `timing.commitMs`. */
function waitingEditing(store: () => TestServer['store']): Editing {
  const unused = async () => ({ record: null, userErrors: [] });
  return {
    createEvent: unused,
    retractEvent: unused,
    restoreEvent: unused,
    savePlace: unused,
    saveActor: unused,
    saveSource: unused,
    async updateEvent(editor: EditingEditor) {
      if (timing.queueFull) {
        // As the real service's admission does when the edits ahead would take longer than the request has left.
        const deadline = typeof editor === 'string' ? undefined : editor.deadline;
        decide('not started');
        throw new EditQueueFull(40, 1000, 2500, deadline === undefined ? -1 : Math.floor(deadline - performance.now()));
      }
      await sleep(timing.turnMs);
      const mayStart = typeof editor === 'string' ? undefined : editor.mayStart;
      if (mayStart && !mayStart()) {
        decide('not started');
        return { record: null, userErrors: [] };
      }
      decide('started');
      await sleep(timing.commitMs);
      return { record: store().event(SLUG) ?? null, userErrors: [] };
    },
  };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'dateline-edit-deadline-'));
  const editorsFile = path.join(dir, 'editors.json');
  writeEditors(editorsFile, [{ name: 'Night desk', tokenSha256: tokenHash(token), createdAt: '2026-12-02T00:00:00.000Z' }]);
  server = await startTestServer(undefined, {
    editorsFile,
    editing: waitingEditing(() => server.store),
    hardening: { ...DEFAULT_HARDENING, executionTimeoutMs: LIMIT_MS },
  });
});

afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const update = () => server.graphql(UPDATE, undefined, { authorization: `Bearer ${token}` });

it('answers an edit that started before the deadline with its result, though its commit ends after it', async () => {
  Object.assign(timing, { turnMs: 0, commitMs: LIMIT_MS * 2 });
  const { status, body } = await update();
  expect(await outcome).toBe('started');
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  expect(body.data).toEqual({ updateEvent: { event: { slug: SLUG }, userErrors: [] } });
});

it('answers TIMEOUT, having started nothing, when the edit\'s turn comes after the deadline', async () => {
  Object.assign(timing, { turnMs: LIMIT_MS * 2, commitMs: 0 });
  const { status, body } = await update();
  expect(await outcome).toBe('not started');
  expect(status).toBe(200);
  expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['TIMEOUT']);
});

it('refuses at once, with 429, Retry-After and LIMIT_EXCEEDED, an edit the queue cannot reach before its deadline', async () => {
  Object.assign(timing, { turnMs: 0, commitMs: 0, queueFull: true });
  const { status, body, headers } = await update();
  timing.queueFull = false;
  expect(await outcome).toBe('not started');
  expect(status).toBe(429);
  expect(headers.get('retry-after')).toBe('3');
  const [error] = body.errors!;
  expect(error.extensions).toEqual({ code: 'LIMIT_EXCEEDED', limit: { name: 'editQueue', max: 1000, actual: 40 }, retryAfterMs: 2500 });
  // The request's own deadline reached the editing service: what it had left is in the message, within the limit.
  const left = Number(/this request has (\d+) ms left/.exec(error.message)?.[1]);
  expect(left).toBeGreaterThan(0);
  expect(left).toBeLessThanOrEqual(LIMIT_MS);
  expect(error.message).toMatch(/^The editing queue is too long: 40 edits are waiting, about 2500 ms, and this request has \d+ ms left before its deadline; nothing was changed\. Retry in about 2500 ms\.$/);
});
