/**
 * Authentication of mutations through the real HTTP server: without a valid editor's token a mutation is refused
 * with UNAUTHENTICATED (HTTP 401) before anything runs, the editing service is never called, and tokens never
 * reach the log. A recording editing service stands in for storage here: what is tested is the door, not the room
 * (the mutations themselves are tested against real storage in server/editing).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { Editing, EditingEditor } from '../../../schema/editing/editing';
import { startTestServer, type TestServer } from '../../../test-support/test-server';
import { newToken, tokenHash, writeEditors } from '../editors-file';

const RETRACT = 'mutation { retractEvent(input: { slug: "idlib-air-strike", expectedRevision: 1, reason: "test" }) { event { slug } userErrors { code } } }';

/** An editing service that records each call and answers with the event as it is. */
function recordingEditing(calls: string[]): Editing {
  const answer = (name: string) => async (editor: EditingEditor) => {
    calls.push(`${name} by ${typeof editor === 'string' ? editor : editor.name}`);
    return { record: null, userErrors: [{ field: ['input'], message: 'recorded', code: 'INVALID' as const }] };
  };
  return {
    createEvent: answer('createEvent'),
    updateEvent: answer('updateEvent'),
    retractEvent: answer('retractEvent'),
    restoreEvent: answer('restoreEvent'),
    savePlace: answer('savePlace'),
    saveActor: answer('saveActor'),
    saveSource: answer('saveSource'),
  };
}

let dir: string;
let editorsFile: string;
const token = newToken();
const calls: string[] = [];
const logLines: string[] = [];
let server: TestServer;
let unconfigured: TestServer;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'dateline-auth-'));
  editorsFile = path.join(dir, 'editors.json');
  writeEditors(editorsFile, [{ name: 'Night desk', tokenSha256: tokenHash(token), createdAt: '2026-12-02T00:00:00.000Z' }]);
  const logger = pino(
    { level: 'trace' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString('utf8'));
        done();
      },
    }),
  );
  server = await startTestServer(undefined, { logger, editorsFile, editing: recordingEditing(calls) });
  unconfigured = await startTestServer(undefined, { editing: recordingEditing(calls) });
});

afterAll(async () => {
  await Promise.all([server.stop(), unconfigured.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  calls.length = 0;
});

/** The one error of a refused request, with its HTTP status and challenge. */
async function refusal(target: TestServer, headers: Record<string, string> = {}) {
  const { status, body, headers: responseHeaders } = await target.graphql(RETRACT, undefined, headers);
  return { status, challenge: responseHeaders.get('www-authenticate'), data: body.data, codes: body.errors?.map((e) => e.extensions?.code), message: body.errors?.[0]?.message ?? '' };
}

describe('mutations without a valid token', () => {
  it('with no editors configured: UNAUTHENTICATED, saying how to enable editing; nothing called', async () => {
    const r = await refusal(unconfigured, { authorization: `Bearer ${token}` });
    expect([r.status, r.challenge, r.data, r.codes]).toEqual([401, 'Bearer realm="dateline"', undefined, ['UNAUTHENTICATED']]);
    expect(r.message).toMatch(/Editing is not enabled on this server.*EDITORS_FILE.*npm run editor -- --name/);
    expect(calls).toEqual([]);
  });

  it.each([
    ['no Authorization header', {}, /has none.*npm run editor.*Authorization: Bearer <token>/],
    ['an unknown token', { authorization: `Bearer ${newToken()}` }, /not an editor's token on this server/],
    ['a header that is not Bearer', { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }, /must be "Bearer <token>"/],
  ])('with %s: UNAUTHENTICATED with how to get a token; nothing called', async (_name, headers, message) => {
    const r = await refusal(server, headers as Record<string, string>);
    expect([r.status, r.codes]).toEqual([401, ['UNAUTHENTICATED']]);
    expect(r.message).toMatch(message);
    expect(calls).toEqual([]);
  });

  it('refuses every mutation field of a document, and none runs', async () => {
    const { status, body } = await server.graphql(
      'mutation { a: retractEvent(input: { slug: "x", expectedRevision: 1, reason: "r" }) { event { slug } } b: savePlace(input: { place: { slug: "x", name: "X", kind: CITY } }) { place { slug } } }',
    );
    expect([status, body.errors?.map((e) => e.extensions?.code)]).toEqual([401, ['UNAUTHENTICATED']]);
    expect(calls).toEqual([]);
  });

  it('never writes a token to the log', async () => {
    const wrong = newToken();
    await refusal(server, { authorization: `Bearer ${wrong}` });
    await server.graphql(RETRACT, undefined, { authorization: `Bearer ${token}` });
    const log = logLines.join('');
    expect(log.length).toBeGreaterThan(0);
    expect([log.includes(token), log.includes(wrong), log.includes(tokenHash(token))]).toEqual([false, false, false]);
  });
});

describe('mutations with a valid token', () => {
  it('run, once per request, with the editor\'s name', async () => {
    const headers = { authorization: `Bearer ${token}` };
    const first = await server.graphql(RETRACT, undefined, headers);
    const second = await server.graphql(RETRACT, undefined, headers);
    expect([first.status, first.body]).toEqual([200, { data: { retractEvent: { event: null, userErrors: [{ code: 'INVALID' }] } }, extensions: first.body.extensions }]);
    expect(second.body.data).toEqual(first.body.data);
    // Never answered from a cache: the service is called for each.
    expect(calls).toEqual(['retractEvent by Night desk', 'retractEvent by Night desk']);
    expect(first.headers.get('cache-control')).toBe('no-store');
  });

  it('are refused over GET, and do not run', async () => {
    const res = await fetch(`${server.url}?query=${encodeURIComponent(RETRACT)}`, { headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' } });
    expect(res.status).toBe(405);
    expect(calls).toEqual([]);
  });

  it('pass the same limits as queries (a deep selection is refused before it runs)', async () => {
    const deep = `mutation { retractEvent(input: { slug: "x", expectedRevision: 1, reason: "r" }) { event { related { related { related { related { related { related { related { related { related { related { related { related { slug } } } } } } } } } } } } } } }`;
    const { status, body } = await server.graphql(deep, undefined, { authorization: `Bearer ${token}` });
    expect([status, body.errors?.[0]?.extensions?.code]).toEqual([400, 'LIMIT_EXCEEDED']);
    expect(calls).toEqual([]);
  });

  it('pick up an editor added to the file while serving', async () => {
    const later = newToken();
    writeFileSync(editorsFile, JSON.stringify({ editors: [{ name: 'Night desk', tokenSha256: tokenHash(token), createdAt: 'x' }, { name: 'Day desk', tokenSha256: tokenHash(later), createdAt: 'x' }] }));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await server.graphql(RETRACT, undefined, { authorization: `Bearer ${later}` });
    expect(calls).toEqual(['retractEvent by Day desk']);
  });
});

describe('a document that is not a valid mutation', () => {
  it('is a validation error naming the field, not an internal error', async () => {
    const { status, body } = await unconfigured.graphql('mutation { x }');
    expect([status, body.errors?.map((e) => [e.extensions?.code, e.message])]).toEqual([400, [['GRAPHQL_VALIDATION_FAILED', 'Cannot query field "x" on type "Mutation".']]]);
  });
});
