/**
 * `db:import`: a data folder into an empty database, in one transaction. The folder is first checked by the loader
 * (the same rules and messages as at start); then each record goes in as written, with where it came from.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Pool, PoolClient } from 'pg';
import { CATALOGUE_FILES, loadDataset } from '../../data/load-dataset';
import { linesOfChunks } from '../../data/read-ndjson';
import { inTransaction } from './pool';
import { BATCH, CATALOGUES } from './tables';

/** What an import put into the database. */
export interface ImportSummary {
  events: number;
  places: number;
  actors: number;
  sources: number;
}

/** The database already holds data: an import only ever fills an empty one. */
export class DatabaseNotEmptyError extends Error {
  constructor(what: string) {
    super(`the database is not empty (${what}); db:import only fills an empty database, so that nothing is overwritten`);
    this.name = 'DatabaseNotEmptyError';
  }
}

/** An event as written in the folder, with its file (and NDJSON line, else null). */
interface EventRow {
  slug: string;
  date: string;
  record: string;
  file: string;
  line: number | null;
}

const NO_HASH = { update: () => undefined };

/**
 * Checks `dir` as the loader does (throwing its {@link DataError} with every problem) and copies it into the
 * migrated, empty database behind `pool`; nothing is written unless all of it is.
 */
export async function importFolder(pool: Pool, dir: string): Promise<ImportSummary> {
  const dataset = await loadDataset(dir);
  const summary = await copyIn(pool, dir, dataset.version);
  // Done now rather than by autovacuum a minute later, amid the first edits and starts: the rows marked visible to
  // all (a replica's start reads them without checking each), and the planner's statistics. Outside the
  // transaction, as VACUUM must be. It changes no data, and autovacuum does it later anyway: a failure is no failure
  // of the import, which has committed.
  await pool.query('VACUUM (ANALYZE) events, places, actors, sources').catch(() => undefined);
  return summary;
}

/** The import's one transaction: the loader-checked folder into the empty tables. */
function copyIn(pool: Pool, dir: string, version: string): Promise<ImportSummary> {
  return inTransaction(pool, async (client) => {
    // Two imports at once: the second waits here, then finds the database no longer empty.
    await client.query('LOCK TABLE dataset_info IN EXCLUSIVE MODE');
    await refuseUnlessEmpty(client);
    await client.query('INSERT INTO dataset_info (dataset_id, imported_at, imported_from) VALUES ($1, now(), $2)', [
      `${version}-${randomBytes(4).toString('hex')}`,
      path.resolve(dir),
    ]);
    const summary = { events: 0, places: 0, actors: 0, sources: 0 };
    for (const { table, file, key } of CATALOGUES) {
      const { [key]: records } = JSON.parse(await fs.readFile(path.join(dir, file), 'utf8')) as Record<string, { slug: string }[]>;
      for (let start = 0; start < records.length; start += BATCH) {
        const batch = records.slice(start, start + BATCH);
        await client.query(
          `INSERT INTO ${table} (slug, position, record, revision)
           SELECT slug, position, record, 1 FROM unnest($1::text[], $2::int[], $3::json[]) AS t(slug, position, record)`,
          [batch.map((r) => r.slug), batch.map((_, i) => start + i), batch.map((r) => JSON.stringify(r))],
        );
      }
      summary[table] = records.length;
    }
    let batch: EventRow[] = [];
    const flush = async () => {
      await insertEvents(client, batch);
      summary.events += batch.length;
      batch = [];
    };
    for await (const row of eventsOf(dir)) {
      batch.push(row);
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    return summary;
  });
}

async function refuseUnlessEmpty(client: PoolClient): Promise<void> {
  const { rows } = await client.query<{ info: string | null; seq: string; events: boolean; places: boolean }>(`
    SELECT (SELECT imported_from || ' at ' || imported_at FROM dataset_info) AS info,
           (SELECT last_seq FROM change_counter) AS seq,
           EXISTS (SELECT 1 FROM events) AS events,
           EXISTS (SELECT 1 FROM places) OR EXISTS (SELECT 1 FROM actors) OR EXISTS (SELECT 1 FROM sources) AS places`);
  const [state] = rows;
  if (state.info) throw new DatabaseNotEmptyError(`it holds the data set imported from ${state.info}`);
  if (state.seq !== '0' || state.events || state.places) throw new DatabaseNotEmptyError('it holds records or changes');
}

async function insertEvents(client: PoolClient, rows: EventRow[]): Promise<void> {
  if (!rows.length) return;
  await client.query(
    `INSERT INTO events (slug, date, record, revision, origin_file, origin_line)
     SELECT slug, date, record, 1, file, line FROM unnest($1::text[], $2::text[], $3::json[], $4::text[], $5::int[]) AS t(slug, date, record, file, line)`,
    [rows.map((r) => r.slug), rows.map((r) => r.date), rows.map((r) => r.record), rows.map((r) => r.file), rows.map((r) => r.line)],
  );
}

/** Every event of the (already checked) folder as written, in the loader's reading order, without `$schema`. */
async function* eventsOf(dir: string): AsyncGenerator<EventRow> {
  const names = (await fs.readdir(dir)).sort();
  for (const name of names) {
    if ((CATALOGUE_FILES as readonly string[]).includes(name)) continue;
    if (name.endsWith('.json')) {
      const { $schema: _ignored, ...record } = JSON.parse(await fs.readFile(path.join(dir, name), 'utf8')) as {
        $schema?: string;
        slug: string;
        date: string;
      };
      yield { slug: record.slug, date: record.date, record: JSON.stringify(record), file: name, line: null };
    } else if (name.endsWith('.ndjson')) {
      yield* ndjsonEvents(path.join(dir, name), name);
    }
  }
}

/** The events of one NDJSON file, with their line numbers counted as the loader counts them. */
async function* ndjsonEvents(file: string, name: string): AsyncGenerator<EventRow> {
  let n = 0;
  const rows: EventRow[] = [];
  const onLine = (line: string) => {
    n++;
    if (!line.trim()) return;
    const record = JSON.parse(line) as { slug: string; date: string };
    rows.push({ slug: record.slug, date: record.date, record: line, file: name, line: n });
  };
  const chunks = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }) as AsyncIterable<string>;
  for await (const _ of linesOfChunks(chunks, NO_HASH, onLine)) yield* rows.splice(0);
}
