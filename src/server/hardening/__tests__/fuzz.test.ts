/** Property-based fuzz: whatever arrives, the answer is a JSON body, never a 5xx or a stack trace, and comes within 2 s. */
import fc from 'fast-check';
import { buildDatelineSchema } from '../../../schema/build-schema';
import { rng, selection } from './query-generator';
import { startTestServer, type TestServer } from './start-server';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

const schema = buildDatelineSchema();
const schemaQuery = fc.integer().map((seed) => {
  const pick = rng(seed);
  return { body: JSON.stringify({ query: `query Fuzz ${selection(schema, schema.getQueryType()!, pick, 1 + pick(5))}` }) };
});
const junkQuery = fc.string({ unit: fc.constantFrom('{', '}', '(', ')', ':', '$', '@', '...', ' ', 'events', 'first', '"', '\\', '🇸🇾', 'é', '\u0000', '#', '!', '[', ']', '1e999') }).map((query) => ({ body: JSON.stringify({ query }) }));
const junkJson = fc.jsonValue().map((v) => ({ body: JSON.stringify(v) }));
const junkBytes = fc.string({ unit: 'binary', maxLength: 200 }).map((body) => ({ body }));
const wrongVariables = fc.tuple(fc.jsonValue(), fc.jsonValue(), fc.jsonValue()).map(([first, search, ids]) => ({
  body: JSON.stringify({
    query: 'query V($first: Int, $search: String, $ids: [ID!]!) { events(first: $first, filter: { search: $search }) { totalCount } nodes(ids: $ids) { id } }',
    variables: { first, search, ids },
  }),
}));
const hugeNumbers = fc.oneof(fc.double().map(String), fc.bigInt().map(String), fc.constantFrom('1e309', '-1e309', '0x10', '1_000')).map((n) => ({
  body: `{"query":"{ events(first: ${n}) { totalCount } }","variables":{"x":${/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(n) ? n : 0}}}`,
}));
const contentTypes = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/graphql-response+json', 'text/plain', 'application/json; charset=latin1', 'application/x-www-form-urlencoded');

const request = fc.record({
  payload: fc.oneof(schemaQuery, schemaQuery, junkQuery, junkJson, junkBytes, wrongVariables, hugeNumbers),
  contentType: fc.oneof(fc.constant('application/json'), fc.constant('application/json'), contentTypes),
  method: fc.constantFrom('POST', 'POST', 'POST', 'GET'),
});

it('never answers 5xx, always JSON, never a stack trace, always within 2 s (1,000 requests)', async () => {
  let sent = 0;
  let answeredWithData = 0;
  await fc.assert(
    fc.asyncProperty(request, async ({ payload, contentType, method }) => {
      sent++;
      const started = performance.now();
      let res: Response;
      if (method === 'GET') {
        let query = payload.body;
        try {
          query = (JSON.parse(payload.body) as { query?: string }).query ?? payload.body;
        } catch {
          // Not JSON: send the raw text as the query.
        }
        res = await fetch(`${t.url}?query=${encodeURIComponent(String(query))}`, { headers: { 'apollo-require-preflight': 'true' } });
      } else {
        res = await fetch(t.url, { method: 'POST', headers: { 'content-type': contentType }, body: payload.body });
      }
      const text = await res.text();
      const elapsed = performance.now() - started;
      expect(res.status).toBeLessThan(500);
      expect(() => JSON.parse(text)).not.toThrow();
      expect(text).not.toMatch(/stacktrace|\bat [^\s]+ \([^)]*:\d+:\d+\)/);
      expect(elapsed).toBeLessThan(2000);
      if (res.status === 200 && /^\{"data":\{/.test(text)) answeredWithData++;
    }),
    { numRuns: 1000 },
  );
  expect(sent).toBeGreaterThanOrEqual(1000);
  // The schema-driven part must reach execution, not just bounce off validation.
  expect(answeredWithData).toBeGreaterThan(10);
}, 120_000);
