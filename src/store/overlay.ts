/**
 * The events changed since the base was built (added, replaced, retracted, restored), each as it now is, kept in
 * (date, slug) order, with the base positions they supersede. Every query merges it with the base; a compaction
 * folds it into a new base.
 */
import type { Event } from '../data/dataset';
import { toDayNumber } from '../data/dates';
import { lowerBound } from './id-set';
import { eventBefore, lowerBoundBy, type StoreBase } from './store-base';

/** One change to an overlay: the version it replaced there (if any), the version put in, and the base position it newly hid (else -1). */
export interface OverlayChange {
  removed: Event | undefined;
  added: Event;
  shadowed: number;
}

/** Where `event` is or would go in `events`, which are in (date, slug) order. */
export const indexIn = (events: readonly Event[], event: Event): number => lowerBoundBy(events.length, (i) => eventBefore(events[i], event));

/** Merges two ascending lists of positions, dropping repeats. */
export function mergePositions(a: Int32Array, b: Int32Array): Int32Array {
  if (!a.length) return b;
  if (!b.length) return a;
  const out = new Int32Array(a.length + b.length);
  let [i, j, n] = [0, 0, 0];
  while (i < a.length || j < b.length) {
    const x = i < a.length ? a[i] : Infinity;
    const y = j < b.length ? b[j] : Infinity;
    out[n++] = x <= y ? x : y;
    if (x <= y) i++;
    if (y <= x) j++;
  }
  return out.subarray(0, n);
}

/** Changed events over one base; changed in place by {@link put}. */
export class Overlay {
  private readonly bySlug = new Map<string, Event>();
  /** Every changed event, (date, slug) order. */
  private readonly sorted: Event[] = [];
  /** Base positions whose event has a newer version here. */
  private readonly shadowed = new Set<number>();
  /** Worked out on demand, dropped by every put. */
  /** The events of {@link sorted} that are not retracted, kept up to date by every put (a query reads it). */
  private published: Event[] = [];
  /** {@link shadowed}, ascending; replaced (not changed in place) by every put that hides a position. */
  private shadowedSorted: Int32Array = new Int32Array(0);
  private derived: { hidden?: Int32Array; lastDates?: (string | undefined)[] } = {};
  /** Every change in the order made, so that what a filter matched can be brought up to date change by change. */
  private readonly journal: OverlayChange[] = [];
  /** Longest span in days of any event put here, so that a `from` bound knows how far back to look. */
  maxSpanDays = 0;

  constructor(readonly base: StoreBase) {}

  /** How many events are here. */
  get size(): number {
    return this.sorted.length;
  }

  /** How many changes were put here so far: a change's number in {@link change} is below it. */
  get seq(): number {
    return this.journal.length;
  }

  /** Change number `n` (0 <= n < {@link seq}). */
  change(n: number): OverlayChange {
    return this.journal[n];
  }

  /** Whether the event at base position `position` has a newer version here. */
  supersedes(position: number): boolean {
    return this.shadowed.has(position);
  }

  /**
   * Puts in `event` as it now is; `previous` is the version it replaces when that one is not here (so is in the
   * base, where it is then hidden), or undefined for a new event.
   */
  put(event: Event, previous: Event | undefined): void {
    const held = this.record(event, previous);
    if (held !== undefined) this.sorted.splice(indexIn(this.sorted, held), 1);
    this.sorted.splice(indexIn(this.sorted, event), 0, event);
    if (held !== undefined && held.status !== 'RETRACTED') this.published.splice(indexIn(this.published, held), 1);
    if (event.status !== 'RETRACTED') this.published.splice(indexIn(this.published, event), 0, event);
    this.derived = {};
  }

  /**
   * Puts in many events at once, as {@link put} does each: one sort instead of an insertion each, for the thousands
   * of events a renamed or moved place can refile.
   */
  putAll(changes: readonly { event: Event; previous: Event | undefined }[]): void {
    if (changes.length <= 32) {
      for (const { event, previous } of changes) this.put(event, previous);
      return;
    }
    const replaced = new Set<Event>();
    for (const { event, previous } of changes) {
      const held = this.record(event, previous);
      if (held !== undefined) replaced.add(held);
    }
    const kept = this.sorted.filter((e) => !replaced.has(e) && this.bySlug.get(e.slug) === e);
    const added = [...new Set(changes.map((c) => this.bySlug.get(c.event.slug)!))];
    const all = kept.concat(added).sort((a, b) => (eventBefore(a, b) ? -1 : eventBefore(b, a) ? 1 : 0));
    this.sorted.length = 0;
    for (const e of all) this.sorted.push(e);
    this.published = this.sorted.filter((e) => e.status !== 'RETRACTED');
    this.derived = {};
  }

  /** The changed events in (date, slug) order; retracted ones only when `includeRetracted`. */
  events(includeRetracted: boolean): readonly Event[] {
    if (includeRetracted) return this.sorted;
    return this.published;
  }

  /** The last date any of {@link events} reaches (its end date, else its date); worked out once per change, not per query. */
  lastDate(includeRetracted: boolean): string | undefined {
    const lastDates = (this.derived.lastDates ??= []);
    const k = includeRetracted ? 1 : 0;
    if (k in lastDates) return lastDates[k];
    let last: string | undefined;
    for (const e of this.events(includeRetracted)) if (!last || (e.endDate ?? e.date) > last) last = e.endDate ?? e.date;
    return (lastDates[k] = last);
  }

  /** Base positions superseded here, ascending. */
  shadowedPositions(): Int32Array {
    return this.shadowedSorted;
  }

  /** Base positions a list leaves out: those superseded here, and the base's retracted ones unless `includeRetracted`. */
  hidden(includeRetracted: boolean): Int32Array {
    if (includeRetracted) return this.shadowedPositions();
    return (this.derived.hidden ??= mergePositions(this.shadowedPositions(), this.base.retracted));
  }

  /** Whether base position `position` is left out of lists (see {@link hidden}). */
  hides(position: number, includeRetracted: boolean): boolean {
    if (this.shadowed.has(position)) return true;
    if (includeRetracted) return false;
    const retracted = this.base.retracted;
    const i = lowerBound(retracted, position);
    return i < retracted.length && retracted[i] === position;
  }

  /**
   * Takes `event` in by slug, hides the base position of `previous` when the overlay did not hold the event yet,
   * and journals the change; returns the version it held before, if any (the caller takes it out of `sorted`).
   */
  private record(event: Event, previous: Event | undefined): Event | undefined {
    const held = this.bySlug.get(event.slug);
    let shadowed = -1;
    if (held === undefined && previous !== undefined) {
      const position = this.base.find(previous);
      if (position >= 0 && !this.shadowed.has(position)) {
        this.shadowed.add(position);
        this.shadowedSorted = mergePositions(this.shadowedSorted, Int32Array.of(position));
        shadowed = position;
      }
    }
    if (event.endDate !== null && event.endDate > event.date) {
      this.maxSpanDays = Math.max(this.maxSpanDays, toDayNumber(event.endDate) - toDayNumber(event.date));
    }
    this.bySlug.set(event.slug, event);
    this.journal.push({ removed: held, added: event, shadowed });
    return held;
  }
}
