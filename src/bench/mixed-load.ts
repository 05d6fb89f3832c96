/**
 * The ordinary traffic of `bench:attacks`' mixed load, sent by autocannon from a process of its own (so that the
 * load's client never slows the probe's): `node dist/bench/mixed-load.js URL SECONDS CONNECTIONS` cycles through
 * pages, date windows, searches, places, histograms and exports, each with its own variables so the response cache
 * rarely helps, and prints one JSON line: requests, answers by status, errors, timeouts and latency p50/p99/max.
 */
import autocannon from 'autocannon';

const WORDS = ['shelling', 'council', 'talks', 'convoy', 'airport', 'mortar'];

/** The `k`-th request of the mixed load: a GraphQL POST, or a GET of an export. */
export function mixedRequest(k: number): { method: 'GET' | 'POST'; path: string; body?: string } {
  // k % 6 picks the kind, the rest varies its variables.
  const v = Math.floor(k / 6);
  const year = 2010 + (v % 15);
  const gql = (query: string, variables: Record<string, unknown>) => ({ method: 'POST' as const, path: '/graphql', body: JSON.stringify({ query, variables }) });
  switch (k % 6) {
    case 0:
      return gql('query($q: String) { events(first: 10, filter: { search: $q }) { totalCount nodes { slug title } } }', { q: WORDS[v % WORDS.length] });
    case 1:
      return gql('query($from: Date, $to: Date) { events(first: 20, filter: { from: $from, to: $to }) { totalCount nodes { slug title participants { actor { name } } } } }', { from: `${year}-01-01`, to: `${year}-0${1 + (v % 9)}-28` });
    case 2:
      return gql('query($slug: String!) { place(slug: $slug) { name children { name } ancestors { name } } }', { slug: `country-${v % 3}` });
    case 3:
      return gql('query($b: BucketSize!, $from: Date) { eventCounts(bucket: $b, filter: { from: $from, to: "2024-12-31" }) { start count } }', { b: ['WEEK', 'MONTH', 'YEAR'][v % 3], from: `${year}-01-01` });
    case 4:
      return gql('query($first: Int) { events(first: $first) { edges { cursor node { slug title date place { name } } } } }', { first: 5 + (v % 20) });
    default:
      return { method: 'GET', path: `/exports/events.ics?from=${year}-03-01&to=${year}-03-07&limit=20` };
  }
}

async function main(): Promise<void> {
  const [url, seconds, connections] = process.argv.slice(2);
  const origin = new URL(url).origin;
  const requests = Array.from({ length: 600 }, (_, k) => mixedRequest(k));
  let next = 0;
  const result = await autocannon({
    url: origin,
    connections: Number(connections),
    duration: Number(seconds),
    // A fresh headers object per request: autocannon writes Content-Length into the one it is given, and a GET
    // that kept a POST's would leave the server waiting for a body.
    requests: [{ setupRequest: (req) => ({ ...req, ...requests[next++ % requests.length], headers: { 'content-type': 'application/json' } }) }],
  });
  const statuses = { '1xx': result['1xx'], '2xx': result['2xx'], '3xx': result['3xx'], '4xx': result['4xx'], '5xx': result['5xx'] };
  const { p50, p99, max } = result.latency;
  process.stdout.write(`${JSON.stringify({ requests: result.requests.total, statuses, errors: result.errors, timeouts: result.timeouts, latency: { p50, p99, max } })}\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
