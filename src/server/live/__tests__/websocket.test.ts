/** Subscriptions over WebSocket (graphql-transport-ws) at /graphql, with a change stream the test publishes to. */
import { createClient, type Client } from 'graphql-ws';
import { WebSocket } from 'ws';
import { numberCursor } from '../../../schema/connection/numbered-page';
import { CHANGE_CURSOR_KIND } from '../../../schema/change/change.resolver';
import { eventUpdate, openInitialisedSocket, openSocket, sleep, startLiveServer, waitForSubscribers, type LiveTestServer } from './live-server';

let t: LiveTestServer;
let seq = 0;

beforeAll(async () => {
  t = await startLiveServer({ liveQueueLimit: 3, liveMaxSubscriptionsPerConnection: 2 });
});
afterAll(() => t.close());

const CHANGES = `subscription Follow($filter: EventFilter) {
  eventChanged(filter: $filter) { cursor kind editor revision note entity { ... on Event { slug category status } } }
}`;

/** A graphql-ws client for the test server; results and the end of each subscription are recorded. */
function client(): Client {
  return createClient({ url: t.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
}

/** Subscribes and records what arrives; resolves `done` when the subscription completes or errors. */
function follow(c: Client, variables: Record<string, unknown> = {}, query = CHANGES) {
  const results: any[] = [];
  let ended: (value: { error?: unknown }) => void;
  const done = new Promise<{ error?: unknown }>((resolve) => (ended = resolve));
  const stop = c.subscribe({ query, variables }, { next: (r) => results.push(r), error: (error) => ended({ error }), complete: () => ended({}) });
  return { results, done, stop };
}

const subscribers = (n: number) => waitForSubscribers(t.live, n);

describe('Subscription.eventChanged over WebSocket', () => {
  it('delivers only the changes to events that match the filter, with their cursors', async () => {
    const c = client();
    const bombings = follow(c, { filter: { categories: ['BOMBING'] } });
    await subscribers(1);
    const hama = ++seq;
    t.live.publish([eventUpdate(t.store, hama, 'hama-checkpoint-suicide-car-bombing', {}, 'figures revised'), eventUpdate(t.store, ++seq, 'idlib-air-strike')]);
    for (let i = 0; i < 100 && bombings.results.length < 1; i++) await sleep(10);
    await sleep(100);
    expect(bombings.results).toEqual([
      {
        data: {
          eventChanged: {
            cursor: numberCursor(CHANGE_CURSOR_KIND, hama),
            kind: 'UPDATED',
            editor: 'Night desk',
            revision: 2,
            note: 'figures revised',
            entity: { slug: 'hama-checkpoint-suicide-car-bombing', category: 'BOMBING', status: 'PUBLISHED' },
          },
        },
      },
    ]);
    bombings.stop();
    await c.dispose();
    await subscribers(0);
  });

  it('delivers a change that moves an event out of the filter once, and nothing after', async () => {
    const c = client();
    const bombings = follow(c, { filter: { categories: ['BOMBING'] } });
    await subscribers(1);
    const out = ++seq;
    const store = t.store;
    t.live.publish([eventUpdate(store, out, 'hama-checkpoint-suicide-car-bombing', { category: 'ARMED_CLASH' })]);
    // Now the event is no bombing before or after.
    const moved = eventUpdate(store, ++seq, 'hama-checkpoint-suicide-car-bombing', { category: 'ARMED_CLASH' });
    t.live.publish([{ ...moved, eventBefore: { ...moved.eventBefore!, category: 'ARMED_CLASH' } }]);
    await sleep(300);
    expect(bombings.results.map((r) => r.data.eventChanged.cursor)).toEqual([numberCursor(CHANGE_CURSOR_KIND, out)]);
    await c.dispose();
    await subscribers(0);
  });

  it('ends a subscriber that falls behind with RESYNC and the cursor of the last change it was sent', async () => {
    const c = client();
    const all = follow(c);
    await subscribers(1);
    const first = seq + 1;
    // One batch, published synchronously: the first goes to the waiting subscriber, three fill its queue, the fifth overflows it.
    t.live.publish(Array.from({ length: 6 }, () => eventUpdate(t.store, ++seq, 'idlib-air-strike')));
    expect(await all.done).toEqual({});
    const cursor = numberCursor(CHANGE_CURSOR_KIND, first);
    expect(all.results).toEqual([
      { data: { eventChanged: expect.objectContaining({ cursor }) } },
      {
        data: null,
        errors: [
          {
            message: `This subscription fell more than 3 changes behind and was ended rather than buffer more. Read what it missed with changes(after: "${cursor}") and subscribe again.`,
            path: ['eventChanged'],
            locations: [{ line: 2, column: 3 }],
            extensions: { code: 'RESYNC', cursor, queueLimit: 3 },
          },
        ],
      },
    ]);
    await c.dispose();
    await subscribers(0);
  });

  it('answers a bad filter with the error a query gives', async () => {
    const c = client();
    const bad = follow(c, { filter: { places: ['atlantis'] } });
    await bad.done;
    const query = await t.post({ query: '{ events(filter: { places: ["atlantis"] }) { totalCount } }' });
    expect(bad.results).toEqual([{ errors: [{ ...query.json.errors[0], path: ['eventChanged'], locations: [{ line: 2, column: 3 }] }] }]);
    expect(bad.results[0].errors[0].extensions.code).toBe('BAD_USER_INPUT');
    await c.dispose();
  });

  it('serves only subscriptions, and says where queries go', async () => {
    const c = client();
    const query = follow(c, {}, '{ events { totalCount } }');
    const { error } = await query.done;
    expect(error).toEqual([
      {
        message: 'Only subscriptions are served over WebSocket; send queries and mutations to /graphql over HTTP (POST, or GET for queries).',
        extensions: { code: 'BAD_REQUEST' },
      },
    ]);
    await c.dispose();
  });

  it('refuses one subscription more than a connection may run, and keeps the others', async () => {
    const raw = await openInitialisedSocket(t.wsUrl);
    for (const id of ['a', 'b', 'c']) raw.send({ id, type: 'subscribe', payload: { query: CHANGES } });
    const refused = await raw.waitFor((m) => m.id === 'c');
    expect(refused).toEqual({
      id: 'c',
      type: 'error',
      payload: [
        {
          message:
            'This connection already runs 2 subscriptions, the most one WebSocket may (setting LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION); complete one first or open another connection.',
          extensions: { code: 'LIMIT_EXCEEDED', limit: { name: 'subscriptionsPerConnection', max: 2, actual: 3 } },
        },
      ],
    });
    await subscribers(2);
    t.live.publish([eventUpdate(t.store, ++seq, 'idlib-air-strike')]);
    await raw.waitFor((m) => m.id === 'a' && m.type === 'next');
    await raw.waitFor((m) => m.id === 'b' && m.type === 'next');
    raw.socket.close();
    await subscribers(0);
  });
});

describe('the graphql-transport-ws protocol', () => {
  it('closes a socket that subscribes before connection_init with 4401', async () => {
    const raw = await openSocket(t.wsUrl);
    raw.send({ id: '1', type: 'subscribe', payload: { query: CHANGES } });
    expect(await raw.closed).toEqual({ code: 4401, reason: 'Unauthorized' });
  });

  it('closes a socket that sends a frame that is not a message with 4400', async () => {
    for (const frame of ['not json', '{"type":"no_such_type"}', '{"id":1,"type":"subscribe"}', '[]']) {
      const raw = await openInitialisedSocket(t.wsUrl);
      raw.send(frame);
      expect((await raw.closed).code).toBe(4400);
    }
    const binary = await openInitialisedSocket(t.wsUrl);
    binary.socket.send(Buffer.from([0xff, 0x00, 0x13]));
    expect((await binary.closed).code).toBe(4400);
  });

  it('closes a socket that initialises twice with 4429, and one with a reused id with 4409', async () => {
    const twice = await openInitialisedSocket(t.wsUrl);
    twice.send({ type: 'connection_init' });
    expect((await twice.closed).code).toBe(4429);
    const reused = await openInitialisedSocket(t.wsUrl);
    reused.send({ id: 'x', type: 'subscribe', payload: { query: CHANGES } });
    reused.send({ id: 'x', type: 'subscribe', payload: { query: CHANGES } });
    expect(await reused.closed).toEqual({ code: 4409, reason: 'Subscriber for x already exists' });
  });

  it('closes a socket without the graphql-transport-ws subprotocol with 4406', async () => {
    const raw = await openSocket(t.wsUrl, { protocol: '' });
    expect(await raw.closed).toEqual({ code: 4406, reason: 'Subprotocol not acceptable' });
  });

  it('closes a frame larger than the body limit with 1009 and keeps serving', async () => {
    const raw = await openInitialisedSocket(t.wsUrl);
    raw.send({ id: 'big', type: 'subscribe', payload: { query: `subscription { eventChanged { kind } } # ${'x'.repeat(110 * 1024)}` } });
    expect((await raw.closed).code).toBe(1009);
    const next = await openInitialisedSocket(t.wsUrl);
    next.socket.close();
  });

  it('refuses an upgrade anywhere but /graphql with 404', async () => {
    const res = await new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(t.wsUrl.replace(/\/graphql$/, '/elsewhere'), 'graphql-transport-ws');
      socket.once('unexpected-response', (_req, response) => resolve(response.statusCode ?? 0));
      socket.once('open', () => reject(new Error('opened')));
      socket.once('error', () => undefined);
    });
    expect(res).toBe(404);
  });
});
