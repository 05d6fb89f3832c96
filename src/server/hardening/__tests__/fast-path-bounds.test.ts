/** The fast path answers nothing Apollo's work budget would refuse: a learned query whose answer grows past the cap goes to Apollo. */
import { startTestServer, type TestServer } from './start-server';

const QUERY = 'query Page($n: Int) { events(first: $n) { nodes { slug title summary } } }';
let t: TestServer;

beforeAll(async () => {
  t = await startTestServer({ maxAnswerChars: 1500 });
});
afterAll(() => t.close());

it('answers a small page on the fast path, and leaves a page over the answer cap to Apollo, which refuses it', async () => {
  const small = { query: QUERY, variables: { n: 1 } };
  expect((await t.post(small)).status).toBe(200); // Apollo answers; the fast path learns the document
  await new Promise((resolve) => setImmediate(resolve));
  const stats = t.server.fastPath!.stats;
  const compiledBefore = stats.compiled;
  expect((await t.post({ ...small, variables: { n: 2 } })).json.errors).toBeUndefined();
  expect(stats.compiled).toBe(compiledBefore + 1);

  const large = await t.post({ query: QUERY, variables: { n: 7 } });
  expect(stats.compiled).toBe(compiledBefore + 1);
  expect(large.status).toBe(200);
  expect(large.json.data).toBeNull();
  expect(large.json.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'LIMIT_EXCEEDED', limit: expect.objectContaining({ name: 'answerChars', max: 1500 }) }) })]);
});
