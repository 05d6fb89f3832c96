/** Property-based fuzz: whatever arrives, the answer is a JSON body, never a 5xx or a stack trace, and comes within 2 s. */
import fc from 'fast-check';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { buildDatelineSchema } from '../../../schema/build-schema';
import { startTestServer, type TestServer } from './start-server';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

/** A small seeded generator, so one fast-check seed gives one query. */
function rng(seed: number) {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return (((x ^ (x >>> 14)) >>> 0) % n) | 0;
  };
}

const ODD_STRINGS = ['', 'idlib', 'damascus', 'x'.repeat(300), 'ŝýrïa 🇸🇾 دمشق', '\u0000\u2028', 'RXZlbnQ6aWRsaWI', '2012-11-05', '9999-99-99', '"; DROP'];
const ODD_NUMBERS = ['0', '-1', '1', '20', '100', '101', '2147483647', '2147483648', '99999999999999999999999', '1e400', '-0', '3.5'];

/** A GraphQL literal for an argument of `type`, sometimes of the wrong kind on purpose. */
function literal(type: GraphQLInputType, pick: (n: number) => number, depth = 0): string {
  if (pick(8) === 0) return [ODD_NUMBERS[pick(ODD_NUMBERS.length)], JSON.stringify(ODD_STRINGS[pick(ODD_STRINGS.length)]), 'null', 'true', '[]', '{}'][pick(6)];
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) return `[${Array.from({ length: pick(4) }, () => literal(inner.ofType, pick, depth + 1)).join(', ')}]`;
  const named = getNamedType(inner);
  if (isEnumType(named)) return named.getValues()[pick(named.getValues().length)].name;
  if (isInputObjectType(named)) {
    if (depth > 2) return '{}';
    const fields = Object.values(named.getFields()).filter(() => pick(2) === 0);
    return `{ ${fields.map((f) => `${f.name}: ${literal(f.type, pick, depth + 1)}`).join(', ')} }`;
  }
  if (named.name === 'Int' || named.name === 'Float') return ODD_NUMBERS[pick(ODD_NUMBERS.length)];
  if (named.name === 'Boolean') return pick(2) ? 'true' : 'false';
  return JSON.stringify(ODD_STRINGS[pick(ODD_STRINGS.length)]);
}

/** A random selection set on `type`, following the schema, up to `depth` levels. */
function selection(schema: GraphQLSchema, type: GraphQLNamedType, pick: (n: number) => number, depth: number): string {
  if (isLeafType(type)) return '';
  if (isInterfaceType(type)) {
    const impls = schema.getPossibleTypes(type);
    const impl = impls[pick(impls.length)];
    return `{ __typename ... on ${impl.name} ${selection(schema, impl, pick, depth) || '{ id }'} }`;
  }
  if (!isObjectType(type)) return '{ __typename }';
  const fields = Object.values(type.getFields());
  const chosen = Array.from({ length: 1 + pick(3) }, () => fields[pick(fields.length)]);
  const parts = chosen.map((f, i) => {
    const args = f.args.filter((a) => isNonNullType(a.type) || pick(2) === 0);
    const argText = args.length ? `(${args.map((a) => `${a.name}: ${literal(a.type, pick)}`).join(', ')})` : '';
    const target = getNamedType(f.type);
    const sub = isLeafType(target) ? '' : depth <= 0 ? '{ __typename }' : selection(schema, target, pick, depth - 1);
    return `f${i}: ${f.name}${argText} ${sub}`;
  });
  return `{ ${parts.join(' ')} }`;
}

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
