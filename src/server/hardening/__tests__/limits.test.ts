/** Each limit is accepted at its value and rejected at value+1, before the store is touched. */
import { Lexer, Source, TokenKind } from 'graphql';
import { MAX_BODY_BYTES } from '../../create-server';
import { startTestServer, type TestServer } from './start-server';

const LIMITS = { maxDepth: 5, maxAliases: 3, maxDirectives: 2, maxTokens: 60, maxCost: 100 };
let t: TestServer;

beforeAll(async () => {
  t = await startTestServer(LIMITS);
});
afterAll(() => t.close());
beforeEach(() => t.resetStoreCalls());

/** Posts `query` and expects it answered (200, no errors) after calling the store. */
async function expectAccepted(query: string, variables?: Record<string, unknown>) {
  const res = await t.post({ query, variables });
  expect({ status: res.status, errors: res.json.errors }).toEqual({ status: 200, errors: undefined });
  expect(t.storeCalls()).toBeGreaterThan(0);
  return res.json;
}

/** Posts `query` and expects a 400 with `code` and a message matching `message`, with no store call. */
async function expectRejected(query: string, code: string, message: RegExp, variables?: Record<string, unknown>) {
  const res = await t.post({ query, variables });
  expect(res.status).toBe(400);
  expect(res.json.errors).toHaveLength(1);
  expect(res.json.errors[0].extensions.code).toBe(code);
  expect(res.json.errors[0].message).toMatch(message);
  expect(t.storeCalls()).toBe(0);
  return res.json;
}

/** `place { parent { ... slug } }`: 1 for place, one per parent, one for slug. */
const nested = (depth: number) => `{ place(slug: "idlib") { ${'parent { '.repeat(depth - 2)}slug${' }'.repeat(depth - 2)} } }`;

describe('depth', () => {
  it('accepts the limit', () => expectAccepted(nested(LIMITS.maxDepth)));
  it('rejects one more, naming the limit and the depth', async () => {
    const body = await expectRejected(nested(LIMITS.maxDepth + 1), 'LIMIT_EXCEEDED', /depth 6, more than the limit of 5/);
    expect(body.errors[0].extensions.limit).toEqual({ name: 'depth', max: 5, actual: 6 });
  });
  it('counts depth through fragments', () => expectRejected(`{ ...F } fragment F on Query { ${nested(LIMITS.maxDepth + 1).slice(1, -1)} }`, 'LIMIT_EXCEEDED', /depth 6/));
});

const aliased = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: place(slug: "idlib") { slug }`).join(' ')} }`;
describe('aliases', () => {
  it('accepts the limit', () => expectAccepted(aliased(LIMITS.maxAliases)));
  it('rejects one more', async () => {
    const body = await expectRejected(aliased(LIMITS.maxAliases + 1), 'LIMIT_EXCEEDED', /4 aliases, more than the limit of 3/);
    expect(body.errors[0].extensions.limit).toEqual({ name: 'aliases', max: 3, actual: 4 });
  });
});

const directed = (n: number) => `{ place(slug: "idlib") { ${Array.from({ length: n }, () => 'slug @include(if: true)').join(' ')} } }`;
describe('directives', () => {
  it('accepts the limit', () => expectAccepted(directed(LIMITS.maxDirectives)));
  it('rejects one more', () => expectRejected(directed(LIMITS.maxDirectives + 1), 'LIMIT_EXCEEDED', /3 directives, more than the limit of 2/));
});

/** Counts tokens the way graphql's parser does: every token but start and end of file. */
function tokens(query: string): number {
  const lexer = new Lexer(new Source(query));
  let n = 0;
  while (lexer.advance().kind !== TokenKind.EOF) n++;
  return n;
}
/** A valid query of exactly `n` tokens (n >= 9 and odd n - 9 filled with `slug`, even with a trailing `name`). */
function tokenQuery(n: number): string {
  const base = '{ place(slug: "idlib") { slug } }';
  const extra = n - tokens(base);
  return `{ place(slug: "idlib") { slug ${'slug '.repeat(extra)}} }`;
}
describe('tokens', () => {
  it('builds queries of the exact token count', () => {
    expect(tokens(tokenQuery(LIMITS.maxTokens))).toBe(LIMITS.maxTokens);
    expect(tokens(tokenQuery(LIMITS.maxTokens + 1))).toBe(LIMITS.maxTokens + 1);
  });
  it('accepts the limit', () => expectAccepted(tokenQuery(LIMITS.maxTokens)));
  it('rejects one more, naming the limit and the count', async () => {
    const body = await expectRejected(tokenQuery(LIMITS.maxTokens + 1), 'LIMIT_EXCEEDED', /has 61 tokens, more than the limit of 60/);
    expect(body.errors[0].extensions.limit).toEqual({ name: 'tokens', max: 60, actual: 61 });
  });
  it('still reports other syntax errors as such', () => expectRejected('{ events(first: ) }', 'GRAPHQL_PARSE_FAILED', /^Syntax Error/));
});

describe('cost', () => {
  it('accepts the limit and reports the cost in extensions', async () => {
    const body = await expectAccepted('{ events(first: 100) { totalCount } }');
    expect(body.extensions.cost).toEqual({ requested: 100, limit: 100 });
  });
  it('rejects one more, naming the limit and the cost', async () => {
    const body = await expectRejected('{ events(first: 100) { totalCount } places(first: 1) { totalCount } }', 'LIMIT_EXCEEDED', /costs 101, more than the limit of 100/);
    expect(body.errors[0].extensions.limit).toEqual({ name: 'cost', max: 100, actual: 101 });
    expect(body.extensions.cost).toEqual({ requested: 101, limit: 100 });
  });
  it('multiplies nested connections by their page sizes, defaulting to 20', async () => {
    const body = await expectRejected('{ places(first: 5) { nodes { events { totalCount } } } }', 'LIMIT_EXCEEDED', /costs 105,/);
    expect(body.extensions.cost.requested).toBe(5 * (1 + 20));
  });
  it('reads page sizes from variables', () =>
    expectRejected('query Q($n: Int) { events(first: $n) { totalCount } places(first: 1) { totalCount } }', 'LIMIT_EXCEEDED', /costs 101/, { n: 100 }));

  it('costs the same query text by its own variables each time (the cost cache keys on them)', async () => {
    const query = 'query Q($n: Int) { events(first: $n) { totalCount } }';
    const costs: number[] = [];
    for (const n of [10, 60, 10, 100]) costs.push((await t.post({ query, variables: { n } })).json.extensions.cost.requested);
    expect(costs).toEqual([10, 60, 10, 100]);
    t.resetStoreCalls();
    await expectRejected(query, 'BAD_USER_INPUT', /got 101/, { n: 101 });
  });
});

describe('page size', () => {
  it('accepts 100', () => expectAccepted('{ actors(last: 100) { totalCount } }'));
  it('rejects 101 before execution, naming the field and argument', async () => {
    const body = await expectRejected('{ actors(last: 101) { totalCount } }', 'BAD_USER_INPUT', /Query\.actors: last: must be between 1 and 100, got 101/);
    expect(body.errors[0].extensions.argument).toBe('last');
  });
  it('rejects 0 given as a variable to a nested connection', () =>
    expectRejected('query Q($n: Int) { place(slug: "idlib") { events(first: $n) { totalCount } } }', 'BAD_USER_INPUT', /Place\.events: first: must be between 1 and 100, got 0/, { n: 0 }));
});

describe('body size', () => {
  const padded = (bytes: number) => {
    const head = '{"query":"{ __typename }"';
    return head + ' '.repeat(bytes - head.length - 1) + '}';
  };
  it('accepts a body of the limit', async () => {
    const res = await t.post(padded(MAX_BODY_BYTES));
    expect(res).toMatchObject({ status: 200, json: { data: { __typename: 'Query' } } });
  });
  it('rejects one byte more with 413 and a JSON error', async () => {
    const res = await t.post(padded(MAX_BODY_BYTES + 1));
    expect(res.status).toBe(413);
    expect(res.json.errors[0].extensions).toEqual({ code: 'PAYLOAD_TOO_LARGE', limit: { name: 'bodyBytes', max: MAX_BODY_BYTES, actual: MAX_BODY_BYTES + 1 } });
    expect(t.storeCalls()).toBe(0);
  });
});

describe('request log', () => {
  it('writes one line per request with operation, status, duration, cost and error codes', async () => {
    const before = t.logLines.length;
    await t.post({ query: 'query Costly { events(first: 100) { totalCount } places(first: 1) { totalCount } }' });
    await new Promise((r) => setTimeout(r, 20));
    const lines = t.logLines.slice(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: 'request', method: 'POST', path: '/graphql', status: 400, operationName: 'Costly', cost: 101, errorCodes: ['LIMIT_EXCEEDED'] });
    expect(typeof lines[0].durationMs).toBe('number');
  });
});
