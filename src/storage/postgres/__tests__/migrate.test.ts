import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { startTestPostgres, type TestPostgres } from '../../../test-support/postgres';
import { DatabaseTooNewError, migrate, readMigrations } from '../migrate';
import { createPool } from '../pool';

let pg: TestPostgres;
const pools: Pool[] = [];

beforeAll(async () => {
  pg = await startTestPostgres();
}, 120_000);

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await pg?.close();
});

async function freshPool(): Promise<Pool> {
  const pool = createPool(await pg.createDatabase());
  pools.push(pool);
  return pool;
}

const tables = async (pool: Pool) =>
  (await pool.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).rows.map((r) => r.t);

test('migrates an empty database, and running again applies nothing and changes nothing', async () => {
  const pool = await freshPool();
  const all = readMigrations().map((m) => m.version);
  expect(await migrate(pool)).toEqual(all);
  const after = await tables(pool);
  expect(after).toEqual(['actors', 'change_counter', 'changes', 'dataset_info', 'events', 'places', 'schema_migrations', 'sources']);
  expect(await migrate(pool)).toEqual([]);
  expect(await tables(pool)).toEqual(after);
  expect((await pool.query('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version)).toEqual(all);
  expect((await pool.query('SELECT last_seq FROM change_counter')).rows).toEqual([{ last_seq: '0' }]);
});

test('replicas migrating at once apply each migration exactly once', async () => {
  const url = await pg.createDatabase();
  const replicas = [createPool(url), createPool(url), createPool(url)];
  pools.push(...replicas);
  const applied = await Promise.all(replicas.map((p) => migrate(p)));
  expect(applied.flat().sort()).toEqual(readMigrations().map((m) => m.version));
  expect((await replicas[0].query('SELECT count(*)::int AS n FROM schema_migrations')).rows[0].n).toBe(readMigrations().length);
});

test('a database migrated by a newer Dateline is refused with a message saying so, and left as it is', async () => {
  const pool = await freshPool();
  await migrate(pool);
  await pool.query(`INSERT INTO schema_migrations (version, name) VALUES (99, 'from-the-future')`);
  const latest = readMigrations().length;
  const refusal = migrate(pool);
  await expect(refusal).rejects.toBeInstanceOf(DatabaseTooNewError);
  await expect(refusal).rejects.toThrow(`the database's schema is at version 99, newer than this Dateline knows (${latest})`);
  expect((await pool.query('SELECT max(version) AS v FROM schema_migrations')).rows[0].v).toBe(99);
});

test('a broken migration rolls back whole: nothing of it stays', async () => {
  const pool = await freshPool();
  const migrations = [...readMigrations(), { version: readMigrations().length + 1, name: 'broken', sql: 'CREATE TABLE half_made (x int); SELECT no_such_function();' }];
  await expect(migrate(pool, migrations)).rejects.toThrow(/no_such_function/);
  expect(await tables(pool)).toEqual([]);
});

test('migration files must be numbered 1, 2, 3, ... and named NNN-words.sql', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dateline-migrations-'));
  try {
    writeFileSync(path.join(dir, '001-first.sql'), 'SELECT 1;');
    writeFileSync(path.join(dir, '003-third.sql'), 'SELECT 3;');
    expect(() => readMigrations(dir)).toThrow(`${dir}: migration 2 is missing (found 3 after 1)`);
    writeFileSync(path.join(dir, '2-Second.sql'), 'SELECT 2;');
    expect(() => readMigrations(dir)).toThrow(`${path.join(dir, '2-Second.sql')}: a migration is named NNN-words.sql`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
