/**
 * What a benchmark needs to tell its own pauses from a busy machine's: the main thread's CPU time (a query or a
 * compaction slice that waits for a core does not count), and the garbage collector's pauses.
 */
import { readFileSync } from 'node:fs';
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

const SCHEDSTAT = `/proc/self/task/${process.pid}/schedstat`;

/**
 * The main thread's CPU time so far in ms, or null where the system does not say. Linux's schedstat counts in ns
 * but is brought up to date at scheduler events, so a difference is good to about a tick (a few ms): fine for a
 * compaction's slices, not for a sub-millisecond query.
 */
export function mainThreadCpuMs(): number | null {
  return mainThreadSchedMs()?.cpuMs ?? null;
}

/**
 * The main thread's CPU time and its time spent waiting for a core (in the run queue) so far, in ms, or null where
 * the system does not say: a query's clock time less both is time it was blocked (a page fault waiting on the
 * kernel, a lock), not computing nor waiting for its turn.
 */
export function mainThreadSchedMs(): { cpuMs: number; waitMs: number } | null {
  try {
    const [cpu, wait] = readFileSync(SCHEDSTAT, 'utf8').split(' ');
    return { cpuMs: Number(cpu) / 1e6, waitMs: Number(wait) / 1e6 };
  } catch {
    return null;
  }
}

/** The main thread's CPU clock when this system has one, else undefined (callers fall back to the process's). */
export const mainThreadClock = (): (() => number) | undefined => (mainThreadCpuMs() === null ? undefined : () => mainThreadCpuMs()!);

export const GC_KINDS: Record<number, string> = { 1: 'scavenge', 2: 'minor mark-compact', 4: 'mark-compact', 8: 'incremental marking', 16: 'weak callbacks' };

/** Records the collector's pauses from now until `stop`, which returns count, total and longest by kind. */
export function recordGcPauses(): { stop(): Record<string, { count: number; totalMs: number; maxMs: number }>; entries: PerformanceEntry[] } {
  const entries: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => entries.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  return {
    /** Every pause so far (complete once `stop` was called): its kind in `detail.kind`, start and duration. */
    entries,
    stop() {
      entries.push(...observer.takeRecords());
      observer.disconnect();
      const out: Record<string, { count: number; totalMs: number; maxMs: number }> = {};
      for (const e of entries) {
        const kind = gcKind(e);
        const k = (out[kind] ??= { count: 0, totalMs: 0, maxMs: 0 });
        [k.count, k.totalMs, k.maxMs] = [k.count + 1, k.totalMs + e.duration, Math.max(k.maxMs, e.duration)];
      }
      return out;
    },
  };
}

/** The collector's pause `entry`'s kind, by name. */
export const gcKind = (entry: PerformanceEntry): string => GC_KINDS[(entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? 0] ?? 'other';

/** The collector's pauses among `entries` that overlap the span of `ms` milliseconds from `at` (`performance.now()`). */
export const pausesWithin = (entries: readonly PerformanceEntry[], at: number, ms: number): PerformanceEntry[] =>
  entries.filter((g) => g.startTime + g.duration >= at && g.startTime < at + ms);
