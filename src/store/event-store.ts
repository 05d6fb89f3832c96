/** In-memory indexes over a data set and the queries the API makes of them. No HTTP or GraphQL here. */
import type { Actor, Dataset, Event, Place, Source } from '../data/dataset';
import { addDays, daysInclusive, isCalendarDate, toDayNumber } from '../data/dates';
import type { EventCategory } from '../data/schema';
import { InvalidArgumentError } from './errors';
import { disjointUnion, intersect, PostingLists, range, SetCache, sizeOf, slice, union, type IdSet, type PlainSet } from './id-set';
import { paginate, type Direction, type KeyedOrder, type Page, type PageArgs } from './pagination';
import { SearchIndexBuilder, tokenize, type SearchIndex } from './search-index';
import { countBuckets, dateBuckets, type BucketSize } from './date-buckets';
import { estimateFilter, measureShape, type LooseFilter, type StoreShape, type WorkEstimate } from './work-estimate';

/** Which events a query is about; values within a list are alternatives, fields all apply. */
export interface EventFilter {
  from?: string | null;
  to?: string | null;
  categories?: EventCategory[] | null;
  places?: string[] | null;
  actors?: string[] | null;
  sources?: string[] | null;
  search?: string | null;
}

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

/** Most buckets one eventCounts call may return. */
export const MAX_EVENT_COUNT_BUCKETS = 1000;

/** Most days one timeline call may cover. */
export const MAX_TIMELINE_DAYS = 366;
/** Longest search text accepted. */
export const MAX_SEARCH_LENGTH = 200;

const SLUG_KEY = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const EVENT_KEY = /^(\d{4}-\d{2}-\d{2})\|([a-z0-9]+(?:-[a-z0-9]+)*)$/;

type Named = { slug: string };

/** Orders a catalogue (places, actors or sources) by slug. */
function slugOrder<T extends Named>(cursorKind: string, items: T[]): KeyedOrder<T> {
  return {
    cursorKind,
    keyOf: (item) => item.slug,
    isKey: (key) => SLUG_KEY.test(key),
    locate: (key) => {
      const lower = lowerBoundBy(items.length, (i) => items[i].slug < key);
      return { lower, upper: lower < items.length && items[lower].slug === key ? lower + 1 : lower };
    },
    at: (i) => items[i],
  };
}

function lowerBoundBy(n: number, isBelow: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (isBelow(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function bySlug<T extends Named>(items: T[]): Map<string, T> {
  return new Map(items.map((item) => [item.slug, item]));
}

/** The indexes built once at load, and every query the API makes. */
export class EventStore {
  readonly version: string;
  private readonly events: Event[];
  private readonly places: Place[];
  private readonly actors: Actor[];
  private readonly sources: Source[];
  private readonly eventsBySlug: { get(slug: string): Event | undefined };
  private readonly placesBySlug: Map<string, Place>;
  private readonly actorsBySlug: Map<string, Actor>;
  private readonly sourcesBySlug: Map<string, Source>;
  private readonly byCategory: Map<string, Int32Array>;
  private readonly byPlace: Map<string, Int32Array>;
  private readonly byActor: Map<string, Int32Array>;
  private readonly bySource: Map<string, Int32Array>;
  private readonly placeChildren: Map<string, Place[]>;
  private readonly search: SearchIndex;
  /** Recent unions of several places, actors, sources or search-word postings (bounded). */
  private readonly unions = new SetCache();
  /** Longest span of any event in days, so a date filter knows how far back a still-running event can start. */
  private readonly maxSpanDays: number;
  private readonly eventOrder: KeyedOrder<Event>;
  private readonly placeOrder: KeyedOrder<Place>;
  private readonly actorOrder: KeyedOrder<Actor>;
  private readonly sourceOrder: KeyedOrder<Source>;
  private shapeMemo: StoreShape | undefined;

  constructor(dataset: Dataset) {
    this.version = dataset.version;
    this.events = dataset.events;
    const sorted = <T extends Named>(items: T[]) => [...items].sort((a, b) => (a.slug < b.slug ? -1 : 1));
    this.places = sorted(dataset.places);
    this.actors = sorted(dataset.actors);
    this.sources = sorted(dataset.sources);
    this.eventsBySlug = dataset.eventsBySlug ?? bySlug(this.events);
    this.placesBySlug = bySlug(this.places);
    this.actorsBySlug = bySlug(this.actors);
    this.sourcesBySlug = bySlug(this.sources);

    this.placeChildren = new Map();
    for (const place of this.places) {
      if (place.parent === null) continue;
      const siblings = this.placeChildren.get(place.parent) ?? [];
      siblings.push(place);
      this.placeChildren.set(place.parent, siblings);
    }

    const category = new PostingLists();
    const place = new PostingLists();
    const actor = new PostingLists();
    const source = new PostingLists();
    const search = new SearchIndexBuilder();
    // Per place, actor and source, once: the posting lists an event there is filed under (for a place, the place
    // and every place it lies in); each event then costs one lookup per place, actor or source.
    const placeFiling = new Map<string, number[]>();
    for (const p of this.places) placeFiling.set(p.slug, [p.slug, ...p.ancestors].map((s) => place.listOf(s)));
    const actorFiling = new Map<string, number>();
    for (const a of this.actors) actorFiling.set(a.slug, actor.listOf(a.slug));
    const sourceFiling = new Map<string, number>();
    for (const s of this.sources) sourceFiling.set(s.slug, source.listOf(s.slug));
    let maxSpan = 0;
    const texts: string[] = [];
    for (let i = 0; i < this.events.length; i++) {
      const e = this.events[i];
      category.add(e.category, i);
      texts.length = 0;
      texts.push(e.title, e.summary);
      for (const slug of e.places) for (const n of placeFiling.get(slug)!) place.addTo(n, i);
      for (const p of e.participants) {
        actor.addTo(actorFiling.get(p.actor)!, i);
        if (p.reportedBy) source.addTo(sourceFiling.get(p.reportedBy)!, i);
      }
      for (const q of e.quotes) {
        actor.addTo(actorFiling.get(q.speaker)!, i);
        texts.push(q.text);
        if (q.reportedBy) source.addTo(sourceFiling.get(q.reportedBy)!, i);
      }
      for (const a of e.sources) source.addTo(sourceFiling.get(a.source)!, i);
      for (const c of e.casualties) source.addTo(sourceFiling.get(c.reportedBy)!, i);
      if (e.endDate) maxSpan = Math.max(maxSpan, toDayNumber(e.endDate) - toDayNumber(e.date));
      search.add(texts);
    }
    this.byCategory = category.toMap();
    this.byPlace = place.toMap();
    this.byActor = actor.toMap();
    this.bySource = source.toMap();
    this.maxSpanDays = maxSpan;
    // An event's place names (its places' and those they lie in) and actor names (participants, speakers) are
    // searched as its text is. The events filed under a place or actor are just those, so each name is indexed
    // once, at every position of its list, instead of event by event.
    for (const p of this.places) search.addToAll(p.name, this.byPlace.get(p.slug) ?? new Int32Array(0));
    for (const a of this.actors) search.addToAll(a.name, this.byActor.get(a.slug) ?? new Int32Array(0));
    this.search = search.build();

    this.eventOrder = {
      cursorKind: 'event.date',
      keyOf: (e) => `${e.date}|${e.slug}`,
      isKey: (key) => EVENT_KEY.test(key),
      locate: (key) => {
        const [date, slug] = key.split('|');
        const lower = lowerBoundBy(this.events.length, (i) => {
          const e = this.events[i];
          return e.date < date || (e.date === date && e.slug < slug);
        });
        const hit = lower < this.events.length && this.events[lower].date === date && this.events[lower].slug === slug;
        return { lower, upper: hit ? lower + 1 : lower };
      },
      at: (i) => this.events[i],
    };
    this.placeOrder = slugOrder('place', this.places);
    this.actorOrder = slugOrder('actor', this.actors);
    this.sourceOrder = slugOrder('source', this.sources);
  }

  /** How many of each entity the data set has. */
  get counts(): { events: number; places: number; actors: number; sources: number } {
    return { events: this.events.length, places: this.places.length, actors: this.actors.length, sources: this.sources.length };
  }

  /** The event with this slug, if any. */
  event(slug: string): Event | undefined {
    return this.eventsBySlug.get(slug);
  }

  /** The place with this slug, if any. */
  place(slug: string): Place | undefined {
    return this.placesBySlug.get(slug);
  }

  /** The actor with this slug, if any. */
  actor(slug: string): Actor | undefined {
    return this.actorsBySlug.get(slug);
  }

  /** The source with this slug, if any. */
  source(slug: string): Source | undefined {
    return this.sourcesBySlug.get(slug);
  }

  /** Places that lie directly inside `slug`, by slug. */
  childrenOf(slug: string): Place[] {
    return this.placeChildren.get(slug) ?? [];
  }

  /** A page of the events matching `filter`, in `order`; pages hold at most `maxPageSize` (the API's 100 unless said). */
  query(filter: EventFilter = {}, order: EventOrder = { field: 'DATE', direction: 'ASC' }, page: PageArgs = {}, maxPageSize?: number): Page<Event> {
    return paginate(this.match(filter), this.eventOrder, order.direction, page, maxPageSize);
  }

  /** How many events match `filter`. */
  count(filter: EventFilter = {}): number {
    return sizeOf(this.match(filter));
  }

  /** Every event matching `filter`, in date order; for exports and timelines. */
  all(filter: EventFilter = {}): Event[] {
    const positions = slice(this.match(filter), 0, Infinity);
    const out: Event[] = new Array(positions.length);
    for (let k = 0; k < out.length; k++) out[k] = this.events[positions[k]];
    return out;
  }

  /** Matching events grouped by local date, ascending; at most {@link MAX_TIMELINE_DAYS} days. */
  timeline(from: string | null | undefined, to: string | null | undefined, filter: EventFilter = {}): TimelineDay[] {
    const merged: EventFilter = { ...filter, from: from ?? filter.from, to: to ?? filter.to };
    const names = { from: from == null && filter.from != null ? 'filter.from' : 'from', to: to == null && filter.to != null ? 'filter.to' : 'to' };
    const positions = slice(this.match(merged, names), 0, Infinity);
    const days: TimelineDay[] = [];
    for (let k = 0; k < positions.length; k++) {
      const e = this.events[positions[k]];
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
   * How many matching events overlap each `bucket` from the filter's from (else the data's first date) to its to
   * (else the data's last date), empty buckets included; the first and last bucket are cut to that range, so each
   * count equals `count` with the bucket as from/to.
   */
  eventCounts(filter: EventFilter = {}, bucket: BucketSize = 'DAY'): DateBucketCount[] {
    const events = this.all(filter);
    const from = filter.from ?? this.events[0]?.date;
    let to = filter.to;
    if (to == null) for (const e of this.events) if (!to || (e.endDate ?? e.date) > to) to = e.endDate ?? e.date;
    if (!from || !to || from > to) return [];
    const n = countBuckets(from, to, bucket);
    if (n > MAX_EVENT_COUNT_BUCKETS) {
      throw new InvalidArgumentError(
        'bucket',
        `${from} to ${to} makes ${n} ${bucket} buckets, more than the ${MAX_EVENT_COUNT_BUCKETS} one call returns; choose a wider bucket or narrow filter.from/filter.to`,
      );
    }
    const buckets = dateBuckets(from, to, bucket).map((b) => ({ ...b, count: 0 }));
    for (const e of events) {
      const end = e.endDate ?? e.date;
      let i = lowerBoundBy(buckets.length, (k) => buckets[k].end < e.date);
      for (; i < buckets.length && buckets[i].start <= end; i++) buckets[i].count++;
    }
    return buckets;
  }

  /** The longest list of each kind (children, ancestors, an event's participants...), measured once; for the query cost. */
  get shape(): StoreShape {
    this.shapeMemo ??= measureShape(this.events, this.places, this.placeChildren);
    return this.shapeMemo;
  }

  /** Upper bounds on matching `filter` (events matched, positions read), from the indexes alone; never throws. */
  estimate(filter: LooseFilter | null | undefined): WorkEstimate {
    const lists = { places: this.byPlace, actors: this.byActor, sources: this.bySource, categories: this.byCategory };
    return estimateFilter(
      {
        events: this.events.length,
        dateRangeSize: (from, to) => {
          const n = this.events.length;
          const hi = to === null ? n : lowerBoundBy(n, (i) => this.events[i].date <= to);
          const earliest = from === null || !isCalendarDate(from) ? null : addDays(from, -this.maxSpanDays);
          return Math.max(0, hi - (earliest === null ? 0 : lowerBoundBy(n, (i) => this.events[i].date < earliest)));
        },
        listSize: (kind, key) => lists[kind].get(key)?.length ?? 0,
        prefixPostings: (prefix) => this.search.prefixPostings(prefix),
      },
      filter,
    );
  }

  /** A page of places, by slug. */
  placeList(page: PageArgs = {}): Page<Place> {
    return paginate(range(0, this.places.length), this.placeOrder, 'ASC', page);
  }

  /** A page of actors, by slug. */
  actorList(page: PageArgs = {}): Page<Actor> {
    return paginate(range(0, this.actors.length), this.actorOrder, 'ASC', page);
  }

  /** A page of sources, by slug. */
  sourceList(page: PageArgs = {}): Page<Source> {
    return paginate(range(0, this.sources.length), this.sourceOrder, 'ASC', page);
  }

  /** The positions of the events matching `filter`; `names` says what to call from/to in errors. */
  private match(filter: EventFilter, names = { from: 'filter.from', to: 'filter.to' }): IdSet {
    const { from, to } = filter;
    for (const [name, value] of [[names.from, from], [names.to, to]] as const) {
      if (value != null && !isCalendarDate(value)) throw new InvalidArgumentError(name, `must be a date YYYY-MM-DD, got ${JSON.stringify(value)}`);
    }
    if (from != null && to != null && from > to) {
      throw new InvalidArgumentError(names.from, `${from} is after ${names.to} ${to}; from must be on or before to`);
    }
    const sets: IdSet[] = [this.dateRange(from ?? null, to ?? null)];
    const lookups: [string, string[] | null | undefined, Map<string, Int32Array>, Map<string, unknown>, string][] = [
      ['filter.places', filter.places, this.byPlace, this.placesBySlug, 'place'],
      ['filter.actors', filter.actors, this.byActor, this.actorsBySlug, 'actor'],
      ['filter.sources', filter.sources, this.bySource, this.sourcesBySlug, 'source'],
    ];
    for (const [name, slugs, index, known, noun] of lookups) {
      if (slugs == null) continue;
      const unknown = slugs.filter((s) => !known.has(s));
      if (unknown.length) {
        throw new InvalidArgumentError(name, `unknown ${noun} slug${unknown.length > 1 ? 's' : ''} ${unknown.map((s) => JSON.stringify(s)).join(', ')}; the ${noun}s query lists them`);
      }
      sets.push(this.unionOf(noun, slugs, index));
    }
    if (filter.categories != null) {
      // An event has one category, so the lists of several never share an event: kept apart, they are counted
      // and paged by binary search instead of merged.
      const lists = [...new Set(filter.categories)].map((c): PlainSet => ({ kind: 'list', ids: this.byCategory.get(c) ?? new Int32Array(0) }));
      sets.push(disjointUnion(lists));
    }
    if (filter.search != null) {
      if (filter.search.length > MAX_SEARCH_LENGTH) {
        throw new InvalidArgumentError('filter.search', `is ${filter.search.length} characters long; at most ${MAX_SEARCH_LENGTH} are searched`);
      }
      for (const word of new Set(tokenize(filter.search))) {
        const lists = this.search.withPrefix(word);
        sets.push(lists.length === 1 ? { kind: 'list', ids: lists[0] } : this.unions.get(`search\0${word}`, () => union(lists)));
      }
    }
    // Smallest first: every later step walks at most what is left.
    sets.sort((a, b) => sizeOf(a) - sizeOf(b));
    let set = sets[0];
    for (let k = 1; k < sets.length && sizeOf(set) > 0; k++) set = intersect(set, sets[k]);
    return set;
  }

  /** The events filed under any of `slugs` in `index`; unions of several are remembered (bounded) by their slugs. */
  private unionOf(noun: string, slugs: string[], index: Map<string, Int32Array>): IdSet {
    const unique = [...new Set(slugs)].sort();
    const lists = unique.map((s) => index.get(s) ?? new Int32Array(0));
    if (lists.length <= 1) return { kind: 'list', ids: lists[0] ?? new Int32Array(0) };
    return this.unions.get(`${noun}\0${unique.join('\0')}`, () => union(lists));
  }

  /** Events whose [date, endDate] overlaps [from, to]. */
  private dateRange(from: string | null, to: string | null): IdSet {
    const n = this.events.length;
    const hi = to === null ? n : lowerBoundBy(n, (i) => this.events[i].date <= to);
    if (from === null) return range(0, hi);
    const lo = lowerBoundBy(n, (i) => this.events[i].date < from);
    if (this.maxSpanDays === 0) return range(lo, hi);
    // Events that began before `from` but run into it sit just before `lo`.
    const earliest = addDays(from, -this.maxSpanDays);
    const early: number[] = [];
    for (let i = lowerBoundBy(n, (j) => this.events[j].date < earliest); i < Math.min(lo, hi); i++) {
      const end = this.events[i].endDate;
      if (end !== null && end >= from) early.push(i);
    }
    if (!early.length) return range(lo, hi);
    // Kept as the few early events and the range after them, not copied into one list.
    return disjointUnion([{ kind: 'list', ids: Int32Array.from(early) }, range(lo, hi)]);
  }
}
