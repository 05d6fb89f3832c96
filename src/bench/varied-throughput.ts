/**
 * The varied-variables half of `npm run bench`: every request differs from the ones before it, as real clients'
 * requests do (see `varied-requests.ts`), so the response cache cannot hit and per-request work shows. Dateline, in
 * its default configuration, is measured against its ceiling, and a peer, Mercurius with graphql-jit over the same
 * schema and data with none of Dateline's limits, against its own ceiling, in the same run.
 *
 * A shared machine's load moves from second to second, so one long measurement of each server compares moments, not
 * servers. Instead, per operation, rounds alternate between the sides (Dateline, peer, Dateline, peer...); in each
 * round a side's server and its ceiling are loaded back to back (in alternating order) while every other server is
 * paused (SIGSTOP), and the round's ratio is the server's req/s over its ceiling's. The figure is the median of the
 * rounds' ratios. Every server is warmed up first (`--warmup` seconds, and at least once through the bodies), and each one goes through the same list of bodies in the same
 * order, carrying on across rounds, each pass after the first with other bytes (`BodyCycle`), so that Dateline's
 * response cache, keyed on a request's bytes, never hits.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadDataset } from '../data/load-dataset';
import type { CeilingAnswer } from './bench-server';
import { scriptArgs, startChildServer, type ChildServer } from './child-process';
import { generateDataset } from './generate-dataset';
import { BodyCycle, inPool, load, post } from './http-load';
import { loadWithCpu } from './varied-cpu';
import { variedOperations, type VariedOperation } from './varied-requests';

/** How the varied benchmark runs. */
export interface VariedOptions {
  /** Events in the generated data set the requests run over. */
  events: number;
  /** Distinct requests per operation; more than the response cache holds (1000), so that cycling through them never hits. */
  requests: number;
  /** Rounds per operation; each loads every server for `duration / rounds` seconds. */
  rounds: number;
  /** Seconds each server is measured per operation, over all rounds. */
  duration: number;
  /** Seconds of load on each server before the first round, at least; longer until it has met every body once (0: none). */
  warmup: number;
  connections: number;
  log: (line: string) => void;
}

/** A side of the comparison: Dateline or the peer, each with its own ceiling. */
export type Side = 'dateline' | 'peer';
/** A server measured: a side's server or its ceiling. */
export type VariedTarget = Side | 'dateline-ceiling' | 'peer-ceiling';

/** One round of one side: its server and its ceiling loaded back to back. */
export interface VariedRound {
  requestsPerSecond: number;
  ceilingRequestsPerSecond: number;
  /** The server's req/s over its ceiling's in this round. */
  ratio: number;
  p50Ms: number;
  p99Ms: number;
}

/** One side on one operation, over every round. */
export interface VariedFigure {
  operation: string;
  /** Distinct request bodies cycled through. */
  requests: number;
  side: Side;
  rounds: VariedRound[];
  /** The median of the rounds' ratios: the figure compared with the other side's. */
  ratioToCeiling: number;
  /** Medians of the rounds' req/s, of the server and of its ceiling. */
  requestsPerSecond: number;
  ceilingRequestsPerSecond: number;
  /** CPU time (user + system) the server, then its ceiling, spent per answer over all rounds, in microseconds; null where /proc cannot tell. */
  cpuMicrosPerRequest: number | null;
  ceilingCpuMicrosPerRequest: number | null;
}

/**
 * What the two sides answer to every body: Dateline's and the peer's bytes, checked to carry the same data. Bodies
 * that Dateline refuses (a window whose cost is over its limit, say) are left out of the load and counted: the peer,
 * which has no limits, is measured on the same bodies.
 */
export async function collectAnswers(ops: VariedOperation[], reference: ChildServer, peer: ChildServer): Promise<{ answers: Record<Side, Record<string, CeilingAnswer>>; refused: number }> {
  const answers: Record<Side, Record<string, CeilingAnswer>> = { dateline: {}, peer: {} };
  let refused = 0;
  for (const op of ops) {
    const kept = await inPool(op.bodies, 8, async (body) => {
      const [ours, theirs] = await Promise.all([post(reference.url, body), post(peer.url, body)]);
      if (ours.status !== 200 || ours.text.includes('"errors"')) {
        refused++;
        return null;
      }
      const data = (text: string) => JSON.stringify((JSON.parse(text) as { data: unknown }).data);
      if (theirs.status !== 200 || data(theirs.text) !== data(ours.text)) {
        throw new Error(`${op.name}: the peer answered other data than Dateline to ${body}:\n${theirs.text.slice(0, 300)}\n${ours.text.slice(0, 300)}`);
      }
      answers.dateline[body] = { headers: ours.headers, text: ours.text };
      answers.peer[body] = { headers: theirs.headers, text: theirs.text };
      return body;
    });
    op.bodies = kept.filter((b): b is string => b !== null);
    if (op.bodies.length < 2) throw new Error(`${op.name}: Dateline refused all but ${op.bodies.length} of its varied requests`);
  }
  return { answers, refused };
}

/** The middle value of `values` (the mean of the two middle ones for an even count). */
export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A server to measure, its own cycle of the operation's bodies, and what its rounds added up to. */
interface Measured {
  server: ChildServer;
  cycle: BodyCycle;
  requests: number;
  cpuSeconds: number | null;
}

/** Pauses (SIGSTOP) or resumes (SIGCONT) a server, so that an idle one takes no CPU from the one measured. */
function setRunning(server: ChildServer, running: boolean): void {
  if (server.process.exitCode === null) server.process.kill(running ? 'SIGCONT' : 'SIGSTOP');
}

/** Loads `target` for one round; its req/s (completed requests over the time taken), latency, and adds to its totals. */
async function measure(target: Measured, seconds: number, connections: number) {
  // Sampled every 100 ms, so that a round lasts its share of the duration, not a whole second (see `load`).
  const { result, cpuMicrosPerRequest } = await loadWithCpu(target.server, target.cycle, seconds, connections, 100);
  const total = result.requests.total;
  target.requests += total;
  target.cpuSeconds = target.cpuSeconds === null || cpuMicrosPerRequest === null ? null : target.cpuSeconds + (cpuMicrosPerRequest * total) / 1e6;
  return { requestsPerSecond: result.duration > 0 ? total / result.duration : 0, p50Ms: result.latency.p50, p99Ms: result.latency.p99 };
}

/** One round of one side: its server and its ceiling back to back (the ceiling first in even rounds), the others paused. */
async function round(server: Measured, ceiling: Measured, index: number, options: VariedOptions): Promise<VariedRound> {
  const seconds = options.duration / options.rounds;
  setRunning(server.server, true);
  setRunning(ceiling.server, true);
  try {
    const ceilingFirst = index % 2 === 0;
    const first = await measure(ceilingFirst ? ceiling : server, seconds, options.connections);
    const second = await measure(ceilingFirst ? server : ceiling, seconds, options.connections);
    const [ours, top] = ceilingFirst ? [second, first] : [first, second];
    return { requestsPerSecond: ours.requestsPerSecond, ceilingRequestsPerSecond: top.requestsPerSecond, ratio: top.requestsPerSecond > 0 ? ours.requestsPerSecond / top.requestsPerSecond : 0, p50Ms: ours.p50Ms, p99Ms: ours.p99Ms };
  } finally {
    setRunning(server.server, false);
    setRunning(ceiling.server, false);
  }
}

const cpuPerRequest = (m: Measured) => (m.cpuSeconds === null || m.requests === 0 ? null : (m.cpuSeconds * 1e6) / m.requests);
const fixed = (n: number, digits: number) => n.toFixed(digits);

/**
 * Loads `server` for `seconds` and until it has met every body once: what it keeps across requests
 * (compiled documents, entities' JSON) is then what a server that has been running holds, whatever the machine's
 * load (on a busy machine one second may not reach every body). Its response cache still never hits: later passes
 * send other bytes.
 */
export async function warmUp(server: ChildServer, cycle: BodyCycle, seconds: number, connections: number): Promise<void> {
  if (seconds <= 0) return;
  await load(server.url, cycle, seconds, connections);
  while (cycle.passes === 0) await load(server.url, cycle, 1, connections);
}

/** Measures one operation on `servers` (all paused): each warmed up on it, then interleaved rounds; one figure per side. */
async function measureOperation(op: VariedOperation, servers: Record<VariedTarget, ChildServer>, options: VariedOptions): Promise<VariedFigure[]> {
  const measured = {} as Record<VariedTarget, Measured>;
  for (const [target, server] of Object.entries(servers) as [VariedTarget, ChildServer][]) {
    // Bodies sent again come with other bytes, so that Dateline's response cache never hits (see `BodyCycle`).
    const cycle = new BodyCycle(op.bodies, true);
    setRunning(server, true);
    await warmUp(server, cycle, options.warmup, options.connections);
    setRunning(server, false);
    measured[target] = { server, cycle, requests: 0, cpuSeconds: 0 };
  }
  const rounds: Record<Side, VariedRound[]> = { dateline: [], peer: [] };
  try {
    for (let i = 0; i < options.rounds; i++) {
      for (const side of ['dateline', 'peer'] as const) rounds[side].push(await round(measured[side], measured[`${side}-ceiling`], i, options));
    }
  } finally {
    for (const server of Object.values(servers)) setRunning(server, false);
  }
  return (['dateline', 'peer'] as const).map((side) => ({
    operation: op.name,
    requests: op.bodies.length,
    side,
    rounds: rounds[side],
    ratioToCeiling: median(rounds[side].map((r) => r.ratio)),
    requestsPerSecond: median(rounds[side].map((r) => r.requestsPerSecond)),
    ceilingRequestsPerSecond: median(rounds[side].map((r) => r.ceilingRequestsPerSecond)),
    cpuMicrosPerRequest: cpuPerRequest(measured[side]),
    ceilingCpuMicrosPerRequest: cpuPerRequest(measured[`${side}-ceiling`]),
  }));
}

/** Prints one side's rounds and medians. */
function logFigure(f: VariedFigure, log: (line: string) => void): void {
  const cpu = (n: number | null) => (n === null ? '-' : fixed(n, 0));
  log(
    `${f.operation.padEnd(14)} ${f.side.padEnd(8)} rounds ${f.rounds.map((r) => fixed(r.ratio, 3)).join(' ')}  median ${fixed(f.ratioToCeiling, 3)}x` +
      ` (req/s ${fixed(f.requestsPerSecond, 0)}, ceiling ${fixed(f.ceilingRequestsPerSecond, 0)}; CPU us/req ${cpu(f.cpuMicrosPerRequest)}, ceiling ${cpu(f.ceilingCpuMicrosPerRequest)})`,
  );
}

/** Runs the varied-variables comparison and returns its figures, two (Dateline, the peer) per operation. */
export async function runVariedBench(options: VariedOptions): Promise<VariedFigure[]> {
  const { log } = options;
  if (!(options.rounds >= 1)) throw new Error('the varied benchmark needs at least one round');
  const work = mkdtempSync(path.join(os.tmpdir(), 'dateline-varied-'));
  const servers: ChildServer[] = [];
  const start = async (...args: string[]) => {
    const server = await startChildServer([...scriptArgs('bench-server'), ...args]);
    servers.push(server);
    return server;
  };
  try {
    const dataDir = path.join(work, 'data');
    await generateDataset(dataDir, options.events);
    const ops = variedOperations(await loadDataset(dataDir), options.requests);
    // Answers are collected from servers of their own, so that the measured ones meet every body for the first time.
    // Dateline's come through its fast path (response cache off), which gives Apollo's very bytes and headers (it
    // checks that before it answers a document) in a fraction of Apollo's time.
    const [reference, checker] = await Promise.all([start('server', dataDir, '0'), start('mercurius', dataDir)]);
    const { answers, refused } = await collectAnswers(ops, reference, checker);
    // Paused rather than stopped: stopping waits for the collector's idle connections to close.
    for (const server of [reference, checker]) setRunning(server, false);
    const files: Record<Side, string> = { dateline: path.join(work, 'dateline.json'), peer: path.join(work, 'peer.json') };
    for (const side of ['dateline', 'peer'] as const) writeFileSync(files[side], JSON.stringify(answers[side]));
    log(`varied: ${options.events} generated events; distinct requests: ${ops.map((op) => `${op.name} ${op.bodies.length}`).join(', ')}; the peer's data checked equal to Dateline's for every request; ${refused} refused by Dateline's limits and left out`);
    log(`${options.rounds} rounds per operation (Dateline, peer, Dateline...), each loading a server and its ceiling back to back for ${fixed(options.duration / options.rounds, 2)} s each, the other servers paused; ratio = server req/s / ceiling req/s`);
    // The measured servers, each paused but while it is warmed up or measured.
    const [dateline, datelineCeiling, peer, peerCeiling] = await Promise.all([
      start('server', dataDir, '1000'),
      start('ceiling', files.dateline),
      start('mercurius', dataDir),
      start('ceiling', files.peer),
    ]);
    const targets: Record<VariedTarget, ChildServer> = { dateline, 'dateline-ceiling': datelineCeiling, peer, 'peer-ceiling': peerCeiling };
    for (const server of Object.values(targets)) setRunning(server, false);
    const figures: VariedFigure[] = [];
    for (const op of ops) {
      const [ours, theirs] = await measureOperation(op, targets, options);
      for (const f of [ours, theirs]) logFigure(f, log);
      figures.push(ours, theirs);
      const verdict = ours.ratioToCeiling >= theirs.ratioToCeiling ? 'at or above the peer' : 'BELOW the peer';
      log(`${op.name.padEnd(14)} Dateline ${fixed(ours.ratioToCeiling, 3)}x its ceiling, Mercurius-jit ${fixed(theirs.ratioToCeiling, 3)}x its ceiling (medians of ${options.rounds} rounds): ${verdict}`);
    }
    return figures;
  } finally {
    // A paused server would not see SIGTERM until resumed.
    for (const server of servers) setRunning(server, true);
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(work, { recursive: true, force: true });
  }
}

/** Writes `content` as JSON to `file`, making its folder. */
export function writeJson(file: string, content: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`);
}
