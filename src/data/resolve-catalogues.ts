/** Resolves the catalogues (places, actors, sources): each record's meta, unique slugs, place chains, affiliations. */
import type { Actor, Place, RecordMeta } from './dataset';
import { isTimeZone } from './dates';
import type { DataProblem } from './problems';
import type { ActorRecord, PlaceRecord } from './schema';

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

const at = (prefix: string, field: string) => (prefix ? `${prefix}.${field}` : field);

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
