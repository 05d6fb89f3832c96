/**
 * What the query cost needs to know from the store before anything runs: the longest list of each kind (children,
 * ancestors, an event's participants, related events...) and, for a filter, how many events it can match and how
 * many positions matching it touches. Every figure is an upper bound read from the indexes in constant or
 * logarithmic time; nothing here throws on a bad filter (execution words that error).
 */
import type { Event, Place } from '../data/dataset';
import { tokenize } from './search-index';

/** The longest list of each kind in the data; the cost of a list field is its longest length times its selection. */
export interface StoreShape {
  events: number;
  /** The first date of an event and the last date any event runs to (null without events). */
  firstDate: string | null;
  lastDate: string | null;
  /** Most places directly inside one place. */
  children: number;
  /** Most places one place lies inside. */
  ancestors: number;
  /** Most of each per event. */
  eventPlaces: number;
  participants: number;
  casualties: number;
  attributions: number;
  quotes: number;
  related: number;
}

/** Bounds on matching one filter. */
export interface WorkEstimate {
  /** Most events that can match. */
  matches: number;
  /** Positions read from posting lists to find them (0 for a plain date range). */
  work: number;
}

/**
 * The longest lists of `places` and `events` (in any order). One pass, no array per kind: it runs over a million
 * events when a store is made.
 */
export function measureShape(events: readonly Event[], places: readonly Place[], children: ReadonlyMap<string, readonly Place[]>): StoreShape {
  const shape: StoreShape = { events: events.length, firstDate: null, lastDate: null, children: 0, ancestors: 0, eventPlaces: 0, participants: 0, casualties: 0, attributions: 0, quotes: 0, related: 0 };
  for (const e of events) {
    if (shape.firstDate === null || e.date < shape.firstDate) shape.firstDate = e.date;
    if (shape.lastDate === null || (e.endDate ?? e.date) > shape.lastDate) shape.lastDate = e.endDate ?? e.date;
    shape.eventPlaces = Math.max(shape.eventPlaces, e.places.length);
    shape.participants = Math.max(shape.participants, e.participants.length);
    shape.casualties = Math.max(shape.casualties, e.casualties.length);
    shape.attributions = Math.max(shape.attributions, e.sources.length);
    shape.quotes = Math.max(shape.quotes, e.quotes.length);
    shape.related = Math.max(shape.related, e.related.length);
  }
  for (const c of children.values()) shape.children = Math.max(shape.children, c.length);
  for (const p of places) shape.ancestors = Math.max(shape.ancestors, p.ancestors.length);
  return shape;
}

/** The shape of two sets of events together (over the same places): counts added, dates widened, the larger of each most. */
export function combineShapes(a: StoreShape, b: StoreShape): StoreShape {
  const early = (x: string | null, y: string | null) => (x === null ? y : y === null || x <= y ? x : y);
  const late = (x: string | null, y: string | null) => (x === null ? y : y === null || x >= y ? x : y);
  const out = { ...a, events: a.events + b.events, firstDate: early(a.firstDate, b.firstDate), lastDate: late(a.lastDate, b.lastDate) };
  for (const key of ['children', 'ancestors', 'eventPlaces', 'participants', 'casualties', 'attributions', 'quotes', 'related'] as const) out[key] = Math.max(a[key], b[key]);
  return out;
}

/** The indexes {@link estimateFilter} reads. */
export interface FilterIndexes {
  events: number;
  /** How many events overlap [from, to] at most (null: open end). */
  dateRangeSize(from: string | null, to: string | null): number;
  /** Length of the posting list of `key` in the index of `kind` (0 when unknown). */
  listSize(kind: 'places' | 'actors' | 'sources' | 'categories', key: string): number;
  /** Total postings of every word starting with `prefix`. */
  prefixPostings(prefix: string): number;
}

/** The filter fields, as loosely as a client may send them. */
export interface LooseFilter {
  from?: unknown;
  to?: unknown;
  categories?: unknown;
  places?: unknown;
  actors?: unknown;
  sources?: unknown;
  search?: unknown;
}

/** Most list values or search characters looked at; more is refused by validation or the store anyway. */
const MAX_VALUES = 1000;

/** Upper bounds on matching `filter`: each list field's union, each search word's postings, and the date range. */
export function estimateFilter(indexes: FilterIndexes, filter: LooseFilter | null | undefined): WorkEstimate {
  if (!filter || typeof filter !== 'object') return { matches: indexes.events, work: 0 };
  const date = (v: unknown) => (typeof v === 'string' ? v : null);
  let matches = indexes.dateRangeSize(date(filter.from), date(filter.to));
  let work = 0;
  for (const kind of ['places', 'actors', 'sources', 'categories'] as const) {
    const values = filter[kind];
    if (!Array.isArray(values)) continue;
    let size = 0;
    for (const v of values.slice(0, MAX_VALUES)) if (typeof v === 'string') size += indexes.listSize(kind, v);
    size = Math.min(size, indexes.events * values.length);
    matches = Math.min(matches, size);
    if (kind !== 'categories') work += size; // categories are paged apart, never merged
  }
  if (typeof filter.search === 'string') {
    for (const word of new Set(tokenize(filter.search.slice(0, MAX_VALUES)))) {
      const postings = indexes.prefixPostings(word);
      matches = Math.min(matches, postings);
      work += postings;
    }
  }
  return { matches, work };
}
