/** Test helper: the real server on port 0 with chosen hardening options, and a spy on every store method. */
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { Dataset } from '../../../data/dataset';
import { loadDataset } from '../../../data/load-dataset';
import { EventStore } from '../../../store/event-store';
import { createServer, type DatelineServer, type ServerOptions } from '../../create-server';
import { DEFAULT_HARDENING, type HardeningOptions } from '../options';

/** A running server, its store, the log lines it wrote, and how many store calls were made. */
export interface TestServer {
  url: string;
  origin: string;
  server: DatelineServer;
  store: EventStore;
  logLines: Record<string, unknown>[];
  storeCalls(): number;
  resetStoreCalls(): void;
  post(body: unknown, headers?: Record<string, string>): Promise<{ status: number; json: any; text: string; headers: Record<string, string> }>;
  close(): Promise<void>;
}

const STORE_METHODS = ['event', 'place', 'actor', 'source', 'childrenOf', 'query', 'count', 'all', 'timeline', 'placeList', 'actorList', 'sourceList'] as const;

/**
 * Starts the server on 127.0.0.1:0 with `overrides` on top of the default hardening, over `dataset` (default: the
 * default data); `serverOptions` sets other server options (e.g. `fastPath: false`).
 */
export async function startTestServer(overrides: Partial<HardeningOptions> = {}, dataset?: Dataset, serverOptions: Partial<ServerOptions> = {}): Promise<TestServer> {
  const store = new EventStore(dataset ?? (await loadDataset(path.join(__dirname, '../../../../events'))));
  let calls = 0;
  for (const name of STORE_METHODS) {
    const original = (store[name] as (...args: unknown[]) => unknown).bind(store);
    jest.spyOn(store, name).mockImplementation(((...args: unknown[]) => {
      calls++;
      return original(...args);
    }) as never);
  }
  const logLines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  });
  const logger = pino({ level: 'info' }, sink);
  const server = await createServer({ ...serverOptions, store, logger, hardening: { ...DEFAULT_HARDENING, ...overrides } });
  const url = await server.listen(0, '127.0.0.1');
  const post = async (body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const { date: _date, ...answerHeaders } = Object.fromEntries(res.headers);
    return { status: res.status, json, text, headers: answerHeaders };
  };
  return {
    url,
    origin: new URL(url).origin,
    server,
    store,
    logLines,
    storeCalls: () => calls,
    resetStoreCalls: () => {
      calls = 0;
    },
    post,
    close: () => server.stop(),
  };
}
