/**
 * What recent filters match in the overlay, kept up to date change by change. A query used to test every event of
 * the overlay and intersect its set with every hidden base position; with changes streaming in, the same filters
 * come back between changes, so each is brought up to date by the changes made since it was last asked, or tested
 * afresh over the overlay's events within its dates when those are fewer: a query pays for what changed or for what
 * it reads, not for the overlay's size.
 */
import type { Event } from '../data/dataset';
import { addDays } from '../data/dates';
import type { Catalogue } from './catalogue';
import type { EventFilter } from './event-filter';
import { intersect, rank, sizeOf, slice, type IdSet } from './id-set';
import { indexIn, mergePositions, type Overlay } from './overlay';
import { lowerBoundBy } from './store-base';

/** How many filters' matches an overlay keeps (the least recently asked goes first). */
export const MATCHES_KEPT = 256;

/** What one filter matches in the overlay, and where it leaves base positions out. */
export interface OverlayMatch {
  /** The overlay's events that pass the filter, in (date, slug) order. */
  readonly extra: readonly Event[];
  /** The positions of the filter's base set that lists leave out (superseded, or retracted), ascending. */
  readonly gaps: Int32Array;
  /** What a list works out from `gaps` once (see `MergedList`), kept while they stay the same. */
  readonly memo: { gapRanks?: Int32Array };
}

interface Entry extends OverlayMatch {
  /** The overlay's `seq` it is up to date with. */
  seq: number;
  catalogue: Catalogue;
}

/** The base positions of `set` that are in the sorted `positions`, ascending. */
export function positionsIn(set: IdSet, positions: Int32Array): Int32Array {
  if (!positions.length || !sizeOf(set)) return new Int32Array(0);
  return slice(intersect(set, { kind: 'list', ids: positions }), 0, Infinity);
}

/** A cache key of everything a filter says (lists in the order given: another order is another key). */
const keyOf = (f: EventFilter): string =>
  JSON.stringify([f.from ?? null, f.to ?? null, f.categories ?? null, f.places ?? null, f.actors ?? null, f.sources ?? null, f.search ?? null, f.includeRetracted === true]);

/** The matches of the last {@link MATCHES_KEPT} filters asked of one overlay. */
export class OverlayMatches {
  private readonly entries = new Map<string, Entry>();
  /** How many events were tested against a filter so far: the overlay's share of the work of queries, for tests and benchmarks. */
  tested = 0;

  constructor(private readonly overlay: Overlay) {}

  /**
   * What `filter` (checked; `test` compiled from it with `catalogue`) matches in the overlay; `set` is the base's
   * set for it. The events are the fewer of: the changes made since the filter was last asked, replayed, or the
   * overlay's events within the filter's dates, tested afresh. The gaps are brought up to date by the positions
   * hidden since, or worked out afresh for a filter not kept (or kept under another catalogue).
   */
  match(filter: EventFilter, set: IdSet, catalogue: Catalogue, test: (event: Event) => boolean): OverlayMatch {
    const key = keyOf(filter);
    const found = this.entries.get(key);
    const kept = found?.catalogue === catalogue ? found : undefined;
    const seq = this.overlay.seq;
    let entry = kept;
    if (kept?.seq !== seq) {
      const includeRetracted = filter.includeRetracted === true;
      const events = this.overlay.events(includeRetracted);
      const [lo, hi] = this.window(filter, events);
      const extra = kept === undefined || hi - lo <= seq - kept.seq ? this.scanned(events, lo, hi, test) : this.replayed(kept, test);
      const gaps = kept === undefined ? positionsIn(set, this.overlay.hidden(includeRetracted)) : this.gapsSince(kept, set);
      entry = { seq, catalogue, extra, gaps, memo: gaps === kept?.gaps ? kept.memo : {} };
    }
    this.entries.delete(key);
    this.entries.set(key, entry!);
    if (this.entries.size > MATCHES_KEPT) this.entries.delete(this.entries.keys().next().value!);
    return entry!;
  }

  /**
   * The indexes of `events` (in (date, slug) order) that can fall within the filter's dates: none after `to`, nor
   * any that began longer than the overlay's longest span before `from`. Two binary searches.
   */
  private window(filter: EventFilter, events: readonly Event[]): [number, number] {
    const { from, to } = filter;
    const earliest = from == null ? null : addDays(from, -this.overlay.maxSpanDays);
    const lo = earliest === null ? 0 : lowerBoundBy(events.length, (i) => events[i].date < earliest);
    const hi = to == null ? events.length : lowerBoundBy(events.length, (i) => events[i].date <= to);
    return [lo, Math.max(lo, hi)];
  }

  /** The events `lo` to `hi` of `events` that pass `test`. */
  private scanned(events: readonly Event[], lo: number, hi: number, test: (event: Event) => boolean): readonly Event[] {
    const extra: Event[] = [];
    for (let i = lo; i < hi; i++) if (test(events[i])) extra.push(events[i]);
    this.tested += hi - lo;
    return extra;
  }

  /** `kept`'s events brought up to date by the changes made since: each changed event tested, put in or taken out. */
  private replayed(kept: Entry, test: (event: Event) => boolean): readonly Event[] {
    let extra: Event[] | undefined;
    for (let n = kept.seq; n < this.overlay.seq; n++) {
      const { removed, added } = this.overlay.change(n);
      // Copied before the first change: a list handed out earlier keeps what it had.
      const list = extra ?? kept.extra;
      if (removed !== undefined) {
        const i = indexIn(list, removed);
        if (list[i] === removed) (extra ??= list.slice()).splice(i, 1);
      }
      this.tested++;
      if (test(added)) (extra ??= list.slice()).splice(indexIn(extra, added), 0, added);
    }
    return extra ?? kept.extra;
  }

  /** `kept`'s gaps with the positions of `set` hidden since. */
  private gapsSince(kept: Entry, set: IdSet): Int32Array {
    const hidden: number[] = [];
    for (let n = kept.seq; n < this.overlay.seq; n++) {
      const { shadowed } = this.overlay.change(n);
      if (shadowed >= 0 && rank(set, shadowed + 1) > rank(set, shadowed)) hidden.push(shadowed);
    }
    return hidden.length ? mergePositions(kept.gaps, Int32Array.from(hidden).sort()) : kept.gaps;
  }
}
