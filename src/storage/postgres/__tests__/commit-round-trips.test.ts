import type { Pool } from 'pg';
import type { CommittedChange } from '../../../data/change';
import { startTestPostgres, type TestPostgres } from '../../../test-support/postgres';
import { countingPool, createActor, eventually, importedDatabase, placeOf, renamePlace } from '../../../test-support/postgres-fixtures';
import * as changeLog from '../change-log';
import { commitProposal } from '../change-log';
import { KEPT_CONNECTIONS, PostgresStorage } from '../postgres-storage';

let pg: TestPostgres;
const open: PostgresStorage[] = [];

beforeAll(async () => {
  pg = await startTestPostgres();
}, 120_000);

afterEach(async () => {
  jest.restoreAllMocks();
  await Promise.all(open.splice(0).map((s) => s.close()));
});

afterAll(async () => {
  await pg?.close();
});

test('a commit, a refusal and a creation are one statement each: one round trip to the database', async () => {
  const url = await importedDatabase(pg);
  const { pool, sent } = countingPool(url);
  try {
    const damascus = placeOf('damascus');
    const committed = await commitProposal(pool, renamePlace(damascus, 'Dimashq', 1));
    expect(committed).toMatchObject({ seq: 1, revision: 2, entity: { type: 'Place', slug: 'damascus' } });
    expect(sent).toEqual([expect.stringMatching(/^SELECT \* FROM dateline_commit\(/)]);
    expect(await commitProposal(pool, renamePlace(damascus, 'Damas', 1))).toEqual({ code: 'STALE_REVISION', currentRevision: 2 });
    expect(await commitProposal(pool, createActor('new-desk'))).toMatchObject({ seq: 2, revision: 1, kind: 'CREATED' });
    expect(await commitProposal(pool, createActor('new-desk'))).toEqual({ code: 'DUPLICATE_SLUG' });
    expect(sent).toHaveLength(4);
    // What the statement wrote, and only that: the record, its change, the counter.
    const { rows } = await pool.query('SELECT seq, entity_slug, revision FROM changes ORDER BY seq');
    expect(rows).toEqual([
      { seq: '1', entity_slug: 'damascus', revision: 2 },
      { seq: '2', entity_slug: 'new-desk', revision: 1 },
    ]);
    expect((await pool.query("SELECT record->>'name' AS name, revision FROM places WHERE slug = 'damascus'")).rows).toEqual([{ name: 'Dimashq', revision: 2 }]);
    expect((await pool.query("SELECT position FROM actors WHERE slug = 'new-desk'")).rows[0].position).toBe(
      (await pool.query('SELECT max(position) AS top FROM actors')).rows[0].top,
    );
    expect((await pool.query('SELECT last_seq FROM change_counter')).rows).toEqual([{ last_seq: '2' }]);
  } finally {
    await pool.end();
  }
});

test('racing creations of one slug on many connections: exactly one wins, and no seq is lost', async () => {
  const url = await importedDatabase(pg);
  const { pool } = countingPool(url);
  try {
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => commitProposal(pool, createActor('same-desk', `editor ${i}`))));
    expect(results.filter((r) => 'seq' in r).map((r) => (r as CommittedChange).seq)).toEqual([1]);
    expect(results.filter((r) => !('seq' in r))).toEqual(Array.from({ length: 5 }, () => ({ code: 'DUPLICATE_SLUG' })));
    expect(await commitProposal(pool, createActor('next-desk'))).toMatchObject({ seq: 2 });
  } finally {
    await pool.end();
  }
});

test("a replica applies its own commits as the database answered them: the doorbell's ring of them reads nothing", async () => {
  const url = await importedDatabase(pg);
  // No backstop tick during the test: every read of the log would come from a ring.
  const a = new PostgresStorage({ url, pollIntervalMs: 60_000 });
  open.push(a);
  await a.open();
  const heard: number[] = [];
  a.onChanges((changes) => heard.push(...changes.map((c) => c.seq)));
  await new Promise((done) => setTimeout(done, 200)); // the read of the first connection's ring is over
  const reads = jest.spyOn(changeLog, 'changesAfter');
  let damascus = placeOf('damascus');
  for (let revision = 1; revision <= 8; revision++) {
    const proposal = renamePlace(damascus, `Name ${revision}`, revision);
    await a.commit(proposal);
    damascus = proposal.after;
  }
  await new Promise((done) => setTimeout(done, 300)); // every ring has arrived
  expect(heard).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  expect(reads.mock.calls.length).toBe(0);
  expect(a.status()).toMatchObject({ lastAppliedSeq: 8, latestKnownSeq: 8 });
  // Another replica's change is read from the log on its ring; one's own next commit comes after it, in order.
  const b = new PostgresStorage({ url, pollIntervalMs: 60_000 });
  open.push(b);
  await b.open();
  await b.commit(createActor('from-b'));
  await eventually(() => expect(heard).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]));
  expect(reads.mock.calls.length).toBeGreaterThan(0);
  await b.commit(createActor('from-b-again'));
  await a.commit(createActor('from-a'));
  expect(heard).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
});

test('after a quiet spell an edit finds its connections still open: the pool keeps two however long they are idle', async () => {
  const url = await importedDatabase(pg);
  const a = new PostgresStorage({ url, pollIntervalMs: 60_000 });
  open.push(a);
  await a.open();
  const pool = (a as unknown as { pool: Pool }).pool;
  let opened = 0;
  pool.on('connect', () => opened++);
  // From here the clock is moved by hand: the pool times its idle connections out with setTimeout.
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'performance', 'hrtime'] });
  try {
    // An edit's record read beside the commit of the edit before it, as the editing service runs them.
    const damascus = placeOf('damascus');
    const first = renamePlace(damascus, 'Dimashq', 1);
    await Promise.all([a.fileForm('Place', 'damascus'), a.commit(first)]);
    expect(pool.totalCount).toBeGreaterThanOrEqual(KEPT_CONNECTIONS);
    jest.advanceTimersByTime(10 * 60_000); // ten quiet minutes
    expect(pool.totalCount).toBe(KEPT_CONNECTIONS);
    const openedBefore = opened;
    await Promise.all([a.fileForm('Place', 'damascus'), a.commit(renamePlace(first.after, 'Damas', 2))]);
    expect(opened).toBe(openedBefore);
  } finally {
    jest.useRealTimers();
  }
});
