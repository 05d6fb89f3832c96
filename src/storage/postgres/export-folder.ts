/**
 * Writes the database's records as a data folder, from one consistent snapshot: `db:export` lays it out as it was
 * imported (event files stay files, NDJSON lines stay in their file and order; new events get files of their own),
 * each record written as people write them (`data/file-form.ts`), and a replica's start writes all events as one
 * NDJSON file for the loader to read fast.
 */
import { createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import * as path from 'node:path';
import type { PoolClient } from 'pg';
import type { EntityType, FileForm } from '../../data/change';
import type { RecordMeta } from '../../data/dataset';
import { catalogueFileText, eventFileName, eventFileText, eventLine } from '../../data/file-form';
import { dataSchemaFiles } from '../../data/json-schema-files';
import { cursorRows } from './pool';
import { BATCH, CATALOGUES } from './tables';

/** `as-imported`: the folder as a newsroom keeps it; `one-ndjson`: every event in `events.ndjson`, no schema files. */
export type FolderLayout = 'as-imported' | 'one-ndjson';

/** What a snapshot held besides the files written. */
export interface WrittenFolder {
  counts: Record<'events' | 'places' | 'actors' | 'sources', number>;
  /** The last change the snapshot includes (0 when none). */
  lastSeq: number;
  datasetId: string;
  /** RFC 3339 instant of the import: revision 1 of every record imported. */
  importedAt: string;
  /** Revision and time of every record changed since import, keyed `Type:slug` (the rest are at revision 1). */
  revised: Map<string, RecordMeta>;
  /** Every catalogue record in file form, in file order. */
  catalogues: Record<CatalogueType, FileForm[]>;
}

/** The kinds of record kept in a catalogue file. */
export type CatalogueType = Exclude<EntityType, 'Event'>;

/** The database holds no data set yet. */
export class NoDatasetError extends Error {
  constructor() {
    super('the database holds no data set yet: import a data folder first with `npm run db:import -- DIR`');
    this.name = 'NoDatasetError';
  }
}

interface Row {
  slug: string;
  record: string;
  revision: number;
  updated_at: Date | null;
}

/**
 * Writes every record into the empty or missing folder `dir`. Runs in the caller's REPEATABLE READ transaction, so
 * that the records and `lastSeq` agree.
 */
export async function writeFolder(client: PoolClient, dir: string, layout: FolderLayout): Promise<WrittenFolder> {
  const { rows } = await client.query<{ dataset_id: string; imported_at: Date; last_seq: string }>(
    'SELECT dataset_id, imported_at, (SELECT last_seq FROM change_counter) AS last_seq FROM dataset_info',
  );
  if (!rows.length) throw new NoDatasetError();
  await prepareFolder(dir);
  const written: WrittenFolder = {
    counts: { events: 0, places: 0, actors: 0, sources: 0 },
    lastSeq: Number(rows[0].last_seq),
    datasetId: rows[0].dataset_id,
    importedAt: rows[0].imported_at.toISOString(),
    revised: new Map(),
    catalogues: { Place: [], Actor: [], Source: [] },
  };
  const note = (type: EntityType, row: Row) => {
    if (row.revision > 1) written.revised.set(`${type}:${row.slug}`, { revision: row.revision, updatedAt: row.updated_at!.toISOString() });
  };
  for (const { type, table, file } of CATALOGUES) {
    const records = written.catalogues[type];
    for await (const batch of cursorRows<Row>(client, `SELECT slug, record::text AS record, revision, updated_at FROM ${table} ORDER BY position`, BATCH)) {
      for (const row of batch) {
        records.push(JSON.parse(row.record));
        note(type, row);
      }
    }
    await fs.writeFile(path.join(dir, file), catalogueFileText(type, records));
    written.counts[table] = records.length;
  }
  const streams = new Map<string, WriteStream>();
  const ndjson = (name: string) => {
    let stream = streams.get(name);
    if (!stream) streams.set(name, (stream = createWriteStream(path.join(dir, name))));
    return stream;
  };
  try {
    // In an NDJSON file the lines keep their order; an event from a file of its own (or new) gets a file of its own.
    const sql = `SELECT slug, date, record::text AS record, revision, updated_at, origin_file FROM events ORDER BY origin_file, origin_line, slug`;
    for await (const batch of cursorRows<Row & { date: string; origin_file: string | null }>(client, sql, BATCH)) {
      for (const row of batch) {
        note('Event', row);
        written.counts.events++;
        if (layout === 'one-ndjson') await writeLine(ndjson('events.ndjson'), row.record);
        else if (row.origin_file?.endsWith('.ndjson')) await writeLine(ndjson(row.origin_file), eventLine(JSON.parse(row.record)));
        else await fs.writeFile(path.join(dir, eventFileName({ date: row.date, slug: row.slug })), eventFileText(JSON.parse(row.record)));
      }
    }
  } finally {
    await Promise.all([...streams.values()].map((s) => new Promise((done) => s.end(done))));
  }
  if (layout === 'as-imported') {
    await fs.mkdir(path.join(dir, 'schema'));
    for (const [name, text] of Object.entries(dataSchemaFiles())) await fs.writeFile(path.join(dir, 'schema', name), text);
  }
  return written;
}

/** Writes one NDJSON line, waiting when the stream's buffer is full (a million lines never pile up in memory). */
function writeLine(stream: WriteStream, line: string): Promise<void> | void {
  if (!stream.write(`${line}\n`)) return new Promise((done) => stream.once('drain', () => done()));
}

/** Creates `dir`, or accepts it when it exists and is empty; never writes over files. */
async function prepareFolder(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  const present = await fs.readdir(dir);
  if (present.length) throw new Error(`${dir}: the folder is not empty (it has ${present.slice(0, 3).join(', ')}${present.length > 3 ? ', ...' : ''}); export into a new or empty folder`);
}
