import type { CommittedChange } from '../../../data/change';
import { loadDataset } from '../../../data/load-dataset';
import { startTestPostgres, type TestPostgres } from '../../../test-support/postgres';
import { createActor, EVENTS_DIR, eventually, importedDatabase, placeOf, placesInFile, renamePlace } from '../../../test-support/postgres-fixtures';
import type { Storage } from '../../storage';
import { createPool } from '../pool';
import { PostgresStorage } from '../postgres-storage';

let pg: TestPostgres;
const open: Storage[] = [];

beforeAll(async () => {
  pg = await startTestPostgres();
}, 120_000);

afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

afterAll(async () => {
  await pg?.close();
});

/** A replica on `url` that records every change it is told of. */
async function replica(url: string) {
  const storage = new PostgresStorage({ url, pollIntervalMs: 200 });
  open.push(storage);
  const opened = await storage.open();
  const heard: CommittedChange[] = [];
  storage.onChanges((changes) => heard.push(...changes));
  return { storage, opened, heard };
}

test('a replica opens with the data set the folder gives, and an empty change feed', async () => {
  const url = await importedDatabase(pg);
  const { opened, storage } = await replica(url);
  const folder = await loadDataset(EVENTS_DIR);
  expect(opened.changes).toEqual([]);
  expect(opened.dataset.events).toEqual(folder.events);
  expect([opened.dataset.places, opened.dataset.actors, opened.dataset.sources]).toEqual([folder.places, folder.actors, folder.sources]);
  expect((storage as PostgresStorage).status()).toMatchObject({ ready: true, lastAppliedSeq: 0, latestKnownSeq: 0 });
  // What /readyz shows carries nothing of the URL (its password least of all).
  const readiness = JSON.stringify((storage as PostgresStorage).status());
  for (const part of [new URL(url).password, new URL(url).host]) expect(readiness).not.toContain(part);
  // Revision 1 of every record is the import's, and the data version names the point of the log it was read at.
  expect((storage as PostgresStorage).loadedAs).toEqual({ at: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/), editor: 'import' });
  expect(opened.dataset.version).toMatch(/^[0-9a-f]{16}@0$/);
});

test('a database never imported is refused at open with how to import one', async () => {
  const url = await pg.createDatabase();
  const storage = new PostgresStorage({ url });
  open.push(storage);
  await expect(storage.open()).rejects.toThrow('the database holds no data set yet: import a data folder first with `npm run db:import -- DIR`');
});

test('a commit is told to its own listeners before it resolves, and reaches the other replica once', async () => {
  const url = await importedDatabase(pg);
  const a = await replica(url);
  const b = await replica(url);
  const damascus = placeOf('damascus');
  let heardBeforeResolve = 0;
  a.storage.onChanges(() => heardBeforeResolve++);
  const change = await a.storage.commit(renamePlace(damascus, 'Dimashq', 1));
  expect(heardBeforeResolve).toBe(1);
  expect(change).toEqual({
    seq: 1,
    at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    editor: 'Night desk',
    kind: 'UPDATED',
    entity: { type: 'Place', slug: 'damascus' },
    revision: 2,
    note: 'renamed to Dimashq',
    changedFields: ['name'],
    before: damascus,
    after: { ...damascus, name: 'Dimashq' },
  });
  expect(a.heard).toEqual([change]);
  await eventually(() => expect(b.heard).toEqual([change]));
  // Both replicas give the editing service the record as it is now, in file form and file order.
  const places = placesInFile();
  const renamed = places.map((p) => (p.slug === 'damascus' ? { ...damascus, name: 'Dimashq' } : p));
  expect(b.storage.catalogue('Place')).toEqual(renamed);
  expect(a.storage.catalogue('Place')).toEqual(renamed);
  expect(await b.storage.fileForm('Place', 'damascus')).toEqual({ ...damascus, name: 'Dimashq' });
  expect(await b.storage.fileForm('Event', 'no-such-event')).toBeNull();
  // The record, its revision and the change survive a fresh start.
  const c = await replica(url);
  expect(c.opened.changes).toEqual([change]);
  expect(c.opened.dataset.version).toMatch(/^[0-9a-f]{16}@1$/);
  const place = c.opened.dataset.places.find((p) => p.slug === 'damascus');
  expect(place).toMatchObject({ name: 'Dimashq', revision: 2, updatedAt: (change as CommittedChange).at });
  expect(c.opened.dataset.places.find((p) => p.slug === 'syria')).toMatchObject({ revision: 1, updatedAt: null });
});

test('refusals change nothing: a stale revision (with the current one), an unknown record, a slug taken', async () => {
  const url = await importedDatabase(pg);
  const a = await replica(url);
  const damascus = placeOf('damascus');
  await a.storage.commit(renamePlace(damascus, 'Dimashq', 1));
  expect(await a.storage.commit(renamePlace(damascus, 'Damas', 1))).toEqual({ code: 'STALE_REVISION', currentRevision: 2 });
  expect(await a.storage.commit(renamePlace({ ...damascus, slug: 'atlantis' }, 'Atlantis', 1))).toEqual({ code: 'NOT_FOUND' });
  expect(await a.storage.commit(createActor('russia'))).toEqual({ code: 'DUPLICATE_SLUG' });
  expect(a.heard.map((c) => c.seq)).toEqual([1]);
  const pool = createPool(url);
  try {
    expect((await pool.query('SELECT last_seq FROM change_counter')).rows).toEqual([{ last_seq: '1' }]);
    expect((await pool.query('SELECT count(*)::int AS n FROM changes')).rows).toEqual([{ n: 1 }]);
  } finally {
    await pool.end();
  }
});

test('replicas racing on one record: exactly one wins, the others are STALE_REVISION; racing creations: one DUPLICATE_SLUG', async () => {
  const url = await importedDatabase(pg);
  const replicas = await Promise.all([replica(url), replica(url), replica(url)]);
  const damascus = placeOf('damascus');
  const results = await Promise.all(replicas.map((r, i) => r.storage.commit(renamePlace(damascus, `Name ${i}`, 1, `editor ${i}`))));
  expect(results.filter((r) => 'seq' in r)).toHaveLength(1);
  expect(results.filter((r) => !('seq' in r))).toEqual([
    { code: 'STALE_REVISION', currentRevision: 2 },
    { code: 'STALE_REVISION', currentRevision: 2 },
  ]);
  const created = await Promise.all(replicas.slice(0, 2).map((r) => r.storage.commit(createActor('new-desk'))));
  expect(created.filter((r) => 'seq' in r).map((r) => (r as CommittedChange).seq)).toEqual([2]);
  expect(created.filter((r) => !('seq' in r))).toEqual([{ code: 'DUPLICATE_SLUG' }]);
  // Every replica hears both changes, in order, once: no gap left by the losers.
  for (const r of replicas) await eventually(() => expect(r.heard.map((c) => c.seq)).toEqual([1, 2]));
});

test('many commits from two replicas at once: every replica hears every change in seq order, once', async () => {
  const url = await importedDatabase(pg);
  const [a, b] = await Promise.all([replica(url), replica(url)]);
  const writes = [];
  for (let i = 0; i < 40; i++) writes.push((i % 2 ? a : b).storage.commit(createActor(`desk-${i}`)));
  const results = await Promise.all(writes);
  expect(results.map((r) => (r as CommittedChange).seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  for (const r of [a, b]) await eventually(() => expect(r.heard.map((c) => c.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1)));
  expect(a.heard).toEqual(b.heard);
});
