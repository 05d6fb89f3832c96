/**
 * The main thread first: the process's other threads (V8's helpers, which mark and sweep the heap and compile code
 * concurrently, and libuv's pool) run at a lower scheduling priority, a nice value `by` above the main thread's. On a
 * machine with few cores, a major collection's concurrent marking of a large heap (about a gigabyte at a million
 * events) otherwise takes every core for a while, and a query answered meanwhile, between two slices of a compaction
 * say, waits for one: 20-50 ms at a million events on 2 cores. The helpers still have every core the main thread
 * leaves idle, which is most of the time; when it leaves none, they fall behind and it does more of the collection's
 * work itself.
 *
 * Linux only: threads are listed in /proc/self/task, and setpriority on a thread's id sets that thread's nice value.
 * Elsewhere, or where the process may not change it, nothing is changed.
 */
import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * The server's default (setting HELPER_THREADS_NICE): off. Measured at 10 on 2 cores, the slowest query during a
 * compaction at a million events fell from 45-68 ms to 30-51 ms (no more waiting for a core), while throughput at
 * saturation stayed within noise but for the cheapest request (one `node`), 7% lower in two A/B pairs.
 */
export const DEFAULT_HELPER_THREADS_NICE = 0;

/** How often threads made since are looked for (V8 makes its helpers at start, libuv its pool at first use). */
const RECHECK_MS = 5000;

/** Highest nice value (the lowest priority) on Linux. */
const LOWEST = 19;

/** Sets every thread but the main one to the main thread's nice value plus `by`. */
function niceHelperThreads(by: number): void {
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return;
  }
  const target = Math.min(LOWEST, getPriority() + by);
  for (const tid of tids) {
    const id = Number(tid);
    if (id === process.pid) continue;
    try {
      // Set each time, not once per id: an id may be reused by a thread made later.
      setPriority(id, target);
    } catch {
      // gone meanwhile, or not ours to change
    }
  }
}

/**
 * Keeps the process's helper threads `by` nice values below the main thread (see the top of this file), now and as
 * new ones are made (looked for every `recheckMs`); 0 changes nothing. Returns a function that stops looking.
 */
export function lowerHelperThreads(by: number, recheckMs = RECHECK_MS): () => void {
  if (by <= 0 || process.platform !== 'linux') return () => undefined;
  niceHelperThreads(by);
  const timer = setInterval(() => niceHelperThreads(by), recheckMs);
  timer.unref();
  return () => clearInterval(timer);
}
