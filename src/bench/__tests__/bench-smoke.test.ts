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

  it('npm run bench compares varied requests with the peer, each against its own ceiling, and says which is ahead', async () => {
    const lines: string[] = [];
    const figures = await runVariedBench({ events: 2000, requests: 40, duration: 0.3, warmup: 0, connections: 2, log: (l) => lines.push(l) });
    const targets = ['dateline', 'dateline-ceiling', 'peer', 'peer-ceiling'];
    expect(figures.map((f) => `${f.operation}/${f.target}`).sort()).toEqual(throughputOperations().flatMap((op) => targets.map((t) => `${op.name}/${t}`)).sort());
    for (const f of figures) {
      expect(f.requestsPerSecond).toBeGreaterThan(0);
      expect(f.requests).toBeGreaterThan(1);
    }
    for (const f of figures.filter((f) => f.target.endsWith('ceiling'))) expect(f.ratioToCeiling).toBe(1);
    expect(lines[0]).toMatch(/^varied: 2000 generated events; distinct requests: timeline \d+, filtered-page \d+, node \d+, search \d+; the peer's data checked equal to Dateline's for every request; \d+ refused by Dateline's limits and left out$/);
    expect(lines.filter((l) => /x its ceiling, Mercurius-jit/.test(l))).toHaveLength(4);
  }, 120_000);

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
