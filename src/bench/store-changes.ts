/**
 * The store under a stream of changes, without HTTP or storage: how long `apply` takes, how soon a change is seen
 * by a query, how query latency holds while changes stream in (against the same queries with none), and how long
 * compaction takes and holds up the event loop. Uses the synthetic data sets of `bench:scale`. Times are given by the
 * clock and in CPU time of this process (on a machine shared with other work, the clock counts their turns too).
 *
 *   npm run bench:store-changes -- [--events 10000,1000000] [--rate 100] [--seconds 20] [--dir DIR]
 */
import { existsSync, readdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Event } from '../data/dataset';
import { loadDataset } from '../data/load-dataset';
import { EventStore, type EventFilter } from '../store/event-store';
import { generateDataset, WORDS } from './generate-dataset';

const month = (i: number) => `${2011 + (i % 13)}-${String(1 + (i % 12)).padStart(2, '0')}`;
const broad: EventFilter = { categories: ['ARMED_CLASH', 'BOMBING', 'AIR_STRIKE'] };

/** The store-level counterparts of `bench:scale`'s queries, by name; `i` varies the arguments. */
const QUERIES: Record<string, (store: EventStore, i: number) => unknown> = {
  'date-range page': (s, i) => s.query({ from: `${month(i)}-01`, to: `${month(i)}-28` }, undefined, { first: 20 }),
  'place+category page': (s, i) => s.query({ places: [`province-${i % 12}-${i % 14}`], categories: ['ARMED_CLASH'] }, undefined, { first: 20 }),
  'broad first page': (s) => s.query(broad, undefined, { first: 20 }),
  'broad deep page': (s, i) => s.query(broad, undefined, { last: 20 + (i % 50) }),
  'broad totalCount': (s, i) => s.count({ categories: i % 2 ? ['ARMED_CLASH', 'BOMBING'] : ['DIPLOMACY', 'STATEMENT', 'POLITICAL'] }),
  search: (s, i) => s.query({ search: `${WORDS[i % WORDS.length]} ${WORDS[(i * 7 + 3) % WORDS.length].slice(0, 4)}` }, undefined, { first: 20 }),
  '31-day timeline': (s, i) => s.timeline(`${month(i)}-01`, `${month(i)}-28`),
};

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};
const ms = (n: number) => Math.round(n * 1000) / 1000;
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A change to a random event: a new title, and now and then another date or a retraction or restoration. */
function changed(store: EventStore, slugs: string[], n: number): Event {
  const old = store.event(slugs[(n * 7919) % slugs.length])!;
  const date = n % 5 === 0 ? `${month(n)}-15` : old.date;
  const retract = n % 11 === 0 && old.status === 'PUBLISHED';
  return {
    ...old,
    title: `${WORDS[n % WORDS.length]} ${old.title}`.slice(0, 120),
    date,
    endDate: old.endDate !== null && old.endDate >= date ? old.endDate : null,
    status: retract ? 'RETRACTED' : 'PUBLISHED',
    retraction: retract ? { at: new Date().toISOString(), editor: 'bench', reason: 'benchmark' } : null,
    revision: old.revision + 1,
    updatedAt: new Date().toISOString(),
  };
}

/** Latency figures of one query, in ms. */
interface QueryTimes {
  p50: number;
  p99: number;
  max: number;
}

/**
 * Runs every query in turn for `seconds`, yielding to the event loop before each (so changes and compaction slices
 * run between them). Returns each query's own time, and how long queries waited for the event loop (a slice of
 * compaction, an apply) before they could start.
 */
async function timeQueries(store: EventStore, seconds: number): Promise<{ queries: Record<string, QueryTimes>; cpuMs: Record<string, QueryTimes>; waitMs: QueryTimes }> {
  const times: Record<string, number[]> = {};
  const cpu: Record<string, number[]> = {};
  const waits: number[] = [];
  const until = performance.now() + seconds * 1000;
  for (let i = 0; performance.now() < until; i++) {
    for (const [name, run] of Object.entries(QUERIES)) {
      const asked = performance.now();
      await tick();
      const started = performance.now();
      const used = process.cpuUsage();
      run(store, i);
      (times[name] ??= []).push(performance.now() - started);
      const { user, system } = process.cpuUsage(used);
      (cpu[name] ??= []).push((user + system) / 1000);
      waits.push(started - asked);
    }
  }
  const figures = (t: number[]): QueryTimes => ({ p50: ms(percentile(t, 50)), p99: ms(percentile(t, 99)), max: ms(t.reduce((a, b) => Math.max(a, b), 0)) });
  const byName = (all: Record<string, number[]>) => Object.fromEntries(Object.entries(all).map(([name, t]) => [name, figures(t)]));
  return { queries: byName(times), cpuMs: byName(cpu), waitMs: figures(waits) };
}

async function measure(size: number, rate: number, seconds: number, dir: string, log: (line: string) => void): Promise<unknown> {
  const folder = path.join(dir, `events-${size}`);
  if (!existsSync(folder) || !readdirSync(folder).includes('sources.json')) {
    log(`generating ${size} events in ${folder}...`);
    await generateDataset(folder, size);
  }
  const dataset = await loadDataset(folder);
  let started = performance.now();
  const store = new EventStore(dataset);
  const buildSeconds = (performance.now() - started) / 1000;
  const slugs = dataset.events.map((e) => e.slug);
  for (let i = 0; i < 30; i++) for (const run of Object.values(QUERIES)) run(store, i);
  const quiet = await timeQueries(store, seconds);

  // One change at a time: apply, then a query that must see it (its slug by lookup and a page filtered to its date).
  const apply: number[] = [];
  const visible: number[] = [];
  for (let n = 1; n <= 500; n++) {
    const event = changed(store, slugs, n);
    started = performance.now();
    store.apply({ events: [event] });
    const applied = performance.now();
    const seen = store.event(event.slug) === event && store.query({ from: event.date, to: event.date, includeRetracted: true }, undefined, { first: 1, after: null }).totalCount > 0;
    if (!seen) throw new Error(`change to ${event.slug} not visible`);
    apply.push(applied - started);
    visible.push(performance.now() - started);
  }

  // Changes streaming in at `rate` per second while the same queries run; compactions start as the overlay fills.
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  let n = 1000;
  const stream = setInterval(() => store.apply({ events: [changed(store, slugs, n++)] }), 1000 / rate);
  const compactionsBefore = store.compactionStats.completed;
  const busy = await timeQueries(store, seconds);
  clearInterval(stream);
  delay.disable();
  const streamed = n - 1000;
  started = performance.now();
  await store.compact();
  const lastCompactionSeconds = (performance.now() - started) / 1000;
  return {
    events: size,
    buildSeconds: ms(buildSeconds),
    applyMs: { p50: ms(percentile(apply, 50)), p99: ms(percentile(apply, 99)) },
    visibleMs: { p50: ms(percentile(visible, 50)), p99: ms(percentile(visible, 99)) },
    queriesQuietMs: quiet.queries,
    queriesWhileStreamingMs: busy.queries,
    worstRatioOfP99: ms(Math.max(...Object.keys(quiet.queries).map((k) => busy.queries[k].p99 / quiet.queries[k].p99))),
    queriesCpuQuietMs: quiet.cpuMs,
    queriesCpuWhileStreamingMs: busy.cpuMs,
    waitForEventLoopMs: { quiet: quiet.waitMs, streaming: busy.waitMs },
    streamed,
    compactionsWhileStreaming: store.compactionStats.completed - compactionsBefore,
    compaction: { ...store.compactionStats, lastSeconds: ms(lastCompactionSeconds), eventLoopDelayMaxMs: ms(delay.max / 1e6), eventLoopDelayP99Ms: ms(delay.percentile(99) / 1e6) },
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const get = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const sizes = (get('events') ?? '10000').split(',').map(Number);
  const rate = Number(get('rate') ?? 100);
  const seconds = Number(get('seconds') ?? 20);
  const dir = get('dir') ?? path.join(os.tmpdir(), 'dateline-scale');
  for (const size of sizes) {
    const figures = await measure(size, rate, seconds, dir, (line) => process.stderr.write(`${line}\n`));
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
  }
}

void main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
