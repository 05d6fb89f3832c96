/**
 * Records in their file form, written exactly as people write the files by hand: the keys in the order the schema
 * lists them, `$schema` first, 2-space JSON and a trailing newline, so that a `git diff` of an edit shows only what
 * changed. Also the comparisons the revision history needs (same record? which fields changed?).
 */
import type { EntityType, FileForm } from './change';
import type { Actor, Event, Place, Source } from './dataset';
import { describeDates } from './dates';
import { ActorRecord, EventRecord, PlaceRecord, SourceRecord } from './schema';

/** The catalogue file of each kind of catalogue record, and the key of its list. */
export const CATALOGUE_OF = {
  Place: { file: 'places.json', key: 'places', schema: './schema/places.schema.json' },
  Actor: { file: 'actors.json', key: 'actors', schema: './schema/actors.schema.json' },
  Source: { file: 'sources.json', key: 'sources', schema: './schema/sources.schema.json' },
} as const;

/** The `$schema` line of an event file. */
export const EVENT_SCHEMA_REF = './schema/event.schema.json';

const KEY_ORDER: Record<EntityType, string[]> = {
  Event: Object.keys(EventRecord.properties),
  Place: Object.keys(PlaceRecord.properties),
  Actor: Object.keys(ActorRecord.properties),
  Source: Object.keys(SourceRecord.properties),
};

/** The record with its keys in schema order (unknown keys last, as they were), and `undefined` values left out. */
export function ordered(type: EntityType, record: FileForm): FileForm {
  const out: FileForm = {};
  for (const key of KEY_ORDER[type]) if (record[key] !== undefined) out[key] = record[key];
  for (const key of Object.keys(record)) if (!(key in out) && key !== '$schema' && record[key] !== undefined) out[key] = record[key];
  return out;
}

/** The name of an event's own file: `<date>-<slug>.json`. */
export function eventFileName(record: FileForm): string {
  return `${String(record.date)}-${String(record.slug)}.json`;
}

/** The whole text of an event's own file. */
export function eventFileText(record: FileForm): string {
  return `${JSON.stringify({ $schema: EVENT_SCHEMA_REF, ...ordered('Event', record) }, null, 2)}\n`;
}

/** One line of an NDJSON events file (without its newline). */
export function eventLine(record: FileForm): string {
  return JSON.stringify(ordered('Event', record));
}

/** The whole text of a catalogue file (`places.json`, ...) holding `records` in the given order. */
export function catalogueFileText(type: Exclude<EntityType, 'Event'>, records: FileForm[]): string {
  const { key, schema } = CATALOGUE_OF[type];
  return `${JSON.stringify({ $schema: schema, [key]: records.map((r) => ordered(type, r)) }, null, 2)}\n`;
}

/**
 * Whether two values hold the same data, whatever the order of their keys: what comparing their JSON with the keys
 * sorted would say (a key whose value is undefined is no key), worked out by walking both at once, with no text built:
 * an edit compares whole records, and then each field for `changedFields`.
 */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  // Every key of `a` with a value must hold the same in `b`; then `b` may have no other key with a value.
  let keys = 0;
  for (const key of Object.keys(x)) {
    if (x[key] === undefined) continue;
    keys++;
    if (!Object.hasOwn(y, key) || !sameData(x[key], y[key])) return false;
  }
  for (const key of Object.keys(y)) if (y[key] !== undefined) keys--;
  return keys === 0;
}

/** Top-level fields that differ between two file forms, in schema order (every field of `after` for a creation). */
export function changedFields(type: EntityType, before: FileForm | null, after: FileForm): string[] {
  const keys = Object.keys(ordered(type, { ...(before ?? {}), ...after }));
  if (before === null) return Object.keys(ordered(type, after));
  return keys.filter((k) => !sameData(before[k], after[k]));
}

/**
 * An event's file form worked out from its served form, for when the file itself is not at hand: what the loader
 * derived (the display date, the main place among the places, empty lists, an end date equal to the date) is left
 * out, so that loading the result gives the same event.
 */
export function eventFileForm(event: Event): FileForm {
  const derived = describeDates({ ...event, endDate: event.endDate ?? undefined });
  return ordered('Event', {
    slug: event.slug,
    title: event.title,
    summary: event.summary,
    category: event.category,
    date: event.date,
    underWay: event.underWay ? true : undefined,
    endDate: event.endDate ?? undefined,
    precision: event.precision,
    partOfDay: event.partOfDay,
    startsAt: event.startsAt,
    displayDate: event.displayDate === derived ? undefined : event.displayDate,
    place: event.place,
    places: event.places.length > 1 ? event.places.slice(1) : undefined,
    participants: event.participants.length ? event.participants : undefined,
    casualties: event.casualties.length ? event.casualties : undefined,
    sources: event.sources,
    quotes: event.quotes.length ? event.quotes : undefined,
    related: event.related.length ? event.related : undefined,
    retraction: event.retraction ?? undefined,
  });
}

/**
 * A catalogue record's file form worked out from its served form. A place's own time zone is not kept apart from
 * the one it inherits; it is written when it differs from its parent's (`parentZone`), which loads the same.
 */
export function catalogueFileForm(type: 'Place', record: Place, parentZone: string | null): FileForm;
export function catalogueFileForm(type: 'Actor' | 'Source', record: Actor | Source): FileForm;
export function catalogueFileForm(type: Exclude<EntityType, 'Event'>, record: Place | Actor | Source, parentZone?: string | null): FileForm {
  const { revision: _r, updatedAt: _u, ...rest } = record as Place & { revision: number; updatedAt: string | null };
  if (type !== 'Place') return ordered(type, rest);
  const { ancestors: _a, parent, timeZone, ...own } = rest;
  return ordered('Place', { ...own, parent: parent ?? undefined, timeZone: timeZone !== null && timeZone !== parentZone ? timeZone : undefined });
}
