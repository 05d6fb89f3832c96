/** One deliberately stalled WebSocket client among many: it is ended with RESYNC, the server's memory stays flat. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { WebSocket } from 'ws';
import { eventUpdate, openInitialisedSocket, sleep, startLiveServer, waitForSubscribers, type LiveTestServer } from './live-server';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const QUEUE_LIMIT = 20;
const READERS = 10;
const CHANGES = 600;
/** Each change's note: what a subscriber that selects it is sent (about 30 MB to one subscriber in all). */
const NOTE = 'n'.repeat(50 * 1024);
const QUERY = 'subscription { eventChanged { cursor note } }';

let t: LiveTestServer;
beforeAll(async () => {
  t = await startLiveServer({ liveQueueLimit: QUEUE_LIMIT, livePingIntervalMs: 0 });
});
afterAll(() => t.close());

/** A client that reads everything and only counts it. */
function reader(url: string): Promise<{ count: () => number; close: () => void }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws');
    let received = 0;
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string };
      if (message.type === 'connection_ack') {
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: QUERY } }));
        resolve({ count: () => received, close: () => socket.close() });
      } else if (message.type === 'next') received++;
    });
    socket.once('error', reject);
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
  });
}

const used = () => {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

it('ends the stalled subscriber with RESYNC, keeps serving the rest, and holds no more for it than its queue', async () => {
  const readers = await Promise.all(Array.from({ length: READERS }, () => reader(t.wsUrl)));
  const stalled = await openInitialisedSocket(t.wsUrl);
  stalled.send({ id: 'stalled', type: 'subscribe', payload: { query: QUERY } });
  await waitForSubscribers(t.live, READERS + 1);
  // It stops reading: the server's writes pile up in the kernel, then in the socket, then in its queue.
  (stalled.socket as unknown as { _socket: { pause(): void } })._socket.pause();

  const before = used();
  let most = 0;
  for (let seq = 1; seq <= CHANGES; seq += 5) {
    t.live.publish([0, 1, 2, 3, 4].map((i) => eventUpdate(t.store, seq + i, 'idlib-air-strike', {}, NOTE)));
    // The readers keep up: each has read what was published before the next batch goes out.
    for (let i = 0; i < 500 && readers.some((r) => r.count() < seq + 4); i++) await sleep(2);
    if (seq % 100 === 1) most = Math.max(most, used() - before);
  }
  most = Math.max(most, used() - before);
  expect(readers.map((r) => r.count())).toEqual(readers.map(() => CHANGES));
  expect(t.live.subscriberCount).toBe(READERS);
  // ~30 MB went out to each reader; what the stalled one could not take stays a few MB (queue and socket buffers).
  expect(most).toBeLessThan(12 * 1024 * 1024);

  // Once it reads again it finds what was sent before it stalled, then the RESYNC error as the last word.
  (stalled.socket as unknown as { _socket: { resume(): void } })._socket.resume();
  const resync = await stalled.waitFor((m) => m.id === 'stalled' && m.type === 'next' && m.payload.errors, 10_000);
  expect(resync.payload.errors[0].extensions).toMatchObject({ code: 'RESYNC', queueLimit: QUEUE_LIMIT });
  await stalled.waitFor((m) => m.id === 'stalled' && m.type === 'complete');
  for (const r of readers) r.close();
  stalled.socket.close();
}, 120_000);
