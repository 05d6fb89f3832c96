/** Timeouts, error detail per setting, CORS, probes and JSON answers for anything off the GraphQL path. */
import express from 'express';
import type { AddressInfo } from 'node:net';
import { healthRoutes } from '../health';
import { startTestServer, type TestServer } from './start-server';

const servers: TestServer[] = [];
async function start(...args: Parameters<typeof startTestServer>) {
  const t = await startTestServer(...args);
  servers.push(t);
  return t;
}
afterAll(() => Promise.all(servers.map((t) => t.close())));

describe('execution time limit', () => {
  it('answers a request slower than the limit with TIMEOUT in a 200, and never executes it', async () => {
    const t = await start({ executionTimeoutMs: 100, testDelayMs: 400 });
    const res = await t.post({ query: '{ events { totalCount } }' });
    expect(res.status).toBe(200);
    expect(res.json.data).toBeNull();
    expect(res.json.errors[0].extensions).toMatchObject({ code: 'TIMEOUT', limit: { name: 'executionTimeoutMs', max: 100 } });
    await new Promise((r) => setTimeout(r, 500));
    expect(t.storeCalls()).toBe(0);
  });
  it('answers a request within the limit as usual', async () => {
    const t = await start({ executionTimeoutMs: 2000, testDelayMs: 50 });
    const res = await t.post({ query: '{ events { totalCount } }' });
    expect(res).toMatchObject({ status: 200, json: { data: { events: { totalCount: 7 } } } });
  });
});

describe('error detail', () => {
  it('hides unexpected errors and their stack traces by default', async () => {
    const t = await start();
    jest.spyOn(t.store, 'event').mockImplementation(() => {
      throw new Error('disk on fire');
    });
    const res = await t.post({ query: '{ event(slug: "x") { slug } }' });
    expect(res.json.errors).toEqual([{ message: 'Internal server error', locations: [{ line: 1, column: 3 }], path: ['event'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
    expect(res.text).not.toMatch(/disk on fire|stacktrace/);
  });
  it('shows them with DEBUG_ERRORS on', async () => {
    const t = await start({ debugErrors: true });
    jest.spyOn(t.store, 'event').mockImplementation(() => {
      throw new Error('disk on fire');
    });
    const res = await t.post({ query: '{ event(slug: "x") { slug } }' });
    expect(res.json.errors[0].message).toBe('Internal server error: disk on fire');
    expect(res.json.errors[0].extensions.stacktrace.join('\n')).toMatch(/disk on fire/);
  });
  it('suggests field names outside production and not in production', async () => {
    const dev = await start();
    const prod = await start({ production: true });
    const query = { query: '{ evnts { totalCount } }' };
    expect((await dev.post(query)).json.errors[0].message).toMatch(/Did you mean "events"/);
    const hidden = await prod.post(query);
    expect(hidden.status).toBe(400);
    expect(hidden.json.errors[0].message).toBe('Cannot query field "evnts" on type "Query".');
  });
  it('refuses batched requests', async () => {
    const t = await start();
    const res = await t.post([{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    expect(res).toMatchObject({ status: 400, json: { errors: [{ extensions: { code: 'BAD_REQUEST' } }] } });
  });
  it('keeps CSRF prevention on for a POST without a JSON content type and a GET with a cookie', async () => {
    const t = await start();
    const form = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"query":"{ __typename }"}' });
    expect(form.status).toBe(400);
    expect(await form.text()).toMatch(/Cross-Site Request Forgery/);
    const withCookie = await fetch(`${t.url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { cookie: 'a=b' } });
    expect(withCookie.status).toBe(400);
    expect(await withCookie.text()).toMatch(/Cross-Site Request Forgery/);
  });
  it('answers bad JSON with a JSON 400', async () => {
    const t = await start();
    const res = await t.post('{"query": ');
    expect(res.status).toBe(400);
    expect(res.json.errors[0]).toMatchObject({ extensions: { code: 'BAD_REQUEST' }, message: expect.stringMatching(/^The request body is not valid JSON/) });
  });
});

describe('CORS', () => {
  it('allows any origin without credentials by default', async () => {
    const t = await start();
    const res = await fetch(t.url, { method: 'OPTIONS', headers: { origin: 'https://x.example', 'access-control-request-method': 'POST' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });
  it('allows only the configured origins', async () => {
    const t = await start({ corsOrigins: ['https://a.example'] });
    const allowed = await t.post({ query: '{ __typename }' }, { origin: 'https://a.example' });
    expect(allowed.status).toBe(200);
    const ok = await fetch(t.url, { method: 'OPTIONS', headers: { origin: 'https://a.example', 'access-control-request-method': 'POST' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://a.example');
    const other = await fetch(t.url, { method: 'OPTIONS', headers: { origin: 'https://b.example', 'access-control-request-method': 'POST' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('probes and other paths', () => {
  it('answers /healthz and /readyz', async () => {
    const t = await startTestServer();
    expect(await (await fetch(`${t.origin}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${t.origin}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', dataVersion: t.store.version, ...t.store.counts });
    await t.close();
  });
  it('answers /readyz with 503 while stopping', async () => {
    const t = await start();
    let stopping = false;
    const app = express();
    app.use(healthRoutes(t.store, () => stopping));
    const probe = app.listen(0, '127.0.0.1');
    await new Promise((r) => probe.once('listening', r));
    const url = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/readyz`;
    expect((await fetch(url)).status).toBe(200);
    stopping = true;
    const res = await fetch(url);
    expect({ status: res.status, body: await res.json() }).toEqual({ status: 503, body: { status: 'stopping' } });
    await new Promise((r) => probe.close(r));
  });
  it('answers unknown paths with a JSON 404', async () => {
    const t = await start();
    const res = await fetch(`${t.origin}/nowhere`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ errors: [{ message: 'Nothing at GET /nowhere; the GraphQL endpoint is /graphql.', extensions: { code: 'NOT_FOUND' } }] });
  });
});
