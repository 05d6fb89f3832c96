/**
 * The young generation's collections (scavenges) during a compaction, run at the end of its slices instead of in
 * whatever allocates next. A compaction's build fills the young generation and, with its fresh typed arrays, V8's
 * count of young external memory (at 32 MiB of young array buffers, the next array buffer made anywhere starts a
 * scavenge "for external memory pressure"). Left alone, the scavenge falls in whatever runs when the limit is met:
 * often a query between two slices, which then takes the collector's pause (5-35 ms at a million events) on top of
 * its own work. Collected at the end of a slice, before the event loop turns, the pause is the compaction's.
 */
import { getHeapSpaceStatistics, getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Gc = (options: { type: 'minor' | 'major'; execution?: 'sync' | 'async' }) => void;

let gc: Gc | null | undefined;

/**
 * V8's `gc` (the function `--expose-gc` gives), taken from a context made while the flag is set, so the process
 * need not start with it and the global object does not get it; null where it cannot be had.
 */
function collector(): Gc | null {
  if (gc === undefined) {
    try {
      const exposed = (globalThis as { gc?: Gc }).gc;
      if (exposed) gc = exposed;
      else {
        setFlagsFromString('--expose-gc');
        gc = runInNewContext('gc') as Gc;
        setFlagsFromString('--no-expose-gc');
      }
    } catch {
      gc = null;
    }
    if (typeof gc !== 'function') gc = null;
  }
  return gc;
}

const youngSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');

/** When a young collection is due, and how many were made. */
export class YoungCollector {
  /** Young collections made so far. */
  collections = 0;
  private external = getHeapStatistics().external_memory;
  private youngUsed = youngSpace()?.space_used_size ?? 0;

  constructor(
    /** External memory (array buffers) made since the last collection that makes one due: half of V8's 32 MiB. */
    private readonly externalBytes = 16 << 20,
    /** Share of the young generation's space filled since the last collection that makes one due. */
    private readonly youngShare = 0.5,
  ) {}

  /** Whether a young collection is due: much fresh external memory, or much of the young generation filled. */
  due(): boolean {
    const external = getHeapStatistics().external_memory;
    // Memory freed meanwhile (a collection ran elsewhere): count what is made from here.
    if (external < this.external) this.external = external;
    const young = youngSpace();
    if (young && young.space_used_size < this.youngUsed) this.youngUsed = young.space_used_size;
    return external - this.external >= this.externalBytes || (!!young && young.space_used_size - this.youngUsed >= this.youngShare * young.space_size);
  }

  /** Collects the young generation now if one is due (and V8's `gc` can be had); says whether it did. */
  collectIfDue(): boolean {
    if (!this.due()) return false;
    const collect = collector();
    if (!collect) return false;
    collect({ type: 'minor' });
    this.external = getHeapStatistics().external_memory;
    this.youngUsed = youngSpace()?.space_used_size ?? 0;
    this.collections++;
    return true;
  }
}
