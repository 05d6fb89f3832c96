/**
 * Replicas as separate processes (`src/index.ts` with DATABASE_URL) on one database: what one is told, every other
 * serves and pushes to its subscribers; racing edits; a replica killed and started again.
 */
import { startTestPostgres, type TestPostgres } from '../../../test-support/postgres';
import { eventually, importedDatabase } from '../../../test-support/postgres-fixtures';
import { makeEditors, startReplica, type Editors, type ReplicaProcess } from '../../../test-support/postgres-replicas';
import { changesAfter } from '../change-log';
import { createPool } from '../pool';

let pg: TestPostgres;
let editors: Editors;
let url: string;
// Three replicas for the whole file (each process takes a while to start under ts-node); the last test replaces c.
let a: ReplicaProcess;
let b: ReplicaProcess;
let c: ReplicaProcess;

beforeAll(async () => {
  pg = await startTestPostgres();
  editors = makeEditors();
  url = await importedDatabase(pg);
  [a, b, c] = await Promise.all([0, 1, 2].map(() => startReplica(url, editors)));
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

const feed = (r: ReplicaProcess) =>
  r.graphql('{ changes(first: 100) { nodes { kind editor revision entity { ... on Event { slug } ... on Actor { slug } } } } }').then((b) => b.data?.changes.nodes as unknown[]);

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
  let writing = true;
  let made = 0;
  const writer = (async () => {
    // Fewer than a page of the feed (100) in all.
    for (let i = 0; writing && i < 60; i++) {
      const saved = await a.edit(`mutation { saveActor(input: { actor: { slug: "desk-${i}", name: "Desk ${i}", kind: ORGANIZATION } }) { actor { revision } userErrors { code } } }`);
      if (saved.data?.saveActor.actor) made++;
    }
  })();
  await eventually(() => expect(made).toBeGreaterThanOrEqual(5), 60_000);
  await c.stop('SIGKILL');
  const killedAfter = made;
  c = await startReplica(url, editors);
  await eventually(() => expect(made).toBeGreaterThan(killedAfter + 5), 60_000);
  writing = false;
  await writer;
  const expected = await databaseFeed();
  expect(expected).toHaveLength(made + 2);
  for (const r of [a, b, c]) await eventually(async () => expect(await feed(r)).toEqual(expected));
}, 180_000);
