/** SIGTERM with a slow request in flight: it finishes with 200, new requests are answered 503 (readiness too), the process exits. */
import type { ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildServer, startBuiltServer } from '../../../test-support/built-server';

const ROOT = path.join(__dirname, '../../../..');
// The folder is the store (the server keeps its history in it), so the server runs on a copy, not on events/.
const DATA = mkdtempSync(path.join(tmpdir(), 'dateline-sigterm-'));
cpSync(path.join(ROOT, 'events'), DATA, { recursive: true });
let child: ChildProcess | undefined;

// The built server is what runs in production; build it as `npm start` would.
beforeAll(buildServer, 120_000);
afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(DATA, { recursive: true, force: true });
});

it('finishes the request in flight with 200, answers new requests and /readyz with 503 meanwhile, then exits 0', async () => {
  const server = await startBuiltServer({ EVENTS_DIR: DATA, DATELINE_TEST_DELAY_MS: '1500', SHUTDOWN_GRACE_MS: '8000', EXECUTION_TIMEOUT_MS: '10000', LOG_LEVEL: 'info' });
  ({ child } = server);
  const { url, exited } = server;

  const slow = fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', connection: 'close' }, body: JSON.stringify({ query: '{ events { totalCount } }' }) });
  await new Promise((r) => setTimeout(r, 300));
  server.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 200));

  const ready = await fetch(new URL('/readyz', url));
  expect(ready.status).toBe(503);
  expect(await ready.json()).toEqual({ status: 'stopping' });
  const fresh = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
  expect(fresh.status).toBe(503);
  expect(((await fresh.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('SERVER_STOPPING');

  const res = await slow;
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ data: { events: { totalCount: 7 } } });
  expect(await exited).toBe(0);
});
