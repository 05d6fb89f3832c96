/** The loader reads only regular files and reports every problem, one line each, capped (issue 11, item 9). */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadDataset } from '../load-dataset';
import { DataError, MAX_PRINTED_PROBLEMS } from '../problems';

const GOOD = path.join(__dirname, 'fixtures', 'good');
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dateline-load-problems-'));
  fs.cpSync(GOOD, dir, { recursive: true });
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The DataError the folder gives; fails when it loads. */
async function failure(): Promise<DataError> {
  const err = await loadDataset(dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DataError);
  return err as DataError;
}

it('reports an unknown category and an unknown place of one event together', async () => {
  const file = path.join(dir, '2012-11-05-hama-checkpoint-bombing.json');
  fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), category: 'PICNIC', place: 'atlantis' }));
  const lines = (await failure()).message.split('\n');
  expect(lines.some((l) => l.startsWith(`${file}: category:`))).toBe(true);
  expect(lines).toContain(`${file}: place: unknown place "atlantis"; expected the slug of a place in places.json`);
});

it('reports a folder, a named pipe and a looping link among the data files, one line each, without hanging', async () => {
  fs.mkdirSync(path.join(dir, 'x.json'));
  execFileSync('mkfifo', [path.join(dir, 'pipe.ndjson')]);
  fs.symlinkSync(path.join(dir, 'loop.json'), path.join(dir, 'loop.json'));
  const lines = (await failure()).message.split('\n');
  expect(lines).toContain(`${path.join(dir, 'x.json')}: is a folder; only regular files are read: remove or rename it`);
  expect(lines).toContain(`${path.join(dir, 'pipe.ndjson')}: is a named pipe; only regular files are read: remove or rename it`);
  expect(lines.find((l) => l.startsWith(`${path.join(dir, 'loop.json')}: cannot be read (ELOOP)`))).toBeDefined();
});

it('prints the first 100 problems and counts the rest', async () => {
  fs.writeFileSync(path.join(dir, 'bad.ndjson'), 'not json\n'.repeat(250));
  const err = await failure();
  expect(err.problems).toHaveLength(250);
  const lines = err.message.split('\n');
  expect(lines).toHaveLength(1 + MAX_PRINTED_PROBLEMS + 1);
  expect(lines[0]).toBe('250 problems in the data:');
  expect(lines[lines.length - 1]).toBe('... and 150 more problems not shown; fix these and run again');
});
