/** What `db:import` and `db:export` share: the folder argument, DATABASE_URL, migrations, and how they fail. */
import type { Pool } from 'pg';
import { ConfigError, loadConfig } from '../config';
import { DatabaseError, withoutSecrets } from '../storage/postgres/database-error';
import { migrate } from '../storage/postgres/migrate';
import { createPool } from '../storage/postgres/pool';

/**
 * Runs `work` with a migrated pool on DATABASE_URL and the folder given as the first argument, prints what it
 * returns, and exits 1 with a one-line reason (or the loader's problem list) when anything goes wrong.
 */
export function runDatabaseCommand(name: string, work: (pool: Pool, dir: string) => Promise<string>): void {
  const fail = (message: string) => {
    process.stderr.write(`${name}: ${message}\n`);
    process.exitCode = 1;
  };
  const dir = process.argv[2];
  if (!dir || process.argv.length > 3) return fail(`usage: npm run ${name} -- DIR (one data folder)`);
  let url: string | null;
  try {
    url = loadConfig().databaseUrl;
  } catch (err) {
    return fail(err instanceof ConfigError ? err.message : String(err));
  }
  if (!url) return fail('DATABASE_URL is not set; set it to the database, e.g. DATABASE_URL=postgres://user:password@localhost:5432/dateline');
  const databaseUrl = url;
  const pool = createPool(url, { max: 2 });
  // Reaching the database, logging in and migrating are where a wrong DATABASE_URL shows: say which (redacted).
  migrate(pool)
    .catch((err: unknown) => Promise.reject(new DatabaseError(databaseUrl, err)))
    .then(() => work(pool, dir))
    .then(
      (summary) => process.stdout.write(`${summary}\n`),
      (err: Error) => fail(withoutSecrets(err.message, databaseUrl)),
    )
    .finally(() => pool.end());
}
