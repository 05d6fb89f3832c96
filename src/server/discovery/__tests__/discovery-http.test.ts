/** Discovery over HTTP as clients and tools see it: introspection, /schema.graphql, the playground page, and the settings that turn them off. */
import { buildClientSchema, getIntrospectionQuery, lexicographicSortSchema, printSchema, type IntrospectionQuery } from 'graphql';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import pino from 'pino';
import { loadDataset } from '../../../data/load-dataset';
import { EventStore } from '../../../store/event-store';
import { createServer, type DatelineServer } from '../../create-server';
import { DEFAULT_HARDENING } from '../../hardening/options';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const committedSchema = readFileSync(path.join(root, 'schema.graphql'), 'utf8');
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

let store: EventStore;
beforeAll(async () => {
  store = new EventStore(await loadDataset(path.join(root, 'events')));
});

/** Starts a real server on port 0 with the given settings; returns its /graphql URL and origin. */
async function start(settings: { introspection?: boolean; playground?: boolean }) {
  const server = await createServer({ store, logger: pino({ level: 'silent' }), ...settings });
  const endpoint = await server.listen(0, '127.0.0.1');
  return { server, endpoint, origin: new URL(endpoint).origin };
}

async function post(endpoint: string, query: string) {
  const response = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return { status: response.status, body: (await response.json()) as { data?: Record<string, unknown>; errors?: { message: string; extensions?: { code?: string } }[] } };
}

describe('with the default settings', () => {
  let server: DatelineServer;
  let endpoint: string;
  let origin: string;
  beforeAll(async () => ({ server, endpoint, origin } = await start({})));
  afterAll(() => server.stop());

  it('gives a client that introspects over HTTP exactly the committed schema', async () => {
    const { status, body } = await post(endpoint, getIntrospectionQuery({ descriptions: true, specifiedByUrl: true }));
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const clientSchema = buildClientSchema(body.data as unknown as IntrospectionQuery);
    expect(printSchema(lexicographicSortSchema(clientSchema))).toBe(committedSchema);
  });

  it('serves the SDL at GET /schema.graphql, byte for byte the committed schema.graphql', async () => {
    const response = await fetch(`${origin}/schema.graphql`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(Buffer.from(await response.arrayBuffer()).equals(readFileSync(path.join(root, 'schema.graphql')))).toBe(true);
  });

  it('answers a browser at GET /graphql with the playground page, whose scripts and styles are on this server', async () => {
    const response = await fetch(endpoint, { headers: { accept: BROWSER_ACCEPT } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets.sort()).toEqual(['/playground/main.css', '/playground/main.js', 'data:,']);
    for (const asset of assets.filter((a) => a.startsWith('/'))) expect([asset, (await fetch(`${origin}${asset}`)).status]).toEqual([asset, 200]);
  });

  it('still answers GET queries that are not from a browser', async () => {
    const response = await fetch(`${endpoint}?query=${encodeURIComponent('{ __typename }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(await response.json()).toEqual({ data: { __typename: 'Query' }, extensions: { cost: { requested: 1, limit: DEFAULT_HARDENING.maxCost } } });
  });
});

describe('with INTROSPECTION=false', () => {
  let server: DatelineServer;
  let endpoint: string;
  let origin: string;
  beforeAll(async () => ({ server, endpoint, origin } = await start({ introspection: false })));
  afterAll(() => server.stop());

  it.each(['{ __schema { queryType { name } } }', '{ __type(name: "Event") { name } }'])('refuses %s with an error naming the setting', async (query) => {
    const { status, body } = await post(endpoint, query);
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0].message).toMatch(/^Introspection is turned off on this server \(INTROSPECTION=false\), so "__(schema|type)" cannot be queried/);
    expect(body.errors![0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('still answers ordinary queries, __typename included', async () => {
    const { status, body } = await post(endpoint, '{ __typename event(slug: "idlib-air-strike") { slug } }');
    expect(status).toBe(200);
    expect(body).toEqual({ data: { __typename: 'Query', event: { slug: 'idlib-air-strike' } }, extensions: { cost: { requested: 3, limit: DEFAULT_HARDENING.maxCost } } });
  });

  it('does not publish /schema.graphql', async () => {
    const response = await fetch(`${origin}/schema.graphql`);
    expect(response.status).toBe(404);
    expect(await response.text()).toMatch(/introspection is turned off \(INTROSPECTION=false\)/);
  });

  it('gives a browser no playground but a JSON error saying why', async () => {
    const response = await fetch(endpoint, { headers: { accept: BROWSER_ACCEPT } });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as { errors: { message: string }[] };
    expect(body.errors[0].message).toMatch(/playground is turned off on this server \(INTROSPECTION=false, which the playground needs\)/);
    expect((await fetch(`${origin}/playground/main.js`)).status).toBe(404);
  });
});

describe('with PLAYGROUND=false', () => {
  let server: DatelineServer;
  let endpoint: string;
  let origin: string;
  beforeAll(async () => ({ server, endpoint, origin } = await start({ playground: false })));
  afterAll(() => server.stop());

  it('gives a browser no HTML but a JSON error naming the setting', async () => {
    const response = await fetch(endpoint, { headers: { accept: BROWSER_ACCEPT } });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = await response.json();
    expect(body).toEqual({ errors: [{ message: expect.stringContaining('(PLAYGROUND=false)'), extensions: { code: 'PLAYGROUND_DISABLED' } }] });
    expect((await fetch(`${origin}/playground/main.js`)).status).toBe(404);
  });

  it('keeps introspection and /schema.graphql', async () => {
    const { body } = await post(endpoint, '{ __schema { queryType { name } } }');
    expect(body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } }, extensions: { cost: { requested: 3, limit: DEFAULT_HARDENING.maxCost } } });
    expect(await (await fetch(`${origin}/schema.graphql`)).text()).toBe(committedSchema);
  });
});
