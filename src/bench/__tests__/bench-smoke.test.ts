import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { throughputOperations } from '../operations';
import { runScaleBench } from '../scale';
import { runThroughputBench, TARGETS } from '../throughput';
import { runVariedBench } from '../varied-throughput';

// Smoke runs: tiny sizes and fractions of a second, to show the benchmarks run and agree with plain execution.
describe('benchmarks (smoke run)', () => {
  it('npm run bench checks the same bytes everywhere and prints a figure for every operation and target', async () => {
    const lines: string[] = [];
    const figures = await runThroughputBench({ eventsDir: 'events', duration: 0.3, warmup: 0, connections: 2, log: (l) => lines.push(l) });
    expect(figures.map((f) => `${f.operation}/${f.target}`)).toEqual(throughputOperations().flatMap((op) => TARGETS.map((t) => `${op.name}/${t}`)));
    for (const f of figures) {
      expect(f.requestsPerSecond).toBeGreaterThan(0);
      expect(lines.join('\n')).toContain(`${f.operation.padEnd(14)} ${f.target.padEnd(9)} ${f.requestsPerSecond.toFixed(0).padStart(8)}`);
    }
    expect(lines[0]).toMatch(/^same bytes checked: timeline \d+ B/);
  }, 120_000);

  it('npm run bench compares varied requests with the peer in interleaved rounds, each against its own ceiling, and says which is ahead', async () => {
    const lines: string[] = [];
    const figures = await runVariedBench({ events: 2000, requests: 40, rounds: 3, duration: 0.6, warmup: 0, connections: 2, log: (l) => lines.push(l) });
    expect(figures.map((f) => `${f.operation}/${f.side}`)).toEqual(throughputOperations().flatMap((op) => [`${op.name}/dateline`, `${op.name}/peer`]));
    for (const f of figures) {
      expect(f.requests).toBeGreaterThan(1);
      expect(f.rounds).toHaveLength(3);
      for (const r of f.rounds) {
        expect(r.requestsPerSecond).toBeGreaterThan(0);
        expect(r.ratio).toBeCloseTo(r.requestsPerSecond / r.ceilingRequestsPerSecond, 10);
      }
      // The figure is the middle round's ratio, not an average.
      expect(f.ratioToCeiling).toBe([...f.rounds.map((r) => r.ratio)].sort((a, b) => a - b)[1]);
      expect(lines.some((l) => l.startsWith(`${f.operation.padEnd(14)} ${f.side.padEnd(8)} rounds ${f.rounds.map((r) => r.ratio.toFixed(3)).join(' ')}  median ${f.ratioToCeiling.toFixed(3)}x`))).toBe(true);
    }
    expect(lines[0]).toMatch(/^varied: 2000 generated events; distinct requests: timeline \d+, filtered-page \d+, node \d+, search \d+; the peer's data checked equal to Dateline's for every request; \d+ refused by Dateline's limits and left out$/);
    expect(lines.filter((l) => /x its ceiling, Mercurius-jit .*medians of 3 rounds/.test(l))).toHaveLength(4);
  }, 300_000); // six servers start, each compiling the sources with ts-node

  it('npm run bench:scale generates, loads, checks against graphql-js and prints figures', async () => {
    const lines: string[] = [];
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dateline-scale-test-'));
    const [figures] = await runScaleBench({ sizes: [3000], runs: 10, dir, out: null, log: (l) => lines.push(l) }).finally(() =>
      rmSync(dir, { recursive: true, force: true }),
    );
    expect(figures.events).toBe(3000);
    expect(Object.keys(figures.queries)).toEqual(['date-range page', 'place+category page', 'broad first page', 'broad deep page', 'broad totalCount', 'search', '31-day timeline']);
    const output = lines.join('\n');
    expect(output).toMatch(/3000 events: load \d+\.\d\d s, RSS after load \d+ MB/);
    for (const [name, q] of Object.entries(figures.queries)) {
      expect(output).toContain(`${name.padEnd(22)} ${q.p50Ms.toFixed(3).padStart(8)}`);
      expect(q.sample).toMatch(/\d/);
    }
  }, 120_000);
});
