import { execute, parse } from 'graphql';
import pino from 'pino';
import { loadDataset } from '../../../data/load-dataset';
import { buildDatelineSchema } from '../../../schema/build-schema';
import { EventStore } from '../../../store/event-store';
import { throughputOperations } from '../../../bench/operations';
import { createServer, type DatelineServer } from '../../create-server';

/** Operations that succeed, beside those of the benchmark. */
const MORE = [
  { query: '{ events(last: 3, orderBy: { field: DATE, direction: DESC }) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { slug startsAt precision partOfDay related { slug } } } }' },
  { query: '{ nodes(ids: ["UGxhY2U6ZGFtYXNjdXM=", "QWN0b3I6bm9ib2R5"]) { __typename id ... on Place { name ancestors { slug } } } }' },
  { query: 'query Places { places(first: 5) { edges { cursor node { slug children { slug } events(first: 2) { totalCount } } } } }', operationName: 'Places' },
];

describe('fast path', () => {
  let server: DatelineServer;
  let url: string;
  let store: EventStore;

  beforeAll(async () => {
    store = new EventStore(await loadDataset('events'));
    server = await createServer({ store, logger: pino({ level: 'silent' }) });
    url = await server.listen(0, '127.0.0.1');
  });
  afterAll(() => server.stop());

  const post = async (body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    return { status: res.status, text: await res.text(), type: res.headers.get('content-type') };
  };

  it('answers every operation exactly as plain graphql-js execution does, through Apollo, compiled and cached', async () => {
    const schema = buildDatelineSchema();
    const bodies = [...throughputOperations().map((op) => op.body), ...MORE];
    for (const body of bodies) {
      const plain = await execute({ schema, document: parse(body.query), contextValue: { store }, variableValues: 'variables' in body ? body.variables : undefined, operationName: 'operationName' in body ? body.operationName : undefined });
      const expected = `${JSON.stringify({ data: plain.data })}\n`;
      expect(plain.errors).toBeUndefined();
      const before = { ...server.fastPath.stats };
      const answers = [await post(body), await post(body), await post(body)];
      for (const a of answers) expect(a).toEqual({ status: 200, text: expected, type: 'application/json; charset=utf-8' });
      expect(server.fastPath.stats.cached - before.cached).toBe(2);
    }
  });

  it('runs a compiled document with new variables, and agrees with graphql-js', async () => {
    const query = 'query($slug: String!) { event(slug: $slug) { slug title place { name } } }';
    await post({ query, variables: { slug: 'idlib-air-strike' } });
    const before = server.fastPath.stats.compiled;
    const answer = await post({ query, variables: { slug: 'geneva-declaration' } });
    const plain = await execute({ schema: buildDatelineSchema(), document: parse(query), contextValue: { store }, variableValues: { slug: 'geneva-declaration' } });
    expect(answer.text).toBe(`${JSON.stringify({ data: plain.data })}\n`);
    expect(server.fastPath.stats.compiled).toBe(before + 1);
  });

  it('keeps store errors as BAD_USER_INPUT when a compiled document gets bad variables', async () => {
    const query = 'query($first: Int, $places: [String!]) { events(first: $first, filter: { places: $places }) { totalCount } }';
    expect((await post({ query, variables: { first: 2, places: ['syria'] } })).status).toBe(200);
    const tooMany = JSON.parse((await post({ query, variables: { first: 500, places: ['syria'] } })).text);
    expect(tooMany.errors).toEqual([
      { message: 'first: must be between 1 and 100, got 500', locations: [{ line: 1, column: 42 }], path: ['events'], extensions: { code: 'BAD_USER_INPUT', argument: 'first' } },
    ]);
    const unknown = JSON.parse((await post({ query, variables: { first: 2, places: ['atlantis'] } })).text);
    expect(unknown.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'filter.places' });
    expect(unknown.errors[0].message).toContain('"atlantis"');
    const wrongType = JSON.parse((await post({ query, variables: { first: 'many' } })).text);
    expect(wrongType.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('answers the same with and without an Origin header (Apollo alone answers browsers)', async () => {
    const body = throughputOperations()[1].body;
    expect((await post(body, { origin: 'http://example.test' })).text).toBe((await post(body)).text);
  });

  it('says clearly when the body is not JSON, without a stack trace', async () => {
    const answer = await post('{"query": ');
    expect(answer.status).toBe(400);
    const { errors } = JSON.parse(answer.text);
    expect(errors[0].extensions).toEqual({ code: 'BAD_REQUEST' });
    expect(errors[0].message).toMatch(/^The request body is not valid JSON/);
  });
});
