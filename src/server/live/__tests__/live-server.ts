/** Test helper: the real server on port 0 with a change stream the test publishes to, and clients for both transports. */
import path from 'node:path';
import pino from 'pino';
import { WebSocket } from 'ws';
import type { CommittedChange } from '../../../data/change';
import type { Event } from '../../../data/dataset';
import { loadDataset } from '../../../data/load-dataset';
import { LiveChanges } from '../../../live/live-changes';
import type { PublishedChange } from '../../../live/subscriber-queue';
import { EventStore } from '../../../store/event-store';
import { createServer, type DatelineServer } from '../../create-server';
import { DEFAULT_HARDENING, type HardeningOptions } from '../../hardening/options';
import { DEFAULT_LIVE, type LiveOptions } from '../live-options';

/** A running server and the stream it serves. */
export interface LiveTestServer {
  /** http://127.0.0.1:port */
  origin: string;
  /** ws://127.0.0.1:port/graphql */
  wsUrl: string;
  /** http://127.0.0.1:port/graphql/stream */
  streamUrl: string;
  server: DatelineServer;
  store: EventStore;
  live: LiveChanges;
  /** POSTs a GraphQL request to /graphql. */
  post(body: unknown, headers?: Record<string, string>): Promise<{ status: number; json: any }>;
  close(): Promise<void>;
}

/** Starts the server with `live` and `hardening` overrides. */
export async function startLiveServer(live: Partial<LiveOptions> = {}, hardening: Partial<HardeningOptions> = {}): Promise<LiveTestServer> {
  const store = new EventStore(await loadDataset(path.join(__dirname, '../../../../events')));
  const liveOptions = { ...DEFAULT_LIVE, ...live };
  const changes = new LiveChanges({ queueLimit: liveOptions.liveQueueLimit });
  const server = await createServer({ store, logger: pino({ level: 'silent' }), live: changes, liveOptions, hardening: { ...DEFAULT_HARDENING, ...hardening } });
  const url = await server.listen(0, '127.0.0.1');
  const origin = url.replace(/\/graphql$/, '');
  return {
    origin,
    wsUrl: `${origin.replace(/^http/, 'ws')}/graphql`,
    streamUrl: `${origin}/graphql/stream`,
    server,
    store,
    live: changes,
    async post(body, headers = {}) {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      return { status: res.status, json: await res.json() };
    },
    close: () => server.stop(),
  };
}

/** An update of event `slug` with feed position `seq`; `after` changes the event as the store will have it. */
export function eventUpdate(store: EventStore, seq: number, slug: string, after: Partial<Event> = {}, note: string | null = null): PublishedChange {
  const before = store.event(slug)!;
  const change: CommittedChange = {
    seq,
    at: '2026-12-02T02:00:00.000Z',
    editor: 'Night desk',
    kind: after.status === 'RETRACTED' ? 'RETRACTED' : 'UPDATED',
    entity: { type: 'Event', slug },
    revision: before.revision + 1,
    note,
    changedFields: Object.keys(after),
    before: { slug },
    after: { slug },
  };
  return { change, eventBefore: before, eventAfter: { ...before, ...after } };
}

/** A raw WebSocket on the graphql-transport-ws protocol, recording every message and the close. */
export interface RawSocket {
  socket: WebSocket;
  messages: any[];
  send(message: unknown): void;
  /** Resolves when a message matching `test` has arrived. */
  waitFor(test: (message: any) => boolean, ms?: number): Promise<any>;
  closed: Promise<{ code: number; reason: string }>;
}

/** Opens a raw socket (no handshake sent); `protocol` defaults to graphql-transport-ws. */
export function openSocket(url: string, options: { protocol?: string; headers?: Record<string, string>; autoPong?: boolean } = {}): Promise<RawSocket> {
  const protocol = options.protocol ?? 'graphql-transport-ws';
  const socket = new WebSocket(url, protocol ? [protocol] : [], { headers: options.headers, autoPong: options.autoPong ?? true });
  const messages: any[] = [];
  const listeners = new Set<() => void>();
  socket.on('message', (data) => {
    messages.push(JSON.parse(String(data)));
    for (const listener of listeners) listener();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })));
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', () =>
      resolve({
        socket,
        messages,
        closed,
        send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
        waitFor: (test, ms = 5000) =>
          new Promise((found, fail) => {
            const check = () => {
              const hit = messages.find(test);
              if (hit === undefined) return;
              listeners.delete(check);
              clearTimeout(timer);
              found(hit);
            };
            const timer = setTimeout(() => {
              listeners.delete(check);
              fail(new Error(`no such message within ${ms} ms; got ${JSON.stringify(messages)}`));
            }, ms);
            listeners.add(check);
            check();
          }),
      }),
    );
  });
}

/** Opens a socket, initialises it and waits for the acknowledgement. */
export async function openInitialisedSocket(url: string, options: { autoPong?: boolean } = {}): Promise<RawSocket> {
  const raw = await openSocket(url, options);
  raw.send({ type: 'connection_init' });
  await raw.waitFor((m) => m.type === 'connection_ack');
  return raw;
}

/** Reads an event stream's text until `until(text)` holds or the stream ends. */
export async function readStream(res: Response, until: (text: string) => boolean = () => false): Promise<string> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    if (until(text)) {
      await reader.cancel();
      break;
    }
  }
  return text;
}

/** The data of every `next` event in an event stream's text. */
export function streamEvents(text: string): { event: string; data: any }[] {
  return text
    .split('\n\n')
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      return event ? { event, data: data ? JSON.parse(data) : null } : null;
    })
    .filter((e): e is { event: string; data: any } => e !== null);
}

/** Waits (up to 10 s) until `live` has `n` subscribers, and says so when it never does. */
export async function waitForSubscribers(live: LiveChanges, n: number): Promise<void> {
  for (let i = 0; i < 500 && live.subscriberCount !== n; i++) await sleep(20);
  if (live.subscriberCount !== n) throw new Error(`expected ${n} subscribers, the stream has ${live.subscriberCount}`);
}

/** Waits `ms`. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
