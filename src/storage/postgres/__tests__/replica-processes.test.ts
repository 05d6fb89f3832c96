/**
 * Replicas as separate processes (`src/index.ts` with DATABASE_URL) on one database: what one is told, every other
 * serves and pushes to its subscribers; racing edits; a replica killed and started again.
 */
import { startTestPostgres, type TestPostgres } from '../../../test-support/postgres';
import { importedDatabase } from '../../../test-support/postgres-fixtures';
import { eventually, makeEditors, startReplica, type Editors, type ReplicaProcess } from '../../../test-support/postgres-replicas';
import { changesAfter } from '../change-log';
import { createPool } from '../pool';

let pg: TestPostgres;
let editors: Editors;
const running: ReplicaProcess[] = [];

beforeAll(async () => {
  pg = await startTestPostgres();
  editors = makeEditors();
}, 120_000);

afterAll(async () => {
  await Promise.all(running.map((r) => r.stop('SIGKILL')));
  await pg?.close();
  editors?.remove();
});

async function replicas(url: string, n: number): Promise<ReplicaProcess[]> {
  const started = await Promise.all(Array.from({ length: n }, () => startReplica(url, editors)));
  running.push(...started);
  return started;
}

const update = (slug: string, revision: number, title: string) =>
  `mutation { updateEvent(input: { slug: "${slug}", expectedRevision: ${revision}, patch: { title: "${title}" }, note: "test" }) { event { title revision } userErrors { code message } } }`;

const feed = (r: ReplicaProcess) =>
  r.graphql('{ changes(first: 100) { nodes { kind editor revision entity { ... on Event { slug } ... on Actor { slug } } } } }').then((b) => b.data?.changes.nodes as unknown[]);

test('three replicas: an edit through one is served by the others and pushed to a WebSocket and an SSE subscriber on them', async () => {
  const url = await importedDatabase(pg);
  const [a, b, c] = await replicas(url, 3);
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
    for (const other of [b, c]) await eventually(() => other.graphql(query).then((r) => r.data), (data) => expect(data).toEqual(onA));
    const pushed = { kind: 'UPDATED', editor: 'Night desk', revision: 2, entity: { slug: 'idlib-air-strike', title: 'Edited on A' } };
    await eventually(async () => [onB, onC], ([ws, sse]) => expect([ws, sse]).toEqual([[pushed], [pushed]]));
    for (const r of [a, b, c]) expect(await feed(r)).toEqual([{ kind: 'UPDATED', editor: 'Night desk', revision: 2, entity: { slug: 'idlib-air-strike' } }]);
    for (const r of [a, b, c]) expect(await r.readyz()).toMatchObject({ status: 200, body: { status: 'ready' } });
  } finally {
    stopB();
    stopC();
  }
}, 180_000);

test('the same edit racing through two replicas: one wins, the other is told STALE_REVISION with the current revision', async () => {
  const url = await importedDatabase(pg);
  const [a, b] = await replicas(url, 2);
  const results = await Promise.all([a.edit(update('idlib-air-strike', 1, 'From A')), b.edit(update('idlib-air-strike', 1, 'From B'))]);
  const payloads = results.map((r) => r.data!.updateEvent as { event: { title: string } | null; userErrors: { code: string; message: string }[] });
  const winner = payloads.find((p) => p.event)!;
  const loser = payloads.find((p) => !p.event)!;
  expect(payloads.filter((p) => p.event)).toHaveLength(1);
  expect(loser.userErrors).toEqual([
    { code: 'STALE_REVISION', message: 'event "idlib-air-strike" is at revision 2, not 1; read it again and apply the change to revision 2' },
  ]);
  for (const r of [a, b]) {
    await eventually(() => r.graphql('{ event(slug: "idlib-air-strike") { title revision } }').then((x) => x.data), (d) => expect(d).toEqual({ event: { title: winner.event!.title, revision: 2 } }));
  }
}, 180_000);

test('a replica killed with SIGKILL while edits stream in, started again, serves the change feed the database holds', async () => {
  const url = await importedDatabase(pg);
  const [a, b] = await replicas(url, 2);
  let writing = true;
  let made = 0;
  const writer = (async () => {
    for (let i = 0; writing; i++) {
      const saved = await a.edit(`mutation { saveActor(input: { actor: { slug: "desk-${i}", name: "Desk ${i}", kind: ORGANIZATION } }) { actor { revision } userErrors { code } } }`);
      if (saved.data?.saveActor.actor) made++;
    }
  })();
  await eventually(async () => made, (n) => expect(n).toBeGreaterThanOrEqual(5), 60_000);
  await b.stop('SIGKILL');
  running.splice(running.indexOf(b), 1);
  const [again] = await replicas(url, 1);
  await eventually(async () => made, (n) => expect(n).toBeGreaterThanOrEqual(15), 60_000);
  writing = false;
  await writer;
  const pool = createPool(url);
  const log = await changesAfter(pool, 0, 10_000);
  await pool.end();
  expect(log).toHaveLength(made);
  const expected = log.map((c) => ({ kind: c.kind, editor: c.editor, revision: c.revision, entity: { slug: c.entity.slug } }));
  for (const r of [a, again]) await eventually(() => feed(r), (nodes) => expect(nodes).toEqual(expected));
}, 180_000);
