import { ConfigError, loadConfig, SETTINGS } from '../config';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

describe('loadConfig', () => {
  it('uses the defaults when nothing is set', () => {
    expect(loadConfig({})).toMatchObject({ port: 4000, host: '0.0.0.0', eventsDir: 'events', logLevel: 'info', cacheMaxAge: 300 });
  });

  it('reads each setting from its variable', () => {
    expect(loadConfig({ PORT: '0', HOST: '127.0.0.1', EVENTS_DIR: 'src', LOG_LEVEL: 'silent', CACHE_MAX_AGE: '0' })).toMatchObject({
      cacheMaxAge: 0,
      port: 0,
      host: '127.0.0.1',
      eventsDir: 'src',
      logLevel: 'silent',
    });
  });

  it('names every bad setting, its value and what is expected', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'abc', EVENTS_DIR: 'no/such/folder', LOG_LEVEL: 'loud' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'PORT="abc": must be a whole number from 0 to 65535 (default "4000")',
      'EVENTS_DIR="no/such/folder": must be an existing folder of data files; no such folder (default "events")',
      'LOG_LEVEL="loud": must be one of fatal, error, warn, info, debug, trace, silent (default "info")',
    ]);
  });

  it('reads ENTITY_CACHE_BYTES, the fast path\'s bound on entities\' JSON kept (0 turns the reuse off)', () => {
    expect(loadConfig({}).entityCacheBytes).toBe(64 * 1024 * 1024);
    expect(loadConfig({ ENTITY_CACHE_BYTES: '0' }).entityCacheBytes).toBe(0);
    expect(() => loadConfig({ ENTITY_CACHE_BYTES: '64M' })).toThrow('ENTITY_CACHE_BYTES="64M": must be a whole number');
  });

  it('reads HELPER_THREADS_NICE: 0 (off) by default, 0 to 19', () => {
    expect(loadConfig({}).helperThreadsNice).toBe(0);
    expect(loadConfig({ HELPER_THREADS_NICE: '10' }).helperThreadsNice).toBe(10);
    expect(() => loadConfig({ HELPER_THREADS_NICE: '20' })).toThrow('HELPER_THREADS_NICE="20"');
    expect(() => loadConfig({ HELPER_THREADS_NICE: '-1' })).toThrow('HELPER_THREADS_NICE="-1"');
  });

  it.each([['PORT', '65536'], ['PORT', '-1'], ['PORT', '80.5'], ['EVENTS_DIR', 'package.json'], ['HOST', ' ']])('rejects %s=%j', (env, value) => {
    expect(() => loadConfig({ [env]: value })).toThrow(ConfigError);
  });

  it('reads EDITORS_FILE: none by default; an existing file; a missing one says how to create it', () => {
    expect([loadConfig({}).editorsFile, loadConfig({ EDITORS_FILE: 'package.json' }).editorsFile]).toEqual([null, 'package.json']);
    expect(() => loadConfig({ EDITORS_FILE: 'no/editors.json' })).toThrow(
      'EDITORS_FILE="no/editors.json": must be an existing editors file; there is none: create it with npm run editor -- --name "Your name" --file no/editors.json (default "")',
    );
    expect(() => loadConfig({ EDITORS_FILE: 'src' })).toThrow('EDITORS_FILE="src": must be an editors file, not a folder');
  });

  it('every setting has a row, with its default, in the README\'s settings table', () => {
    const readme = readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8');
    expect(SETTINGS.filter((s) => !readme.includes(`| \`${s.env}\` | \`${s.default}\` |`)).map((s) => s.env)).toEqual([]);
  });
});
