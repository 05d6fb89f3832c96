/** Duplicated fields in a subscription are refused before parsing, with the error HTTP gives the same document. */
import { openInitialisedSocket, startLiveServer, type LiveTestServer } from './live-server';

let t: LiveTestServer;
beforeAll(async () => {
  t = await startLiveServer({}, { maxFields: 500, maxSelections: 100 });
});
afterAll(() => t.close());

it.each([
  ['selections', `subscription { eventChanged { ${'kind '.repeat(101)}} }`],
  ['fields', `subscription { eventChanged { ${'entity { __typename } '.repeat(300)}} }`],
])('%s: refuses the document over WebSocket as over HTTP', async (limit, query) => {
  const raw = await openInitialisedSocket(t.wsUrl);
  raw.send({ id: 'over', type: 'subscribe', payload: { query } });
  const refused = await raw.waitFor((m) => m.id === 'over');
  const viaHttp = await t.post({ query });
  expect(viaHttp.status).toBe(400);
  expect(refused).toEqual({ id: 'over', type: 'error', payload: viaHttp.json.errors });
  expect(refused.payload[0].extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: { name: limit } });
  raw.socket.close();
});
