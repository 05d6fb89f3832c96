/** Every limit of subscriptions, at the limit and one over, with the same errors as queries over HTTP. */
import { parse } from 'graphql';
import { WebSocket } from 'ws';
import { createDatelineSchema } from '../../../schema/build-schema';
import * as path from 'node:path';
import { loadDataset } from '../../../data/load-dataset';
import { EventStore } from '../../../store/event-store';
import { createQueryCost } from '../../hardening/query-cost';
import { eventUpdate, openInitialisedSocket, openSocket, sleep, startLiveServer, waitForSubscribers, type LiveTestServer, type RawSocket } from './live-server';

const schema = createDatelineSchema();
const COSTLY = (extra: string) => `subscription { eventChanged { ${extra} entity { ... on Event { revisions(first: 40) { nodes { revision editor } } } } } }`;
/** The cost of the costliest document allowed: the one at the limit, costed as HTTP costs it over the same data. */
let MAX_COST: number;
const MAX_TOKENS = 60;
/** `subscription { eventChanged { kind ... } }` with `n` tokens in all (6 of them around the fields). */
const tokens = (n: number) => `subscription { eventChanged { ${Array.from({ length: n - 6 }, () => 'kind').join(' ')} } }`;

/** Each limit: a document at it and one a step over it. */
const CASES: [string, string, string][] = [
  ['depth', 'subscription { eventChanged { entity { ... on Event { place { parent { name } } } } } }', 'subscription { eventChanged { entity { ... on Event { place { parent { parent { name } } } } } } }'],
  ['aliases', 'subscription { eventChanged { a: kind b: editor } }', 'subscription { eventChanged { a: kind b: editor c: revision } }'],
  ['directives', 'subscription { eventChanged { kind @include(if: true) editor @skip(if: false) } }', 'subscription { eventChanged { kind @include(if: true) editor @skip(if: false) note @include(if: true) } }'],
  ['tokens', tokens(MAX_TOKENS), tokens(MAX_TOKENS + 1)],
  ['cost', COSTLY(''), COSTLY('kind')],
];

let t: LiveTestServer;
let seq = 0;

beforeAll(async () => {
  const store = new EventStore(await loadDataset(path.join(__dirname, '../../../../events')));
  MAX_COST = createQueryCost(schema, store).of(parse(COSTLY('')), undefined, {})!;
  t = await startLiveServer(
    { liveMaxConnections: 3, liveConnectionInitTimeoutMs: 300, livePingIntervalMs: 250 },
    { maxDepth: 5, maxAliases: 2, maxDirectives: 2, maxTokens: MAX_TOKENS, maxCost: MAX_COST, corsOrigins: ['https://newsroom.example'] },
  );
});
afterAll(() => t.close());

describe('limits of subscription documents', () => {
  it.each(CASES)('%s: runs a document at the limit, refuses one over it with the error HTTP gives', async (limit, atLimit, overLimit) => {
    const raw = await openInitialisedSocket(t.wsUrl);
    raw.send({ id: 'at', type: 'subscribe', payload: { query: atLimit } });
    raw.send({ id: 'over', type: 'subscribe', payload: { query: overLimit } });
    const refused = await raw.waitFor((m) => m.id === 'over');
    const viaHttp = await t.post({ query: overLimit });
    expect(viaHttp.status).toBe(400);
    expect(refused).toEqual({ id: 'over', type: 'error', payload: viaHttp.json.errors });
    expect(refused.payload[0].extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: { name: limit } });
    await waitForSubscribers(t.live, 1);
    t.live.publish([eventUpdate(t.store, ++seq, 'idlib-air-strike')]);
    const delivered = await raw.waitFor((m) => m.id === 'at');
    expect(delivered.type).toBe('next');
    expect(delivered.payload.errors).toBeUndefined();
    raw.socket.close();
    await waitForSubscribers(t.live, 0);
  });
});

describe('limits of WebSocket connections', () => {
  it('refuses an upgrade from an origin CORS_ORIGINS does not list with 403, and takes a listed one and its own', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(t.wsUrl, 'graphql-transport-ws', { headers: { origin: 'https://evil.example' } });
      socket.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk));
        res.on('end', () => {
          expect(JSON.parse(body)).toEqual({
            errors: [{ message: 'Pages from https://evil.example may not subscribe to this server: the origin is not in CORS_ORIGINS.', extensions: { code: 'FORBIDDEN' } }],
          });
          resolve(res.statusCode ?? 0);
        });
      });
      socket.once('open', () => reject(new Error('a foreign page could open a socket')));
      socket.once('error', () => undefined);
    });
    expect(status).toBe(403);
    // A listed origin, and the server's own pages (the timeline at /), may.
    for (const origin of ['https://newsroom.example', t.origin]) {
      const own = await openSocket(t.wsUrl, { headers: { origin } });
      own.send({ type: 'connection_init' });
      await own.waitFor((m) => m.type === 'connection_ack');
      own.socket.close();
      await own.closed;
    }
  });

  it('closes a socket that does not send connection_init in time with 4408', async () => {
    const raw = await openSocket(t.wsUrl);
    const started = Date.now();
    expect(await raw.closed).toEqual({ code: 4408, reason: 'Connection initialisation timeout' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('cuts a socket that does not answer pings, and keeps one that does', async () => {
    const silent = await openInitialisedSocket(t.wsUrl, { autoPong: false });
    const lively = await openInitialisedSocket(t.wsUrl);
    expect((await silent.closed).code).toBe(1006);
    expect(lively.socket.readyState).toBe(WebSocket.OPEN);
    lively.socket.close();
    await lively.closed;
  });

  it('closes one connection more than the server takes with 1013, and takes one again once a place is free', async () => {
    const open: RawSocket[] = [];
    for (let i = 0; i < 3; i++) open.push(await openInitialisedSocket(t.wsUrl));
    const refused = await openSocket(t.wsUrl);
    expect(await refused.closed).toEqual({ code: 1013, reason: 'Too many connections: this server takes at most 3; try again later' });
    open[0].socket.close();
    await open[0].closed;
    await sleep(50);
    const again = await openInitialisedSocket(t.wsUrl);
    for (const s of [again, ...open.slice(1)]) s.socket.close();
    await Promise.all([again, ...open.slice(1)].map((s) => s.closed));
  });
});
