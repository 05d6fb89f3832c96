/** Starts the real Dateline server on a free port for HTTP-level tests. */
import * as path from 'node:path';
import pino from 'pino';
import { loadDataset } from '../data/load-dataset';
import { createServer, type ServerOptions } from '../server/create-server';
import { EventStore } from '../store/event-store';

/** The default data folder at the project root. */
export const DEFAULT_EVENTS_DIR = path.resolve(__dirname, '..', '..', 'events');

/** A running test server and a way to send it GraphQL. */
export interface TestServer {
  url: string;
  store: EventStore;
  /** POSTs a GraphQL request (with `headers` added) and returns the HTTP status, parsed body and response headers. */
  graphql(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<{ status: number; body: GraphQLBody; headers: Headers }>;
  stop(): Promise<void>;
}

/** The JSON body of a GraphQL response. */
export interface GraphQLBody {
  data?: Record<string, any> | null;
  errors?: { message: string; extensions?: Record<string, unknown>; path?: (string | number)[] }[];
  extensions?: Record<string, unknown>;
}

/** Starts a server over `eventsDir` on port 0 on 127.0.0.1, with `options` for the server besides the store. */
export async function startTestServer(eventsDir = DEFAULT_EVENTS_DIR, options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const store = options.store ?? new EventStore(await loadDataset(eventsDir));
  const server = await createServer({ logger: pino({ level: 'silent' }), ...options, store });
  const url = await server.listen(0, '127.0.0.1');
  return {
    url,
    store,
    async graphql(query, variables, headers = {}) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: (await res.json()) as GraphQLBody, headers: res.headers };
    },
    stop: () => server.stop(),
  };
}
