/** The cost follows the work on a data set of wide and deep places: item 1 and item 4 of issue 11 are refused before anything runs. */
import { parse } from 'graphql';
import { buildDatelineSchema } from '../../../schema/build-schema';
import { EventStore } from '../../../store/event-store';
import { buildWideDataset } from '../../../test-support/wide-dataset';
import { createQueryCost } from '../query-cost';
import { startTestServer, type TestServer } from './start-server';

const WIDTH = 300;
let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({}, buildWideDataset({ width: WIDTH, depth: 10, events: 3000 }));
});
afterAll(() => t.close());
beforeEach(() => t.resetStoreCalls());

/** `place(slug:"country-0") { children { parent { children { ... { name } } } } }`, `levels` children deep. */
const fanOut = (levels: number) => `{ place(slug: "country-0") { ${'children { parent { '.repeat(levels)}name${' } }'.repeat(levels)} } }`;

it('costs a list of children by the widest place, so a few levels of children are refused before execution', async () => {
  const res = await t.post({ query: fanOut(3) });
  expect(res.status).toBe(400);
  expect(res.json.errors[0].extensions.code).toBe('LIMIT_EXCEEDED');
  expect(res.json.errors[0].extensions.limit.name).toBe('cost');
  // Three levels of 300 children each: 300^3 names at least.
  expect(res.json.errors[0].extensions.limit.actual).toBeGreaterThan(WIDTH ** 3);
  expect(t.storeCalls()).toBe(0);
});

it('answers one level of children, its cost above the number of children it returns', async () => {
  const res = await t.post({ query: '{ place(slug: "country-0") { children { name } } }' });
  expect(res.status).toBe(200);
  expect(res.json.data.place.children).toHaveLength(WIDTH);
  expect(res.json.extensions.cost.requested).toBeGreaterThanOrEqual(WIDTH);
});

it('costs ancestors by the deepest place', () => {
  const store = new EventStore(buildWideDataset({ width: 3, depth: 40, events: 10 }));
  const cost = createQueryCost(buildDatelineSchema(), store).of(parse('{ place(slug: "deep-40") { ancestors { name } } }'), undefined, {});
  expect(cost).toBeGreaterThanOrEqual(40);
});

it('costs eventCounts by its buckets and by the postings its search reads, so thirty aliases are refused', async () => {
  const one = 'eventCounts(bucket: DAY, filter: { search: "a" }) { count }';
  const single = await t.post({ query: `{ ${one} }` });
  expect(single.status).toBe(200);
  const buckets = single.json.data.eventCounts.length;
  expect(single.json.extensions.cost.requested).toBeGreaterThan(buckets);
  t.resetStoreCalls();
  const res = await t.post({ query: `{ ${Array.from({ length: 30 }, (_, i) => `a${i}: ${one}`).join(' ')} }` });
  expect(res.status).toBe(400);
  expect(res.json.errors[0].extensions.limit.name).toBe('cost');
  expect(t.storeCalls()).toBe(0);
});

it('costs a timeline by the events its range can hold, not a fixed page', async () => {
  const res = await t.post({ query: '{ timeline(from: "2012-01-01", to: "2012-12-31") { date events { slug } } }' });
  expect(res.status).toBe(200);
  const events = res.json.data.timeline.reduce((n: number, d: { events: unknown[] }) => n + d.events.length, 0);
  expect(res.json.extensions.cost.requested).toBeGreaterThanOrEqual(events);
});
