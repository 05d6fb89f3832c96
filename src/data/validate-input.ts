/**
 * The loader's rules applied to one proposed record (from a mutation or a hand edit): the same schema, the same
 * cross-checks and the same wording, each problem with the path of the field in the input (`["patch", "casualties",
 * "0", "count"]`) and a code. Nothing here changes anything; it says what the record would become, or why not.
 */
import type { EntityType, FileForm } from './change';
import type { Actor, Event, Place, Source } from './dataset';
import type { DataProblem } from './problems';
import { checkAffiliations, resolveCatalogue, resolvePlaces, type Located } from './resolve-catalogues';
import { resolveEvent, type ProblemCode, type SlugLookup } from './resolve-event';
import { ActorRecord, EventRecord, PlaceRecord, SourceRecord, type PlaceRecord as PlaceRecordType } from './schema';
import { validateAgainst } from './validate-record';

/** One broken rule in a proposed record. */
export interface InputProblem {
  /** Path of the field in the input, e.g. `["patch", "casualties", "0", "count"]`; the root alone for the whole record. */
  field: string[];
  /** The loader's wording, with the field's path in front, e.g. `casualties[0].count: must be a number >= 0, got -1`. */
  message: string;
  code: ProblemCode;
}

/** What an event is checked against: the records as they are now. */
export interface EventLookups {
  places: SlugLookup<Place>;
  actors: SlugLookup<Actor>;
  sources: SlugLookup<Source>;
  event(slug: string): Event | undefined;
}

/** `casualties[0].count` as `["casualties", "0", "count"]`. */
export function pathSegments(path: string): string[] {
  return path ? path.replace(/\[(\d+)\]/g, '.$1').split('.').filter(Boolean) : [];
}

function toInput(root: string[], path: string, message: string, code: ProblemCode): InputProblem {
  return { field: [...root, ...pathSegments(path)], message: path ? `${path}: ${message}` : message, code };
}

/** The loader words a missing reference "unknown place ..."; that is what makes it UNKNOWN_REFERENCE. */
function codeOf(message: string): ProblemCode {
  return /^unknown (place|actor|source|event) /.test(message) ? 'UNKNOWN_REFERENCE' : 'INVALID';
}

const SCHEMA_OF = { Event: EventRecord, Place: PlaceRecord, Actor: ActorRecord, Source: SourceRecord } as const;

/** The record's schema problems (wrong types, missing or unknown fields, values out of range). */
export function checkShape(type: EntityType, record: FileForm, root: string[]): InputProblem[] {
  return validateAgainst(SCHEMA_OF[type], record, '').map((p) => toInput(root, p.path, p.message, 'INVALID'));
}

/**
 * Checks an event in file form as the loader checks an event file, against the records in `lookups`, and builds its
 * served form (at revision 1; the caller sets its meta). `record` is not changed.
 */
export function checkEvent(record: FileForm, lookups: EventLookups, root: string[]): { event: Event | null; problems: InputProblem[] } {
  const problems = checkShape('Event', record, root);
  if (problems.length) return { event: null, problems };
  const event = resolveEvent(structuredClone(record) as EventRecord, {
    places: lookups.places,
    actors: lookups.actors,
    sources: lookups.sources,
    hasEvent: (slug) => lookups.event(slug) !== undefined,
    problem: (path, message, code) => problems.push(toInput(root, path, message, code)),
    share: (value) => value,
    days: new Map(),
  });
  return { event, problems };
}

/** A catalogue after a record of it is saved: every record resolved, and the problems of the saved one. */
export interface CatalogueCheck<T> {
  /** Every record of the catalogue, resolved, by slug (meaningful only without problems). */
  records: Map<string, T>;
  problems: InputProblem[];
}

/**
 * Checks a place, actor or source saved into its catalogue (`all`: every record of it in file form, the saved one
 * replacing the record with its slug or added at the end) exactly as the loader checks the catalogue file.
 */
export function checkCatalogueRecord(type: 'Place', record: FileForm, all: FileForm[], root: string[]): CatalogueCheck<Place>;
export function checkCatalogueRecord(type: 'Actor' | 'Source', record: FileForm, all: FileForm[], root: string[]): CatalogueCheck<Actor | Source>;
export function checkCatalogueRecord(type: Exclude<EntityType, 'Event'>, record: FileForm, all: FileForm[], root: string[]): CatalogueCheck<Place | Actor | Source> {
  const problems = checkShape(type, record, root);
  if (problems.length) return { records: new Map(), problems };
  const list = all.filter((r) => r.slug !== record.slug);
  list.push(record);
  const at = `${type.toLowerCase()}s[${list.length - 1}]`;
  const located = list.map((r, i) => ({ record: r, valid: true, file: '', line: 0, at: `${type.toLowerCase()}s[${i}]` })) as Located<never>[];
  const found: DataProblem[] = [];
  let records: Map<string, Place | Actor | Source>;
  if (type === 'Place') records = resolvePlaces(located as Located<PlaceRecordType>[], found);
  else {
    records = resolveCatalogue(located, type.toLowerCase(), found) as Map<string, Actor | Source>;
    if (type === 'Actor') checkAffiliations(located, records as Map<string, Actor>, found);
  }
  for (const p of found) {
    if (p.path !== at && !p.path.startsWith(`${at}.`)) continue;
    const path = p.path.slice(at.length + 1);
    problems.push(toInput(root, path, p.message, codeOf(p.message)));
  }
  return { records, problems };
}
