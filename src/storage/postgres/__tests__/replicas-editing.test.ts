import type { CommittedChange } from '../../../data/change';
import { EventStore } from '../../../store/event-store';
import { startTestPostgres, type TestPostgres } from '../../../test-support/postgres';
import { eventually, importedDatabase } from '../../../test-support/postgres-fixtures';
import { applyCommitted } from '../../apply-committed';
import { EditingService } from '../../editing';
import { PostgresStorage } from '../postgres-storage';

let pg: TestPostgres;
const storages: PostgresStorage[] = [];

beforeAll(async () => {
  pg = await startTestPostgres();
}, 120_000);

afterAll(async () => {
  await Promise.all(storages.map((s) => s.close()));
  await pg?.close();
});

/** A replica wired as the server wires one: storage → store (applyCommitted) → editing service. */
async function replica(url: string) {
  const storage = new PostgresStorage({ url, pollIntervalMs: 200 });
  storages.push(storage);
  const { dataset } = await storage.open();
  const store = new EventStore(dataset);
  const heard: CommittedChange[] = [];
  storage.onChanges((changes) => {
    applyCommitted(store, changes, { placeRecords: () => storage.catalogue('Place') });
    heard.push(...changes);
  });
  return { storage, store, heard, editing: new EditingService(store, storage, storage) };
}

const SLUG = 'idlib-air-strike';

test('an edit through one replica is seen by the other replica\'s store; a retraction there leaves this one\'s lists', async () => {
  const url = await importedDatabase(pg);
  const [a, b] = [await replica(url), await replica(url)];
  const count = (r: typeof a) => r.store.count();
  const events = count(a);

  const updated = await a.editing.updateEvent('Night desk', { slug: SLUG, expectedRevision: 1, patch: { title: 'Air strike in Idlib province' }, note: 'title' });
  expect(updated.userErrors).toEqual([]);
  expect(updated.record).toMatchObject({ slug: SLUG, title: 'Air strike in Idlib province', revision: 2 });
  await eventually(() => expect(b.store.event(SLUG)).toMatchObject({ title: 'Air strike in Idlib province', revision: 2, updatedAt: a.heard[0].at }));

  const retracted = await b.editing.retractEvent('Day desk', { slug: SLUG, expectedRevision: 2, reason: 'could not be confirmed' });
  expect(retracted.userErrors).toEqual([]);
  await eventually(() => expect(a.store.event(SLUG)).toMatchObject({ status: 'RETRACTED', revision: 3, retraction: { editor: 'Day desk', reason: 'could not be confirmed' } }));
  expect(count(a)).toBe(events - 1);
  expect(count(b)).toBe(events - 1);
  expect(a.heard).toEqual(b.heard);
  expect(a.heard.map((c) => [c.seq, c.kind, c.revision])).toEqual([
    [1, 'UPDATED', 2],
    [2, 'RETRACTED', 3],
  ]);

  // A third replica started now has it all from the database.
  const c = await replica(url);
  expect(c.store.event(SLUG)).toEqual(a.store.event(SLUG));
  expect(count(c)).toBe(events - 1);
});

test('the same edit racing through two replicas: one succeeds, the other is told the current revision', async () => {
  const url = await importedDatabase(pg);
  const [a, b] = [await replica(url), await replica(url)];
  const results = await Promise.all(
    [a, b].map((r, i) => r.editing.updateEvent(`desk ${i}`, { slug: SLUG, expectedRevision: 1, patch: { title: `Title ${i}` }, note: 'race' })),
  );
  const won = results.filter((r) => r.record);
  const lost = results.filter((r) => !r.record);
  expect(won).toHaveLength(1);
  expect(lost.map((r) => r.userErrors)).toEqual([
    [
      {
        field: ['expectedRevision'],
        message: `event "${SLUG}" is at revision 2, not 1; read it again and apply the change to revision 2`,
        code: 'STALE_REVISION',
      },
    ],
  ]);
  await eventually(() => expect(a.store.event(SLUG)?.title).toBe(won[0].record!.title));
  await eventually(() => expect(b.store.event(SLUG)?.title).toBe(won[0].record!.title));
});
