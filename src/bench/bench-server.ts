/**
 * A server process for `npm run bench`: either the real Dateline server over a data folder, or the
 * ceiling, a bare node:http server that answers each known request body with bytes serialized in
 * advance, with the headers the server sent. Prints one JSON line `{"url": ...}` when it listens; stops on SIGTERM.
 *
 *   node dist/bench/bench-server.js server <eventsDir> <responseCacheEntries> [apollo|whole]
 *     (apollo: fast path off; whole: fast path on, but every answer serialized whole, no entity JSON reused)
 *   node dist/bench/bench-server.js mercurius <eventsDir>
 *     (the peer: Fastify + Mercurius with graphql-jit over the same schema and data, with none of Dateline's limits)
 *   node dist/bench/bench-server.js ceiling <answers.json>
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import mercurius from 'mercurius';
import pino from 'pino';
import { loadDataset } from '../data/load-dataset';
import { createDatelineSchema } from '../schema/build-schema';
import { createServer } from '../server/create-server';
import { resolveTaggedTypesSynchronously } from '../server/fast-path/sync-type-resolution';
import { EventStore } from '../store/event-store';
import { DEFAULT_HELPER_THREADS_NICE, lowerHelperThreads } from '../store/helper-threads';

/** What the ceiling answers to one request body: the real server's headers (less per-response ones) and body. */
export interface CeilingAnswer {
  headers: Record<string, string>;
  text: string;
}

async function serveDateline(eventsDir: string, cacheEntries: number, variant: string | undefined): Promise<void> {
  // As `npm start` does (HELPER_THREADS_NICE, here from the environment, for an A/B).
  lowerHelperThreads(Number(process.env.HELPER_THREADS_NICE ?? DEFAULT_HELPER_THREADS_NICE));
  const store = new EventStore(await loadDataset(eventsDir));
  const server = await createServer({
    store,
    logger: pino({ level: 'silent' }),
    responseCacheEntries: cacheEntries,
    fastPath: variant !== 'apollo',
    ...(variant === 'whole' ? { entityJsonBytes: 0 } : {}),
  });
  const url = await server.listen(0, '127.0.0.1');
  process.stdout.write(`${JSON.stringify({ url })}\n`);
  process.on('SIGTERM', () => void server.stop().then(() => process.exit(0)));
}

/** The peer: Mercurius compiling every query with graphql-jit from its first run, over Dateline's own schema and store. */
async function serveMercurius(eventsDir: string): Promise<void> {
  const store = new EventStore(await loadDataset(eventsDir));
  const app = Fastify({ logger: false });
  // The schema the fast path compiles: type resolution and arguments made synchronous, which graphql-jit needs.
  const schema = createDatelineSchema({ synchronousArguments: true });
  resolveTaggedTypesSynchronously(schema);
  await app.register(mercurius, { schema, context: () => ({ store }), jit: 1, path: '/graphql' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}/graphql` })}\n`);
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

function serveCeiling(answersFile: string): void {
  const answers = new Map<string, { headers: Record<string, string>; body: Buffer }>(
    Object.entries(JSON.parse(readFileSync(answersFile, 'utf8')) as Record<string, CeilingAnswer>).map(([body, answer]) => [body, { headers: answer.headers, body: Buffer.from(answer.text) }]),
  );
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      // The varied benchmark sends a body again with spaces after it (see `BodyCycle`): the same request.
      const answer = answers.get(text) ?? answers.get(text.trimEnd());
      if (!answer) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { ...answer.headers, 'content-length': answer.body.length });
      res.end(answer.body);
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}/graphql` })}\n`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

const [mode, arg, cache, variant] = process.argv.slice(2);
if (mode === 'server') {
  serveDateline(arg, Number(cache ?? 0), variant).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
} else if (mode === 'mercurius') {
  serveMercurius(arg).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
} else if (mode === 'ceiling') {
  serveCeiling(arg);
} else {
  process.stderr.write('usage: bench-server server <eventsDir> <cacheEntries> [apollo|whole] | mercurius <eventsDir> | ceiling <answers.json>\n');
  process.exit(2);
}
