/**
 * One event list as a query sees it: the base's matching positions, less the positions hidden there (superseded by a
 * newer version, or retracted), merged in (date, slug) order with the few matching events of the overlay. Counted,
 * ranked and sliced by binary searches over the parts, never materialized, so a page deep in a million events
 * costs what the first page does.
 */
import type { Event } from '../data/dataset';
import { lowerBound, rank, sizeOf, slice, type IdSet } from './id-set';
import { positionsIn, type OverlayMatch } from './overlay-matches';
import type { RankedList } from './pagination';
import { eventBefore, eventKey, lowerBoundBy, type StoreBase } from './store-base';

/** A ranked list of the events of `set` in `base` but those at the overlay's gaps, and of its extra events (in order). */
export class MergedList implements RankedList<Event> {
  readonly size: number;
  /** Hidden positions that are in the set, ascending. */
  private readonly gaps: Int32Array;
  /** Events not in the base view, in (date, slug) order. */
  private readonly extra: readonly Event[];

  constructor(
    private readonly base: StoreBase,
    private readonly set: IdSet,
    /** What the filter of `set` matches in the overlay (kept with it: the gaps' ranks are worked out once for both). */
    private readonly overlay: OverlayMatch,
  ) {
    this.gaps = overlay.gaps;
    this.extra = overlay.extra;
    this.size = sizeOf(set) - this.gaps.length + this.extra.length;
  }

  /**
   * Rank in the set of each gap, less the gaps before it: non-decreasing, for mapping a visible rank to a set rank.
   * Worked out on the first slice (a count needs none) and kept with the overlay's match for the next query.
   */
  private get gapRanks(): Int32Array {
    return (this.overlay.memo.gapRanks ??= Int32Array.from(this.gaps, (position, i) => rank(this.set, position) - i));
  }

  /** How many visible base events come before position `position`. */
  private baseRank(position: number): number {
    return rank(this.set, position) - lowerBound(this.gaps, position);
  }

  /** How many visible base events sit at positions `lo` (included) to `hi` (excluded): two binary searches. */
  countInPositions(lo: number, hi: number): number {
    return hi <= lo ? 0 : this.baseRank(hi) - this.baseRank(lo);
  }

  /** The visible base positions of this list that are also in the sorted `positions`, ascending. */
  positionsAmong(positions: Int32Array): Int32Array {
    const shared = positionsIn(this.set, positions);
    return this.gaps.length ? shared.filter((p) => this.gaps[lowerBound(this.gaps, p)] !== p) : shared;
  }

  /** The matching events that are not in the base view (created or changed since it was built), in order. */
  get extraEvents(): readonly Event[] {
    return this.extra;
  }

  rankOfKey(key: string, inclusive: boolean): number {
    const { lower, upper } = this.base.order.locate(key);
    const extraRank = lowerBoundBy(this.extra.length, (i) => {
      const k = eventKey(this.extra[i]);
      return inclusive ? k <= key : k < key;
    });
    return this.baseRank(inclusive ? upper : lower) + extraRank;
  }

  slice(from: number, to: number): Event[] {
    from = Math.max(0, from);
    to = Math.min(this.size, to);
    if (from >= to) return [];
    const { extra, base } = this;
    // How many extra events come before merged rank `from`: the extra event i sits at merged rank i + (visible
    // base events before it), which grows with i.
    const before = (i: number) => i + this.baseRank(base.positionOf(extra[i].date, extra[i].slug));
    let e = lowerBoundBy(extra.length, (i) => before(i) < from);
    const fromBase = this.visibleSlice(from - e, to - from);
    const out: Event[] = [];
    let b = 0;
    while (out.length < to - from) {
      if (e < extra.length && (b >= fromBase.length || eventBefore(extra[e], fromBase[b]))) out.push(extra[e++]);
      else if (b < fromBase.length) out.push(fromBase[b++]);
      else throw new Error(`MergedList: ranks ${from} to ${to} of ${this.size} run past its events`);
    }
    return out;
  }

  /** Up to `count` visible base events from visible rank `first` on. */
  private visibleSlice(first: number, count: number): Event[] {
    // The set rank of visible rank `first`: itself plus the gaps at or before it.
    const gapRanks = this.gapRanks;
    let r = first + lowerBoundBy(gapRanks.length, (i) => gapRanks[i] <= first);
    let g = lowerBound(this.gaps, r < sizeOf(this.set) ? slice(this.set, r, r + 1)[0] : Infinity);
    const out: Event[] = [];
    const total = sizeOf(this.set);
    while (out.length < count && r < total) {
      const positions = slice(this.set, r, r + count - out.length + Math.min(this.gaps.length - g, count));
      for (let k = 0; k < positions.length && out.length < count; k++) {
        const p = positions[k];
        if (g < this.gaps.length && this.gaps[g] === p) g++;
        else out.push(this.base.events.at(p));
      }
      r += positions.length;
    }
    return out;
  }
}
