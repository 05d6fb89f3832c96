/**
 * The subscribers of `npm run bench:live`, in a process of their own (forked by `live.ts`, driven over IPC): opens
 * WebSocket (graphql-transport-ws) or event-stream (graphql-sse) subscriptions to eventChanged and notes when each
 * change reaches each subscriber, by the event's slug and revision.
 */
import http from 'node:http';
import { WebSocket } from 'ws';

/** What the coordinator asks. */
export type SubscriberCommand =
  | { type: 'open'; transport: 'ws' | 'sse'; url: string; count: number }
  | { type: 'count'; key: string }
  | { type: 'collect' }
  | { type: 'close' };

/** What this process answers; `receipts` are clock readings (ms) by change key (`slug:revision`). */
export type SubscriberReply =
  | { type: 'opened'; open: number; failed: number; firstError: string | null }
  | { type: 'count'; count: number }
  | { type: 'collected'; receipts: Record<string, number[]>; resyncs: number; errors: number }
  | { type: 'closed' };

/** Milliseconds since the epoch with sub-millisecond precision; the same clock in every process of the machine. */
export const clock = () => performance.timeOrigin + performance.now();

/** What every subscriber asks for. */
export const BENCH_SUBSCRIPTION = 'subscription Bench { eventChanged { cursor kind revision entity { ... on Event { slug title } } } }';

const receipts = new Map<string, number[]>();
let resyncs = 0;
let errors = 0;
const closers: (() => void)[] = [];

/** Notes one `next` payload as received now. */
function received(payload: { data?: { eventChanged?: { revision: number; entity: { slug: string } } } | null; errors?: { extensions?: { code?: string } }[] }, at: number): void {
  if (payload.errors?.length) {
    if (payload.errors.some((e) => e.extensions?.code === 'RESYNC')) resyncs++;
    else errors++;
    return;
  }
  const change = payload.data?.eventChanged;
  if (!change) return;
  const key = `${change.entity.slug}:${change.revision}`;
  const list = receipts.get(key);
  if (list) list.push(at);
  else receipts.set(key, [at]);
}

/** One WebSocket subscriber; resolves once its subscription is sent after the acknowledgement. */
function openSocket(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false });
    socket.on('open', () => socket.send('{"type":"connection_init"}'));
    socket.on('message', (data) => {
      const at = clock();
      const message = JSON.parse(String(data)) as { type: string; payload?: never };
      if (message.type === 'next') received(message.payload!, at);
      else if (message.type === 'connection_ack') {
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: BENCH_SUBSCRIPTION } }));
        resolve();
      } else if (message.type === 'error') errors++;
    });
    socket.once('error', reject);
    socket.once('close', (code) => reject(new Error(`closed with ${code} before subscribing`)));
    closers.push(() => socket.terminate());
  });
}

/** One event-stream subscriber; resolves once the stream is open. */
function openStream(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${url}?${new URLSearchParams({ query: BENCH_SUBSCRIPTION })}`, { headers: { accept: 'text/event-stream' }, agent: false }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        const at = clock();
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!block.startsWith('event: next')) continue;
          received(JSON.parse(block.slice(block.indexOf('data: ') + 6)), at);
        }
      });
      resolve();
    });
    req.once('error', reject);
    closers.push(() => req.destroy());
  });
}

/** Opens `count` subscribers, 200 at a time. */
async function open(transport: 'ws' | 'sse', url: string, count: number): Promise<SubscriberReply> {
  let opened = 0;
  let failed = 0;
  let firstError: string | null = null;
  for (let start = 0; start < count; start += 200) {
    const batch = Array.from({ length: Math.min(200, count - start) }, () => (transport === 'ws' ? openSocket(url) : openStream(url)));
    for (const result of await Promise.allSettled(batch)) {
      if (result.status === 'fulfilled') opened++;
      else {
        failed++;
        firstError ??= String(result.reason);
      }
    }
  }
  return { type: 'opened', open: opened, failed, firstError };
}

async function handle(command: SubscriberCommand): Promise<SubscriberReply> {
  switch (command.type) {
    case 'open':
      return open(command.transport, command.url, command.count);
    case 'count':
      return { type: 'count', count: receipts.get(command.key)?.length ?? 0 };
    case 'collect': {
      const reply: SubscriberReply = { type: 'collected', receipts: Object.fromEntries(receipts), resyncs, errors };
      receipts.clear();
      resyncs = 0;
      errors = 0;
      return reply;
    }
    case 'close':
      for (const close of closers.splice(0)) close();
      return { type: 'closed' };
  }
}

if (require.main === module) {
  process.on('message', (command: SubscriberCommand) => {
    handle(command).then(
      (reply) => process.send!(reply),
      (err: unknown) => {
        process.stderr.write(`bench subscribers: ${String(err)}\n`);
        process.exit(1);
      },
    );
  });
}
