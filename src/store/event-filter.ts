/**
 * The filter of event lists: its checks (the errors a client sees) and what it means for one event, which the
 * overlay of changed events and subscriptions use where the indexes of the base answer for the rest.
 */
import type { Event } from '../data/dataset';
import { isCalendarDate } from '../data/dates';
import type { EventCategory } from '../data/schema';
import type { Catalogue } from './catalogue';
import { InvalidArgumentError } from './errors';
import { tokenize } from './search-index';

/** Which events a query is about; values within a list are alternatives, fields all apply. */
export interface EventFilter {
  from?: string | null;
  to?: string | null;
  categories?: EventCategory[] | null;
  places?: string[] | null;
  actors?: string[] | null;
  sources?: string[] | null;
  search?: string | null;
  /** Retracted events are left out unless this is true. */
  includeRetracted?: boolean | null;
}

/** Longest search text accepted. */
export const MAX_SEARCH_LENGTH = 200;

/** What to call the filter's from/to in errors (the timeline takes them as arguments of its own). */
export type DateArgumentNames = { from: string; to: string };

/** The names of from/to inside a filter argument. */
export const FILTER_DATE_NAMES: DateArgumentNames = { from: 'filter.from', to: 'filter.to' };

/** Throws the error a client sees for the first thing wrong with `filter`; slugs must be in `catalogue`. */
export function checkFilter(filter: EventFilter, catalogue: Catalogue, names: DateArgumentNames = FILTER_DATE_NAMES): void {
  const { from, to } = filter;
  for (const [name, value] of [[names.from, from], [names.to, to]] as const) {
    if (value != null && !isCalendarDate(value)) throw new InvalidArgumentError(name, `must be a date YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
  if (from != null && to != null && from > to) {
    throw new InvalidArgumentError(names.from, `${from} is after ${names.to} ${to}; from must be on or before to`);
  }
  const lookups: [string, string[] | null | undefined, Map<string, unknown>, string][] = [
    ['filter.places', filter.places, catalogue.placesBySlug, 'place'],
    ['filter.actors', filter.actors, catalogue.actorsBySlug, 'actor'],
    ['filter.sources', filter.sources, catalogue.sourcesBySlug, 'source'],
  ];
  for (const [name, slugs, known, noun] of lookups) {
    const unknown = slugs?.filter((s) => !known.has(s)) ?? [];
    if (unknown.length) {
      throw new InvalidArgumentError(name, `unknown ${noun} slug${unknown.length > 1 ? 's' : ''} ${unknown.map((s) => JSON.stringify(s)).join(', ')}; the ${noun}s query lists them`);
    }
  }
  if (filter.search != null && filter.search.length > MAX_SEARCH_LENGTH) {
    throw new InvalidArgumentError('filter.search', `is ${filter.search.length} characters long; at most ${MAX_SEARCH_LENGTH} are searched`);
  }
}

/** The places an event is filed under: each of its places and every place those lie in. */
function* placesAround(event: Event, catalogue: Catalogue): Iterable<string> {
  for (const slug of event.places) {
    yield slug;
    yield* catalogue.placesBySlug.get(slug)?.ancestors ?? [];
  }
}

/** Actors an event is filed under: participants and speakers of quotes. */
function* actorsOf(event: Event): Iterable<string> {
  for (const p of event.participants) yield p.actor;
  for (const q of event.quotes) yield q.speaker;
}

/** Sources an event is filed under: its attributions and the reporters of its casualties, quotes and participants. */
function* sourcesOf(event: Event): Iterable<string> {
  for (const a of event.sources) yield a.source;
  for (const c of event.casualties) yield c.reportedBy;
  for (const q of event.quotes) if (q.reportedBy) yield q.reportedBy;
  for (const p of event.participants) if (p.reportedBy) yield p.reportedBy;
}

/** What one event is filed and found under, as a catalogue has its places and names. */
interface Filing {
  catalogue: Catalogue;
  places: Set<string>;
  actors: Set<string>;
  sources: Set<string>;
  /** Every word it is found by (its title, summary and quotes, and the names of its places and actors), sorted. */
  words: string[];
}

/** Each event's filing, worked out once per catalogue (records never change in place). */
const filings = new WeakMap<Event, Filing>();

function filingOf(event: Event, catalogue: Catalogue): Filing {
  const known = filings.get(event);
  if (known?.catalogue === catalogue) return known;
  const places = new Set(placesAround(event, catalogue));
  const actors = new Set(actorsOf(event));
  const words = new Set([event.title, event.summary, ...event.quotes.map((q) => q.text)].flatMap(tokenize));
  for (const slug of places) for (const word of catalogue.wordsOfName('place', slug)) words.add(word);
  for (const slug of actors) for (const word of catalogue.wordsOfName('actor', slug)) words.add(word);
  const filing = { catalogue, places, actors, sources: new Set(sourcesOf(event)), words: [...words].sort() };
  filings.set(event, filing);
  return filing;
}

const someIn = (wanted: readonly string[], filed: Set<string>) => wanted.some((slug) => filed.has(slug));

/**
 * Whether a word of `sorted` starts with `prefix`: the first word not below it is the only one to look at. Every
 * query tests each changed event this way, so a search costs a binary search per event, not a walk of its words.
 */
function hasPrefix(sorted: readonly string[], prefix: string): boolean {
  let [lo, hi] = [0, sorted.length];
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < prefix) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo].startsWith(prefix);
}

/**
 * The test of an already checked `filter` for one event at a time, with places, actors and their names as
 * `catalogue` has them: exactly what the indexes answer for many events at once. Made once per query.
 */
export function compileFilter(filter: EventFilter, catalogue: Catalogue): (event: Event) => boolean {
  const { from, to, categories, includeRetracted } = filter;
  const { places, actors, sources } = filter;
  const search = filter.search != null ? [...new Set(tokenize(filter.search))] : null;
  return (event) => {
    if (event.status === 'RETRACTED' && includeRetracted !== true) return false;
    if (to != null && event.date > to) return false;
    if (from != null && (event.endDate ?? event.date) < from) return false;
    if (categories != null && !categories.includes(event.category)) return false;
    if (places == null && actors == null && sources == null && search === null) return true;
    const filing = filingOf(event, catalogue);
    if (places != null && !someIn(places, filing.places)) return false;
    if (actors != null && !someIn(actors, filing.actors)) return false;
    if (sources != null && !someIn(sources, filing.sources)) return false;
    if (search !== null) for (const wanted of search) if (!hasPrefix(filing.words, wanted)) return false;
    return true;
  };
}
