/** Reads a data folder, validates every file and every reference, and returns the data set or every problem. */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Actor, Dataset, Event, Place, Source } from './dataset';
import { describeDates, isCalendarDate, isTimeZone, localDateOf } from './dates';
import { DataError, type DataProblem } from './problems';
import {
  ActorsFile,
  EventFile,
  EventRecord,
  PlacesFile,
  Slug,
  SourcesFile,
  type ActorRecord,
  type PlaceRecord,
  type SourceRecord,
} from './schema';
import { validateAgainst, withArticle } from './validate-record';

/** The files every data folder has, besides its events. */
export const CATALOGUE_FILES = ['places.json', 'actors.json', 'sources.json'] as const;

interface Located<T> {
  record: T;
  /** False when the record broke the schema: it still names a slug others may refer to, but its own fields are not checked further. */
  valid: boolean;
  file: string;
  /** Line number inside an NDJSON file, else 0. */
  line: number;
  /** Prefix for field paths: `places[3]` inside a catalogue file, empty for an event file. */
  at: string;
}

const SLUG_RE = new RegExp(Slug.pattern!);

const at = (prefix: string, field: string) => (prefix ? `${prefix}.${field}` : field);

/** The file as problems name it: `file:line` for an NDJSON line. */
const fileOf = (located: Located<unknown>) => (located.line ? `${located.file}:${located.line}` : located.file);

/** Loads and checks the data folder `dir`; throws a {@link DataError} listing every problem found. */
export async function loadDataset(dir: string): Promise<Dataset> {
  const problems: DataProblem[] = [];
  const hash = createHash('sha256');
  let names: string[];
  try {
    names = (await fs.readdir(dir)).sort();
  } catch (err) {
    throw new DataError([{ file: dir, path: '', message: `cannot read the data folder (${(err as NodeJS.ErrnoException).code ?? err})` }]);
  }

  const readJson = async (name: string): Promise<unknown> => {
    const file = path.join(dir, name);
    const text = await fs.readFile(file, 'utf8');
    hash.update(`${name}\0${text}\0`);
    try {
      return JSON.parse(text);
    } catch (err) {
      problems.push({ file, path: '', message: `is not valid JSON: ${(err as Error).message}` });
      return undefined;
    }
  };

  const catalogue = async <T>(name: string, schema: typeof PlacesFile | typeof ActorsFile | typeof SourcesFile, key: string) => {
    const file = path.join(dir, name);
    if (!names.includes(name)) {
      problems.push({ file, path: '', message: `is missing; every data folder needs ${CATALOGUE_FILES.join(', ')}` });
      return [] as Located<T>[];
    }
    const data = await readJson(name);
    if (data === undefined) return [] as Located<T>[];
    const found = validateAgainst(schema, data, file);
    problems.push(...found);
    // A wrong record keeps its slug, so that what refers to it is not reported as well.
    const wrong = new Set(found.map((p) => new RegExp(`^${key}\\[(\\d+)\\]`).exec(p.path)?.[1]));
    const records: unknown = (data as Record<string, unknown>)?.[key];
    if (wrong.has(undefined) || !Array.isArray(records)) return [] as Located<T>[];
    return records
      .map((record: T, i) => ({ record, valid: !wrong.has(String(i)), file, line: 0, at: `${key}[${i}]` }))
      .filter(({ record }) => typeof (record as { slug?: unknown })?.slug === 'string' && SLUG_RE.test((record as { slug: string }).slug));
  };

  const placeRecords = await catalogue<PlaceRecord>('places.json', PlacesFile, 'places');
  const actorRecords = await catalogue<ActorRecord>('actors.json', ActorsFile, 'actors');
  const sourceRecords = await catalogue<SourceRecord>('sources.json', SourcesFile, 'sources');

  const eventRecords: Located<EventRecord>[] = [];
  for (const name of names) {
    if ((CATALOGUE_FILES as readonly string[]).includes(name)) continue;
    const file = path.join(dir, name);
    if (name.endsWith('.json')) {
      const data = await readJson(name);
      if (data === undefined) continue;
      const found = validateAgainst(EventFile, data, file);
      problems.push(...found);
      if (found.length) continue;
      const { $schema: _ignored, ...record } = data as EventRecord & { $schema?: string };
      const expected = `${record.date}-${record.slug}.json`;
      if (name !== expected) {
        const field = name.startsWith(`${record.date}-`) ? 'slug' : 'date';
        problems.push({
          file,
          path: field,
          message: `is ${JSON.stringify(record[field])}, unlike the file name; expected the file to be named ${expected}`,
        });
      }
      eventRecords.push({ record, valid: true, file, line: 0, at: '' });
    } else if (name.endsWith('.ndjson')) {
      await readNdjson(file, name, hash, problems, eventRecords);
    }
  }

  const places = resolvePlaces(placeRecords, problems);
  const actors = resolveCatalogue(actorRecords, 'actor', problems);
  const sources = resolveCatalogue(sourceRecords, 'source', problems);
  checkAffiliations(actorRecords, actors, problems);
  const events = resolveEvents(eventRecords, places, actors, sources, problems);

  if (problems.length) throw new DataError(problems);
  return {
    events,
    places: [...places.values()],
    actors: [...actors.values()],
    sources: [...sources.values()],
    version: hash.digest('hex').slice(0, 16),
  };
}

async function readNdjson(
  file: string,
  name: string,
  hash: ReturnType<typeof createHash>,
  problems: DataProblem[],
  into: Located<EventRecord>[],
): Promise<void> {
  hash.update(`${name}\0`);
  let n = 0;
  const onLine = (line: string) => {
    n++;
    if (!line.trim()) return;
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch (err) {
      problems.push({ file: `${file}:${n}`, path: '', message: `is not valid JSON: ${(err as Error).message}` });
      return;
    }
    // Nearly every line is valid: its file:line name is only built when a problem needs it.
    const found = validateAgainst(EventRecord, data, '');
    if (!found.length) into.push({ record: data as EventRecord, valid: true, file, line: n, at: '' });
    else for (const p of found) problems.push({ ...p, file: `${file}:${n}` });
  };
  let rest = '';
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = rest + (chunk as string);
    const end = text.lastIndexOf('\n') + 1;
    rest = text.slice(end);
    if (end) splitLines(text, end, hash, onLine);
  }
  if (rest) splitLines(`${rest}\n`, rest.length + 1, hash, onLine);
}

/**
 * Calls `onLine` with each line of `text` up to `end` (just after a `\n`) and hashes each line followed by `\n`.
 * Lines end as readline ends them: at `\n`, `\r\n` or a lone `\r`.
 */
export function splitLines(text: string, end: number, hash: { update(data: string): unknown }, onLine: (line: string) => void): void {
  const cr = text.indexOf('\r');
  if (cr < 0 || cr >= end) {
    hash.update(end === text.length ? text : text.slice(0, end));
    for (let start = 0; start < end; ) {
      const nl = text.indexOf('\n', start);
      onLine(text.slice(start, nl));
      start = nl + 1;
    }
    return;
  }
  for (let start = 0; start < end; ) {
    const nl = text.indexOf('\n', start);
    const segment = text.slice(start, nl);
    start = nl + 1;
    // A segment ending in \r ended in \r\n; any other \r inside it ends a line of its own.
    const lines = segment.split('\r');
    if (segment.endsWith('\r')) lines.pop();
    for (const line of lines) {
      hash.update(`${line}\n`);
      onLine(line);
    }
  }
}

function resolveCatalogue<T extends { slug: string }>(
  records: Located<T>[],
  noun: string,
  problems: DataProblem[],
): Map<string, T> {
  const bySlug = new Map<string, T>();
  const firstAt = new Map<string, string>();
  for (const { record, file, at: where } of records) {
    const earlier = firstAt.get(record.slug);
    if (earlier) {
      problems.push({ file, path: at(where, 'slug'), message: `${JSON.stringify(record.slug)} is already the slug of ${noun} ${earlier}; slugs must be unique` });
      continue;
    }
    firstAt.set(record.slug, where);
    bySlug.set(record.slug, record);
  }
  return bySlug;
}

function resolvePlaces(records: Located<PlaceRecord>[], problems: DataProblem[]): Map<string, Place> {
  const bySlug = resolveCatalogue(records, 'place', problems);
  const located = new Map<string, Located<PlaceRecord>>();
  for (const r of records) if (!located.has(r.record.slug)) located.set(r.record.slug, r);
  const places = new Map<string, Place>();
  for (const { record, valid, file, at: where } of records) {
    if (!valid || bySlug.get(record.slug) !== record) continue;
    if ((record.latitude === undefined) !== (record.longitude === undefined)) {
      const missing = record.latitude === undefined ? 'latitude' : 'longitude';
      problems.push({ file, path: at(where, missing), message: 'is required when the other coordinate is given; give both or neither' });
    }
    if (record.timeZone !== undefined && !isTimeZone(record.timeZone)) {
      problems.push({ file, path: at(where, 'timeZone'), message: `${JSON.stringify(record.timeZone)} is not an IANA time zone, e.g. "Asia/Damascus"` });
    }
    const parent = record.parent ?? null;
    if (parent !== null && !bySlug.has(parent)) {
      problems.push({ file, path: at(where, 'parent'), message: `unknown place ${JSON.stringify(parent)}; expected the slug of a place in places.json` });
    }
  }
  for (const record of bySlug.values()) {
    const ancestors: string[] = [];
    const chain = [record.slug];
    let timeZone = record.timeZone ?? null;
    let cursor = record.parent ?? null;
    let cyclic = false;
    while (cursor !== null && bySlug.has(cursor)) {
      if (chain.includes(cursor)) {
        cyclic = true;
        break;
      }
      chain.push(cursor);
      ancestors.push(cursor);
      const parent = bySlug.get(cursor)!;
      timeZone ??= parent.timeZone ?? null;
      cursor = parent.parent ?? null;
    }
    if (cyclic) {
      const { file, at: where } = located.get(record.slug)!;
      problems.push({ file, path: at(where, 'parent'), message: `${[...chain, cursor].map((s) => JSON.stringify(s)).join(' -> ')} is a cycle; a place cannot lie inside itself` });
    }
    places.set(record.slug, { ...record, parent: record.parent ?? null, ancestors: cyclic ? [] : ancestors, timeZone });
  }
  return places;
}

function checkAffiliations(records: Located<ActorRecord>[], actors: Map<string, Actor>, problems: DataProblem[]): void {
  for (const { record, valid, file, at: where } of records) {
    if (!valid || record.affiliation === undefined) continue;
    if (!actors.has(record.affiliation)) {
      problems.push({ file, path: at(where, 'affiliation'), message: `unknown actor ${JSON.stringify(record.affiliation)}; expected the slug of an actor in actors.json` });
    } else if (record.affiliation === record.slug) {
      problems.push({ file, path: at(where, 'affiliation'), message: 'is the actor itself; an actor cannot be its own affiliation' });
    }
  }
}

function resolveEvents(
  records: Located<EventRecord>[],
  places: Map<string, Place>,
  actors: Map<string, Actor>,
  sources: Map<string, Source>,
  problems: DataProblem[],
): Event[] {
  const first = new Map<string, Located<EventRecord>>();
  for (const located of records) {
    const earlier = first.get(located.record.slug);
    if (earlier) {
      problems.push({
        file: fileOf(located),
        path: 'slug',
        message: `${JSON.stringify(located.record.slug)} is already the slug of the event in ${fileOf(earlier)}; slugs must be unique`,
      });
    } else first.set(located.record.slug, located);
  }

  // One pair of helpers for all events (not a closure per event): they report on `current`.
  let current = records[0];
  const problem = (p: string, message: string) => problems.push({ file: fileOf(current), path: p, message });
  // Returns the catalogue's own copy of the slug: a million events then share a few thousand strings instead of
  // holding ten million copies (less memory, and the store's lookups of them stay in cache).
  // The field path is `list[i]field` (or `list` alone when i < 0), put together only when there is a problem.
  const ref = (list: string, i: number, field: string, slug: string, table: Map<string, { slug: string }>, noun: string, home: string): string => {
    const hit = table.get(slug);
    if (hit !== undefined) return hit.slug;
    problem(i < 0 ? list : `${list}[${i}]${field}`, `unknown ${noun} ${JSON.stringify(slug)}; expected the slug of ${withArticle(noun)} in ${home}`);
    return slug;
  };
  // The same for values that recur: dates, and the words of enums.
  const shared = new Map<string, string>();
  const share = (value: string): string => {
    const hit = shared.get(value);
    if (hit !== undefined) return hit;
    shared.set(value, value);
    return value;
  };

  const events: Event[] = [];
  for (const located of records) {
    current = located;
    const r = located.record;
    const before = problems.length;

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
        p.role = share(p.role) as typeof p.role;
      }
    }
    if (r.casualties) {
      for (let i = 0; i < r.casualties.length; i++) {
        const c = r.casualties[i];
        c.reportedBy = ref('casualties', i, '.reportedBy', c.reportedBy, sources, 'source', 'sources.json');
        c.kind = share(c.kind) as typeof c.kind;
        c.qualifier = share(c.qualifier) as typeof c.qualifier;
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
        else if (!first.has(s)) problem(`related[${i}]`, `unknown event ${JSON.stringify(s)}; expected the slug of an event in the data folder`);
      }
    }
    r.category = share(r.category) as typeof r.category;
    r.precision = share(r.precision) as typeof r.precision;
    r.date = share(r.date);
    if (r.endDate !== undefined) r.endDate = share(r.endDate);
    if (r.partOfDay !== undefined) r.partOfDay = share(r.partOfDay) as typeof r.partOfDay;

    const timeZone = places.get(r.place)?.timeZone ?? null;
    if (places.has(r.place) && timeZone === null) {
      problem('place', `${JSON.stringify(r.place)} has no time zone, nor has any place it lies in; add timeZone to it or to its country in places.json`);
    }
    // A zone that is not IANA was reported with its place; its events cannot be dated in it.
    if (problems.length > before || timeZone === null || !isTimeZone(timeZone)) continue;
    if (r.startsAt !== undefined && localDateOf(r.startsAt, timeZone) !== r.date) {
      problem('startsAt', `falls on ${localDateOf(r.startsAt, timeZone)} in ${timeZone}, unlike date ${r.date}`);
      continue;
    }
    const displayDate =
      r.displayDate ??
      describeDates({ date: r.date, endDate: r.endDate, precision: r.precision, partOfDay: r.partOfDay, startsAt: r.startsAt, timeZone });
    // Every event gets the same keys in the same order (the optional ones last), so that the store and resolvers,
    // which read the same fields of a million events, see at most three object shapes instead of one per key order
    // and set of optional fields in the files.
    const event: Event = {
      slug: r.slug,
      title: r.title,
      summary: r.summary,
      category: r.category,
      date: r.date,
      // API: endDate is null unless the event spans several days.
      endDate: r.endDate !== undefined && r.endDate !== r.date ? r.endDate : null,
      precision: r.precision,
      displayDate,
      timeZone,
      place: r.place,
      places: placesOf(r),
      participants: r.participants ?? [],
      casualties: r.casualties ?? [],
      sources: r.sources,
      quotes: r.quotes ?? [],
      related: r.related ?? [],
    };
    if (r.partOfDay !== undefined) event.partOfDay = r.partOfDay;
    if (r.startsAt !== undefined) event.startsAt = r.startsAt;
    events.push(event);
  }
  return sortEvents(events);
}

/** The main place, then the other places of an event, each once. */
function placesOf(r: EventRecord): string[] {
  const out = [r.place];
  if (r.places) for (const s of r.places) if (!out.includes(s)) out.push(s);
  return out;
}

const byDateThenSlug = (a: Event, b: Event) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0);
const bySlugOnly = (a: Event, b: Event) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0);

/**
 * Puts events in (date, slug) order. Bulk files usually come in date order already: then only the runs of one
 * date that are out of slug order are sorted, not the whole list.
 */
export function sortEvents(events: Event[]): Event[] {
  for (let i = 1; i < events.length; i++) if (events[i - 1].date > events[i].date) return events.sort(byDateThenSlug);
  for (let start = 0; start < events.length; ) {
    const date = events[start].date;
    let end = start + 1;
    let ordered = true;
    for (; end < events.length && events[end].date === date; end++) if (events[end - 1].slug > events[end].slug) ordered = false;
    if (!ordered) {
      const run = events.slice(start, end).sort(bySlugOnly);
      for (let k = 0; k < run.length; k++) events[start + k] = run[k];
    }
    start = end;
  }
  return events;
}
