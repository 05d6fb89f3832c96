/** Subscriptions over Server-Sent Events (graphql-sse, distinct connections mode) at /graphql/stream. */
import { createClient } from 'graphql-sse';
import { numberCursor } from '../../../schema/connection/numbered-page';
import { CHANGE_CURSOR_KIND } from '../../../schema/change/change.resolver';
import { eventUpdate, readStream, startLiveServer, streamEvents, waitForSubscribers, type LiveTestServer } from './live-server';

let t: LiveTestServer;
let seq = 0;

beforeAll(async () => {
  t = await startLiveServer({ liveQueueLimit: 3, liveMaxConnections: 4 }, { corsOrigins: ['https://newsroom.example'] });
});
afterAll(() => t.close());

const CHANGES = 'subscription { eventChanged(filter: { categories: [BOMBING] }) { cursor kind entity { ... on Event { slug } } } }';

/** Opens a stream with GET, the query in the URL, as an EventSource does. */
function openStream(query: string, headers: Record<string, string> = {}, variables?: Record<string, unknown>): Promise<Response> {
  const params = new URLSearchParams({ query, ...(variables ? { variables: JSON.stringify(variables) } : {}) });
  return fetch(`${t.streamUrl}?${params}`, { headers: { accept: 'text/event-stream', ...headers } });
}

/** The errors of a JSON error answer. */
async function errorsOf(res: Response): Promise<{ message: string; extensions: Record<string, unknown> }[]> {
  return ((await res.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] }).errors;
}

const subscribers = (n: number) => waitForSubscribers(t.live, n);

describe('Subscription.eventChanged over Server-Sent Events', () => {
  it('streams only the changes that match the filter, to an EventSource-style GET', async () => {
    const res = await openStream(CHANGES);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    await subscribers(1);
    const idlib = eventUpdate(t.store, ++seq, 'idlib-air-strike');
    const hama = ++seq;
    t.live.publish([idlib, eventUpdate(t.store, hama, 'hama-checkpoint-suicide-car-bombing')]);
    const text = await readStream(res, (s) => s.includes('event: next'));
    expect(streamEvents(text)).toEqual([
      { event: 'next', data: { data: { eventChanged: { cursor: numberCursor(CHANGE_CURSOR_KIND, hama), kind: 'UPDATED', entity: { slug: 'hama-checkpoint-suicide-car-bombing' } } } } },
    ]);
    await subscribers(0);
  });

  it('works with the graphql-sse client over POST', async () => {
    const client = createClient({ url: t.streamUrl, singleConnection: false, retryAttempts: 0 });
    const results: unknown[] = [];
    const done = new Promise<void>((resolve, reject) => {
      const stop = client.subscribe(
        { query: 'subscription { eventChanged { kind revision } }' },
        {
          next: (r) => {
            results.push(r);
            stop();
            resolve();
          },
          error: reject,
          complete: () => resolve(),
        },
      );
    });
    await subscribers(1);
    t.live.publish([eventUpdate(t.store, ++seq, 'idlib-air-strike')]);
    await done;
    expect(results).toEqual([{ data: { eventChanged: { kind: 'UPDATED', revision: 2 } } }]);
    client.dispose();
    await subscribers(0);
  });

  it('ends a stream that falls behind with RESYNC and the cursor, then completes', async () => {
    const res = await openStream('subscription { eventChanged { cursor } }');
    await subscribers(1);
    const first = seq + 1;
    t.live.publish(Array.from({ length: 6 }, () => eventUpdate(t.store, ++seq, 'idlib-air-strike')));
    const events = streamEvents(await readStream(res));
    const cursor = numberCursor(CHANGE_CURSOR_KIND, first);
    expect(events).toEqual([
      { event: 'next', data: { data: { eventChanged: { cursor } } } },
      {
        event: 'next',
        data: {
          data: null,
          errors: [
            {
              message: `This subscription fell more than 3 changes behind and was ended rather than buffer more. Read what it missed with changes(after: "${cursor}") and subscribe again.`,
              locations: [{ line: 1, column: 16 }],
              path: ['eventChanged'],
              extensions: { code: 'RESYNC', cursor, queueLimit: 3 },
            },
          ],
        },
      },
      { event: 'complete', data: null },
    ]);
  });

  it('refuses a document over a limit with the same 400 error as a query', async () => {
    const deep = 'subscription { eventChanged { entity { ... on Event { place { parent { parent { parent { parent { parent { parent { parent { parent { parent { parent { name } } } } } } } } } } } } } } }';
    const res = await openStream(deep);
    expect(res.status).toBe(400);
    const viaHttp = await t.post({ query: deep });
    expect(await res.json()).toEqual({ errors: viaHttp.json.errors });
    expect(viaHttp.json.errors[0].extensions.code).toBe('LIMIT_EXCEEDED');
  });

  it('refuses what distinct connections mode does not serve, each with a reason', async () => {
    const put = await fetch(t.streamUrl, { method: 'PUT', headers: { accept: 'text/event-stream' } });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, POST');
    const token = await fetch(`${t.streamUrl}?query=x`, { headers: { accept: 'text/event-stream', 'x-graphql-event-stream-token': 'abc' } });
    expect(token.status).toBe(400);
    expect((await errorsOf(token))[0].message).toBe(
      'Single connection mode (stream tokens) is not served at /graphql/stream; open one stream per subscription (distinct connections mode).',
    );
    const json = await fetch(`${t.streamUrl}?${new URLSearchParams({ query: CHANGES })}`, { headers: { accept: 'application/json' } });
    expect(json.status).toBe(406);
    expect((await errorsOf(json))[0]).toEqual({
      message: '/graphql/stream answers with an event stream: send Accept: text/event-stream. Queries go to /graphql.',
      extensions: { code: 'NOT_ACCEPTABLE' },
    });
    const big = await fetch(t.streamUrl, {
      method: 'POST',
      headers: { accept: 'text/event-stream', 'content-type': 'application/json' },
      body: JSON.stringify({ query: `${CHANGES} # ${'x'.repeat(110 * 1024)}` }),
    });
    expect(big.status).toBe(413);
    expect((await errorsOf(big))[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses pages from origins CORS_ORIGINS does not list, and serves those it does', async () => {
    const foreign = await openStream(CHANGES, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toEqual({
      errors: [{ message: 'Pages from https://evil.example may not subscribe to this server: the origin is not in CORS_ORIGINS.', extensions: { code: 'FORBIDDEN' } }],
    });
    const own = await openStream(CHANGES, { origin: 'https://newsroom.example' });
    expect(own.status).toBe(200);
    expect(own.headers.get('access-control-allow-origin')).toBe('https://newsroom.example');
    await own.body!.cancel();
    await subscribers(0);
  });

  it('refuses one connection more than the server takes, with 503 and Retry-After', async () => {
    const open = await Promise.all([1, 2, 3, 4].map(() => openStream(CHANGES)));
    expect(open.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const refused = await openStream(CHANGES);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect((await errorsOf(refused))[0]).toEqual({
      message: 'The server already holds 4 live connections, the most it takes (setting LIVE_MAX_CONNECTIONS); try again later or another replica.',
      extensions: { code: 'LIMIT_EXCEEDED' },
    });
    await Promise.all(open.map((r) => r.body!.cancel()));
    await subscribers(0);
    const again = await openStream(CHANGES);
    expect(again.status).toBe(200);
    await again.body!.cancel();
  });
});
