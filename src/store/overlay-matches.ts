/**
 * What recent filters match in the overlay, kept up to date change by change. A query used to test every event of
 * the overlay and intersect its set with every hidden base position; with changes streaming in, the same filters
 * come back between changes, so each is brought up to date by the changes made since it was last asked (usually a
 * few), and a query pays for what changed, not for the overlay's size.
 */
import type { Event } from '../data/dataset';
import { addDays } from '../data/dates';
import type { Catalogue } from './catalogue';
import type { EventFilter } from './event-filter';
import { intersect, rank, sizeOf, slice, type IdSet } from './id-set';
import { mergePositions, type Overlay } from './overlay';
import { eventBefore, lowerBoundBy } from './store-base';

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

/** Where `event` is or would go in the ordered `events`. */
const indexIn = (events: readonly Event[], event: Event): number => lowerBoundBy(events.length, (i) => eventBefore(events[i], event));

/** The matches of the last {@link MATCHES_KEPT} filters asked of one overlay. */
export class OverlayMatches {
  private readonly entries = new Map<string, Entry>();
  /** How many events were tested against a filter so far: the overlay's share of the work of queries, for tests and benchmarks. */
  tested = 0;

  constructor(private readonly overlay: Overlay) {}

  /**
   * What `filter` (checked; `test` compiled from it with `catalogue`) matches in the overlay; `set` is the base's
   * set for it. Replays the changes made since the filter was last asked, unless there were more of them than the
   * overlay holds events: then the overlay's events within the filter's dates are tested afresh.
   */
  match(filter: EventFilter, set: IdSet, catalogue: Catalogue, test: (event: Event) => boolean): OverlayMatch {
    const key = keyOf(filter);
    const kept = this.entries.get(key);
    const { seq, size } = this.overlay;
    const usable = kept !== undefined && kept.catalogue === catalogue && seq - kept.seq <= size;
    const entry = usable ? (kept.seq === seq ? kept : this.replayed(kept, set, test)) : this.fresh(filter, set, catalogue, test);
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > MATCHES_KEPT) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }

  /** The matches tested from scratch: the overlay's events that can fall within the filter's dates. */
  private fresh(filter: EventFilter, set: IdSet, catalogue: Catalogue, test: (event: Event) => boolean): Entry {
    const includeRetracted = filter.includeRetracted === true;
    const events = this.overlay.events(includeRetracted);
    const { from, to } = filter;
    // In (date, slug) order: none after `to` can match, nor any that began longer than the longest span before `from`.
    const earliest = from == null ? null : addDays(from, -this.overlay.maxSpanDays);
    const lo = earliest === null ? 0 : lowerBoundBy(events.length, (i) => events[i].date < earliest);
    const hi = to == null ? events.length : lowerBoundBy(events.length, (i) => events[i].date <= to);
    const extra: Event[] = [];
    for (let i = lo; i < hi; i++) if (test(events[i])) extra.push(events[i]);
    this.tested += Math.max(0, hi - lo);
    const gaps = positionsIn(set, this.overlay.hidden(includeRetracted));
    return { seq: this.overlay.seq, catalogue, extra, gaps, memo: {} };
  }

  /** `kept` brought up to date by the changes made since: each changed event tested, each newly hidden position placed. */
  private replayed(kept: Entry, set: IdSet, test: (event: Event) => boolean): Entry {
    let extra: Event[] | undefined;
    const hidden: number[] = [];
    const seq = this.overlay.seq;
    for (let n = kept.seq; n < seq; n++) {
      const { removed, added, shadowed } = this.overlay.change(n);
      // Copied before the first change: a list handed out earlier keeps what it had.
      const list = extra ?? kept.extra;
      if (removed !== undefined) {
        const i = indexIn(list, removed);
        if (list[i] === removed) (extra ??= list.slice()).splice(i, 1);
      }
      this.tested++;
      if (test(added)) (extra ??= list.slice()).splice(indexIn(extra, added), 0, added);
      if (shadowed >= 0 && rank(set, shadowed + 1) > rank(set, shadowed)) hidden.push(shadowed);
    }
    const gaps = hidden.length ? mergePositions(kept.gaps, Int32Array.from(hidden).sort()) : kept.gaps;
    return { seq, catalogue: kept.catalogue, extra: extra ?? kept.extra, gaps, memo: gaps === kept.gaps ? kept.memo : {} };
  }
}
