/**
 * The varied-variables half of `npm run bench`: every request differs from the ones before it, as real clients'
 * requests do (see `varied-requests.ts`), so the response cache cannot hit and per-request work shows. Dateline, in
 * its default configuration, is measured against its ceiling, and a peer, Mercurius with graphql-jit over the same
 * schema and data with none of Dateline's limits, against its own ceiling, in the same run.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadDataset } from '../data/load-dataset';
import type { CeilingAnswer } from './bench-server';
import { scriptArgs, startChildServer, type ChildServer } from './child-process';
import { generateDataset } from './generate-dataset';
import { inPool, load, post } from './http-load';
import { loadWithCpu } from './varied-cpu';
import { variedOperations, type VariedOperation } from './varied-requests';

/** How the varied benchmark runs. */
export interface VariedOptions {
  /** Events in the generated data set the requests run over. */
  events: number;
  /** Distinct requests per operation; more than the response cache holds (1000), so that cycling through them never hits. */
  requests: number;
  duration: number;
  warmup: number;
  connections: number;
  log: (line: string) => void;
}

/** The servers of one side of the comparison, and what they answer. */
type Side = 'dateline' | 'peer';

/** One measured server. */
export interface VariedFigure {
  operation: string;
  /** Distinct request bodies cycled through. */
  requests: number;
  target: 'dateline' | 'dateline-ceiling' | 'peer' | 'peer-ceiling';
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Requests per second over those of the same side's ceiling in the same run. */
  ratioToCeiling: number;
  /** CPU time (user + system) the server process spent per answer, in microseconds; null where /proc cannot tell. */
  cpuMicrosPerRequest: number | null;
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

/** Runs the varied-variables comparison and returns its figures. */
export async function runVariedBench(options: VariedOptions): Promise<VariedFigure[]> {
  const { log } = options;
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
    // Answers are collected from a server of their own, so that the measured one meets every body for the first time.
    const reference = await start('server', dataDir, '0', 'apollo');
    const peer = await start('mercurius', dataDir);
    const { answers, refused } = await collectAnswers(ops, reference, peer);
    const files: Record<Side, string> = { dateline: path.join(work, 'dateline.json'), peer: path.join(work, 'peer.json') };
    for (const side of ['dateline', 'peer'] as const) writeFileSync(files[side], JSON.stringify(answers[side]));
    const targets: Record<VariedFigure['target'], ChildServer> = {
      dateline: await start('server', dataDir, '1000'),
      'dateline-ceiling': await start('ceiling', files.dateline),
      peer,
      'peer-ceiling': await start('ceiling', files.peer),
    };
    log(`varied: ${options.events} generated events; distinct requests: ${ops.map((op) => `${op.name} ${op.bodies.length}`).join(', ')}; the peer's data checked equal to Dateline's for every request; ${refused} refused by Dateline's limits and left out`);
    log(`${'operation'.padEnd(14)} ${'target'.padEnd(17)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'x ceiling'.padStart(9)} ${'CPU us/req'.padStart(10)}`);
    const figures: VariedFigure[] = [];
    for (const op of ops) {
      const rows = new Map<VariedFigure['target'], Omit<VariedFigure, 'ratioToCeiling'>>();
      for (const target of ['dateline-ceiling', 'dateline', 'peer-ceiling', 'peer'] as const) {
        if (options.warmup > 0) await load(targets[target].url, op.bodies, options.warmup, options.connections);
        const { result: r, cpuMicrosPerRequest } = await loadWithCpu(targets[target], op.bodies, options.duration, options.connections);
        rows.set(target, { operation: op.name, requests: op.bodies.length, target, requestsPerSecond: r.requests.average, p50Ms: r.latency.p50, p99Ms: r.latency.p99, cpuMicrosPerRequest });
      }
      for (const [target, row] of rows) {
        const ceiling = rows.get(target.startsWith('peer') ? 'peer-ceiling' : 'dateline-ceiling')!.requestsPerSecond;
        figures.push({ ...row, ratioToCeiling: ceiling > 0 ? row.requestsPerSecond / ceiling : 0 });
      }
      const ratio = (t: VariedFigure['target']) => figures.find((f) => f.operation === op.name && f.target === t)!;
      for (const t of ['dateline', 'dateline-ceiling', 'peer', 'peer-ceiling'] as const) {
        const f = ratio(t);
        const cpu = f.cpuMicrosPerRequest === null ? '-' : f.cpuMicrosPerRequest.toFixed(0);
        log(`${op.name.padEnd(14)} ${t.padEnd(17)} ${f.requestsPerSecond.toFixed(0).padStart(8)} ${f.p50Ms.toFixed(2).padStart(7)} ${f.p99Ms.toFixed(2).padStart(7)} ${f.ratioToCeiling.toFixed(3).padStart(8)}x ${cpu.padStart(10)}`);
      }
      const ours = ratio('dateline').ratioToCeiling;
      const theirs = ratio('peer').ratioToCeiling;
      log(`${op.name.padEnd(14)} Dateline ${ours.toFixed(3)}x its ceiling, Mercurius-jit ${theirs.toFixed(3)}x its ceiling: ${ours >= theirs ? 'at or above the peer' : 'BELOW the peer'}`);
    }
    return figures;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(work, { recursive: true, force: true });
  }
}

/** Writes `content` as JSON to `file`, making its folder. */
export function writeJson(file: string, content: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`);
}
