/**
 * Replicas as separate processes (`src/index.ts` with DATABASE_URL) on one database: what one is told, every other
 * serves and pushes to its subscribers; racing edits; a replica killed and started again; the database restarted.
 * The database is always an embedded one (even with DATABASE_URL set), since one test stops and starts it.
 */
import { startEmbeddedPostgres, type EmbeddedTestPostgres } from '../../../test-support/postgres';
import { eventually, importedDatabase } from '../../../test-support/postgres-fixtures';
import { makeEditors, startReplica, type Editors, type ReplicaProcess } from '../../../test-support/postgres-replicas';
import { changesAfter } from '../change-log';
import { createPool } from '../pool';

let pg: EmbeddedTestPostgres;
let editors: Editors;
let url: string;
// Three replicas for the whole file (each process takes a while to start under ts-node); the last test replaces c.
let a: ReplicaProcess;
let b: ReplicaProcess;
let c: ReplicaProcess;
/** Replicas say they are not ready after a second without confirming they are current. */
const LAG = { REPLICA_MAX_LAG_MS: '1000' };

beforeAll(async () => {
  pg = await startEmbeddedPostgres();
  editors = makeEditors();
  url = await importedDatabase(pg);
  [a, b, c] = await Promise.all([0, 1, 2].map(() => startReplica(url, editors, LAG)));
}, 300_000);

afterAll(async () => {
  await Promise.all([a, b, c].map((r) => r?.stop('SIGKILL')));
  await pg?.close();
  editors?.remove();
});

/** Every change in the database's log, as the feed shows it. */
async function databaseFeed(): Promise<unknown[]> {
  const pool = createPool(url);
  try {
    return (await changesAfter(pool, 0, 10_000)).map((ch) => ({ kind: ch.kind, editor: ch.editor, revision: ch.revision, entity: { slug: ch.entity.slug } }));
  } finally {
    await pool.end();
  }
}

const update = (slug: string, revision: number, title: string) =>
  `mutation { updateEvent(input: { slug: "${slug}", expectedRevision: ${revision}, patch: { title: "${title}" }, note: "test" }) { event { title revision } userErrors { code message } } }`;

/** The whole change feed of a replica, page by page. */
async function feed(r: ReplicaProcess): Promise<unknown[]> {
  const nodes: unknown[] = [];
  for (let after: string | null = null; ; ) {
    const page = (await r.graphql('query($after: String) { changes(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { kind editor revision entity { ... on Event { slug } ... on Actor { slug } } } } }', { after }))
      .data!.changes as { pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: unknown[] };
    nodes.push(...page.nodes);
    if (!page.pageInfo.hasNextPage) return nodes;
    after = page.pageInfo.endCursor;
  }
}

/** Creates actors through `r` until `stop()`; counts those it was told were saved. */
function writeActors(r: ReplicaProcess, prefix: string) {
  const state = { made: 0, writing: true };
  const done = (async () => {
    // Bounded by successes, not attempts: while the database is down every attempt fails at once, and the writer
    // must still be writing when it is back. A failed attempt waits a little and takes the next slug.
    for (let i = 0, attempts = 0; state.writing && state.made < 60 && attempts < 2000; i++, attempts++) {
      const saved = await r.edit(`mutation { saveActor(input: { actor: { slug: "${prefix}-${i}", name: "Desk ${i}", kind: ORGANIZATION } }) { actor { revision } userErrors { code } } }`).catch(() => null);
      if (saved?.data?.saveActor?.actor) state.made++;
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return { state, stop: async () => ((state.writing = false), await done) };
}

test('three replicas: an edit through one is served by the others and pushed to a WebSocket and an SSE subscriber on them', async () => {
  const onB: Record<string, unknown>[] = [];
  const onC: Record<string, unknown>[] = [];
  const fields = 'kind editor revision entity { ... on Event { slug title } }';
  const stopB = b.subscribe('ws', fields, (change) => onB.push(change));
  const stopC = c.subscribe('sse', fields, (change) => onC.push(change));
  try {
    await new Promise((r) => setTimeout(r, 1000)); // both subscriptions open
    const edit = await a.edit(update('idlib-air-strike', 1, 'Edited on A'));
    expect(edit.data).toEqual({ updateEvent: { event: { title: 'Edited on A', revision: 2 }, userErrors: [] } });
    const query = '{ event(slug: "idlib-air-strike") { title revision updatedAt } }';
    const onA = (await a.graphql(query)).data;
    for (const other of [b, c]) await eventually(async () => expect((await other.graphql(query)).data).toEqual(onA));
    const pushed = { kind: 'UPDATED', editor: 'Night desk', revision: 2, entity: { slug: 'idlib-air-strike', title: 'Edited on A' } };
    await eventually(() => expect([onB, onC]).toEqual([[pushed], [pushed]]));
    for (const r of [a, b, c]) expect(await feed(r)).toEqual(await databaseFeed());
    expect(await databaseFeed()).toEqual([{ kind: 'UPDATED', editor: 'Night desk', revision: 2, entity: { slug: 'idlib-air-strike' } }]);
    for (const r of [a, b, c]) expect(await r.readyz()).toMatchObject({ status: 200, body: { status: 'ready' } });
  } finally {
    stopB();
    stopC();
  }
}, 180_000);

test('the same edit racing through two replicas: one wins, the other is told STALE_REVISION with the current revision', async () => {
  const slug = 'hama-checkpoint-suicide-car-bombing';
  const results = await Promise.all([a.edit(update(slug, 1, 'From A')), b.edit(update(slug, 1, 'From B'))]);
  const payloads = results.map((r) => r.data!.updateEvent as { event: { title: string } | null; userErrors: { code: string; message: string }[] });
  const winner = payloads.find((p) => p.event)!;
  const loser = payloads.find((p) => !p.event)!;
  expect(payloads.filter((p) => p.event)).toHaveLength(1);
  expect(loser.userErrors).toEqual([
    { code: 'STALE_REVISION', message: `event "${slug}" is at revision 2, not 1; read it again and apply the change to revision 2` },
  ]);
  for (const r of [a, b, c]) {
    await eventually(async () => expect((await r.graphql(`{ event(slug: "${slug}") { title revision } }`)).data).toEqual({ event: { title: winner.event!.title, revision: 2 } }));
  }
}, 180_000);

test('a replica killed with SIGKILL while edits stream in, started again, serves the change feed the database holds', async () => {
  const writer = writeActors(a, 'desk');
  await eventually(() => expect(writer.state.made).toBeGreaterThanOrEqual(5), 60_000);
  await c.stop('SIGKILL');
  const killedAfter = writer.state.made;
  // Quiet, as the benchmark runs its replicas: a start must not depend on the log line that names the URL.
  c = await startReplica(url, editors, { ...LAG, LOG_LEVEL: 'warn' });
  await eventually(() => expect(writer.state.made).toBeGreaterThan(killedAfter + 5), 60_000);
  await writer.stop();
  const expected = await databaseFeed();
  expect(expected).toHaveLength(writer.state.made + 2);
  for (const r of [a, b, c]) await eventually(async () => expect(await feed(r)).toEqual(expected));
}, 180_000);

test('the database restarted while edits stream in: replicas say they are behind, reconnect, and serve its feed, nothing missed or repeated', async () => {
  const writer = writeActors(b, 'night');
  await eventually(() => expect(writer.state.made).toBeGreaterThanOrEqual(5), 60_000);
  await pg.stop();
  const madeWhileDown = writer.state.made;
  await eventually(async () => expect((await a.readyz()).status).toBe(503), 10_000);
  expect((await c.readyz()).body).toMatchObject({ status: 'behind', ready: false });
  await pg.start();
  await eventually(() => expect(writer.state.made).toBeGreaterThan(madeWhileDown + 5), 60_000);
  await writer.stop();
  const expected = await databaseFeed();
  for (const r of [a, b, c]) await eventually(async () => expect(await feed(r)).toEqual(expected), 20_000);
  for (const r of [a, b, c]) await eventually(async () => expect((await r.readyz()).status).toBe(200), 20_000);
}, 180_000);
