import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { loadDataset } from '../../../data/load-dataset';
import { DataError } from '../../../data/problems';
import { startTestPostgres, type TestPostgres } from '../../../test-support/postgres';
import { EVENTS_DIR } from '../../../test-support/postgres-fixtures';
import { writeFolder } from '../export-folder';
import { DatabaseNotEmptyError, importFolder } from '../import-folder';
import { migrate } from '../migrate';
import { createPool, inTransaction } from '../pool';
import { HISTORY_DIR } from '../../files/folder';

let pg: TestPostgres;
let scratch: string;
const pools: Pool[] = [];

beforeAll(async () => {
  pg = await startTestPostgres();
  scratch = mkdtempSync(path.join(tmpdir(), 'dateline-import-export-'));
}, 120_000);

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await pg?.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function migratedPool(): Promise<Pool> {
  const pool = createPool(await pg.createDatabase());
  pools.push(pool);
  await migrate(pool);
  return pool;
}

const exportTo = (pool: Pool, dir: string) => inTransaction(pool, (client) => writeFolder(client, dir), 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');

/**
 * Every file under `dir` (relative path to text), less the revision history a server running on the folder keeps
 * in it (`history/`), which is not data: the import leaves it out, so the export has none.
 */
function filesOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && path.relative(dir, entry.parentPath).split(path.sep)[0] !== HISTORY_DIR) {
      const file = path.join(entry.parentPath, entry.name);
      out[path.relative(dir, file)] = readFileSync(file, 'utf8');
    }
  }
  return out;
}

test('a folder imported and exported again is the same folder, byte for byte', async () => {
  const pool = await migratedPool();
  const loaded = await loadDataset(EVENTS_DIR);
  expect(await importFolder(pool, EVENTS_DIR)).toEqual({
    events: loaded.events.length,
    places: loaded.places.length,
    actors: loaded.actors.length,
    sources: loaded.sources.length,
  });
  // Vacuumed and analyzed by the import itself, not left for autovacuum to do amid the first edits.
  const { rows } = await pool.query(`SELECT relname, last_vacuum IS NOT NULL AS vacuumed, last_analyze IS NOT NULL AS analyzed
    FROM pg_stat_user_tables WHERE relname IN ('events', 'places', 'actors', 'sources') ORDER BY relname`);
  expect(rows).toEqual(['actors', 'events', 'places', 'sources'].map((relname) => ({ relname, vacuumed: true, analyzed: true })));
  const out = path.join(scratch, 'round-trip');
  const written = await exportTo(pool, out);
  expect(written.counts.events).toBe(loaded.events.length);
  expect(written.lastSeq).toBe(0);
  expect(filesOf(out)).toEqual(filesOf(EVENTS_DIR));
  const again = await loadDataset(out);
  // The records, not the version stamp or the loader's file locator (a function of each load).
  expect({ ...again, version: '', locate: undefined }).toEqual({ ...loaded, version: '', locate: undefined });
  const where = (d: typeof loaded) => d.events.map((e) => { const at = d.locate?.(e.slug); return at && { file: path.basename(at.file), line: at.line }; });
  expect(where(again)).toEqual(where(loaded));
});

test('events from NDJSON files keep their file and their order, written as people write them', async () => {
  const dir = path.join(scratch, 'ndjson-in');
  cpSync(EVENTS_DIR, dir, { recursive: true });
  const files = readdirSync(dir).filter((n) => /^\d{4}-.*\.json$/.test(n));
  const lines = files.slice(0, 3).map((n) => {
    const { $schema: _s, ...event } = JSON.parse(readFileSync(path.join(dir, n), 'utf8'));
    rmSync(path.join(dir, n));
    return JSON.stringify(event);
  });
  // A blank line goes; an event written with its keys in another order comes back in the schema's order.
  const reordered = JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(lines[2])).reverse()));
  writeFileSync(path.join(dir, 'bulk.ndjson'), `${lines[1]}\n\n${lines[0]}\n${reordered}\n`);
  const pool = await migratedPool();
  await importFolder(pool, dir);
  const out = path.join(scratch, 'ndjson-out');
  await exportTo(pool, out);
  expect(reordered).not.toBe(lines[2]);
  expect(filesOf(out)).toEqual({ ...filesOf(dir), 'bulk.ndjson': `${lines[1]}\n${lines[0]}\n${lines[2]}\n` });
});

test('a folder with problems is refused with the loader\'s messages, and nothing is written', async () => {
  const dir = path.join(scratch, 'bad');
  cpSync(EVENTS_DIR, dir, { recursive: true });
  const name = readdirSync(dir).find((n) => /^\d{4}-.*\.json$/.test(n))!;
  const event = JSON.parse(readFileSync(path.join(dir, name), 'utf8'));
  writeFileSync(path.join(dir, name), JSON.stringify({ ...event, place: 'atlantis' }));
  const pool = await migratedPool();
  const refusal = importFolder(pool, dir);
  await expect(refusal).rejects.toBeInstanceOf(DataError);
  await expect(refusal).rejects.toThrow(`${path.join(dir, name)}: place: unknown place "atlantis"; expected the slug of a place in places.json`);
  const { rows } = await pool.query('SELECT (SELECT count(*) FROM events)::int AS events, (SELECT count(*) FROM dataset_info)::int AS info');
  expect(rows).toEqual([{ events: 0, info: 0 }]);
});

test('an import into a database that holds data is refused and changes nothing', async () => {
  const pool = await migratedPool();
  await importFolder(pool, EVENTS_DIR);
  const before = (await pool.query('SELECT count(*)::int AS n, (SELECT dataset_id FROM dataset_info) AS id FROM events')).rows;
  await expect(importFolder(pool, EVENTS_DIR)).rejects.toBeInstanceOf(DatabaseNotEmptyError);
  await expect(importFolder(pool, EVENTS_DIR)).rejects.toThrow(
    new RegExp(`^the database is not empty \\(it holds the data set imported from ${EVENTS_DIR.replace(/[/.]/g, '\\$&')} at .+\\); db:import only fills an empty database`),
  );
  expect((await pool.query('SELECT count(*)::int AS n, (SELECT dataset_id FROM dataset_info) AS id FROM events')).rows).toEqual(before);
});

test('an export never writes into a folder that has files, and needs an imported database', async () => {
  const pool = await migratedPool();
  await expect(exportTo(pool, path.join(scratch, 'never-imported'))).rejects.toThrow(
    'the database holds no data set yet: import a data folder first with `npm run db:import -- DIR`',
  );
  await importFolder(pool, EVENTS_DIR);
  const full = path.join(scratch, 'full');
  cpSync(path.join(EVENTS_DIR, 'places.json'), path.join(full, 'places.json'));
  await expect(exportTo(pool, full)).rejects.toThrow(`${full}: the folder is not empty (it has places.json); export into a new or empty folder`);
  expect(readdirSync(full)).toEqual(['places.json']);
});
