/** The fast path answers every request exactly as Apollo alone does: status, body bytes, headers and log line. */
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { loadDataset } from '../../../data/load-dataset';
import { EXAMPLE_OPERATIONS } from '../../../playground/example-operations';
import { EventStore } from '../../../store/event-store';
import { createServer } from '../../create-server';
import { DEFAULT_HARDENING } from '../../hardening/options';

/** One request: a body (object or raw text) and extra headers. */
interface Probe {
  label: string;
  body: unknown;
  headers?: Record<string, string>;
}

const NESTED = 'query Nested($n: Int, $m: Int) { events(first: $n) { nodes { slug place { events(first: $m) { totalCount nodes { slug } } } } } }';
const PAGE = 'query Page($n: Int) { events(first: $n) { totalCount nodes { slug } } }';
const PLACE_PAGE = 'query PlacePage($slug: String!, $n: Int) { place(slug: $slug) { name events(first: $n) { totalCount } } }';
const BY_PLACES = 'query ByPlaces($places: [String!]) { events(first: 3, filter: { places: $places }) { totalCount } }';

/** Every example, then the requests that must go to Apollo, some after their document was answered well. */
const PROBES: Probe[] = [
  ...EXAMPLE_OPERATIONS.map((e) => ({ label: e.name, body: { query: e.query, variables: e.variables, operationName: e.name } })),
  ...EXAMPLE_OPERATIONS.map((e) => ({ label: `${e.name} (no operationName)`, body: { query: e.query, variables: e.variables } })),
  { label: 'timeline as graphql-response+json', body: { query: EXAMPLE_OPERATIONS[0].query, variables: EXAMPLE_OPERATIONS[0].variables }, headers: { accept: 'application/graphql-response+json' } },
  { label: 'nested, cheap', body: { query: NESTED, variables: { n: 2, m: 2 } } },
  { label: 'nested, over the cost limit by variables', body: { query: NESTED, variables: { n: 100, m: 100 } } },
  { label: 'nested, cheap again', body: { query: NESTED, variables: { n: 3, m: 1 } } },
  { label: 'page of 2', body: { query: PAGE, variables: { n: 2 } } },
  { label: 'page of 0', body: { query: PAGE, variables: { n: 0 } } },
  { label: 'page of 101', body: { query: PAGE, variables: { n: 101 } } },
  { label: 'page of "many"', body: { query: PAGE, variables: { n: 'many' } } },
  { label: 'page of 100', body: { query: PAGE, variables: { n: 100 } } },
  { label: 'nested page of 1', body: { query: PLACE_PAGE, variables: { slug: 'syria', n: 1 } } },
  { label: 'nested page of 0', body: { query: PLACE_PAGE, variables: { slug: 'syria', n: 0 } } },
  { label: 'unknown place slug', body: { query: PLACE_PAGE, variables: { slug: 'atlantis', n: 1 } } },
  { label: 'known place in a filter', body: { query: BY_PLACES, variables: { places: ['syria'] } } },
  { label: 'unknown place in a filter', body: { query: BY_PLACES, variables: { places: ['atlantis'] } } },
  { label: 'unknown event slug', body: { query: '{ event(slug: "no-such-event") { title } }' } },
  { label: 'syntax error', body: { query: '{ events(first: 2) { totalCount }' } },
  { label: 'unknown field', body: { query: '{ events { total } }' } },
  { label: 'missing operationName among two', body: { query: 'query A { places(first: 1) { totalCount } } query B { actors(first: 1) { totalCount } }' } },
  { label: 'operationName B', body: { query: 'query A { places(first: 1) { totalCount } } query B { actors(first: 1) { totalCount } }', operationName: 'B' } },
  { label: 'too deep', body: { query: `{ ${'place(slug: "idlib") { parent { '.repeat(7)}name${' } }'.repeat(7)} }` } },
  { label: 'extensions', body: { query: '{ places(first: 1) { totalCount } }', extensions: { x: 1 } } },
  { label: 'batch', body: [{ query: '{ places(first: 1) { totalCount } }' }] },
  { label: 'JSON string', body: '"{ places(first: 1) { totalCount } }"' },
  { label: 'not JSON', body: '{"query": ' },
  { label: 'no query', body: { variables: {} } },
];

/** The headers compared: all but the ones node sets per response and connection. */
const IGNORED_HEADERS = new Set(['date', 'connection', 'keep-alive']);

interface Seen {
  status: number;
  text: string;
  headers: Record<string, string>;
  log: Record<string, unknown>;
}

/** A server on port 0 with or without the fast path, whose log lines are kept. */
async function start(store: EventStore, fastPath: boolean) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const server = await createServer({ store, logger: pino({ level: 'info' }, sink), fastPath, hardening: DEFAULT_HARDENING });
  const url = await server.listen(0, '127.0.0.1');
  const send = async (probe: Probe): Promise<Seen> => {
    const before = lines.length;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...probe.headers },
      body: typeof probe.body === 'string' ? probe.body : JSON.stringify(probe.body),
    });
    const text = await res.text();
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      if (!IGNORED_HEADERS.has(name)) headers[name] = value;
    });
    // The log line is written when the response finishes; let the server get there.
    for (let i = 0; i < 100 && lines.length === before; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(lines.length).toBe(before + 1);
    const { durationMs, time, pid, hostname, ...log } = lines[before];
    expect(typeof durationMs).toBe('number');
    return { status: res.status, text, headers, log };
  };
  return { server, send, lines, url };
}

describe('fast path equivalence with Apollo', () => {
  let store: EventStore;
  let fast: Awaited<ReturnType<typeof start>>;
  let apollo: Awaited<ReturnType<typeof start>>;

  beforeAll(async () => {
    store = new EventStore(await loadDataset(path.join(__dirname, '../../../../events')));
    fast = await start(store, true);
    apollo = await start(store, false);
  });
  afterAll(async () => {
    await fast.server.stop();
    await apollo.server.stop();
  });

  it('turns the fast path off with fastPath: false', () => {
    expect(apollo.server.fastPath).toBeNull();
    expect(fast.server.fastPath).not.toBeNull();
  });

  it('gives the same status, body, headers and log line as Apollo alone, three times over, for every request', async () => {
    for (const probe of PROBES) {
      for (let attempt = 1; attempt <= 3; attempt++) {
        const expected = await apollo.send(probe);
        const actual = await fast.send(probe);
        expect({ probe: probe.label, attempt, ...actual }).toEqual({ probe: probe.label, attempt, ...expected });
      }
    }
    // The fast path did answer most of them itself, both by compiled execution and from its cache.
    const stats = fast.server.fastPath!.stats;
    expect(stats.cached).toBeGreaterThan(EXAMPLE_OPERATIONS.length);
    expect(stats.compiled).toBeGreaterThan(0);
  });

  it('answers a chunked body over the size limit as Express does', async () => {
    const chunked = async (url: string) => {
      const big = Buffer.from(`{"query":"{ __typename }","variables":{"pad":"${'x'.repeat(DEFAULT_HARDENING.maxBodyBytes)}"}}`);
      const stream = new ReadableStream({
        start(controller) {
          for (let i = 0; i < big.length; i += 16 * 1024) controller.enqueue(big.subarray(i, i + 16 * 1024));
          controller.close();
        },
      });
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
      return { status: res.status, text: await res.text(), type: res.headers.get('content-type') };
    };
    const expected = await chunked(apollo.url);
    expect(expected.status).toBe(413);
    expect(await chunked(fast.url)).toEqual(expected);
  });

  it('rejects a learned document whose new variables push it over the cost limit, every time', async () => {
    const query = 'query Wide($n: Int, $m: Int) { events(first: $n) { nodes { place { events(first: $m) { nodes { slug title } } } } } }';
    expect((await fast.send({ label: 'cheap', body: { query, variables: { n: 2, m: 2 } } })).status).toBe(200);
    expect((await fast.send({ label: 'cheap', body: { query, variables: { n: 3, m: 3 } } })).status).toBe(200);
    for (let attempt = 1; attempt <= 3; attempt++) {
      const answer = await fast.send({ label: 'costly', body: { query, variables: { n: 100, m: 100 } } });
      const body = JSON.parse(answer.text);
      expect({ attempt, status: answer.status, code: body.errors?.[0]?.extensions?.code, data: body.data }).toEqual({ attempt, status: 400, code: 'LIMIT_EXCEEDED', data: undefined });
      expect(body.extensions.cost.requested).toBeGreaterThan(DEFAULT_HARDENING.maxCost);
      expect(answer.log).toMatchObject({ status: 400, operationName: 'Wide', errorCodes: ['LIMIT_EXCEEDED'] });
    }
  });

  it('logs every request it answers itself, with operation, status and cost', async () => {
    const probe = { label: 'places', body: { query: 'query Logged($n: Int) { places(first: $n) { totalCount } }', variables: { n: 4 } } };
    const stats = fast.server.fastPath!.stats;
    const before = { ...stats };
    const seen = [await fast.send(probe), await fast.send(probe), await fast.send({ ...probe, body: { ...probe.body, variables: { n: 5 } } })];
    // Apollo answered the first; the fast path the second (cache) and the third (compiled).
    expect([stats.forwarded - before.forwarded, stats.cached - before.cached, stats.compiled - before.compiled]).toEqual([1, 1, 1]);
    expect(seen.map((s) => s.log)).toEqual([
      { level: 30, msg: 'request', method: 'POST', path: '/graphql', status: 200, operationName: 'Logged', cost: 4, errorCodes: [] },
      { level: 30, msg: 'request', method: 'POST', path: '/graphql', status: 200, operationName: 'Logged', cost: 4, errorCodes: [] },
      { level: 30, msg: 'request', method: 'POST', path: '/graphql', status: 200, operationName: 'Logged', cost: 5, errorCodes: [] },
    ]);
  });
});
