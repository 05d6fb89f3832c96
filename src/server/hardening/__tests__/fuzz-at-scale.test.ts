/**
 * Property-based fuzz on a data set with wide and deep places (a country with 300 provinces, places nested 12 deep,
 * 3,000 events): schema-following queries with the data's own slugs, which the 7-event default data cannot stress.
 * Every answer comes within 2 s, within the answer-size cap, never as a 5xx, and the server stays up.
 */
import fc from 'fast-check';
import { buildDatelineSchema } from '../../../schema/build-schema';
import { buildWideDataset } from '../../../test-support/wide-dataset';
import { DEFAULT_HARDENING } from '../options';
import { ODD_STRINGS, rng, selection } from './query-generator';
import { startTestServer, type TestServer } from './start-server';

const SLUGS = ['country-0', 'country-1', 'province-7', 'deep-12', 'deep-3', 'event-000001', 'event-002999', 'actor-3', 'wire', 'shelling', 'a'];

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({}, buildWideDataset({ width: 300, depth: 12, events: 3000 }));
});
afterAll(() => t.close());

const schema = buildDatelineSchema();
const query = fc.integer().map((seed) => {
  const pick = rng(seed);
  const strings = pick(4) === 0 ? ODD_STRINGS : SLUGS;
  return `query Fuzz ${selection(schema, schema.getQueryType()!, pick, 2 + pick(9), strings)}`;
});

it('answers every schema-driven query on wide and deep places within 2 s and the size cap, never 5xx (300 requests)', async () => {
  let executed = 0;
  await fc.assert(
    fc.asyncProperty(query, async (q) => {
      const started = performance.now();
      const res = await t.post({ query: q });
      const elapsed = performance.now() - started;
      expect(res.status).toBeLessThan(500);
      expect(elapsed).toBeLessThan(2000);
      expect(res.text.length).toBeLessThan(DEFAULT_HARDENING.maxAnswerChars * 1.1);
      if (res.status === 200 && res.json?.data) executed++;
    }),
    { numRuns: 300 },
  );
  expect(executed).toBeGreaterThan(30);
  expect((await fetch(`${t.origin}/healthz`)).status).toBe(200);
}, 240_000);
