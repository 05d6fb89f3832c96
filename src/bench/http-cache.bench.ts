/** Prints how long GraphQL GETs take answered in full versus as 304, and each export; loopback only, bounded. */
import 'reflect-metadata';
import pino from 'pino';
import { loadDataset } from '../data/load-dataset';
import { createServer } from '../server/create-server';
import { EventStore } from '../store/event-store';

const ROUNDS = 300;

async function time(label: string, run: () => Promise<Response>): Promise<void> {
  const started = process.hrtime.bigint();
  let status = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const res = await run();
    await res.arrayBuffer();
    status = res.status;
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(`${label.padEnd(44)} status ${status}  ${(ms / ROUNDS).toFixed(3)} ms/request over ${ROUNDS}\n`);
}

async function main(): Promise<void> {
  const store = new EventStore(await loadDataset(process.argv[2] ?? 'events'));
  const server = await createServer({ store, logger: pino({ level: 'silent' }) });
  const url = await server.listen(0, '127.0.0.1');
  const base = url.replace(/\/graphql$/, '');
  const query = '{ timeline { date events { title place { name } casualties { count qualifier } quotes { text } } } }';
  const target = `${url}?${new URLSearchParams({ query })}`;
  const headers = { 'apollo-require-preflight': 'true' };
  const etag = (await fetch(target, { headers })).headers.get('etag')!;
  await time('GraphQL GET, full answer', () => fetch(target, { headers }));
  await time('GraphQL GET, If-None-Match -> 304', () => fetch(target, { headers: { ...headers, 'if-none-match': etag } }));
  for (const file of ['timelinejs.json', 'events.geojson', 'events.ics']) await time(`/exports/${file}`, () => fetch(`${base}/exports/${file}`));
  await server.stop();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
