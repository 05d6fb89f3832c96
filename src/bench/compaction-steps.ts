/**
 * A compaction at scale, step by step: each step of the build (what runs between two yields) timed in the main
 * thread's CPU time (a busy machine stretches the clock, not that), the longest by phase, the longest steps with
 * the collector's pauses inside them, and with `--alloc` the sampled allocation during the compaction by place.
 *
 *   npm run build --silent && node --max-old-space-size=6144 dist/bench/compaction-steps.js \
 *     [--events 1000000] [--changes 1500] [--dir DIR] [--alloc] [--fresh]
 *
 * It generates the data set into DIR (kept for the next run) unless DIR has one, loads it, applies `--changes`
 * title edits to the store and runs one compaction's steps with the event loop turned between each, in the memory the
 * store keeps for its next build (`--fresh`: in fresh memory, as before the store recycled its bases' memory).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { Session } from 'node:inspector';
import * as os from 'node:os';
import * as path from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { loadDataset } from '../data/load-dataset';
import type { SlabPool } from '../store/arena';
import { rebuiltBase } from '../store/compaction';
import { EventStore } from '../store/event-store';
import type { StoreBase } from '../store/store-base';
import { generateDataset } from './generate-dataset';
import { gcKind, mainThreadClock, pausesWithin, recordGcPauses } from './main-thread';

interface HeapNode {
  callFrame: { functionName: string; lineNumber: number; url: string };
  selfSize: number;
  children: HeapNode[];
}

/** Sampled allocation by function (and file line), largest first. */
function allocationSites(head: HeapNode): [string, number][] {
  const sites = new Map<string, number>();
  const walk = (n: HeapNode) => {
    const name = `${n.callFrame.functionName || '(anonymous)'} ${path.basename(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
    if (n.selfSize) sites.set(name, (sites.get(name) ?? 0) + n.selfSize);
    n.children.forEach(walk);
  };
  walk(head);
  return [...sites].sort((a, b) => b[1] - a[1]);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string, fallback: string) => (args.indexOf(`--${name}`) >= 0 ? args[args.indexOf(`--${name}`) + 1] : fallback);
  const [size, changes] = [Number(opt('events', '1000000')), Number(opt('changes', '1500'))];
  const dir = opt('dir', '') || mkdtempSync(path.join(os.tmpdir(), 'dateline-compaction-steps-'));
  if (!existsSync(dir) || !readdirSync(dir).includes('sources.json')) await generateDataset(dir, size);
  const dataset = await loadDataset(dir);
  if (!args.includes('--dir')) rmSync(dir, { recursive: true, force: true });
  const store = new EventStore(dataset, { compactAt: Infinity });
  for (let k = 0; k < changes; k++) {
    const e = dataset.events[(k * 7919) % dataset.events.length];
    store.apply({ events: [{ ...store.event(e.slug)!, title: `${e.title} edited ${k} zq${k}x` }] });
  }
  const cpu = mainThreadClock() ?? (() => process.cpuUsage().user / 1000);
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params, (err, result) => (err ? reject(err) : resolve(result))));
  if (args.includes('--alloc')) await post('HeapProfiler.startSampling', { samplingInterval: 32768, includeObjectsCollectedByMinorGC: true, includeObjectsCollectedByMajorGC: true });
  const gc = recordGcPauses();
  const gcs = gc.entries;
  // The same steps `compact` runs in slices, over the store's own base and overlay (private: this is a probe).
  const inside = store as unknown as {
    base: StoreBase;
    overlay: { shadowedPositions(): Int32Array; events(all: boolean): readonly never[] };
    catalogue: never;
    slabs?: SlabPool;
  };
  const slabs = args.includes('--fresh') ? undefined : inside.slabs;
  const freshBefore = slabs?.freshBytes ?? 0;
  const steps = rebuiltBase(inside.base, inside.overlay.shadowedPositions(), [...inside.overlay.events(true)], inside.catalogue, slabs?.arena());
  const phases = new Map<string, { steps: number; cpuMs: number; maxCpuMs: number; externalMb: number }>();
  const long: { phase: string; cpuMs: number; wallMs: number; at: number }[] = [];
  const started = performance.now();
  for (let phase = 'start'; ; ) {
    await new Promise((r) => setImmediate(r));
    const [c, at, external] = [cpu(), performance.now(), getHeapStatistics().external_memory];
    const step = steps.next();
    const [cpuMs, wallMs] = [cpu() - c, performance.now() - at];
    const p = phases.get(phase) ?? { steps: 0, cpuMs: 0, maxCpuMs: 0, externalMb: 0 };
    const made = Math.max(0, getHeapStatistics().external_memory - external) / 2 ** 20;
    phases.set(phase, { steps: p.steps + 1, cpuMs: p.cpuMs + cpuMs, maxCpuMs: Math.max(p.maxCpuMs, cpuMs), externalMb: p.externalMb + made });
    if (cpuMs > 5) long.push({ phase, cpuMs, wallMs, at });
    if (step.done) break;
    if (typeof step.value === 'string') phase = step.value;
  }
  const log = (line: string) => process.stdout.write(`${line}\n`);
  log(`${size} events, ${changes} changes: a compaction of ${((performance.now() - started) / 1000).toFixed(1)} s by the clock, step by step`);
  log(`  memory outside the heap the build took fresh from the store's slab pool: ${(((slabs?.freshBytes ?? 0) - freshBefore) / 2 ** 20).toFixed(1)} MiB${slabs ? '' : ' (--fresh: no pool)'}`);
  log(`  phase                     steps   CPU ms (main thread)   longest step   external memory made (MiB)`);
  for (const [name, p] of phases) log(`  ${name.padEnd(24)} ${String(p.steps).padStart(6)} ${p.cpuMs.toFixed(0).padStart(12)} ${p.maxCpuMs.toFixed(1).padStart(18)} ${p.externalMb.toFixed(1).padStart(16)}`);
  const pauses = Object.entries(gc.stop()).map(([kind, p]) => `${kind} ${p.count}x, longest ${p.maxMs.toFixed(1)} ms, ${p.totalMs.toFixed(0)} ms in all`);
  log(`  collector pauses during the build: ${pauses.join('; ') || 'none'}`);
  log('  longest steps (main-thread CPU ms, clock ms, phase, collector pauses inside):');
  for (const s of long.sort((a, b) => b.cpuMs - a.cpuMs).slice(0, 8)) {
    const inside = pausesWithin(gcs, s.at, s.wallMs).map((g) => `${gcKind(g)} ${g.duration.toFixed(1)}`);
    log(`    ${s.cpuMs.toFixed(1).padStart(6)} ${s.wallMs.toFixed(1).padStart(8)}  ${s.phase}${inside.length ? `; ${inside.join(', ')}` : ''}`);
  }
  if (args.includes('--alloc')) {
    const { profile } = (await post('HeapProfiler.stopSampling')) as { profile: { head: HeapNode } };
    const sites = allocationSites(profile.head);
    log(`  allocated during the compaction (sampled): ${(sites.reduce((a, [, b]) => a + b, 0) / 1e6).toFixed(0)} MB; most by:`);
    for (const [site, bytes] of sites.slice(0, 8)) log(`    ${(bytes / 1e6).toFixed(1).padStart(7)} MB  ${site}`);
  }
  session.disconnect();
}

void main();
