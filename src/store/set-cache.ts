/** A bounded cache of position sets (the base's unions), least recently used out first. */
import { BoundedCache } from './bounded-cache';
import { sizeOf, type IdSet } from './id-set';

/**
 * Remembers recent unions (or any sets worth keeping) by key, least recently used first out, within a bound on
 * entries and on the positions they hold together, so that it never grows without bound.
 */
export class SetCache extends BoundedCache<IdSet> {
  constructor(
    /** Most sets kept. */
    maxEntries = 64,
    /** Most positions kept over all sets (4 bytes each). */
    maxPositions = 8_000_000,
  ) {
    super(maxEntries, maxPositions, sizeOf);
  }

  /** The set under `key`, made by `make` and kept when it is not there. */
  getOrMake(key: string, make: () => IdSet): IdSet {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const set = make();
    this.add(key, set);
    return set;
  }

  /** How many sets and positions are kept now. */
  get stats(): { entries: number; positions: number } {
    const { entries, cost } = this.kept;
    return { entries, positions: cost };
  }
}
