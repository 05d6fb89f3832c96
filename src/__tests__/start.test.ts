import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DEFAULT_EVENTS_DIR } from '../test-support/test-server';

const root = path.resolve(__dirname, '..', '..');

/** Runs a TypeScript entry point as `npm start`/`npm run validate` would, and collects what it printed. */
function run(script: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', path.join(root, script), ...args],
      { cwd: root, env: { ...process.env, LOG_LEVEL: 'silent', ...env }, timeout: 20_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let broken: string;
beforeAll(() => {
  broken = mkdtempSync(path.join(tmpdir(), 'dateline-broken-'));
  cpSync(DEFAULT_EVENTS_DIR, broken, { recursive: true });
  const file = path.join(broken, '2012-11-05-idlib-air-strike.json');
  const text = require(file);
  writeFileSync(file, JSON.stringify({ ...text, casualties: [{ ...text.casualties[0], count: 'fifty' }] }));
  const other = path.join(broken, '2012-11-05-hama-checkpoint-suicide-car-bombing.json');
  writeFileSync(other, JSON.stringify({ ...require(other), place: 'atlantis' }));
});
afterAll(() => rmSync(broken, { recursive: true, force: true }));

describe('starting the service', () => {
  it('refuses bad settings, naming each, with exit code 1', async () => {
    const result = await run('src/index.ts', [], { PORT: 'abc', EVENTS_DIR: '/no/such/folder' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'Dateline cannot start. Invalid settings:\n' +
        '  PORT="abc": must be a whole number from 0 to 65535 (default "4000")\n' +
        '  EVENTS_DIR="/no/such/folder": must be an existing folder of data files; no such folder (default "events")\n',
    );
  });

  it('refuses bad data, printing every problem on its own line', async () => {
    const result = await run('src/index.ts', [], { PORT: '0', EVENTS_DIR: broken });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'Dateline cannot start. 2 problems in the data:\n' +
        `${broken}/2012-11-05-idlib-air-strike.json: casualties[0].count: must be a whole number, got "fifty"\n` +
        `${broken}/2012-11-05-hama-checkpoint-suicide-car-bombing.json: place: unknown place "atlantis"; expected the slug of a place in places.json\n`,
    );
  });
});

describe('npm run validate', () => {
  it('passes the default data', async () => {
    const result = await run('src/cli/validate.ts', [DEFAULT_EVENTS_DIR], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/: OK: \d+ events, \d+ places, \d+ actors, \d+ sources\n$/);
  });

  it('fails broken data with exit code 1 and the problems', async () => {
    const result = await run('src/cli/validate.ts', [broken], {});
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('casualties[0].count: must be a whole number, got "fifty"');
  });
});
