/**
 * Jest's global setup and teardown: every test run gets its own system temp folder (TMPDIR, which `os.tmpdir()`
 * reads), and the run fails if a test left anything in it. Tests must remove the folders they make.
 */
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildPlaygroundAssets } from '../playground/build-playground-assets';

const KEY = 'DATELINE_TEST_TMPDIR';

/** Builds the playground unless current, then points TMPDIR (inherited by the test workers) at a fresh folder. */
export async function setup(): Promise<void> {
  await buildPlaygroundAssets();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dateline-test-run-'));
  // Readable by others, as a system temp folder is: the embedded PostgreSQL of the tests runs as its own user and
  // reads files its launcher writes here (mkdtemp makes the folder 0700).
  chmodSync(dir, 0o755);
  process.env[KEY] = dir;
  process.env.TMPDIR = dir;
}

/** Fails the run, naming what was left, when the run's temp folder is not empty; removes it either way. */
export async function teardown(): Promise<void> {
  const dir = process.env[KEY];
  if (!dir) return;
  // Tools' own scratch entries are theirs: Chromium's profiles (removed as it closes) and v8-compile-cache's
  // cache, which a child process's compiler keeps on purpose.
  const TOOLS = ['playwright', '.org.chromium', 'v8-compile-cache'];
  const left = readdirSync(dir).filter((name) => !TOOLS.some((prefix) => name.startsWith(prefix)));
  rmSync(dir, { recursive: true, force: true });
  if (left.length > 0) throw new Error(`Tests left ${left.length} entries in the temp folder, each test must remove what it makes: ${left.join(', ')}`);
}
