import { execute, parse } from 'graphql';
import pino from 'pino';
import { loadDataset } from '../../../data/load-dataset';
import { buildDatelineSchema } from '../../../schema/build-schema';
import { EventStore } from '../../../store/event-store';
import { throughputOperations } from '../../../bench/operations';
import { createServer, type DatelineServer } from '../../create-server';
import { createQueryCost } from '../../hardening/query-cost';
import { DEFAULT_HARDENING } from '../../hardening/options';

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
    return { status: res.status, text: await res.text(), type: res.headers.get('content-type'), cacheControl: res.headers.get('cache-control') };
  };

  /** The bytes Apollo sends for a result: the data, then the cost the hardening reports. */
  const expectedBytes = (data: unknown, cost: number | undefined) => `${JSON.stringify({ data, extensions: { cost: { requested: cost, limit: DEFAULT_HARDENING.maxCost } } })}\n`;

  it('answers every operation exactly as plain graphql-js execution does, through Apollo, compiled and cached', async () => {
    const schema = buildDatelineSchema();
    const bodies = [...throughputOperations().map((op) => op.body), ...MORE];
    for (const body of bodies) {
      const document = parse(body.query);
      const variables = 'variables' in body ? body.variables : undefined;
      const operationName = 'operationName' in body ? body.operationName : undefined;
      const plain = await execute({ schema, document, contextValue: { store }, variableValues: variables, operationName });
      const expected = expectedBytes(plain.data, createQueryCost(schema, store).of(document, operationName, variables));
      expect(plain.errors).toBeUndefined();
      const before = { ...server.fastPath!.stats };
      const answers = [await post(body), await post(body), await post(body)];
      for (const a of answers) expect(a).toEqual({ status: 200, text: expected, type: 'application/json; charset=utf-8', cacheControl: 'max-age=300, public' });
      expect(server.fastPath!.stats.cached - before.cached).toBe(2);
    }
  });

  it('keeps few answers of a document whose requests never repeat, and every answer of one whose requests do', async () => {
    const varied = 'query Varied($from: Date!) { events(filter: { from: $from }, first: 1) { totalCount } }';
    const day = (i: number) => `2012-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + Math.floor(i / 12)).padStart(2, '0')}`;
    await post({ query: varied, variables: { from: day(0) } }); // learned from Apollo's answer
    const kept = server.fastPath!.answersKept;
    const before = server.fastPath!.stats.compiled;
    for (let i = 1; i <= 96; i++) expect((await post({ query: varied, variables: { from: day(i) } })).status).toBe(200);
    expect(server.fastPath!.stats.compiled - before).toBe(96);
    const added = server.fastPath!.answersKept - kept;
    // The first misses are still kept; once the document's requests keep missing, one in 16 is.
    expect(added).toBeGreaterThan(0);
    expect(added).toBeLessThan(20);

    const repeated = { query: 'query Repeated($slug: String!) { event(slug: $slug) { title } }', variables: { slug: 'idlib-air-strike' } };
    await post(repeated);
    const cachedBefore = server.fastPath!.stats.cached;
    for (let i = 0; i < 20; i++) await post(repeated);
    expect(server.fastPath!.stats.cached - cachedBefore).toBeGreaterThanOrEqual(19);
  });

  it('runs a compiled document with new variables, and agrees with graphql-js', async () => {
    const query = 'query($slug: String!) { event(slug: $slug) { slug title place { name } } }';
    await post({ query, variables: { slug: 'idlib-air-strike' } });
    const before = server.fastPath!.stats.compiled;
    const answer = await post({ query, variables: { slug: 'geneva-declaration' } });
    const schema = buildDatelineSchema();
    const plain = await execute({ schema, document: parse(query), contextValue: { store }, variableValues: { slug: 'geneva-declaration' } });
    expect(answer.text).toBe(expectedBytes(plain.data, createQueryCost(schema, store).of(parse(query), undefined, { slug: 'geneva-declaration' })));
    expect(server.fastPath!.stats.compiled).toBe(before + 1);
  });

  it('reuses each entity\'s JSON across answers with other variables, and answers the same when it keeps none', async () => {
    const query = 'query($slug: String!) { event(slug: $slug) { slug title casualties { count qualifier reportedBy { name } } } }';
    const slugs = ['idlib-air-strike', 'hama-checkpoint-suicide-car-bombing', 'idlib-air-strike'];
    const bare = await createServer({ store, logger: pino({ level: 'silent' }), responseCacheEntries: 0, entityJsonBytes: 0 });
    const bareUrl = await bare.listen(0, '127.0.0.1');
    try {
      await post({ query, variables: { slug: 'geneva-declaration' } }); // learned
      const kept = server.fastPath!.entitiesKept;
      for (const slug of slugs) {
        const body = JSON.stringify({ query, variables: { slug } });
        const other = await fetch(bareUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        expect((await post(body)).text).toBe(await other.text());
      }
      expect(server.fastPath!.entitiesKept).toBe(kept + 2); // two new events, the third answer reused the first's JSON
      expect(bare.fastPath!.entitiesKept).toBe(0);
      expect(bare.fastPath!.stats.compiled).toBe(2);
    } finally {
      await bare.stop();
    }
  });

  it('fetches an entity missing from its cache alone, not the whole answer again, with the same bytes', async () => {
    const query = 'query Window($n: Int!) { events(first: $n) { nodes { slug title place { name ancestors { slug } } casualties { count } } } }';
    const bare = await createServer({ store, logger: pino({ level: 'silent' }), responseCacheEntries: 0, entityJsonBytes: 0 });
    const bareUrl = await bare.listen(0, '127.0.0.1');
    try {
      await post({ query, variables: { n: 1 } }); // learned
      const compiled = server.fastPath!.stats.compiled;
      await post(JSON.stringify({ query, variables: { n: 1 } }, null, 1)); // other bytes: answered here, the first event fetched and kept
      expect(server.fastPath!.stats.compiled).toBe(compiled + 1);
      const fetched = server.fastPath!.stats.entitiesFetched;
      for (const n of [3, 5, 2]) {
        const body = JSON.stringify({ query, variables: { n } });
        const other = await fetch(bareUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        expect((await post(body)).text).toBe(await other.text());
      }
      // The page of 3 had its first event kept (from learning) and fetched two, the page of 5 fetched two more; the
      // page of 2 found both kept.
      expect(server.fastPath!.stats.entitiesFetched - fetched).toBe(4);
    } finally {
      await bare.stop();
    }
  });

  it('hands bad variables of a compiled document to Apollo: page sizes rejected before execution, store errors as BAD_USER_INPUT', async () => {
    const query = 'query($first: Int, $places: [String!]) { events(first: $first, filter: { places: $places }) { totalCount } }';
    expect((await post({ query, variables: { first: 2, places: ['syria'] } })).status).toBe(200);
    const tooMany = await post({ query, variables: { first: 500, places: ['syria'] } });
    expect(tooMany.status).toBe(400);
    expect(JSON.parse(tooMany.text).errors).toEqual([
      { message: 'Query.events: first: must be between 1 and 100, got 500', extensions: { code: 'BAD_USER_INPUT', argument: 'first', field: 'Query.events' } },
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
