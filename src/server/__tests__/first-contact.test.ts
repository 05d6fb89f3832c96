import { Client, fetchExchange, gql } from '@urql/core';
import { startTestServer, type TestServer } from '../../test-support/test-server';

let server: TestServer;
let base: string;
beforeAll(async () => {
  server = await startTestServer();
  base = server.url.replace(/\/graphql$/, '');
});
afterAll(() => server.stop());

const EXAMPLE = `curl -G ${'URL'} --data-urlencode 'query={ events(first: 1) { nodes { title } } }'`;

describe('what a newcomer meets first', () => {
  it('answers a bare GET /graphql (curl on the logged URL) with how to send a query, not a CSRF refusal', async () => {
    const res = await fetch(server.url, { headers: { accept: '*/*' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].extensions.code).toBe('QUERY_MISSING');
    expect(body.errors[0].message).toContain('POST JSON {"query": "{ events(first: 1) { nodes { title } } }"} with Content-Type: application/json');
    expect(body.errors[0].message).toContain(EXAMPLE.replace('URL', server.url));
    expect(body.errors[0].message).toContain('In a browser, this address opens the GraphiQL playground.');
  });

  it('still serves the playground to a browser at the same address', async () => {
    const res = await fetch(server.url, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/<html/i);
  });

  it('answers the README\'s first curl example: a GET with the query in the URL and no special header', async () => {
    const res = await fetch(`${server.url}?query=${encodeURIComponent('{ events(first: 1) { nodes { title } } }')}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ data: { events: { nodes: [{ title: 'Geneva Declaration agreed' }] } } });
  });

  it('works with urql\'s default client, which sends queries by GET without a preflight header', async () => {
    const sent: { method: string; headers: Record<string, string> }[] = [];
    const recordingFetch: typeof fetch = (input, init) => {
      sent.push({ method: init?.method ?? 'GET', headers: Object.fromEntries(new Headers(init?.headers).entries()) });
      return fetch(input, init);
    };
    const client = new Client({ url: server.url, exchanges: [fetchExchange], fetch: recordingFetch });
    const result = await client
      .query(gql`query Day($from: Date!) { events(filter: { from: $from, to: $from }) { totalCount nodes { id slug } } }`, { from: '2012-11-04' })
      .toPromise();
    expect(result.error).toBeUndefined();
    expect(result.data.events.totalCount).toBe(2);
    expect(sent.map((r) => r.method)).toEqual(['GET']);
    expect(Object.keys(sent[0].headers).filter((h) => h === 'apollo-require-preflight' || h === 'x-apollo-operation-name')).toEqual([]);
  });

  it('keeps CSRF prevention for a GET that carries credentials (a cookie or an Authorization header)', async () => {
    const url = `${server.url}?query=${encodeURIComponent('{ events(first: 1) { totalCount } }')}`;
    for (const headers of [{ cookie: 'session=1' }, { authorization: 'Bearer x' }] as Record<string, string>[]) {
      const res = await fetch(url, { headers });
      expect([Object.keys(headers)[0], res.status]).toEqual([Object.keys(headers)[0], 400]);
      expect(await res.text()).toMatch(/CSRF/);
    }
    expect((await fetch(url, { headers: { cookie: 'session=1', 'apollo-require-preflight': 'true' } })).status).toBe(200);
  });

  it('refuses a mutation by GET even without credentials', async () => {
    const res = await fetch(`${server.url}?query=${encodeURIComponent('mutation { __typename }')}`);
    expect(res.status).toBe(405);
  });

  it('says which scalar a wrong date is for and the form it expects, in a literal or a variable', async () => {
    const literal = await server.graphql('{ events(filter: { from: "2012-13-01" }) { totalCount } }');
    const variable = await server.graphql('query($from: Date) { events(filter: { from: $from }) { totalCount } }', { from: '2012-13-01' });
    expect([literal.status, variable.status]).toEqual([400, 400]);
    expect([...literal.body.errors!, ...variable.body.errors!].map((e) => e.message)).toEqual([
      'Expected value of type "Date", found "2012-13-01"; A Date is a real calendar date written YYYY-MM-DD, e.g. "2012-11-05".',
      'Variable "$from" got invalid value "2012-13-01"; Expected type "Date". A Date is a real calendar date written YYYY-MM-DD, e.g. "2012-11-05".',
    ]);
  });

  it('answers /favicon.ico without a 404', async () => {
    const res = await fetch(`${base}/favicon.ico`);
    expect(res.status).toBe(204);
  });
});
