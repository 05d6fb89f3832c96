/** Which table holds each kind of record, and which catalogue file each catalogue table is written to. */
import type { EntityType } from '../../data/change';
import { CATALOGUE_OF } from '../../data/file-form';

/** The record tables, by entity type (fixed names: never built from input). */
export const TABLE_OF: Record<EntityType, 'events' | 'places' | 'actors' | 'sources'> = {
  Event: 'events',
  Place: 'places',
  Actor: 'actors',
  Source: 'sources',
};

/** The catalogue tables, each with its file and the key that holds its list in that file. */
export const CATALOGUES = (['Place', 'Actor', 'Source'] as const).map((type) => ({ type, table: TABLE_OF[type] as 'places' | 'actors' | 'sources', ...CATALOGUE_OF[type] }));

/** Rows are read and written this many at a time, so that a million events never sit in one query. */
export const BATCH = 5000;
