/**
 * A replica's start: one consistent snapshot of the records and the change log, turned into the data set by the
 * loader itself, so that a replica serves exactly what a folder with the same records would, checked by the same
 * rules. The events come as one COPY stream, handed to the loader as the lines of one NDJSON file while the database
 * is still sending them.
 */
import * as path from 'node:path';
import type { PoolClient, Pool } from 'pg';
import type { CommittedChange, FileForm } from '../../data/change';
import type { Dataset, RecordMeta } from '../../data/dataset';
import type { DatasetFiles } from '../../data/dataset-files';
import { catalogueFileText } from '../../data/file-form';
import { loadDatasetFiles } from '../../data/load-dataset';
import { DataError } from '../../data/problems';
import { changesAfter } from './change-log';
import { copyLines } from './copy-text';
import { inTransaction } from './pool';
import { readCatalogues, readDatasetInfo, type CatalogueType } from './snapshot';
import { CATALOGUES } from './tables';

/** The data set as of change `lastSeq`, with every change up to it and the catalogues in file form. */
export interface DatabaseSnapshot {
  dataset: Dataset;
  changes: CommittedChange[];
  lastSeq: number;
  catalogues: Record<CatalogueType, FileForm[]>;
  importedAt: string;
}

const CHANGES_PER_READ = 10_000;

/** The one NDJSON file the loader is given the events as (only ever named in its problems). */
const EVENTS_FILE = 'events.ndjson';

/**
 * Every event's record, in the order of the import's files and lines (so that the data version, a hash of the
 * text, is the same on every replica). As text: the json type keeps the text as written, which the loader parses.
 */
const EVENTS_SQL = 'SELECT record::text FROM events ORDER BY origin_file, origin_line, slug';

/** Reads everything the database holds, as of one instant. */
export function readDataset(pool: Pool): Promise<DatabaseSnapshot> {
  return inTransaction(
    pool,
    async (client) => {
      const { importedAt, lastSeq } = await readDatasetInfo(client);
      const catalogues = await readCatalogues(client);
      const changes: CommittedChange[] = [];
      for (let page: CommittedChange[]; (page = await changesAfter(client, changes.at(-1)?.seq ?? 0, CHANGES_PER_READ)).length; ) changes.push(...page);
      const dataset = await loadRecords(databaseFiles(client, catalogues));
      applyMeta(dataset, latestRevisions(changes));
      // The loader's content hash, plus the snapshot's seq: two snapshots whose records happen to read the same (an
      // edit and its undo) still name different points of the log, so replicas never share a version for different data.
      dataset.version = `${dataset.version}@${lastSeq}`;
      return { dataset, changes, lastSeq, catalogues, importedAt };
    },
    'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
  );
}

/**
 * The snapshot as the files of a data folder: the catalogue files written as people write them, and every event
 * as a line of one NDJSON file, streamed by COPY as the loader reads it.
 */
function databaseFiles(client: PoolClient, catalogues: Record<CatalogueType, FileForm[]>): DatasetFiles {
  const texts = new Map<string, string>(CATALOGUES.map(({ type, file }) => [file, catalogueFileText(type, catalogues[type])]));
  return {
    dir: 'database',
    names: async () => [...texts.keys(), EVENTS_FILE].sort(),
    text: async (name) => texts.get(name),
    chunks: () => copyLines(client, EVENTS_SQL),
  };
}

/** The loader's data set, or an error listing what it refused (records the API would never have written). */
async function loadRecords(files: DatasetFiles): Promise<Dataset> {
  try {
    return await loadDatasetFiles(files);
  } catch (err) {
    if (!(err instanceof DataError)) throw err;
    throw new Error(`the database holds records the loader refuses (was it changed by hand?):\n${err.problems.map((p) => `  ${path.basename(p.file)}: ${p.path}: ${p.message}`).join('\n')}`);
  }
}

/**
 * The revision and time of every record changed since the import, keyed `Type:slug`: its last change's (a commit
 * writes both with the same values; every other record is at revision 1).
 */
function latestRevisions(changes: CommittedChange[]): Map<string, RecordMeta> {
  const revised = new Map<string, RecordMeta>();
  for (const { entity, revision, at } of changes) revised.set(`${entity.type}:${entity.slug}`, { revision, updatedAt: at });
  return revised;
}

/** Gives each changed record its revision and time (the loader starts every record at revision 1). */
function applyMeta(dataset: Dataset, revised: Map<string, RecordMeta>): void {
  if (!revised.size) return;
  const lists = { Place: dataset.places, Actor: dataset.actors, Source: dataset.sources } as const;
  for (const [type, records] of Object.entries(lists)) {
    for (const record of records) Object.assign(record, revised.get(`${type}:${record.slug}`));
  }
  const bySlug = dataset.eventsBySlug ?? new Map(dataset.events.map((e) => [e.slug, e]));
  for (const [key, meta] of revised) {
    if (key.startsWith('Event:')) Object.assign(bySlug.get(key.slice('Event:'.length)) ?? {}, meta);
  }
}
