/**
 * Writes the database's records as a data folder (`db:export`), from one consistent snapshot, laid out as it was
 * imported: event files stay files, NDJSON lines stay in their file and order, new events get files of their own; each
 * record is written as people write them (`data/file-form.ts`).
 */
import { createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import * as path from 'node:path';
import type { PoolClient } from 'pg';
import { catalogueFileText, eventFileName, eventFileText, eventLine } from '../../data/file-form';
import { dataSchemaFiles } from '../../data/json-schema-files';
import { cursorRows } from './pool';
import { readCatalogues, readDatasetInfo, type DatasetInfo } from './snapshot';
import { BATCH, CATALOGUES } from './tables';

/** What was written, and the snapshot it was written from. */
export interface WrittenFolder extends DatasetInfo {
  counts: Record<'events' | 'places' | 'actors' | 'sources', number>;
}

interface EventRow {
  slug: string;
  date: string;
  record: string;
  origin_file: string | null;
}

/**
 * Writes every record into the empty or missing folder `dir`. Runs in the caller's REPEATABLE READ transaction, so
 * that the records and `lastSeq` agree.
 */
export async function writeFolder(client: PoolClient, dir: string): Promise<WrittenFolder> {
  const info = await readDatasetInfo(client);
  await prepareFolder(dir);
  const written: WrittenFolder = { ...info, counts: { events: 0, places: 0, actors: 0, sources: 0 } };
  const catalogues = await readCatalogues(client);
  for (const { type, table, file } of CATALOGUES) {
    await fs.writeFile(path.join(dir, file), catalogueFileText(type, catalogues[type]));
    written.counts[table] = catalogues[type].length;
  }
  const streams = new Map<string, WriteStream>();
  const ndjson = (name: string) => {
    let stream = streams.get(name);
    if (!stream) streams.set(name, (stream = createWriteStream(path.join(dir, name))));
    return stream;
  };
  try {
    // In an NDJSON file the lines keep their order; an event from a file of its own (or new) gets a file of its own.
    const sql = `SELECT slug, date, record::text AS record, origin_file FROM events ORDER BY origin_file, origin_line, slug`;
    for await (const batch of cursorRows<EventRow>(client, sql, BATCH)) {
      for (const row of batch) {
        written.counts.events++;
        if (row.origin_file?.endsWith('.ndjson')) await writeLine(ndjson(row.origin_file), eventLine(JSON.parse(row.record)));
        else await fs.writeFile(path.join(dir, eventFileName({ date: row.date, slug: row.slug })), eventFileText(JSON.parse(row.record)));
      }
    }
  } finally {
    await Promise.all([...streams.values()].map((s) => new Promise((done) => s.end(done))));
  }
  await fs.mkdir(path.join(dir, 'schema'));
  for (const [name, text] of Object.entries(dataSchemaFiles())) await fs.writeFile(path.join(dir, 'schema', name), text);
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
