/** A client that never finishes its headers is cut off near HEADERS_TIMEOUT_MS, not at Node's 30 s check; the page's source map stays private in production. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadDataset } from '../../../data/load-dataset';
import { EventStore } from '../../../store/event-store';
import { DEFAULT_EVENTS_DIR } from '../../../test-support/test-server';
import { createServer } from '../../create-server';
import { DEFAULT_HARDENING } from '../options';

it('closes a connection whose headers never end within a second of the headers timeout', async () => {
  const store = new EventStore(await loadDataset(DEFAULT_EVENTS_DIR));
  const server = await createServer({ store, logger: pino({ level: 'silent' }), hardening: { ...DEFAULT_HARDENING, headersTimeoutMs: 1000, requestTimeoutMs: 2000 } });
  const { port } = new URL(await server.listen(0, '127.0.0.1'));
  const started = Date.now();
  const closedAfter = await new Promise<number>((resolve) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: '));
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(Date.now() - started));
  });
  await server.stop();
  expect(closedAfter).toBeGreaterThanOrEqual(900);
  expect(closedAfter).toBeLessThan(2500);
});

it('serves the page script but not its source map in production', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dateline-page-'));
  try {
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>t</title>');
    writeFileSync(path.join(dir, 'timeline.js'), 'console.log(1);\n//# sourceMappingURL=timeline.js.map');
    writeFileSync(path.join(dir, 'timeline.js.map'), '{"version":3,"sources":["secret.ts"]}');
    const store = new EventStore(await loadDataset(DEFAULT_EVENTS_DIR));
    for (const production of [false, true]) {
      const server = await createServer({ store, logger: pino({ level: 'silent' }), pageDir: dir, hardening: { ...DEFAULT_HARDENING, production } });
      const origin = new URL(await server.listen(0, '127.0.0.1')).origin;
      expect((await fetch(`${origin}/timeline.js`)).status).toBe(200);
      expect((await fetch(`${origin}/timeline.js.map`)).status).toBe(production ? 404 : 200);
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
