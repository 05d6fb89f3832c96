/**
 * In-memory indexes over a data set and the queries the API makes of them, taking changes as they are committed.
 * No HTTP or GraphQL here. The indexes are an immutable base plus an overlay of changed events that every query
 * merges (see README.md beside this file).
 */
import type { Actor, Dataset, Event, Place, Source } from '../data/dataset';
import { addDays, daysInclusive } from '../data/dates';
import { Catalogue } from './catalogue';
import { countByBucket } from './event-counts';
import { countBuckets, dateBuckets, type BucketSize } from './date-buckets';
import { combineShapes, estimateFilter, measureShape, type LooseFilter, type StoreShape, type WorkEstimate } from './work-estimate';
import { InvalidArgumentError } from './errors';
import { checkFilter, compileFilter, FILTER_DATE_NAMES, type DateArgumentNames, type EventFilter } from './event-filter';
import { MAX_EVENT_COUNT_BUCKETS, MAX_TIMELINE_DAYS, type CompactionStats, type DateBucketCount, type EventOrder, type EventStoreOptions, type TimelineDay } from './event-store-types';
import { checkUpdate, type StoreUpdate } from './check-update';
import { range } from './id-set';
import { MergedList } from './merged-list';
import { Overlay } from './overlay';
import { OverlayMatches } from './overlay-matches';
import { paginate, paginateList, type Page, type PageArgs } from './pagination';
import { rebuiltBase } from './compaction';
import { slugOrder } from './slug-order';
import { SearchIndexBuilder } from './search-index';
import { buildBase, StoreBase } from './store-base';
import { SlabPool } from './arena';
import { YoungCollector } from './collector';
import { runInSlices, runToEnd } from './steps';
import { ChunkedList } from './word-table';

export { MAX_SEARCH_LENGTH, type EventFilter } from './event-filter';
export type { StoreUpdate } from './check-update';

/** A compaction under way: the events touched since it took its snapshot, with the version each had then. */
interface Compaction {
  touched: Map<string, Event | undefined>;
  done: Promise<void>;
}

/** The indexes built once at load, the changes applied since, and every query the API makes. */
export class EventStore {
  private base: StoreBase;
  private overlay: Overlay;
  /** What recent filters match in the overlay, kept up to date with it. */
  private overlayMatches: OverlayMatches;
  /** Overlay events tested under overlays swapped out by compactions (see `overlayEventsTested`). */
  private testedBefore = 0;
  private catalogue: Catalogue;
  /** Every event as loaded, by slug. */
  private readonly loaded: { get(slug: string): Event | undefined; readonly size: number };
  /** Every event changed since loading, as it now is. */
  private readonly changed = new Map<string, Event>();
  /** Changed events that were not loaded (created since). */
  private created = 0;
  private readonly loadedVersion: string;
  private applied = 0;
  private compaction: Compaction | undefined;
  private readonly stats = { completed: 0, longestSliceMs: 0, longestSliceCpuMs: 0, longestSlicePhase: '' };
  private readonly compactAt: number;
  private readonly sliceMs: number;
  private readonly cpuMs: (() => number) | undefined;
  /** Collects the young generation at the end of a compaction's slices; undefined when `collectInSlices` is false. */
  private readonly youngCollector: YoungCollector | undefined;
  /** The memory of swapped-out bases, for the next compaction's build; undefined when `recycleBaseMemory` is false. */
  private readonly slabs: SlabPool | undefined;
  /** The error of the last compaction that failed, if any (the store then keeps serving its overlay). */
  compactionError: unknown;
  /**
   * Bounds of `shape`, kept as changes come (never measured over every event again): the base's events', the
   * changed events' (each as it was put), and the catalogue's, measured once per catalogue.
   */
  private baseShape: StoreShape;
  private changedShape: StoreShape = measureShape([], [], new Map());
  private catalogueShape: { catalogue: Catalogue; shape: StoreShape } | undefined;
  /** The last `shape`, the same object until a change (the query cost keeps its figures by it). */
  private shapeMemo: { applied: number; base: StoreBase; catalogue: Catalogue; shape: StoreShape } | undefined;

  constructor(dataset: Dataset, options: EventStoreOptions = {}) {
    this.loadedVersion = dataset.version;
    this.compactAt = options.compactAt ?? 1000;
    this.sliceMs = options.sliceMs ?? 8;
    this.cpuMs = options.cpuMs;
    this.youngCollector = options.collectInSlices === false ? undefined : new YoungCollector();
    this.catalogue = Catalogue.of(dataset);
    this.slabs = options.recycleBaseMemory === false ? undefined : new SlabPool(SlabPool.slabBytesFor(dataset.events.length));
    const arena = this.slabs?.arena();
    this.base = runToEnd(buildBase(ChunkedList.of(dataset.events), this.catalogue, { arena }));
    if (arena) {
      // As much again for the first compaction, and the word tables its builder makes (sized from this base, larger
      // than the first load's, which grew from nothing).
      this.slabs!.reserveLike(arena);
      this.slabs!.reserveInt32s(SearchIndexBuilder.tableLengths({ positions: this.base.events.length, words: this.base.search.wordCount }).all);
    }
    this.baseShape = measureShape(dataset.events, [], new Map());
    this.overlay = new Overlay(this.base);
    this.overlayMatches = new OverlayMatches(this.overlay);
    this.loaded = dataset.eventsBySlug ?? new Map(dataset.events.map((e) => [e.slug, e]));
  }

  /** Names the data as it is now: the loaded data's version, and how many updates were applied since; for cache keys. */
  get version(): string {
    return this.applied === 0 ? this.loadedVersion : `${this.loadedVersion}+${this.applied}`;
  }

  /** How many of each entity the data set has (retracted events included). */
  get counts(): { events: number; places: number; actors: number; sources: number } {
    const { places, actors, sources } = this.catalogue;
    return { events: this.loaded.size + this.created, places: places.length, actors: actors.length, sources: sources.length };
  }

  /** The event with this slug, retracted or not, if any. */
  event(slug: string): Event | undefined {
    return this.changed.get(slug) ?? this.loaded.get(slug);
  }

  /** The place with this slug, if any. */
  place(slug: string): Place | undefined {
    return this.catalogue.placesBySlug.get(slug);
  }

  /** The actor with this slug, if any. */
  actor(slug: string): Actor | undefined {
    return this.catalogue.actorsBySlug.get(slug);
  }

  /** The source with this slug, if any. */
  source(slug: string): Source | undefined {
    return this.catalogue.sourcesBySlug.get(slug);
  }

  /** Places that lie directly inside `slug`, by slug. */
  childrenOf(slug: string): Place[] {
    return this.catalogue.childrenOf(slug);
  }

  /**
   * Puts committed records into the store, synchronously and without rebuilding the indexes: queries answer from
   * the new records as soon as it returns, and {@link version} moves. Every reference must resolve (in the store or
   * the update); when one does not, it throws and nothing changes.
   */
  apply(update: StoreUpdate): void {
    const catalogue = this.catalogue.with(update);
    checkUpdate(update, catalogue, (slug) => this.event(slug) !== undefined);
    const puts = (update.events ?? []).map((event) => this.put(event));
    // Events filed under a place or actor whose name or ancestry changed are filed and found by words differently
    // now: they move into the overlay, where queries test them against the new catalogue.
    const refiled = this.refiled(update);
    const moved = new Set<number>();
    for (const [kind, slug] of refiled) {
      for (const position of this.base.filedUnder(kind, slug)) {
        if (!this.overlay.supersedes(position) && !moved.has(position)) (moved.add(position), puts.push(this.put(this.base.events.at(position))));
      }
    }
    this.overlay.putAll(puts);
    this.changedShape = combineShapes(this.changedShape, measureShape(puts.map((p) => p.event), [], new Map()));
    // A compaction under way files the events it took from the overlay by the catalogue as it was: they must stay in
    // the overlay after the swap.
    if (refiled.length && this.compaction) {
      for (const event of this.overlay.events(true)) if (!this.compaction.touched.has(event.slug)) this.compaction.touched.set(event.slug, event);
    }
    this.catalogue = catalogue;
    this.applied++;
    if (this.compaction === undefined && this.overlay.size >= this.compactAt) {
      this.compact().catch((err: unknown) => (this.compactionError = err));
    }
  }

  /** Throws the error a query gives for the first thing wrong with `filter` (for those that hold a filter, as subscriptions do). */
  checkFilter(filter: EventFilter): void {
    checkFilter(filter, this.catalogue);
  }

  /** Whether `event` matches `filter` (which must be valid; a bad one throws as a query would), as lists see it. */
  matches(filter: EventFilter, event: Event): boolean {
    this.checkFilter(filter);
    return compileFilter(filter, this.catalogue)(event);
  }

  /**
   * A page of the events matching `filter`, in `order`; pages hold at most `maxPageSize` (the API's 100 unless said).
   * With `lazyCursors` (the API's resolvers), a cursor is encoded only when read (see `paginateList`).
   */
  query(filter: EventFilter = {}, order: EventOrder = { field: 'DATE', direction: 'ASC' }, page: PageArgs = {}, maxPageSize?: number, lazyCursors = false): Page<Event> {
    return paginateList(this.match(filter), this.base.order, order.direction, page, maxPageSize, lazyCursors);
  }

  /** How many events match `filter`. */
  count(filter: EventFilter = {}): number {
    return this.match(filter).size;
  }

  /** Every event matching `filter`, in date order; for exports and timelines. */
  all(filter: EventFilter = {}): Event[] {
    const list = this.match(filter);
    return list.slice(0, list.size);
  }

  /** Matching events grouped by local date, ascending; at most {@link MAX_TIMELINE_DAYS} days. */
  timeline(from: string | null | undefined, to: string | null | undefined, filter: EventFilter = {}): TimelineDay[] {
    const merged: EventFilter = { ...filter, from: from ?? filter.from, to: to ?? filter.to };
    const names = { from: from == null && filter.from != null ? 'filter.from' : 'from', to: to == null && filter.to != null ? 'filter.to' : 'to' };
    const list = this.match(merged, names);
    const days: TimelineDay[] = [];
    for (const e of list.slice(0, list.size)) {
      if (days[days.length - 1]?.date !== e.date) days.push({ date: e.date, events: [] });
      days[days.length - 1].events.push(e);
    }
    const first = merged.from ?? days[0]?.date;
    const last = merged.to ?? days[days.length - 1]?.date;
    if (first && last && daysInclusive(first, last) > MAX_TIMELINE_DAYS) {
      throw new InvalidArgumentError(
        names.from,
        `the timeline from ${first} to ${last} covers ${daysInclusive(first, last)} days, more than the ${MAX_TIMELINE_DAYS} one call returns; narrow from/to`,
      );
    }
    return days;
  }

  /**
   * How many matching events overlap each `bucket` from the filter's from (else the first date of any event the
   * filter's includeRetracted shows) to its to (else the last date any of them reaches), empty buckets included; the
   * first and last bucket are cut to that range, so each count equals `count` with the bucket as from/to.
   */
  eventCounts(filter: EventFilter = {}, bucket: BucketSize = 'DAY'): DateBucketCount[] {
    const list = this.match(filter);
    const everything = this.match({ includeRetracted: filter.includeRetracted });
    const from = filter.from ?? everything.slice(0, 1)[0]?.date;
    const to = filter.to ?? this.lastDate(filter.includeRetracted === true);
    if (!from || !to || from > to) return [];
    const n = countBuckets(from, to, bucket);
    if (n > MAX_EVENT_COUNT_BUCKETS) {
      throw new InvalidArgumentError(
        'bucket',
        `${from} to ${to} makes ${n} ${bucket} buckets, more than the ${MAX_EVENT_COUNT_BUCKETS} one call returns; choose a wider bucket or narrow filter.from/filter.to`,
      );
    }
    const ranges = dateBuckets(from, to, bucket);
    const counts = countByBucket(list, this.base, ranges);
    return ranges.map((range, i) => ({ ...range, count: counts[i] }));
  }

  /**
   * The longest list of each kind (children, ancestors, an event's participants...), for the query cost: the
   * events' as loaded and every version put since (kept up as changes come, in time linear in the change), and the
   * catalogue's as it is now. An upper bound: an old version of a changed event still counts.
   */
  get shape(): StoreShape {
    const { applied, base, catalogue } = this;
    const memo = this.shapeMemo;
    if (memo?.applied === applied && memo.base === base && memo.catalogue === catalogue) return memo.shape;
    if (this.catalogueShape?.catalogue !== catalogue) {
      const children = new Map(catalogue.places.map((p) => [p.slug, catalogue.childrenOf(p.slug)]));
      this.catalogueShape = { catalogue, shape: measureShape([], catalogue.places, children) };
    }
    const events = combineShapes(this.baseShape, this.changedShape);
    const shape = { ...combineShapes(events, this.catalogueShape.shape), events: base.events.length + this.overlay.size };
    this.shapeMemo = { applied, base, catalogue, shape };
    return shape;
  }

  /** Upper bounds on matching `filter` (events matched, positions read), from the indexes alone; never throws. */
  estimate(filter: LooseFilter | null | undefined): WorkEstimate {
    const base = this.base;
    // Changed events may match besides what the base's lists hold: each bound counts them all.
    const extra = this.changed.size;
    return estimateFilter(
      {
        events: base.events.length + extra,
        dateRangeSize: (from, to) => base.dateRangeSize(from, to) + extra,
        listSize: (kind, key) => base.listSize(kind, key) + extra,
        prefixPostings: (prefix) => base.prefixPostings(prefix) + extra,
      },
      filter,
    );
  }

  /** A page of places, by slug. */
  placeList(page: PageArgs = {}): Page<Place> {
    return paginate(range(0, this.catalogue.places.length), slugOrder('place', this.catalogue.places), 'ASC', page);
  }

  /** A page of actors, by slug. */
  actorList(page: PageArgs = {}): Page<Actor> {
    return paginate(range(0, this.catalogue.actors.length), slugOrder('actor', this.catalogue.actors), 'ASC', page);
  }

  /** A page of sources, by slug. */
  sourceList(page: PageArgs = {}): Page<Source> {
    return paginate(range(0, this.catalogue.sources.length), slugOrder('source', this.catalogue.sources), 'ASC', page);
  }

  /** How many changed events the overlay holds now (they go into the base at the next compaction). */
  get overlaySize(): number {
    return this.overlay.size;
  }

  /**
   * How many overlay events queries have tested against their filters since the store was made: the overlay's share
   * of their work, for benchmarks (divided by the queries asked, it should not grow with the overlay).
   */
  get overlayEventsTested(): number {
    return this.testedBefore + this.overlayMatches.tested;
  }

  /** What compactions have done so far. */
  get compactionStats(): CompactionStats {
    return { ...this.stats, freshBaseBytes: this.slabs?.freshBytes ?? 0, youngCollections: this.youngCollector?.collections ?? 0, running: this.compaction !== undefined };
  }

  /**
   * Builds a new base of every event as it is now, in slices of about `sliceMs` between which queries run, and
   * swaps it in at once; changes applied meanwhile stay in the new overlay. Resolves when swapped in; a compaction
   * already running is joined.
   */
  compact(): Promise<void> {
    if (this.compaction) return this.compaction.done;
    const touched = new Map<string, Event | undefined>();
    const steps = rebuiltBase(this.base, this.overlay.shadowedPositions(), [...this.overlay.events(true)], this.catalogue, this.slabs?.arena());
    const done = runInSlices(steps, this.sliceMs, ({ wallMs, cpuMs, longestStepPhase }) => {
      if (wallMs > this.stats.longestSliceMs) [this.stats.longestSliceMs, this.stats.longestSlicePhase] = [wallMs, longestStepPhase];
      this.stats.longestSliceCpuMs = Math.max(this.stats.longestSliceCpuMs, cpuMs);
    }, this.cpuMs, this.youngCollector && (() => void this.youngCollector!.collectIfDue()))
      .then((base) => {
        const overlay = new Overlay(base);
        for (const [slug, previous] of touched) overlay.put(this.event(slug)!, previous);
        // Nothing reads the old base once it is swapped out (every query runs through at once, over `this.base`):
        // its memory goes to the next build.
        this.slabs?.retire(this.base.arena);
        this.base = base;
        this.overlay = overlay;
        this.testedBefore += this.overlayMatches.tested;
        this.overlayMatches = new OverlayMatches(overlay);
        this.stats.completed++;
      })
      .finally(() => (this.compaction = undefined));
    this.compaction = { touched, done };
    return done;
  }

  /** Puts `event` as it now is into the lookup by slug; returns what the overlay is to take. */
  private put(event: Event): { event: Event; previous: Event | undefined } {
    const previous = this.event(event.slug);
    if (this.compaction && !this.compaction.touched.has(event.slug)) this.compaction.touched.set(event.slug, previous);
    if (previous === undefined) this.created++;
    this.changed.set(event.slug, event);
    return { event, previous };
  }

  /** Places and actors of `update` whose name or ancestry differs from the store's: their events are filed anew. */
  private refiled(update: StoreUpdate): ['place' | 'actor', string][] {
    const out: ['place' | 'actor', string][] = [];
    for (const p of update.places ?? []) {
      const old = this.place(p.slug);
      if (old && (old.name !== p.name || old.ancestors.join('/') !== p.ancestors.join('/'))) out.push(['place', p.slug]);
    }
    for (const a of update.actors ?? []) {
      const old = this.actor(a.slug);
      if (old && old.name !== a.name) out.push(['actor', a.slug]);
    }
    return out;
  }

  /** The events matching `filter`, as a list that is counted, ranked and sliced without being built. */
  private match(filter: EventFilter, names: DateArgumentNames = FILTER_DATE_NAMES): MergedList {
    checkFilter(filter, this.catalogue, names);
    const set = this.base.match(filter);
    return new MergedList(this.base, set, this.overlayMatches.match(filter, set, this.catalogue, compileFilter(filter, this.catalogue)));
  }

  /** The last date any shown event reaches (its end date, else its date). */
  private lastDate(includeRetracted: boolean): string | undefined {
    let last = this.overlay.lastDate(includeRetracted);
    // Base events are in date order and none runs longer than maxSpanDays: walk back until none can end later.
    const events = this.base.events;
    for (let i = events.length - 1; i >= 0; i--) {
      const e = events.at(i);
      if (last && e.date < addDays(last, -this.base.maxSpanDays)) break;
      if (this.overlay.hides(i, includeRetracted)) continue;
      if (!last || (e.endDate ?? e.date) > last) last = e.endDate ?? e.date;
    }
    return last;
  }
}
