/**
 * The events changed since the base was built (added, replaced, retracted, restored), each as it now is, kept in
 * (date, slug) order, with the base positions they supersede. Every query merges it with the base; a compaction
 * folds it into a new base.
 */
import type { Event } from '../data/dataset';
import { lowerBound } from './id-set';
import { eventBefore, lowerBoundBy, type StoreBase } from './store-base';

/** Merges two ascending lists of positions, dropping repeats. */
function mergePositions(a: Int32Array, b: Int32Array): Int32Array {
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
  private derived: { shadowed?: Int32Array; hidden?: Int32Array; published?: Event[] } = {};

  constructor(readonly base: StoreBase) {}

  /** How many events are here. */
  get size(): number {
    return this.sorted.length;
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
    const held = this.bySlug.get(event.slug);
    if (held !== undefined) {
      this.sorted.splice(this.indexOf(held), 1);
    } else if (previous !== undefined) {
      const position = this.base.find(previous);
      if (position >= 0) this.shadowed.add(position);
    }
    this.bySlug.set(event.slug, event);
    this.sorted.splice(this.indexOf(event), 0, event);
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
      const held = this.bySlug.get(event.slug);
      if (held !== undefined) replaced.add(held);
      else if (previous !== undefined) {
        const position = this.base.find(previous);
        if (position >= 0) this.shadowed.add(position);
      }
      this.bySlug.set(event.slug, event);
    }
    const kept = this.sorted.filter((e) => !replaced.has(e) && this.bySlug.get(e.slug) === e);
    const added = [...new Set(changes.map((c) => this.bySlug.get(c.event.slug)!))];
    const all = kept.concat(added).sort((a, b) => (eventBefore(a, b) ? -1 : eventBefore(b, a) ? 1 : 0));
    this.sorted.length = 0;
    for (const e of all) this.sorted.push(e);
    this.derived = {};
  }

  /** The changed events in (date, slug) order; retracted ones only when `includeRetracted`. */
  events(includeRetracted: boolean): readonly Event[] {
    if (includeRetracted) return this.sorted;
    return (this.derived.published ??= this.sorted.filter((e) => e.status !== 'RETRACTED'));
  }

  /** Base positions superseded here, ascending. */
  shadowedPositions(): Int32Array {
    return (this.derived.shadowed ??= Int32Array.from(this.shadowed).sort());
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

  /** Where `event` is or would go in {@link sorted}. */
  private indexOf(event: Event): number {
    return lowerBoundBy(this.sorted.length, (i) => eventBefore(this.sorted[i], event));
  }
}
