/** Client mistakes are answered as such (4xx-class GraphQL errors with a code), never as internal errors (issue 11, items 3 and 5-8). */
import { createHash } from 'node:crypto';
import { SUBSCRIPTIONS_ELSEWHERE } from '../subscriptions-elsewhere.plugin';
import { startTestServer, type TestServer } from './start-server';

let t: TestServer;
let production: TestServer;

beforeAll(async () => {
  t = await startTestServer();
  production = await startTestServer({ production: true });
});
afterAll(() => Promise.all([t.close(), production.close()]));

/** The log lines at level error (50) or worse. */
const errorLines = (server: TestServer) => server.logLines.filter((l) => Number(l.level) >= 50);

describe('operations plain HTTP does not serve', () => {
  it('answers a subscription with a 400 OPERATION_NOT_SUPPORTED that says where subscriptions are served', async () => {
    const before = errorLines(t).length;
    const res = await t.post({ query: 'subscription { eventChanged { cursor } }' });
    expect(res.status).toBe(400);
    expect(res.json.errors).toHaveLength(1);
    expect(res.json.errors[0].extensions.code).toBe('OPERATION_NOT_SUPPORTED');
    expect(res.json.errors[0].message).toBe(SUBSCRIPTIONS_ELSEWHERE);
    expect(errorLines(t).length).toBe(before);
  });

  it('answers a mutation without a token with a 401 UNAUTHENTICATED that says how to get one, not an internal error', async () => {
    const before = errorLines(t).length;
    const res = await t.post({ query: 'mutation { __typename }' });
    expect(res.status).toBe(401);
    expect(res.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(res.json.errors[0].message).toMatch(/npm run editor/);
    expect(errorLines(t).length).toBe(before);
  });
});

it('answers an APQ hash that does not match its query with a 400 BAD_REQUEST saying what to send', async () => {
  const before = errorLines(t).length;
  const res = await t.post({ query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update('{ other }').digest('hex') } } });
  expect(res.status).toBe(400);
  expect(res.json.errors).toEqual([{ message: expect.stringMatching(/sha256Hash is not the SHA-256 of the query/), extensions: { code: 'BAD_REQUEST' } }]);
  expect(errorLines(t).length).toBe(before);
});

it('answers operationName "" as Apollo does, on the fast path too, however often it is sent', async () => {
  const body = { query: 'query A { __typename }', operationName: '' };
  const answers = [];
  for (let i = 0; i < 3; i++) answers.push(await t.post(body));
  for (const res of answers) {
    expect(res.status).toBe(400);
    expect(res.json.errors[0].message).toMatch(/Unknown operation named ""/);
  }
  // The same with a document the fast path has learned under no operation name.
  await t.post({ query: '{ __typename }' });
  await t.post({ query: '{ __typename }' });
  const empty = await t.post({ query: '{ __typename }', operationName: '' });
  expect(empty.status).toBe(400);
});

it('answers a variable nested 5,000 deep (unused) without a 5xx', async () => {
  // Written out: JSON.stringify itself cannot go that deep.
  const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
  const query = JSON.stringify('query($f: EventFilter) { events(first: 1, filter: $f) { totalCount } }');
  const res = await t.post(`{"query":${query},"variables":{"f":null,"unused":${deep}}}`);
  expect(res.status).toBe(200);
  expect(res.json.data.events.totalCount).toBeGreaterThan(0);
  const used = await t.post(`{"query":${query},"variables":{"f":${deep}}}`);
  expect(used.status).toBe(400);
  expect(used.json.errors[0].extensions.code).toBe('BAD_USER_INPUT');
});

it('hides schema suggestions from variable errors in production', async () => {
  const query = 'query($f: EventFilter) { events(first: 1, filter: $f) { totalCount } }';
  const variables = { f: { serch: 'x' } };
  const dev = await t.post({ query, variables });
  expect(dev.json.errors[0].message).toMatch(/Did you mean "search"\?/);
  const prod = await production.post({ query, variables });
  expect(prod.status).toBe(400);
  expect(prod.json.errors[0].message).toMatch(/Field "serch" is not defined by type "EventFilter"\.$/);
  expect(prod.text).not.toMatch(/Did you mean/);
});

describe('many copies of one field', () => {
  const copies = (n: number) => `{ ${'events { nodes { title } } '.repeat(n)}}`;
  it('refuses a selection set wider than the limit right after parsing, naming the limit', async () => {
    const res = await t.post({ query: copies(400) });
    expect(res.status).toBe(400);
    expect(res.json.errors[0].extensions).toEqual({ code: 'LIMIT_EXCEEDED', limit: { name: 'fields', max: 500, actual: 1200 } });
    const wide = await t.post({ query: copies(101) });
    expect(wide.status).toBe(400);
    expect(wide.json.errors[0].extensions.limit).toEqual({ name: 'selections', max: 100, actual: 101 });
  });
  it('answers copies within the limits', async () => {
    const res = await t.post({ query: copies(5) });
    expect(res.status).toBe(200);
    expect(res.json.data.events.nodes.length).toBeGreaterThan(0);
  });
});
