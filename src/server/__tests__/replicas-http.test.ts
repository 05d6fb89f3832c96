/**
 * Two servers wired as `index.ts` wires them, on one PostgreSQL (DATABASE_URL): an edit through one is served by the
 * other, in its change feed too, and /readyz says each replica is current.
 */
import { startTestPostgres, type TestPostgres } from '../../test-support/postgres';
import { importedDatabase } from '../../test-support/postgres-fixtures';
import { startEditingServer, type EditingTestServer } from '../../test-support/editing-server';

let pg: TestPostgres;
let a: EditingTestServer;
let b: EditingTestServer;

beforeAll(async () => {
  pg = await startTestPostgres();
  const url = await importedDatabase(pg);
  a = await startEditingServer({ databaseUrl: url });
  b = await startEditingServer({ databaseUrl: url, token: a.token, editorsFile: a.editorsFile, dir: a.dir });
}, 120_000);

afterAll(async () => {
  await b?.stopKeepingData();
  await a?.stop();
  await pg?.close();
});

async function eventually<T>(read: () => Promise<T>, expected: T): Promise<T> {
  let last: T = await read();
  for (let i = 0; i < 50 && JSON.stringify(last) !== JSON.stringify(expected); i++) {
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  return last;
}

it('serves an edit made through the other replica, with its change and revision', async () => {
  const edit = await a.edit('mutation { updateEvent(input: { slug: "idlib-air-strike", expectedRevision: 1, patch: { title: "Edited on A" }, note: "n" }) { event { revision } userErrors { code } } }');
  expect(edit.body.data).toEqual({ updateEvent: { event: { revision: 2 }, userErrors: [] } });
  const onB = () => b.graphql('{ event(slug: "idlib-air-strike") { title revision } changes { nodes { editor revision entity { id } } } }').then((r) => r.body.data);
  expect(await eventually(onB, { event: { title: 'Edited on A', revision: 2 }, changes: { nodes: [{ editor: 'Night desk', revision: 2, entity: { id: 'RXZlbnQ6aWRsaWItYWlyLXN0cmlrZQ==' } }] } })).toEqual({
    event: { title: 'Edited on A', revision: 2 },
    changes: { nodes: [{ editor: 'Night desk', revision: 2, entity: { id: 'RXZlbnQ6aWRsaWItYWlyLXN0cmlrZQ==' } }] },
  });
  const revision1 = await b.graphql('{ event(slug: "idlib-air-strike") { revisions(first: 1) { nodes { editor kind } } } }');
  expect(revision1.body.data).toEqual({ event: { revisions: { nodes: [{ editor: 'import', kind: 'CREATED' }] } } });
  // A stale edit through B is refused, as through A.
  const stale = await b.edit('mutation { updateEvent(input: { slug: "idlib-air-strike", expectedRevision: 1, patch: { title: "Edited on B" }, note: "n" }) { userErrors { code } } }');
  expect(stale.body.data).toEqual({ updateEvent: { userErrors: [{ code: 'STALE_REVISION' }] } });
});

it('reports readiness from the replica\'s follower in /readyz', async () => {
  const res = await fetch(b.url.replace('/graphql', '/readyz'));
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ status: 'ready', ready: true, lastAppliedSeq: expect.any(Number), lagMs: expect.any(Number) });
});
