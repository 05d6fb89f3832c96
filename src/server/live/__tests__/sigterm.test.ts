/** SIGTERM with open subscriptions: WebSockets are closed with 1001 and event streams complete, then the process exits 0. */
import type { ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildServer, startBuiltServer } from '../../../test-support/built-server';
import { openInitialisedSocket, readStream, streamEvents } from './live-server';

const ROOT = path.join(__dirname, '../../../..');
let child: ChildProcess | undefined;
let work: string;

beforeAll(() => {
  // The built server is what runs in production; build it as `npm start` would.
  buildServer();
  work = mkdtempSync(path.join(tmpdir(), 'dateline-live-sigterm-'));
  cpSync(path.join(ROOT, 'events'), path.join(work, 'events'), { recursive: true });
}, 120_000);
afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

it('closes WebSockets with 1001 and completes event streams, then exits 0 within the grace period', async () => {
  const server = await startBuiltServer({ EVENTS_DIR: path.join(work, 'events'), SHUTDOWN_GRACE_MS: '5000', LOG_LEVEL: 'info' });
  ({ child } = server);
  const { url, exited } = server;

  const socket = await openInitialisedSocket(url.replace(/^http/, 'ws'));
  socket.send({ id: 'live', type: 'subscribe', payload: { query: 'subscription { eventChanged { cursor } }' } });
  const stream = await fetch(`${url}/stream?${new URLSearchParams({ query: 'subscription { eventChanged { cursor } }' })}`, { headers: { accept: 'text/event-stream' } });
  expect(stream.status).toBe(200);
  await new Promise((r) => setTimeout(r, 300));

  const signalled = Date.now();
  server.child.kill('SIGTERM');
  const closed = await socket.closed;
  expect(closed).toEqual({ code: 1001, reason: 'The server is shutting down; reconnect and resume with changes(after:).' });
  expect(socket.messages).toContainEqual({ id: 'live', type: 'complete' });
  expect(streamEvents(await readStream(stream))).toEqual([{ event: 'complete', data: null }]);
  expect(await exited).toBe(0);
  expect(Date.now() - signalled).toBeLessThan(5000);
}, 30_000);
