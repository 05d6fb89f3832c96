import type { CommittedChange } from '../../../data/change';
import { startEmbeddedPostgres, type EmbeddedTestPostgres } from '../../../test-support/postgres';
import { createActor, importedDatabase } from '../../../test-support/postgres-fixtures';
import { changesAfter } from '../change-log';
import { createPool } from '../pool';
import { PostgresStorage } from '../postgres-storage';

let pg: EmbeddedTestPostgres;

beforeAll(async () => {
  pg = await startEmbeddedPostgres();
}, 120_000);

afterAll(async () => {
  await pg?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('the database restarted under load: replicas reconnect and catch up, hearing every change once, in order', async () => {
  const url = await importedDatabase(pg);
  const replicas = [0, 1].map(() => new PostgresStorage({ url, pollIntervalMs: 200, maxLagMs: 1000 }));
  const heard: CommittedChange[][] = [[], []];
  try {
    for (const [i, storage] of replicas.entries()) {
      await storage.open();
      storage.onChanges((changes) => heard[i].push(...changes));
    }
    let writing = true;
    let next = 0;
    const outcomes = { committed: 0, failed: 0 };
    const writer = async (storage: PostgresStorage) => {
      while (writing) {
        try {
          await storage.commit(createActor(`desk-${next++}`));
          outcomes.committed++;
        } catch {
          outcomes.failed++;
          await sleep(50);
        }
      }
    };
    const writers = replicas.map(writer);
    await sleep(800);
    const beforeStop = outcomes.committed;
    await pg.stop();
    await sleep(300);
    await Promise.all(replicas.map(async (r) => {
      await sleep(1200);
      expect(r.status().ready).toBe(false);
    }));
    await pg.start();
    await sleep(1500);
    writing = false;
    await Promise.all(writers);
    expect(beforeStop).toBeGreaterThan(0);
    expect(outcomes.committed).toBeGreaterThan(beforeStop);
    expect(outcomes.failed).toBeGreaterThan(0);

    const pool = createPool(url);
    const log = await changesAfter(pool, 0, 1_000_000);
    await pool.end();
    expect(log.map((c) => c.seq)).toEqual(log.map((_, i) => i + 1));
    expect(log.length).toBeGreaterThanOrEqual(outcomes.committed);
    const deadline = Date.now() + 10_000;
    while ((heard[0].length < log.length || heard[1].length < log.length) && Date.now() < deadline) await sleep(50);
    expect(heard[0]).toEqual(log);
    expect(heard[1]).toEqual(log);
    for (const r of replicas) expect(r.status()).toMatchObject({ ready: true, lastAppliedSeq: log.length });
  } finally {
    await Promise.all(replicas.map((r) => r.close()));
  }
}, 60_000);
