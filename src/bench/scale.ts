/**
 * `npm run bench:scale -- --events 1000000`: how load time, memory and query latency grow with the
 * data. For each size it generates (or reuses) a synthetic data set, loads it, and times queries
 * in this process through the GraphQL layer (graphql-jit over the server's schema, as the fast
 * path runs them), after checking each answer equals plain graphql-js execution.
 *
 *   npm run bench:scale -- [--events 10000,100000,1000000] [--runs 200] [--dir DIR] [--out FILE]
 */
import 'reflect-metadata';
import { execute, parse, type DocumentNode } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GCProfiler } from 'node:v8';
import { loadDataset } from '../data/load-dataset';
import { buildDatelineSchema, createDatelineSchema } from '../schema/build-schema';
import { resolveTaggedTypesSynchronously } from '../server/fast-path/sync-type-resolution';
import { EventStore, type EventFilter } from '../store/event-store';
import { generateDataset, WORDS } from './generate-dataset';

/** Figures for one data set size. */
export interface ScaleFigures {
  events: number;
  loadSeconds: number;
  rssMB: number;
  /** p50 and p99 latency in milliseconds, by query, with the garbage collection pauses during its timed runs. */
  queries: Record<string, { p50Ms: number; p99Ms: number; gcPauses: number; longestGcMs: number; sample: string }>;
}

/** What to run. */
export interface ScaleOptions {
  sizes: number[];
  /** Timed runs per query (after a few untimed ones). */
  runs: number;
  /** Folder that holds one generated data set per size. */
  dir: string;
  out: string | null;
  log: (line: string) => void;
}

interface ScaleQuery {
  name: string;
  query: string;
  /** Variables for run `i`, so runs do not all ask the same thing. */
  variables(i: number, store: EventStore): Record<string, unknown>;
  /** A short description of the answer, printed as proof of work. */
  sample(data: Record<string, unknown>): string;
}

const PAGE = `totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id slug title date category place { name } } }`;
const month = (i: number) => `${2011 + (i % 13)}-${String(1 + (i % 12)).padStart(2, '0')}`;
const count = (data: Record<string, unknown>) => `totalCount ${(data.events as { totalCount: number }).totalCount}`;

function scaleQueries(): ScaleQuery[] {
  const broad: EventFilter = { categories: ['ARMED_CLASH', 'BOMBING', 'AIR_STRIKE'] };
  return [
    {
      name: 'date-range page',
      query: `query($filter: EventFilter) { events(filter: $filter, first: 20) { ${PAGE} } }`,
      variables: (i) => ({ filter: { from: `${month(i)}-01`, to: `${month(i)}-28` } }),
      sample: count,
    },
    {
      name: 'place+category page',
      query: `query($filter: EventFilter) { events(filter: $filter, first: 20) { ${PAGE} } }`,
      variables: (i) => ({ filter: { places: [`province-${i % 12}-${i % 14}`], categories: ['ARMED_CLASH'] } }),
      sample: count,
    },
    {
      name: 'broad first page',
      query: `query($filter: EventFilter) { events(filter: $filter, first: 20) { ${PAGE} } }`,
      variables: () => ({ filter: broad }),
      sample: count,
    },
    {
      name: 'broad deep page',
      query: `query($filter: EventFilter, $after: String) { events(filter: $filter, first: 20, after: $after) { ${PAGE} } }`,
      // A cursor near the end of a result of half the data set.
      variables: (i, store) => ({ filter: broad, after: store.query(broad, undefined, { last: 30 + (i % 50) }).edges[0].cursor }),
      sample: (data) => `${count(data)}, hasNextPage ${(data.events as { pageInfo: { hasNextPage: boolean } }).pageInfo.hasNextPage}`,
    },
    {
      name: 'broad totalCount',
      query: `query($filter: EventFilter) { events(filter: $filter) { totalCount } }`,
      variables: (i) => ({ filter: { categories: i % 2 ? ['ARMED_CLASH', 'BOMBING'] : ['DIPLOMACY', 'STATEMENT', 'POLITICAL'] } }),
      sample: count,
    },
    {
      name: 'search',
      query: `query($filter: EventFilter) { events(filter: $filter, first: 20) { ${PAGE} } }`,
      variables: (i) => ({ filter: { search: `${WORDS[i % WORDS.length]} ${WORDS[(i * 7 + 3) % WORDS.length].slice(0, 4)}` } }),
      sample: count,
    },
    {
      name: '31-day timeline',
      query: `query($from: Date, $to: Date) { timeline(from: $from, to: $to) { date eventCount events { slug title } } }`,
      variables: (i) => ({ from: `${month(i)}-01`, to: `${month(i)}-31`.replace(/-(02|04|06|09|11)-31$/, (_, m: string) => `-${m}-30`).replace(/-02-30$/, '-02-28') }),
      sample: (data) => `${(data.timeline as unknown[]).length} days, ${(data.timeline as { eventCount: number }[]).reduce((n, d) => n + d.eventCount, 0)} events`,
    },
  ];
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Generates (or reuses) and loads one size, then times every query. */
async function measure(size: number, options: ScaleOptions): Promise<ScaleFigures> {
  const dir = path.join(options.dir, `events-${size}`);
  if (!existsSync(dir) || !readdirSync(dir).includes('sources.json')) {
    options.log(`generating ${size} events in ${dir}...`);
    await generateDataset(dir, size);
  }
  global.gc?.();
  const started = process.hrtime.bigint();
  const store = new EventStore(await loadDataset(dir));
  const loadSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  global.gc?.();
  const rssMB = process.memoryUsage().rss / 2 ** 20;

  // Compiled over the schema the fast path runs (see create-server.ts), checked against plain graphql-js on the server's.
  const schema = buildDatelineSchema();
  const fastSchema = createDatelineSchema({ synchronousArguments: true });
  resolveTaggedTypesSynchronously(fastSchema);
  const context = { store };
  const queries: ScaleFigures['queries'] = {};
  for (const q of scaleQueries()) {
    const document: DocumentNode = parse(q.query);
    const compiled = compileQuery(fastSchema, document);
    if (!isCompiledQuery(compiled)) throw new Error(`${q.name}: ${compiled.errors?.map((e) => e.message).join('; ')}`);
    const inputs = Array.from({ length: Math.min(options.runs, 20) }, (_, i) => q.variables(i, store));
    // Checked once per distinct input: the compiled answer is the plain graphql-js answer.
    for (const variables of inputs.slice(0, 3)) {
      const fast = JSON.stringify(await compiled.query(undefined, context, variables));
      const plain = JSON.stringify(await execute({ schema, document, contextValue: context, variableValues: variables }));
      if (fast !== plain) throw new Error(`${q.name}: the compiled answer differs from plain graphql-js execution`);
      if (fast.includes('"errors"')) throw new Error(`${q.name}: ${fast.slice(0, 300)}`);
    }
    // Warmed up as a running server is: each input a few times, so the timed runs measure optimized code.
    for (let i = 0; i < 60; i++) await compiled.query(undefined, context, inputs[i % inputs.length]);
    const times: number[] = [];
    let last: Record<string, unknown> = {};
    // Garbage collection pauses during the timed runs, to tell a slow query from one that a collection paused.
    const gc = new GCProfiler();
    gc.start();
    for (let i = 0; i < options.runs; i++) {
      const variables = inputs[i % inputs.length];
      const t = process.hrtime.bigint();
      const result = await compiled.query(undefined, context, variables);
      JSON.stringify(result);
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
      last = result.data as Record<string, unknown>;
    }
    times.sort((a, b) => a - b);
    const pauses = gc.stop().statistics;
    const longestGcMs = pauses.reduce((most, pause) => Math.max(most, pause.cost / 1000), 0); // cost is in µs
    queries[q.name] = { p50Ms: percentile(times, 50), p99Ms: percentile(times, 99), gcPauses: pauses.length, longestGcMs, sample: q.sample(last) };
  }
  return { events: store.counts.events, loadSeconds, rssMB, queries };
}

/** Runs every size in turn and prints a table per size. */
export async function runScaleBench(options: ScaleOptions): Promise<ScaleFigures[]> {
  mkdirSync(options.dir, { recursive: true });
  const all: ScaleFigures[] = [];
  for (const size of options.sizes) {
    const f = await measure(size, options);
    all.push(f);
    options.log(`\n${f.events} events: load ${f.loadSeconds.toFixed(2)} s, RSS after load ${f.rssMB.toFixed(0)} MB`);
    options.log(`  ${'query'.padEnd(22)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'GC pauses'.padStart(9)} ${'longest'.padStart(8)}  answer`);
    for (const [name, q] of Object.entries(f.queries)) {
      options.log(
        `  ${name.padEnd(22)} ${q.p50Ms.toFixed(3).padStart(8)} ${q.p99Ms.toFixed(3).padStart(8)} ${String(q.gcPauses).padStart(9)} ${q.longestGcMs.toFixed(3).padStart(8)}  ${q.sample}`,
      );
    }
  }
  if (options.out) {
    mkdirSync(path.dirname(options.out), { recursive: true });
    const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
    writeFileSync(options.out, `${JSON.stringify({ date: new Date().toISOString(), machine, runs: options.runs, figures: all }, null, 2)}\n`);
    options.log(`figures written to ${options.out}`);
  }
  return all;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const get = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const sizes = (get('events') ?? '10000,100000,1000000').split(',').map(Number);
  const runs = Number(get('runs') ?? 200);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(runs) || runs < 1) {
    process.stderr.write('usage: npm run bench:scale -- [--events N[,N...]] [--runs R] [--dir DIR] [--out FILE]\n');
    process.exit(2);
  }
  runScaleBench({
    sizes,
    runs,
    dir: get('dir') ?? path.join(os.tmpdir(), 'dateline-scale'),
    out: get('out') ?? path.join('dist', 'bench-results', 'scale.json'),
    log: (line) => process.stdout.write(`${line}\n`),
  }).catch((err: unknown) => {
    process.stderr.write(`scale benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
