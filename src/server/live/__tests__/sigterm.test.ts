/** SIGTERM with open subscriptions: WebSockets are closed with 1001 and event streams complete, then the process exits 0. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openInitialisedSocket, readStream, streamEvents } from './live-server';

const ROOT = path.join(__dirname, '../../../..');
let child: ChildProcess | undefined;
let work: string;

beforeAll(() => {
  // The built server is what runs in production; build it as `npm start` would.
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'inherit' });
  work = mkdtempSync(path.join(tmpdir(), 'dateline-live-sigterm-'));
  cpSync(path.join(ROOT, 'events'), path.join(work, 'events'), { recursive: true });
}, 120_000);
afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

it('closes WebSockets with 1001 and completes event streams, then exits 0 within the grace period', async () => {
  child = spawn(process.execPath, ['dist/index.js'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', EVENTS_DIR: path.join(work, 'events'), SHUTDOWN_GRACE_MS: '5000', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child!.stdout!.on('data', (chunk) => {
      out += String(chunk);
      const match = /"url":"([^"]+)"/.exec(out);
      if (match) resolve(match[1]);
    });
    child!.once('exit', () => reject(new Error(`server exited before listening: ${out}`)));
  });

  const socket = await openInitialisedSocket(url.replace(/^http/, 'ws'));
  socket.send({ id: 'live', type: 'subscribe', payload: { query: 'subscription { eventChanged { cursor } }' } });
  const stream = await fetch(`${url}/stream?${new URLSearchParams({ query: 'subscription { eventChanged { cursor } }' })}`, { headers: { accept: 'text/event-stream' } });
  expect(stream.status).toBe(200);
  await new Promise((r) => setTimeout(r, 300));

  const signalled = Date.now();
  child.kill('SIGTERM');
  const closed = await socket.closed;
  expect(closed).toEqual({ code: 1001, reason: 'The server is shutting down; reconnect and resume with changes(after:).' });
  expect(socket.messages).toContainEqual({ id: 'live', type: 'complete' });
  expect(streamEvents(await readStream(stream))).toEqual([{ event: 'complete', data: null }]);
  expect(await exited).toBe(0);
  expect(Date.now() - signalled).toBeLessThan(5000);
}, 30_000);
