/**
 * `npm run bench:edits -- --events 10000,1000000`: what editing costs on the embedded store. For each size it
 * generates a data set into a fresh folder, opens it as the server does (FileStorage → EventStore, applyCommitted as
 * the listener → EditingService) in this process, and measures:
 * - ack: one mutation from the call to its answer (validation, journal append + fsync, atomic file write + fsync +
 *   rename + folder fsync, applied to the store), for creations and updates of events in their own files;
 * - visible: the first store query after the answer that shows the change (changes are applied before the answer);
 * - queries: p99 of store queries of the bench:scale shapes, alone and while 100 changes/s stream in, and how many
 *   overlay events a query tested against its filter meanwhile (its share of the overlay's work);
 * - compaction: the longest slice a compaction of the overlay held queries up, by the clock and in the main thread's
 *   CPU time (a busy machine stretches the clock), and the collector's pauses meanwhile;
 * - bulk: updates of events that live in a generated NDJSON file (100,000 lines a file): acknowledged once journaled;
 *   their files are rewritten in the background, one rewrite for all the pending lines of a file, timed at close.
 *
 *   npm run bench:edits -- [--events 10000,1000000] [--seconds 10] [--rate 100] [--dir DIR] [--no-collect] [--helpers-nice N]
 *
 * `--no-collect`: the compaction leaves young collections to V8 (`collectInSlices: false`), for an A/B.
 * `--helpers-nice N`: the process's helper threads run N nice values below the main thread, as the server's do with
 * HELPER_THREADS_NICE=N (default the server's: 0, equal).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Event } from '../data/dataset';
import { applyCommitted } from '../storage/apply-committed';
import { EditingService } from '../storage/editing';
import { FileStorage } from '../storage/files/file-storage';
import { EventStore, type EventFilter } from '../store/event-store';
import { DEFAULT_HELPER_THREADS_NICE, lowerHelperThreads } from '../store/helper-threads';
import { generateDataset, WORDS } from './generate-dataset';
import { gcKind, mainThreadClock, mainThreadSchedMs, pausesWithin, recordGcPauses } from './main-thread';

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
};
const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;
const month = (i: number) => `${2011 + (i % 13)}-${String(1 + (i % 12)).padStart(2, '0')}`;

/** The query shapes of bench:scale, run against the store directly. */
const QUERIES: { name: string; run: (store: EventStore, i: number) => unknown }[] = [
  { name: 'date-range page', run: (s, i) => s.query({ from: `${month(i)}-01`, to: `${month(i)}-28` }, undefined, { first: 20 }) },
  { name: 'place+category page', run: (s, i) => s.query({ places: [`province-${i % 12}-${i % 14}`], categories: ['ARMED_CLASH'] }, undefined, { first: 20 }) },
  { name: 'broad first page', run: (s) => s.query({ categories: ['ARMED_CLASH', 'BOMBING', 'AIR_STRIKE'] }, undefined, { first: 20 }) },
  { name: 'broad totalCount', run: (s, i) => s.count({ categories: i % 2 ? ['ARMED_CLASH', 'BOMBING'] : ['DIPLOMACY', 'STATEMENT', 'POLITICAL'] }) },
  { name: 'search', run: (s, i) => s.query({ search: `${WORDS[i % WORDS.length]} ${WORDS[(i * 7 + 3) % WORDS.length].slice(0, 4)}` } as EventFilter, undefined, { first: 20 }) },
  { name: '31-day timeline', run: (s, i) => s.timeline(`${month(i)}-01`, `${month(i)}-28`) },
];

/** The main thread's CPU clock (to within a scheduler tick) for the compaction's slices, where the system has one. */
const threadCpu = mainThreadClock();

/** One query's start (`performance.now()`) and duration. */
interface QueryTime {
  name: string;
  at: number;
  ms: number;
  /** The main thread's CPU time in it and its wait for a core, where the system says. */
  cpuMs?: number;
  waitMs?: number;
}

/** Runs the queries round robin for `seconds`, about a millisecond apart; returns every latency by query. */
async function timeQueries(store: EventStore, seconds: number, trace?: QueryTime[]): Promise<Map<string, number[]>> {
  const times = new Map(QUERIES.map((q) => [q.name, [] as number[]]));
  const end = Date.now() + seconds * 1000;
  for (let i = 0; Date.now() < end; i++) {
    const q = QUERIES[i % QUERIES.length];
    const sched = trace && mainThreadSchedMs();
    const [t, at] = [process.hrtime.bigint(), performance.now()];
    q.run(store, i);
    const took = ms(t);
    times.get(q.name)!.push(took);
    const after = sched && mainThreadSchedMs();
    trace?.push({ name: q.name, at, ms: took, cpuMs: after ? after.cpuMs - sched.cpuMs : undefined, waitMs: after ? after.waitMs - sched.waitMs : undefined });
    // A pause between queries (as between requests) in which the disk's answers to a commit are taken.
    await new Promise((r) => setTimeout(r, 1));
  }
  return times;
}

async function measure(size: number, seconds: number, rate: number, base: string, collectInSlices: boolean, log: (line: string) => void): Promise<void> {
  const dir = path.join(base, `edits-${size}`);
  log(`generating ${size} events in ${dir}...`);
  await generateDataset(dir, size);
  let t = process.hrtime.bigint();
  const storage = new FileStorage({ dir, watch: false });
  const { dataset } = await storage.open();
  const store = new EventStore(dataset, { compactAt: Infinity, cpuMs: threadCpu, collectInSlices });
  storage.onChanges((changes) => applyCommitted(store, changes, { placeRecords: () => storage.catalogue('Place') }));
  const editing = new EditingService(store, storage, storage);
  log(`opened in ${(ms(t) / 1000).toFixed(1)} s`);
  // What follows is measured in the steady state, after the start's background indexing of the bulk files' lines.
  t = process.hrtime.bigint();
  await storage.settled();
  log(`bulk files' lines indexed in the background in ${(ms(t) / 1000).toFixed(1)} s more`);
  const template = dataset.events[Math.floor(dataset.events.length / 2)];
  const bulk: Event[] = dataset.events.filter((_e, i) => i % Math.max(1, Math.floor(dataset.events.length / 50)) === 7).slice(0, 20);


  const ack: number[] = [];
  const visible: number[] = [];
  const created: string[] = [];
  let n = 0;
  let failed = 0;
  const edit = async () => {
    const k = n++;
    const started = process.hrtime.bigint();
    let slug: string;
    let result;
    if (k % 3 === 0 || !created.length) {
      slug = `bench-edit-${k}`;
      const { slug: _s, displayDate: _d, timeZone: _z, revision: _r, updatedAt: _u, status: _st, retraction: _re, endDate: _e, places, ...rest } = template;
      result = await editing.createEvent('Bench', { event: { ...rest, slug, title: `Bench event ${k}`, places: places.slice(1) } });
      if (result.record) created.push(slug);
    } else {
      slug = created[k % created.length];
      const current = store.event(slug)!;
      result = await editing.updateEvent('Bench', { slug, expectedRevision: current.revision, patch: { title: `Bench event ${k}` }, note: 'bench' });
    }
    ack.push(ms(started));
    if (!result.record) {
      failed++;
      return;
    }
    const seen = process.hrtime.bigint();
    const page = store.query({ from: result.record.date, to: result.record.date, search: `bench event ${k}` } as EventFilter, undefined, { first: 100 });
    if (!page.edges.some((e) => e.node.slug === slug && e.node.title === result.record!.title) && page.totalCount <= 100) failed++;
    visible.push(ms(seen));
  };
  // Mutations alone, one after another (no queries running in this process).
  for (let i = 0; i < Math.min(200, rate * seconds); i++) await edit();
  const ackAlone = ack.splice(0);
  const visibleAlone = visible.splice(0);
  const alone = await timeQueries(store, seconds);

  // One editor after another at up to `rate` a second, as editors queue behind the service's lock: a mutation is
  // timed from its call, not from when it was scheduled, and the rate reached is reported.
  let running = true;
  const started = Date.now();
  const stream = (async () => {
    for (let nextAt = Date.now(); running; ) {
      await edit().catch(() => failed++);
      nextAt += 1000 / rate;
      const wait = nextAt - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      else nextAt = Date.now();
    }
  })();
  const testedBefore = store.overlayEventsTested;
  const streaming = await timeQueries(store, seconds);
  const streamedQueries = [...streaming.values()].reduce((n, t) => n + t.length, 0);
  const testedPerQuery = (store.overlayEventsTested - testedBefore) / streamedQueries;
  const overlayHeld = store.overlaySize;
  running = false;
  await stream;
  const reached = ack.length / ((Date.now() - started) / 1000);
  const compactStarted = process.hrtime.bigint();
  const gc = recordGcPauses();
  const trace: QueryTime[] = [];
  let swappedAt = Infinity;
  const compaction = store.compact().then(() => (swappedAt = performance.now()));
  const during = await timeQueries(store, 0.001, trace);
  while (store.compactionStats.running) for (const [k, v] of await timeQueries(store, 0.2, trace)) during.get(k)!.push(...v);
  await compaction;
  // A few queries more after the swap, to see what the first queries on the new base cost.
  for (const [k, v] of await timeQueries(store, 0.05, trace)) during.get(k)!.push(...v);
  const compactSeconds = ms(compactStarted) / 1000;
  const gcPauses = gc.stop();

  const bulkAck: number[] = [];
  for (const e of bulk) {
    t = process.hrtime.bigint();
    await editing.updateEvent('Bench', { slug: e.slug, expectedRevision: store.event(e.slug)!.revision, patch: { title: `${e.title} (edited)` }, note: 'bench' });
    bulkAck.push(ms(t));
  }
  t = process.hrtime.bigint();
  await storage.close();
  const closeMs = ms(t);

  const f = (x: number) => x.toFixed(2).padStart(8);
  log(`\n${size} events: ${ack.length} mutations, ${reached.toFixed(0)}/s reached of ${rate}/s asked, over ${seconds} s (${failed} failed)`);
  log(`  mutation acknowledged, alone         p50 ${f(percentile(ackAlone, 50))} ms   p99 ${f(percentile(ackAlone, 99))} ms (${ackAlone.length} mutations)`);
  log(`  mutation acknowledged, under queries p50 ${f(percentile(ack, 50))} ms   p99 ${f(percentile(ack, 99))} ms`);
  log(`  visible after the ack, alone         p50 ${f(percentile(visibleAlone, 50))} ms   p99 ${f(percentile(visibleAlone, 99))} ms`);
  log(`  visible after the ack, under queries p50 ${f(percentile(visible, 50))} ms   p99 ${f(percentile(visible, 99))} ms`);
  log(`  query p99 (ms)          alone  with ${rate}/s  ratio  during compaction`);
  for (const q of QUERIES) {
    const a = percentile(alone.get(q.name)!, 99);
    const b = percentile(streaming.get(q.name)!, 99);
    log(`    ${q.name.padEnd(20)} ${f(a)} ${f(b)}   ${(b / a).toFixed(2)}x ${f(percentile(during.get(q.name)!, 99))}`);
  }
  log(`  overlay events a query tested against its filter, with ${rate}/s: ${testedPerQuery.toFixed(2)} on average (the overlay held ${overlayHeld} events at the end)`);
  const { longestSliceMs, longestSliceCpuMs, longestSlicePhase } = store.compactionStats;
  const cpuClock = threadCpu ? "the main thread's" : "the process's (every thread's)";
  log(`  compaction of ${ack.length} changes: ${compactSeconds.toFixed(1)} s, longest slice ${longestSliceMs.toFixed(1)} ms (in "${longestSlicePhase}"), longest slice in CPU time (${cpuClock}) ${longestSliceCpuMs.toFixed(1)} ms`);
  const pauses = Object.entries(gcPauses).map(([kind, p]) => `${kind} ${p.count}x, longest ${p.maxMs.toFixed(1)} ms, ${p.totalMs.toFixed(0)} ms in all`);
  log(`  collector pauses during the compaction: ${pauses.join('; ') || 'none'}`);
  // What held the slowest queries during the compaction: a collector's pause inside them, or the first queries on
  // the new base (caches filled afresh)?
  const pausesIn = (q: QueryTime) => pausesWithin(gc.entries, q.at, q.ms);
  const paused = trace.map(pausesIn).filter((p) => p.length);
  const pausedMs = paused.map((p) => p.reduce((t, g) => t + g.duration, 0));
  log(`  young collections the compaction made at its slices' ends: ${store.compactionStats.youngCollections}; queries with a collector's pause inside: ${paused.length} of ${trace.length} (${paused.flat().map(gcKind).join(', ') || 'none'}), longest ${Math.max(0, ...pausedMs).toFixed(1)} ms`);
  log(`  slowest queries during the compaction (${trace.length} queries): clock ms, main-thread CPU ms, ms waiting for a core, collector pauses inside, when`);
  for (const q of [...trace].sort((a, b) => b.ms - a.ms).slice(0, 8)) {
    const inside = pausesIn(q).map((g) => `${gcKind(g)} ${g.duration.toFixed(1)}`);
    const when = q.at >= swappedAt ? `${(q.at - swappedAt).toFixed(1)} ms after the swap` : `${((swappedAt - q.at) / 1000).toFixed(2)} s before the swap`;
    log(`    ${f(q.ms)} ${f(q.cpuMs ?? NaN)} ${f(q.waitMs ?? NaN)}  ${q.name.padEnd(20)} ${inside.join(', ') || 'no pause'}; ${when}`);
  }
  log(`  update of an event in a bulk NDJSON file (journaled)   p50 ${f(percentile(bulkAck, 50))} ms   p99 ${f(percentile(bulkAck, 99))} ms (${bulkAck.length} updates)`);
  log(`  close, which writes the bulk lines still pending       ${f(closeMs)} ms (one rewrite a file)`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string, fallback: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
  };
  const sizes = opt('events', '10000').split(',').map(Number);
  const seconds = Number(opt('seconds', '10'));
  const rate = Number(opt('rate', '100'));
  const nice = Number(opt('helpers-nice', String(DEFAULT_HELPER_THREADS_NICE)));
  if (sizes.some((s) => !Number.isInteger(s) || s < 100) || !(seconds > 0) || !(rate > 0) || !Number.isInteger(nice) || nice < 0 || nice > 19) {
    process.stderr.write('usage: npm run bench:edits -- [--events N[,N...]] [--seconds S] [--rate R] [--dir DIR] [--no-collect] [--helpers-nice 0-19]\n');
    process.exit(2);
  }
  // As the server does at start (HELPER_THREADS_NICE): this process stands for its main thread.
  lowerHelperThreads(nice);
  const given = args.includes('--dir');
  const base = given ? opt('dir', '') : mkdtempSync(path.join(os.tmpdir(), 'dateline-bench-edits-'));
  try {
    for (const size of sizes) await measure(size, seconds, rate, base, !args.includes('--no-collect'), (line) => process.stdout.write(`${line}\n`));
  } finally {
    if (!given) rmSync(base, { recursive: true, force: true });
  }
}

void main();
