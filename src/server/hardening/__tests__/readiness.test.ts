import { startTestServer, type TestServer } from '../../../test-support/test-server';

let current = { ready: false, lagMs: 9000 };
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(undefined, { readiness: () => current });
});
afterAll(() => server.stop());

it('/readyz is 503 while the data is behind a shared database, and ready once it is current', async () => {
  const readyz = () => fetch(server.url.replace('/graphql', '/readyz')).then(async (r) => [r.status, await r.json()]);
  expect(await readyz()).toEqual([503, { status: 'behind', ready: false, lagMs: 9000 }]);
  current = { ready: true, lagMs: 10 };
  expect(await readyz()).toEqual([200, expect.objectContaining({ status: 'ready', ready: true, lagMs: 10, events: 7 })]);
});
