/**
 * Versioned SQL migrations (`migrations/NNN-name.sql`), applied at start in one transaction under an advisory lock,
 * so that replicas starting together apply each once and none sees a half-made schema.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Pool, PoolClient } from 'pg';
import { inTransaction } from './pool';

/** One migration file. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The migrations ship as SQL under `src/`; this path works from `src/` (ts-node, jest) and from `dist/` alike. */
export const MIGRATIONS_DIR = path.resolve(__dirname, '..', '..', '..', 'src', 'storage', 'postgres', 'migrations');

/** Any number, the same in every replica: the advisory lock that serializes migrations. */
const MIGRATION_LOCK = 0x64_61_74_65; // "date"

/** The database's schema is newer than this code knows: started with an older Dateline than the last one. */
export class DatabaseTooNewError extends Error {
  constructor(
    readonly databaseVersion: number,
    readonly codeVersion: number,
  ) {
    super(
      `the database's schema is at version ${databaseVersion}, newer than this Dateline knows (${codeVersion}); ` +
        'a newer Dateline has migrated it: run that version (or restore a backup taken before the upgrade)',
    );
    this.name = 'DatabaseTooNewError';
  }
}

/** Reads the migration files of `dir`, in version order; their numbers must run 1, 2, 3, ... */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .map((name) => {
      const match = /^(\d{3})-([a-z0-9-]+)\.sql$/.exec(name);
      if (!match) throw new Error(`${path.join(dir, name)}: a migration is named NNN-words.sql`);
      return { version: Number(match[1]), name: match[2], sql: readFileSync(path.join(dir, name), 'utf8') };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`${dir}: migration ${i + 1} is missing (found ${m.version} after ${i})`);
  });
  return migrations;
}

/** Applies the migrations the database lacks; returns the versions applied (none when it was up to date). */
export function migrate(pool: Pool, migrations = readMigrations()): Promise<number[]> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const current = await schemaVersion(client);
    const latest = migrations.length ? migrations[migrations.length - 1].version : 0;
    if (current > latest) throw new DatabaseTooNewError(current, latest);
    const applied: number[] = [];
    for (const migration of migrations.filter((m) => m.version > current)) {
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      applied.push(migration.version);
    }
    return applied;
  });
}

/** The highest migration version applied, 0 for a database never migrated. */
async function schemaVersion(client: PoolClient): Promise<number> {
  const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
  return rows[0].version ?? 0;
}
