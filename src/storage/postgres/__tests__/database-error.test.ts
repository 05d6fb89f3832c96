/**
 * A wrong DATABASE_URL is reported with the URL it names and why, never with its password: in the settings error,
 * when a replica cannot open the database, and when the service cannot start (db:import and db:export are covered
 * in src/cli/__tests__/db-commands.test.ts).
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { ConfigError, loadConfig } from '../../../config';
import { freePort } from '../../../test-support/postgres';
import { DatabaseError, redactUrl, withoutSecrets } from '../database-error';
import { PostgresStorage } from '../postgres-storage';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const SECRET = 'Tr0ub4dor-3';

test.each([
  [`postgres://dateline:${SECRET}@db.example:5432/dateline`, 'postgres://dateline:***@db.example:5432/dateline'],
  [`postgresql://dateline:${SECRET}@db.example/dateline?sslmode=require`, 'postgresql://dateline:***@db.example/dateline?sslmode=require'],
  // Passwords with characters that should have been percent-encoded: the URL does not parse, and still hides them.
  [`postgres://dateline:${SECRET}@x@db.example/dateline`, 'postgres://dateline:***@db.example/dateline'],
  [`postgres://dateline:${SECRET}/x?y#z@db.example/dateline`, 'postgres://dateline:***@db.example/dateline'],
  [`postgres://dateline@db.example/dateline?password=${SECRET}&sslpassword=${SECRET}&application_name=x`, 'postgres://dateline@db.example/dateline?password=***&sslpassword=***&application_name=x'],
  ['postgres://dateline@db.example:5432/dateline', 'postgres://dateline@db.example:5432/dateline'],
  ['postgres://db.example:5432/dateline', 'postgres://db.example:5432/dateline'],
])('redactUrl(%s) is %s', (url, redacted) => {
  expect(redactUrl(url)).toBe(redacted);
});

test('a message from elsewhere that quotes the password, as written or decoded, loses it', () => {
  const url = 'postgres://dateline:pa%40ss@db.example/dateline';
  expect(withoutSecrets('login as dateline with pa@ss (pa%40ss) refused', url)).toBe('login as dateline with *** (***) refused');
});

test('a DATABASE_URL that is not a connection string is refused by the settings, shown without its password', () => {
  for (const url of [`postgres://dateline:${SECRET}@db.example`, `postgres://dateline:${SECRET}@db.example:99999/dateline`]) {
    let error: unknown;
    try {
      loadConfig({ DATABASE_URL: url });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(`DATABASE_URL="${redactUrl(url)}": must be a connection string like postgres://user:password@host:5432/dateline`);
    expect((error as Error).message).not.toContain(SECRET);
  }
});

test('a replica that cannot reach its database says which (redacted) and why, and leaves nothing open', async () => {
  const port = await freePort();
  const url = `postgres://dateline:${SECRET}@127.0.0.1:${port}/dateline`;
  const storage = new PostgresStorage({ url });
  const opening = storage.open();
  await expect(opening).rejects.toBeInstanceOf(DatabaseError);
  await expect(opening).rejects.toThrow(
    `DATABASE_URL="postgres://dateline:***@127.0.0.1:${port}/dateline": nothing answers at 127.0.0.1:${port} (is PostgreSQL running there, on that port?)`,
  );
  expect(storage.status().ready).toBe(false);
});

test('the service that cannot reach its database exits 1 with one line naming it without the password, no stack', async () => {
  const port = await freePort();
  const url = `postgres://dateline:${SECRET}@127.0.0.1:${port}/dateline`;
  const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'src', 'index.ts')],
      { cwd: ROOT, env: { PATH: process.env.PATH, DATABASE_URL: url, LOG_LEVEL: 'silent', PORT: '0' }, timeout: 60_000 },
      (err, _stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stderr }),
    );
  });
  expect(result).toEqual({
    code: 1,
    stderr: `Dateline cannot start. DATABASE_URL="postgres://dateline:***@127.0.0.1:${port}/dateline": nothing answers at 127.0.0.1:${port} (is PostgreSQL running there, on that port?)\n`,
  });
}, 90_000);
