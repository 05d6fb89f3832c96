/**
 * `npm run bench`: requests per second and latency of the real server against a ceiling, a bare
 * node:http server that answers the same requests with the same bytes serialized in advance.
 *
 * For each operation it first checks that Apollo, the fast path (with and without entity JSON reuse), the response cache and
 * the ceiling all answer with the same bytes and the same headers, then loads each in turn with autocannon from this
 * process (the servers run in child processes): a warm-up, then a fixed duration.
 *
 * Then the varied-variables comparison with the peer, Mercurius with graphql-jit (`varied-throughput.ts`), in
 * `--rounds` interleaved rounds per operation that share each server's `--duration` between them.
 *
 *   npm run bench -- [--duration 5] [--warmup 1] [--connections 10] [--out FILE] [--only all|repeated|varied]
 *                    [--varied-events 20000] [--varied-requests 5000] [--rounds 5]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CeilingAnswer } from './bench-server';
import { scriptArgs, startChildServer, type ChildServer } from './child-process';
import { load, post, sameAnswer } from './http-load';
import { throughputOperations, type BenchOperation } from './operations';
import { runVariedBench, writeJson } from './varied-throughput';

/** How long and how hard to load each server. */
export interface ThroughputOptions {
  eventsDir: string;
  /** Seconds measured per operation and target. */
  duration: number;
  /** Seconds of load before measuring. */
  warmup: number;
  connections: number;
  log: (line: string) => void;
}

/** The ways one request can be answered, from slowest to the ceiling. */
export const TARGETS = ['apollo', 'jit', 'compiled', 'cached', 'ceiling'] as const;
/** A way a request is answered. */
export type Target = (typeof TARGETS)[number];

const TARGET_NOTES: Record<Target, string> = {
  apollo: 'Apollo Server + graphql-js, fast path off (createServer fastPath: false)',
  jit: 'fast path: graphql-jit compiled query, each answer serialized whole, response cache off',
  compiled: 'fast path: graphql-jit compiled query, entities\' JSON serialized once and reused, response cache off',
  cached: 'fast path with the response cache (identical requests repeated)',
  ceiling: 'bare node:http answering the same bytes and headers serialized in advance',
};

/** One measured row. */
export interface ThroughputFigure {
  operation: string;
  target: Target;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  ratioToCeiling: number;
}

/** Answers of every target to `op`, checked to be the same bytes and headers; returns Apollo's answer. */
async function checkSameBytes(op: BenchOperation, servers: Record<Exclude<Target, 'ceiling'>, ChildServer>): Promise<CeilingAnswer> {
  const body = JSON.stringify(op.body);
  const apollo = await post(servers.apollo.url, body);
  if (apollo.status !== 200 || apollo.text.includes('"errors"')) throw new Error(`${op.name}: the server answered ${apollo.status}: ${apollo.text.slice(0, 500)}`);
  for (const target of ['jit', 'compiled', 'cached'] as const) {
    // The first request teaches the fast path the document; the next ones are answered by it.
    for (let i = 0; i < 3; i++) {
      const again = await post(servers[target].url, body);
      if (!sameAnswer(again, apollo)) {
        throw new Error(`${op.name}: ${target} answered otherwise than Apollo:\n${JSON.stringify(again.headers)} ${again.text.slice(0, 300)}\n${JSON.stringify(apollo.headers)} ${apollo.text.slice(0, 300)}`);
      }
    }
  }
  return { headers: apollo.headers, text: apollo.text };
}

/** Runs the whole benchmark and returns its figures. */
export async function runThroughputBench(options: ThroughputOptions): Promise<ThroughputFigure[]> {
  const { log } = options;
  const operations = throughputOperations();
  const servers = {
    apollo: await startChildServer([...scriptArgs('bench-server'), 'server', options.eventsDir, '0', 'apollo']),
    jit: await startChildServer([...scriptArgs('bench-server'), 'server', options.eventsDir, '0', 'whole']),
    compiled: await startChildServer([...scriptArgs('bench-server'), 'server', options.eventsDir, '0']),
    cached: await startChildServer([...scriptArgs('bench-server'), 'server', options.eventsDir, '1000']),
  };
  let ceiling: ChildServer | undefined;
  const answersDir = mkdtempSync(path.join(os.tmpdir(), 'dateline-bench-'));
  try {
    const answers: Record<string, CeilingAnswer> = {};
    for (const op of operations) answers[JSON.stringify(op.body)] = await checkSameBytes(op, servers);
    const answersFile = path.join(answersDir, 'answers.json');
    writeFileSync(answersFile, JSON.stringify(answers));
    ceiling = await startChildServer([...scriptArgs('bench-server'), 'ceiling', answersFile]);
    for (const [body, answer] of Object.entries(answers)) {
      if (!sameAnswer(await post(ceiling.url, body), answer)) throw new Error('the ceiling answered other bytes or headers than the server');
    }
    log(`same bytes checked: ${operations.map((op) => `${op.name} ${Buffer.byteLength(answers[JSON.stringify(op.body)].text)} B`).join(', ')}`);

    const urls: Record<Target, string> = { apollo: servers.apollo.url, jit: servers.jit.url, compiled: servers.compiled.url, cached: servers.cached.url, ceiling: ceiling.url };
    const figures: ThroughputFigure[] = [];
    log(`${'operation'.padEnd(14)} ${'target'.padEnd(9)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'x ceiling'.padStart(9)}`);
    for (const op of operations) {
      const body = JSON.stringify(op.body);
      const rows: Omit<ThroughputFigure, 'ratioToCeiling'>[] = [];
      for (const target of [...TARGETS].reverse()) {
        if (options.warmup > 0) await load(urls[target], body, options.warmup, options.connections);
        const r = await load(urls[target], body, options.duration, options.connections);
        rows.push({ operation: op.name, target, requestsPerSecond: r.requests.average, p50Ms: r.latency.p50, p99Ms: r.latency.p99 });
      }
      const top = rows.find((r) => r.target === 'ceiling')!.requestsPerSecond;
      for (const row of rows.reverse()) {
        const figure = { ...row, ratioToCeiling: top > 0 ? row.requestsPerSecond / top : 0 };
        figures.push(figure);
        log(
          `${op.name.padEnd(14)} ${row.target.padEnd(9)} ${row.requestsPerSecond.toFixed(0).padStart(8)} ${row.p50Ms.toFixed(2).padStart(7)} ${row.p99Ms.toFixed(2).padStart(7)} ${figure.ratioToCeiling.toFixed(3).padStart(8)}x`,
        );
      }
    }
    return figures;
  } finally {
    await Promise.all([...Object.values(servers), ...(ceiling ? [ceiling] : [])].map((s) => s.stop()));
    rmSync(answersDir, { recursive: true, force: true });
  }
}

/** The value after `--name` in `args`, else `fallback`. */
export function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
}

async function main(args: string[]): Promise<void> {
  const number = (name: string, fallback: number) => {
    const value = Number(option(args, name, String(fallback)));
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number`);
    return value;
  };
  const only = option(args, 'only', 'all');
  if (!['all', 'repeated', 'varied'].includes(only)) throw new Error('--only must be all, repeated or varied');
  const settings = { duration: number('duration', 5), warmup: number('warmup', 1), connections: number('connections', 10) };
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const out = option(args, 'out', path.join('dist', 'bench-results', 'throughput.json'));
  const repeated = only === 'varied' ? [] : await runThroughputBench({ eventsDir: option(args, 'events', 'events'), ...settings, log });
  const variedSettings = { events: number('varied-events', 20_000), requests: number('varied-requests', 5000), rounds: Math.max(1, Math.round(number('rounds', 5))) };
  const varied = only === 'repeated' ? [] : await runVariedBench({ ...variedSettings, ...settings, log });
  const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` };
  writeJson(out, {
    date: new Date().toISOString(),
    machine,
    settings: { ...settings, ...variedSettings },
    targets: TARGET_NOTES,
    operations: throughputOperations().map(({ name, description }) => ({ name, description })),
    figures: repeated,
    varied,
  });
  log(`figures written to ${out}`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`benchmark failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
