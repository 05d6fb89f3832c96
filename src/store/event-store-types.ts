/**
 * The public shapes of what `EventStore` is asked and answers (an order, timeline days, histogram buckets, its
 * settings and compaction figures), and the limits of one call.
 */
import type { Event } from '../data/dataset';
import type { Direction } from './pagination';

/** The order of an event list; ties on date are broken by slug. */
export interface EventOrder {
  field: 'DATE';
  direction: Direction;
}

/** The events of one local calendar date. */
export interface TimelineDay {
  date: string;
  events: Event[];
}

/** How many events overlap one histogram bucket. */
export interface DateBucketCount {
  start: string;
  end: string;
  count: number;
}

/** Settings of a store. */
export interface EventStoreOptions {
  /** Overlay size at which a compaction starts by itself (default 1000; Infinity: only when asked). */
  compactAt?: number;
  /** Longest stretch a compaction works before it lets queries run, in ms (default 8). */
  sliceMs?: number;
  /**
   * The CPU clock (ms) of `compactionStats`: by default the process's, which counts the collector's helper threads
   * working beside the main thread; a benchmark passes the main thread's own.
   */
  cpuMs?: () => number;
  /**
   * Whether a compaction collects the young generation at the end of a slice when its build has filled it (default
   * true; see `YoungCollector`): the collector's pause is then the compaction's, not that of the query that happens
   * to allocate next.
   */
  collectInSlices?: boolean;
  /**
   * Whether a base's typed arrays are laid out in memory recycled from the base before it (default true; see
   * `SlabPool`): a compaction then makes no fresh memory outside the heap, whose growth starts full collections, at
   * the cost of holding one base's arrays spare between compactions (reserved untouched at load).
   */
  recycleBaseMemory?: boolean;
}

/** What a compaction is doing, for benchmarks and health. */
export interface CompactionStats {
  /** Compactions finished since the store was made. */
  completed: number;
  /** Longest single slice of work of any compaction, in ms by the clock (how long it held up a query at most). */
  longestSliceMs: number;
  /** The same in CPU time of this process, which a busy machine's other processes do not inflate. */
  longestSliceCpuMs: number;
  /** The phase of the build (see `buildBase`) whose step took longest in the longest slice by the clock. */
  longestSlicePhase: string;
  /** Bytes of memory outside the heap the bases' builds have taken fresh (see `recycleBaseMemory`), the first load's included. */
  freshBaseBytes: number;
  /** Young collections compactions made at the end of their slices (see `collectInSlices`). */
  youngCollections: number;
  /** Whether one is running now. */
  running: boolean;
}

/** Most buckets one eventCounts call may return. */
export const MAX_EVENT_COUNT_BUCKETS = 1000;
/** Most days one timeline call may cover. */
export const MAX_TIMELINE_DAYS = 366;
