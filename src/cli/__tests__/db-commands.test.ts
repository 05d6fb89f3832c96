import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { freePort, startTestPostgres, type TestPostgres } from '../../test-support/postgres';
import { loadDataset } from '../../data/load-dataset';
import { EVENTS_DIR } from '../../test-support/postgres-fixtures';

const ROOT = path.resolve(__dirname, '..', '..', '..');
let pg: TestPostgres;
let scratch: string;

beforeAll(async () => {
  pg = await startTestPostgres();
  scratch = mkdtempSync(path.join(tmpdir(), 'dateline-db-cli-'));
}, 120_000);

afterAll(async () => {
  await pg?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** Runs `src/cli/<name>.ts` with `args`, as `npm run` would run the built one. */
function run(name: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'src', 'cli', `${name}.ts`), ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH, ...env } },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
    );
  });
}

test('db:import fills an empty database once; db:export writes it back as the same folder', async () => {
  const DATABASE_URL = await pg.createDatabase();
  const d = await loadDataset(EVENTS_DIR);
  const counts = `${d.events.length} events, ${d.places.length} places, ${d.actors.length} actors, ${d.sources.length} sources`;
  expect(await run('db-import', [EVENTS_DIR], { DATABASE_URL })).toEqual({
    code: 0,
    stdout: `${EVENTS_DIR}: imported ${counts}\n`,
    stderr: '',
  });
  const again = await run('db-import', [EVENTS_DIR], { DATABASE_URL });
  expect(again.code).toBe(1);
  expect(again.stderr).toMatch(/^db:import: the database is not empty \(it holds the data set imported from .+\); db:import only fills an empty database/);

  const out = path.join(scratch, 'exported');
  expect(await run('db-export', [out], { DATABASE_URL })).toEqual({
    code: 0,
    stdout: `${out}: exported ${counts}, as of change 0\n`,
    stderr: '',
  });
  for (const name of readdirSync(EVENTS_DIR).filter((n) => n.endsWith('.json'))) {
    expect(readFileSync(path.join(out, name), 'utf8')).toBe(readFileSync(path.join(EVENTS_DIR, name), 'utf8'));
  }
}, 60_000);

test('db:import of a folder with problems lists each, as validate does, and imports nothing', async () => {
  const DATABASE_URL = await pg.createDatabase();
  const dir = path.join(scratch, 'bad');
  cpSync(EVENTS_DIR, dir, { recursive: true });
  const name = readdirSync(dir).find((n) => /^\d{4}-.*\.json$/.test(n))!;
  writeFileSync(path.join(dir, name), JSON.stringify({ ...JSON.parse(readFileSync(path.join(dir, name), 'utf8')), place: 'atlantis' }));
  const result = await run('db-import', [dir], { DATABASE_URL });
  expect(result.code).toBe(1);
  expect(result.stderr.split('\n')[0]).toBe(`db:import: ${dir}: nothing imported; 1 problem in the data:`);
  expect(result.stderr.split('\n')[1]).toBe(`${path.join(dir, name)}: place: unknown place "atlantis"; expected the slug of a place in places.json`);
  const out = path.join(scratch, 'from-empty');
  const exported = await run('db-export', [out], { DATABASE_URL });
  expect(exported).toMatchObject({ code: 1, stderr: 'db:export: the database holds no data set yet: import a data folder first with `npm run db:import -- DIR`\n' });
}, 60_000);

test('without DATABASE_URL, or without a folder, the commands say what is missing', async () => {
  expect(await run('db-import', [EVENTS_DIR], {})).toEqual({
    code: 1,
    stdout: '',
    stderr: 'db:import: DATABASE_URL is not set; set it to the database, e.g. DATABASE_URL=postgres://user:password@localhost:5432/dateline\n',
  });
  expect(await run('db-export', [], { DATABASE_URL: 'postgres://localhost/x' })).toEqual({ code: 1, stdout: '', stderr: 'db:export: usage: npm run db:export -- DIR (one data folder)\n' });
  const wrong = await run('db-import', [EVENTS_DIR], { DATABASE_URL: 'mysql://localhost/x' });
  expect(wrong.code).toBe(1);
  expect(wrong.stderr).toContain('DATABASE_URL="mysql://localhost/x": must be a connection string like postgres://user:password@host:5432/dateline, or empty');
}, 60_000);

test('db:import and db:export that cannot reach DATABASE_URL name it without its password, and say why', async () => {
  const port = await freePort();
  const secret = 'Tr0ub4dor-3';
  const DATABASE_URL = `postgres://dateline:${secret}@127.0.0.1:${port}/dateline`;
  for (const name of ['db-import', 'db-export']) {
    const result = await run(name, [path.join(scratch, `unreached-${name}`)], { DATABASE_URL });
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: `${name.replace('-', ':')}: DATABASE_URL="postgres://dateline:***@127.0.0.1:${port}/dateline": nothing answers at 127.0.0.1:${port} (is PostgreSQL running there, on that port?)\n`,
    });
  }
  // A URL the settings refuse is shown redacted too.
  const refused = await run('db-import', [EVENTS_DIR], { DATABASE_URL: `postgres://dateline:${secret}@127.0.0.1:99999/dateline` });
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('DATABASE_URL="postgres://dateline:***@127.0.0.1:99999/dateline": must be a connection string');
  expect(refused.stderr).not.toContain(secret);
}, 60_000);
