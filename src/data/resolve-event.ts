/**
 * The one check of an event against everything else (catalogues, other events, its own dates) and the making of
 * its served form: the loader runs it on every record it reads, the editing service on every event a mutation or a
 * hand edit proposes, so files and input obey the same rules in the same words.
 */
import type { Event, Place } from './dataset';
import { describeDates, isCalendarDate, isTimeZone, localDateOf } from './dates';
import type { EventRecord } from './schema';
import { withArticle } from './validate-record';

/** What kind of problem a check found: a reference to something that does not exist, or any other broken rule. */
export type ProblemCode = 'INVALID' | 'UNKNOWN_REFERENCE';

/** Something with records by slug: a Map, a store, a slug table. */
export interface SlugLookup<T> {
  get(slug: string): T | undefined;
}

/** What an event is checked against, and where its problems go. */
export interface EventContext {
  places: SlugLookup<Place>;
  actors: SlugLookup<{ slug: string }>;
  sources: SlugLookup<{ slug: string }>;
  /** Whether an event with this slug exists (for `related`). */
  hasEvent(slug: string): boolean;
  /** Receives each problem: its field path (`casualties[0].count`), its wording and its kind. */
  problem(path: string, message: string, code: ProblemCode): void;
  /** Returns one shared copy of a recurring string (the loader's memory saving); identity is fine. */
  share(value: string): string;
  /** How each single day is described, by date: a cache the caller keeps (may start empty). */
  days: Map<string, string>;
}

/** The list of every event that has none of something: one frozen array shared by a million events, not one each. */
const NONE = Object.freeze([]) as unknown as never[];

/**
 * Checks `r` (already valid against the EventRecord schema; its slugs are replaced in place by the catalogues' own
 * copies) and builds its {@link Event} at revision 1, or reports every problem and returns null.
 */
export function resolveEvent(r: EventRecord, ctx: EventContext): Event | null {
  let found = 0;
  const problem = (path: string, message: string, code: ProblemCode = 'INVALID') => {
    found++;
    ctx.problem(path, message, code);
  };
  /**
   * Returns the catalogue's own copy of the slug: a million events then share a few thousand strings instead of
   * holding ten million copies (less memory, and the store's lookups of them stay in cache). The field path is
   * `list[i]field` (or `list` alone when i < 0), put together only when there is a problem.
   */
  const ref = (list: string, i: number, field: string, slug: string, table: SlugLookup<{ slug: string }>, noun: string, home: string): string => {
    const hit = table.get(slug);
    if (hit !== undefined) return hit.slug;
    problem(i < 0 ? list : `${list}[${i}]${field}`, `unknown ${noun} ${JSON.stringify(slug)}; expected the slug of ${withArticle(noun)} in ${home}`, 'UNKNOWN_REFERENCE');
    return slug;
  };
  const { places, actors, sources } = ctx;

  if (!isCalendarDate(r.date)) problem('date', `must be a real calendar date YYYY-MM-DD, got ${JSON.stringify(r.date)}`);
  if (r.endDate !== undefined && !isCalendarDate(r.endDate)) problem('endDate', `must be a real calendar date YYYY-MM-DD, got ${JSON.stringify(r.endDate)}`);
  if (r.endDate !== undefined && isCalendarDate(r.endDate) && r.endDate < r.date) {
    problem('endDate', `is before date (${r.endDate} < ${r.date}); expected a date on or after ${r.date}`);
  }
  if (r.precision === 'MONTH' && !r.date.endsWith('-01')) problem('date', `must be the first of the month when precision is MONTH, got ${JSON.stringify(r.date)}`);
  if (r.precision === 'YEAR' && !r.date.endsWith('-01-01')) problem('date', `must be 1 January when precision is YEAR, got ${JSON.stringify(r.date)}`);
  if (r.precision === 'PART_OF_DAY' && r.partOfDay === undefined) problem('partOfDay', 'is required when precision is PART_OF_DAY');
  if (r.precision !== 'PART_OF_DAY' && r.partOfDay !== undefined) problem('partOfDay', `is only allowed when precision is PART_OF_DAY, got precision ${r.precision}`);
  const timed = r.precision === 'HOUR' || r.precision === 'MINUTE';
  if (timed && r.startsAt === undefined) problem('startsAt', `is required when precision is ${r.precision}`);
  if (!timed && r.startsAt !== undefined) problem('startsAt', `is only allowed when the time of day is known (precision HOUR or MINUTE), got precision ${r.precision}`);

  r.place = ref('place', -1, '', r.place, places, 'place', 'places.json');
  if (r.places) for (let i = 0; i < r.places.length; i++) r.places[i] = ref('places', i, '', r.places[i], places, 'place', 'places.json');
  if (r.participants) {
    for (let i = 0; i < r.participants.length; i++) {
      const p = r.participants[i];
      p.actor = ref('participants', i, '.actor', p.actor, actors, 'actor', 'actors.json');
      if (p.reportedBy !== undefined) p.reportedBy = ref('participants', i, '.reportedBy', p.reportedBy, sources, 'source', 'sources.json');
      p.role = ctx.share(p.role) as typeof p.role;
    }
  }
  if (r.casualties) {
    for (let i = 0; i < r.casualties.length; i++) {
      const c = r.casualties[i];
      c.reportedBy = ref('casualties', i, '.reportedBy', c.reportedBy, sources, 'source', 'sources.json');
      c.kind = ctx.share(c.kind) as typeof c.kind;
      c.qualifier = ctx.share(c.qualifier) as typeof c.qualifier;
    }
  }
  for (let i = 0; i < r.sources.length; i++) r.sources[i].source = ref('sources', i, '.source', r.sources[i].source, sources, 'source', 'sources.json');
  if (r.quotes) {
    for (let i = 0; i < r.quotes.length; i++) {
      const q = r.quotes[i];
      q.speaker = ref('quotes', i, '.speaker', q.speaker, actors, 'actor', 'actors.json');
      if (q.reportedBy !== undefined) q.reportedBy = ref('quotes', i, '.reportedBy', q.reportedBy, sources, 'source', 'sources.json');
    }
  }
  if (r.related) {
    for (let i = 0; i < r.related.length; i++) {
      const s = r.related[i];
      if (s === r.slug) problem(`related[${i}]`, 'is the event itself; an event cannot be related to itself');
      else if (!ctx.hasEvent(s)) problem(`related[${i}]`, `unknown event ${JSON.stringify(s)}; expected the slug of an event in the data folder`, 'UNKNOWN_REFERENCE');
    }
  }
  r.category = ctx.share(r.category) as typeof r.category;
  r.precision = ctx.share(r.precision) as typeof r.precision;
  r.date = ctx.share(r.date);
  if (r.endDate !== undefined) r.endDate = ctx.share(r.endDate);
  if (r.partOfDay !== undefined) r.partOfDay = ctx.share(r.partOfDay) as typeof r.partOfDay;

  const timeZone = places.get(r.place)?.timeZone ?? null;
  if (places.get(r.place) !== undefined && timeZone === null) {
    problem('place', `${JSON.stringify(r.place)} has no time zone, nor has any place it lies in; add timeZone to it or to its country in places.json`);
  }
  // A zone that is not IANA was reported with its place; its events cannot be dated in it.
  if (found > 0 || timeZone === null || !isTimeZone(timeZone)) return null;
  if (r.startsAt !== undefined && localDateOf(r.startsAt, timeZone) !== r.date) {
    problem('startsAt', `falls on ${localDateOf(r.startsAt, timeZone)} in ${timeZone}, unlike date ${r.date}`);
    return null;
  }
  // Described dates recur as the dates do: one string each, not one per event. Most events are single days,
  // described by their date alone, which is looked up instead of described again.
  const singleDay = r.precision === 'DAY' && (r.endDate === undefined || r.endDate === r.date);
  let displayDate = r.displayDate ?? (singleDay ? ctx.days.get(r.date) : undefined);
  if (displayDate === undefined) {
    displayDate = ctx.share(describeDates({ date: r.date, endDate: r.endDate, precision: r.precision, partOfDay: r.partOfDay, startsAt: r.startsAt, timeZone }));
    if (singleDay) ctx.days.set(r.date, displayDate);
  }
  // Every event gets the same keys in the same order (the optional ones last), so that the store and resolvers,
  // which read the same fields of a million events, see at most three object shapes instead of one per key order
  // and set of optional fields in the files.
  const event: Event = {
    slug: r.slug,
    title: r.title,
    summary: r.summary,
    category: r.category,
    date: r.date,
    underWay: r.underWay === true,
    // API: endDate is null unless the event spans several days.
    endDate: r.endDate !== undefined && r.endDate !== r.date ? r.endDate : null,
    precision: r.precision,
    displayDate,
    timeZone,
    place: r.place,
    places: placesOf(r),
    participants: r.participants ?? NONE,
    casualties: r.casualties ?? NONE,
    sources: r.sources,
    quotes: r.quotes ?? NONE,
    related: r.related ?? NONE,
    revision: 1,
    updatedAt: null,
    status: r.retraction ? 'RETRACTED' : 'PUBLISHED',
    retraction: r.retraction ?? null,
  };
  if (r.partOfDay !== undefined) event.partOfDay = r.partOfDay;
  if (r.startsAt !== undefined) event.startsAt = r.startsAt;
  return event;
}

/** The main place, then the other places of an event, each once. */
function placesOf(r: EventRecord): string[] {
  const out = [r.place];
  if (r.places) for (const s of r.places) if (!out.includes(s)) out.push(s);
  return out;
}
