import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { throughputOperations } from '../operations';
import { runScaleBench } from '../scale';
import { runThroughputBench, TARGETS } from '../throughput';

// Smoke runs: tiny sizes and fractions of a second, to show the benchmarks run and agree with plain execution.
describe('benchmarks (smoke run)', () => {
  it('npm run bench checks the same bytes everywhere and prints a figure for every operation and target', async () => {
    const lines: string[] = [];
    const figures = await runThroughputBench({ eventsDir: 'events', duration: 0.3, warmup: 0, connections: 2, out: null, log: (l) => lines.push(l) });
    expect(figures.map((f) => `${f.operation}/${f.target}`)).toEqual(throughputOperations().flatMap((op) => TARGETS.map((t) => `${op.name}/${t}`)));
    for (const f of figures) {
      expect(f.requestsPerSecond).toBeGreaterThan(0);
      expect(lines.join('\n')).toContain(`${f.operation.padEnd(14)} ${f.target.padEnd(9)} ${f.requestsPerSecond.toFixed(0).padStart(8)}`);
    }
    expect(lines[0]).toMatch(/^same bytes checked: timeline \d+ B/);
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
