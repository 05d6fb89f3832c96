/** Reads a data folder, validates every file and every reference, and returns the data set or every problem. */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { folderFiles, type DatasetFiles } from './dataset-files';
import type { Actor, Dataset, Event, EventLocation, Place, RecordMeta, Source } from './dataset';
import { isTimeZone } from './dates';
import { DataError, type DataProblem } from './problems';
import { unknownReferences } from './references';
import { resolveEvent, type EventContext } from './resolve-event';
import { SlugTable } from './slug-table';
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
import { validateAgainst } from './validate-record';

/** The files every data folder has, besides its events. */
export const CATALOGUE_FILES = ['places.json', 'actors.json', 'sources.json'] as const;

/** A catalogue record with where it was read, for problems. */
export interface Located<T> {
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

/** Loads and checks the data folder `dir`; throws a {@link DataError} listing every problem found. */
export function loadDataset(dir: string): Promise<Dataset> {
  return loadDatasetFiles(folderFiles(dir));
}

/** Loads and checks the data set in `files` (a folder's, or a replica's from its database); as {@link loadDataset}. */
export async function loadDatasetFiles(files: DatasetFiles): Promise<Dataset> {
  const { dir } = files;
  const problems: DataProblem[] = [];
  const hash = createHash('sha256');
  const names = await files.names();

  const readJson = async (name: string): Promise<unknown> => {
    const file = path.join(dir, name);
    const text = await files.text(name, problems);
    if (text === undefined) return undefined;
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

  // The catalogues are resolved before any event is read, so that each event can be resolved as soon as it is
  // parsed (while it is fresh, and before it outlives a garbage collection); their problems are still listed
  // after those of the event files, as they always were.
  const catalogueProblems: DataProblem[] = [];
  const places = resolvePlaces(placeRecords, catalogueProblems);
  const actors = resolveCatalogue(actorRecords, 'actor', catalogueProblems);
  const sources = resolveCatalogue(sourceRecords, 'source', catalogueProblems);
  checkAffiliations(actorRecords, actors, catalogueProblems);
  const resolver = new EventResolver(places, actors, sources);
  const catalogues = { places, actors, sources };

  for (const name of names) {
    if ((CATALOGUE_FILES as readonly string[]).includes(name)) continue;
    const file = path.join(dir, name);
    if (name.endsWith('.json')) {
      const data = await readJson(name);
      if (data === undefined) continue;
      const found = validateAgainst(EventFile, data, file);
      problems.push(...found);
      if (found.length) {
        problems.push(...unknownReferences(data, file, catalogues).filter((p) => !found.some((f) => f.path === p.path)));
        continue;
      }
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
      resolver.add(record, file, 0);
    } else if (name.endsWith('.ndjson')) {
      await readNdjson(files.chunks(name, problems), file, name, hash, problems, resolver, catalogues);
    }
  }

  const events = resolver.finish();
  problems.push(...catalogueProblems, ...resolver.problems());
  if (problems.length) throw new DataError(problems);
  return {
    events,
    eventsBySlug: resolver.bySlug(),
    locate: resolver.locator(),
    places: [...places.values()],
    actors: [...actors.values()],
    sources: [...sources.values()],
    version: hash.digest('hex').slice(0, 16),
  };
}

/** Checks and resolves each line of an NDJSON file as its chunks come, hashing them. */
async function readNdjson(
  chunks: AsyncIterable<string>,
  file: string,
  name: string,
  hash: ReturnType<typeof createHash>,
  problems: DataProblem[],
  resolver: EventResolver,
  catalogues: Parameters<typeof unknownReferences>[2],
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
    if (!found.length) resolver.add(data as EventRecord, file, n);
    else {
      for (const p of found) problems.push({ ...p, file: `${file}:${n}` });
      problems.push(...unknownReferences(data, `${file}:${n}`, catalogues).filter((p) => !found.some((f) => f.path === p.path)));
    }
  };
  let rest = '';
  for await (const chunk of chunks) {
    const text = rest + chunk;
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

/** Gives each record of a catalogue its meta, reporting a slug used twice. */
export function resolveCatalogue<T extends { slug: string }>(
  records: Located<T>[],
  noun: string,
  problems: DataProblem[],
): Map<string, T & RecordMeta> {
  const bySlug = new Map<string, T & RecordMeta>();
  const firstAt = new Map<string, string>();
  for (const { record, file, at: where } of records) {
    const earlier = firstAt.get(record.slug);
    if (earlier) {
      problems.push({ file, path: at(where, 'slug'), message: `${JSON.stringify(record.slug)} is already the slug of ${noun} ${earlier}; slugs must be unique` });
      continue;
    }
    firstAt.set(record.slug, where);
    bySlug.set(record.slug, { ...record, revision: 1, updatedAt: null });
  }
  return bySlug;
}

/** Works out each place's parent chain and time zone, reporting every broken rule of places. */
export function resolvePlaces(records: Located<PlaceRecord>[], problems: DataProblem[]): Map<string, Place> {
  const bySlug = resolveCatalogue(records, 'place', problems);
  const located = new Map<string, Located<PlaceRecord>>();
  for (const r of records) if (!located.has(r.record.slug)) located.set(r.record.slug, r);
  const places = new Map<string, Place>();
  for (const { record, valid, file, at: where } of records) {
    // Only the first record with a slug is checked further; a later one is a duplicate, reported as such.
    if (!valid || located.get(record.slug)?.record !== record) continue;
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
    places.set(record.slug, { ...record, parent: record.parent ?? null, ancestors: cyclic ? [] : ancestors, timeZone, revision: 1, updatedAt: null });
  }
  return places;
}

/** Reports every affiliation of an actor that names no actor or the actor itself. */
export function checkAffiliations(records: Located<ActorRecord>[], actors: Map<string, Actor>, problems: DataProblem[]): void {
  for (const { record, valid, file, at: where } of records) {
    if (!valid || record.affiliation === undefined) continue;
    if (!actors.has(record.affiliation)) {
      problems.push({ file, path: at(where, 'affiliation'), message: `unknown actor ${JSON.stringify(record.affiliation)}; expected the slug of an actor in actors.json` });
    } else if (record.affiliation === record.slug) {
      problems.push({ file, path: at(where, 'affiliation'), message: 'is the actor itself; an actor cannot be its own affiliation' });
    }
  }
}

/**
 * Resolves each event as soon as it is parsed: checks it against the catalogues, shares their strings and builds
 * its {@link Event}, so that the parsed record dies young instead of living until every file is read. Problems
 * come out as a resolution after reading would list them: duplicate slugs first, then each event's own in order.
 */
class EventResolver implements EventContext {
  /**
   * The first event with each slug: its record number (in reading order) until it is made, then the event. Once
   * every record is in and none has a problem, this is every event by slug, which the store then need not rebuild.
   */
  private readonly first = new SlugTable<Event | number>();
  /** File and line of each record, by record number: a problem's file name is put together only when needed. */
  private readonly fileOfRecord: number[] = [];
  private readonly lineOfRecord: number[] = [];
  private readonly files: string[] = [];
  private readonly duplicates: DataProblem[] = [];
  /** Each event's own problems, with its record number (a deferred event's come later but sort back in place). */
  private readonly found: { k: number; problem: DataProblem }[] = [];
  /** Events, by record number; a deferred one fills its slot at the end. */
  private readonly events: Event[] = [];
  /** Events that name a related event not read yet; resolved once every slug is known. */
  private readonly deferred: { k: number; record: EventRecord }[] = [];
  /** The record being resolved, which problems are reported on. */
  private current = 0;
  /** How many records could not be made events (each has a problem, its own or its place's). */
  private skipped = 0;
  // The same strings for values that recur: dates, and the words of enums.
  private readonly shared = new Map<string, string>();
  /** How each single day (precision DAY, no span) is described, by date. */
  readonly days = new Map<string, string>();

  constructor(
    readonly places: Map<string, Place>,
    readonly actors: Map<string, Actor>,
    readonly sources: Map<string, Source>,
  ) {}

  /** Takes the next valid record, found in `file` (at NDJSON line `line`, else 0). */
  add(record: EventRecord, file: string, line: number): void {
    const k = this.fileOfRecord.length;
    if (this.files[this.files.length - 1] !== file) this.files.push(file);
    this.fileOfRecord.push(this.files.length - 1);
    this.lineOfRecord.push(line);
    let outcome: Event | number = k;
    if (this.waits(record)) {
      this.events.push(undefined as unknown as Event);
      this.deferred.push({ k, record });
    } else {
      const event = this.resolve(record, k);
      this.events.push(event as Event);
      if (event === null) this.skipped++;
      else outcome = event;
    }
    if (!this.first.add(record.slug, outcome)) {
      const kept = this.first.get(record.slug)!;
      const earlier = typeof kept === 'number' ? kept : this.events.indexOf(kept);
      this.duplicates.push({
        file: this.fileOf(k),
        path: 'slug',
        message: `${JSON.stringify(record.slug)} is already the slug of the event in ${this.fileOf(earlier)}; slugs must be unique`,
      });
    }
  }

  /** Every event (in (date, slug) order), once all records are added; meaningful only when there are no problems. */
  finish(): Event[] {
    for (const { k, record } of this.deferred) {
      const event = this.resolve(record, k);
      this.events[k] = event as Event;
      if (event === null) this.skipped++;
      else if (this.first.get(record.slug) === k) this.first.set(record.slug, event);
    }
    if (this.deferred.length) this.found.sort((a, b) => a.k - b.k);
    return sortEvents(this.skipped ? this.events.filter((e) => e !== null) : this.events);
  }

  /** The problems found, in the order a person reads them: duplicate slugs, then each event's. */
  problems(): DataProblem[] {
    return [...this.duplicates, ...this.found.map((f) => f.problem)];
  }

  /** Whether the record names a related event not read yet: it is then resolved at the end, against every slug. */
  private waits(record: EventRecord): boolean {
    if (record.related) for (const s of record.related) if (s !== record.slug && !this.first.has(s)) return true;
    return false;
  }

  /** Every event by slug; meaningful only when there are no problems. */
  bySlug(): SlugTable<Event> {
    return this.first as SlugTable<Event>;
  }

  /**
   * Where each event was read, by slug; meaningful only when there are no problems (then each slug was added once, so
   * its entry number in the slug table is its record number). Kept in typed arrays: 8 bytes an event.
   */
  locator(): (slug: string) => EventLocation | undefined {
    const { first, files } = this;
    const fileOf = Int32Array.from(this.fileOfRecord);
    const lineOf = Int32Array.from(this.lineOfRecord);
    return (slug) => {
      const k = first.indexOf(slug);
      return k >= 0 && k < fileOf.length ? { file: files[fileOf[k]], line: lineOf[k] } : undefined;
    };
  }

  private fileOf(k: number): string {
    const file = this.files[this.fileOfRecord[k]];
    return this.lineOfRecord[k] ? `${file}:${this.lineOfRecord[k]}` : file;
  }

  /** Reports a problem of the record being resolved. */
  problem(path: string, message: string): void {
    this.found.push({ k: this.current, problem: { file: this.fileOf(this.current), path, message } });
  }

  /** One shared copy of a recurring string: dates, and the words of enums. */
  share(value: string): string {
    const hit = this.shared.get(value);
    if (hit !== undefined) return hit;
    this.shared.set(value, value);
    return value;
  }

  /** Whether an event with this slug has been read. */
  hasEvent(slug: string): boolean {
    return this.first.has(slug);
  }

  /** Checks record `k` and builds its event, or reports why it cannot be served and returns null. */
  private resolve(r: EventRecord, k: number): Event | null {
    this.current = k;
    return resolveEvent(r, this);
  }
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
