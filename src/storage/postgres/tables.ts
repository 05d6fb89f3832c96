/** Which table holds each kind of record, and which catalogue file each catalogue table is written to. */
import type { EntityType } from '../../data/change';

/** The record tables, by entity type (fixed names: never built from input). */
export const TABLE_OF: Record<EntityType, 'events' | 'places' | 'actors' | 'sources'> = {
  Event: 'events',
  Place: 'places',
  Actor: 'actors',
  Source: 'sources',
};

/** The catalogue tables, each with its file and the key that holds its list in that file. */
export const CATALOGUES = [
  { type: 'Place', table: 'places', file: 'places.json', key: 'places' },
  { type: 'Actor', table: 'actors', file: 'actors.json', key: 'actors' },
  { type: 'Source', table: 'sources', file: 'sources.json', key: 'sources' },
] as const;

/** Rows are read and written this many at a time, so that a million events never sit in one query. */
export const BATCH = 5000;
