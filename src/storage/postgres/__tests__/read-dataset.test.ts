import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Pool } from 'pg';
import type { CommittedChange } from '../../../data/change';
import { loadDataset } from '../../../data/load-dataset';
import { startTestPostgres, type TestPostgres } from '../../../test-support/postgres';
import { countingPool, EVENTS_DIR, importedDatabase } from '../../../test-support/postgres-fixtures';
import { commitProposal } from '../change-log';
import { createPool } from '../pool';
import { readDataset } from '../read-dataset';

let pg: TestPostgres;
let scratch: string;
const pools: Pool[] = [];

beforeAll(async () => {
  pg = await startTestPostgres();
  scratch = mkdtempSync(path.join(tmpdir(), 'dateline-read-dataset-'));
}, 120_000);

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await pg?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const IDLIB = JSON.parse(readFileSync(path.join(EVENTS_DIR, '2012-11-05-idlib-air-strike.json'), 'utf8')) as Record<string, unknown>;

/**
 * The default folder plus 3,000 events whose text COPY escapes (backslashes, a tab) or that take several bytes a
 * character (Arabic, an emoji): enough rows that the stream's chunks end inside escapes and characters.
 */
function trickyFolder(): string {
  const dir = path.join(scratch, 'tricky');
  cpSync(EVENTS_DIR, dir, { recursive: true });
  const { $schema: _schema, ...record } = IDLIB;
  const lines = Array.from({ length: 3000 }, (_, i) =>
    JSON.stringify({ ...record, slug: `tricky-${i}`, title: `He said "stop" at C:\\desk\\${i}\\\\ then\ttabbed: قصف حماة 😀 ${'\\'.repeat(i % 7)}` }),
  );
  writeFileSync(path.join(dir, 'tricky.ndjson'), `${lines.join('\n')}\n`);
  return dir;
}

async function poolOn(url: string): Promise<{ pool: Pool; sent: string[] }> {
  const counted = countingPool(url);
  pools.push(counted.pool);
  return counted;
}

test("a replica's start reads every event with one COPY, and gives the data set the folder gives", async () => {
  const dir = trickyFolder();
  const { pool, sent } = await poolOn(await importedDatabase(pg, dir));
  const snapshot = await readDataset(pool);
  const folder = await loadDataset(dir);
  expect(snapshot.dataset.events).toHaveLength(3007);
  expect(snapshot.dataset.events).toEqual(folder.events);
  expect([snapshot.dataset.places, snapshot.dataset.actors, snapshot.dataset.sources]).toEqual([folder.places, folder.actors, folder.sources]);
  expect(snapshot.dataset.events.find((e) => e.slug === 'tricky-6')?.title).toBe('He said "stop" at C:\\desk\\6\\\\ then\ttabbed: قصف حماة 😀 \\\\\\\\\\\\');
  // One statement reads the events table, as one stream: no cursor, no batches.
  expect(sent.filter((sql) => /\bevents\b/.test(sql))).toEqual(['COPY (SELECT record::text FROM events ORDER BY origin_file, origin_line, slug) TO STDOUT']);
  expect(sent.filter((sql) => /^(DECLARE|FETCH)\b/.test(sql) && /\bevents\b/.test(sql))).toEqual([]);
  // Two starts on the same snapshot name the same data version, whatever order the table's pages are in.
  expect((await readDataset(pool)).dataset.version).toBe(snapshot.dataset.version);
});

test('records changed since the import carry the revision and time of their last change; the rest stay at revision 1', async () => {
  const { pool } = await poolOn(await importedDatabase(pg));
  const before = { ...IDLIB };
  delete before.$schema;
  const retitle = (title: string, expectedRevision: number, prior: Record<string, unknown>) =>
    commitProposal(pool, { entity: { type: 'Event', slug: 'idlib-air-strike' }, kind: 'UPDATED', expectedRevision, editor: 'Night desk', note: null, before: prior, after: { ...prior, title } });
  const first = (await retitle('Retitled once', 1, before)) as CommittedChange;
  const second = (await retitle('Retitled twice', 2, first.after)) as CommittedChange;
  const { dataset, changes, lastSeq } = await readDataset(pool);
  expect(changes.map((c) => c.seq)).toEqual([1, 2]);
  expect(lastSeq).toBe(2);
  expect(dataset.events.find((e) => e.slug === 'idlib-air-strike')).toMatchObject({ title: 'Retitled twice', revision: 3, updatedAt: second.at });
  expect(dataset.events.find((e) => e.slug === 'hama-checkpoint-suicide-car-bombing')).toMatchObject({ revision: 1, updatedAt: null });
  expect(dataset.version).toMatch(/^[0-9a-f]{16}@2$/);
});

test('a record stored with line breaks between its tokens (written by hand) is read as the same record', async () => {
  const url = await importedDatabase(pg);
  const admin = createPool(url);
  pools.push(admin);
  const { $schema: _schema, ...record } = IDLIB;
  await admin.query('UPDATE events SET record = $1 WHERE slug = $2', [JSON.stringify(record, null, '\t').replace(/\n/g, '\r\n'), 'idlib-air-strike']);
  const { dataset } = await readDataset(admin);
  expect(dataset.events).toEqual((await loadDataset(EVENTS_DIR)).events);
});

test('a record the loader refuses stops the start with what is wrong, in which record', async () => {
  const url = await importedDatabase(pg);
  const admin = createPool(url);
  pools.push(admin);
  await admin.query(`UPDATE events SET record = json_build_object('slug', 'idlib-air-strike', 'title', 'No date') WHERE slug = 'idlib-air-strike'`);
  await expect(readDataset(admin)).rejects.toThrow(/^the database holds records the loader refuses \(was it changed by hand\?\):\n {2}events\.ndjson:\d+: /);
  // The connection of the failed read is closed, not handed back mid-transaction: the pool still answers.
  expect((await admin.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
});
