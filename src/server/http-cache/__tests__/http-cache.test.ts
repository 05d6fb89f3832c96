import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { loadDataset } from '../../../data/load-dataset';
import { EventStore } from '../../../store/event-store';
import { createServer, type DatelineServer } from '../../create-server';

const servers: DatelineServer[] = [];
const tempDirs: string[] = [];
let url: string;
let store: EventStore;

async function start(dir: string, cacheMaxAge?: number): Promise<string> {
  const server = await createServer({ store: new EventStore(await loadDataset(dir)), logger: pino({ level: 'silent' }), cacheMaxAge });
  servers.push(server);
  return server.listen(0, '127.0.0.1');
}

beforeAll(async () => {
  store = new EventStore(await loadDataset('events'));
  url = await start('events');
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await Promise.all(tempDirs.map((dir) => fs.rm(dir, { recursive: true, force: true })));
});

const QUERY = 'query Counts($filter: EventFilter) { eventCounts(filter: $filter, bucket: DAY) { start end count } }';
const PREFLIGHT = { 'apollo-require-preflight': 'true' };

function getUrl(base: string, params: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) search.set(k, typeof v === 'string' ? v : JSON.stringify(v));
  return `${base}?${search}`;
}

describe('GraphQL over GET', () => {
  it('answers with public Cache-Control from the setting and an ETag', async () => {
    const res = await fetch(getUrl(url, { query: QUERY, variables: { filter: { from: '2012-11-04', to: '2012-11-05' } } }), { headers: PREFLIGHT });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('max-age=300, public');
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    const body = (await res.json()) as { data: { eventCounts: { start: string; count: number }[] } };
    expect(body.data.eventCounts).toEqual(store.eventCounts({ from: '2012-11-04', to: '2012-11-05' }, 'DAY'));
  });

  it('answers a GET read without a CSRF-preventing header, cacheably; one with a cookie is blocked, as Apollo does', async () => {
    const plain = await fetch(getUrl(url, { query: '{ events { totalCount } }' }));
    expect(plain.status).toBe(200);
    expect(plain.headers.get('etag')).toMatch(/^"/);
    const res = await fetch(getUrl(url, { query: '{ events { totalCount } }' }), { headers: { cookie: 'session=1' } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { message: string }[] }).errors[0].message).toMatch(/Cross-Site Request Forgery.*apollo-require-preflight/s);
  });

  it('answers If-None-Match with 304 and keeps the tag while data and request stay the same', async () => {
    const target = getUrl(url, { query: QUERY, variables: { filter: { categories: ['BOMBING'], from: '2012-11-01' } } });
    const first = await fetch(target, { headers: PREFLIGHT });
    const etag = first.headers.get('etag')!;
    const again = await fetch(target, { headers: { ...PREFLIGHT, 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.headers.get('cache-control')).toBe('max-age=300, public');
    expect(await again.text()).toBe('');
    // The same variables with keys in another order are the same request.
    const reordered = await fetch(getUrl(url, { query: QUERY, variables: { filter: { from: '2012-11-01', categories: ['BOMBING'] } } }), { headers: PREFLIGHT });
    expect(reordered.headers.get('etag')).toBe(etag);
  });

  it('changes the tag when the request changes', async () => {
    const tags = new Set<string | null>();
    for (const params of [
      { query: QUERY },
      { query: QUERY, variables: { filter: { from: '2012-11-05' } } },
      { query: QUERY.replace('DAY', 'WEEK') },
    ]) {
      const res = await fetch(getUrl(url, params), { headers: PREFLIGHT });
      tags.add(res.headers.get('etag'));
      expect((await fetch(getUrl(url, params), { headers: { ...PREFLIGHT, 'if-none-match': '"0000"' } })).status).toBe(200);
    }
    expect(tags.size).toBe(3);
  });

  it('changes the tag when the data changes, so an old tag gets the new data', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dateline-cache-'));
    tempDirs.push(dir);
    for (const name of await fs.readdir('events')) if (name.endsWith('.json')) await fs.copyFile(path.join('events', name), path.join(dir, name));
    const file = path.join(dir, '2012-11-05-idlib-air-strike.json');
    const event = JSON.parse(await fs.readFile(file, 'utf8'));
    await fs.writeFile(file, JSON.stringify({ ...event, title: `${event.title} (updated)` }));
    const changed = await start(dir);
    const params = { query: '{ event(slug: "idlib-air-strike") { title } }' };
    const before = await fetch(getUrl(url, params), { headers: PREFLIGHT });
    const etag = before.headers.get('etag')!;
    const after = await fetch(getUrl(changed, params), { headers: { ...PREFLIGHT, 'if-none-match': etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(((await after.json()) as { data: { event: { title: string } } }).data.event.title).toMatch(/\(updated\)$/);
  });

  it('does not cache errors: no-store and no ETag', async () => {
    const res = await fetch(getUrl(url, { query: QUERY, variables: { filter: { places: ['atlantis'] } } }), { headers: PREFLIGHT });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('etag')).toBeNull();
    const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('caps the number of eventCounts buckets with a BAD_USER_INPUT error naming bucket', async () => {
    const res = await fetch(getUrl(url, { query: QUERY, variables: { filter: { from: '1990-01-01', to: '2012-12-31' } } }), { headers: PREFLIGHT });
    const body = (await res.json()) as { errors: { message: string; extensions: { code: string; argument: string } }[] };
    expect(body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'bucket' });
    expect(body.errors[0].message).toMatch(/^bucket: 1990-01-01 to 2012-12-31 makes \d+ DAY buckets, more than the 1000/);
  });

  it('takes max-age from the setting', async () => {
    const other = await start('events', 42);
    const res = await fetch(getUrl(other, { query: '{ events { totalCount } }' }), { headers: PREFLIGHT });
    expect(res.headers.get('cache-control')).toBe('max-age=42, public');
  });
});

describe('automatic persisted queries', () => {
  it('registers a query by its hash, then answers hash-only GETs with the same data and tag', async () => {
    const query = `{ timeline { date eventCount } } # apq ${Date.now()}`;
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    const unknown = await fetch(getUrl(url, { extensions }), { headers: PREFLIGHT });
    expect(((await unknown.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await fetch(getUrl(url, { query, extensions }), { headers: PREFLIGHT });
    const full = await registered.json();
    const hashOnly = await fetch(getUrl(url, { extensions }), { headers: PREFLIGHT });
    expect(hashOnly.status).toBe(200);
    expect(await hashOnly.json()).toEqual(full);
    expect(hashOnly.headers.get('etag')).toBe(registered.headers.get('etag'));
    expect(hashOnly.headers.get('cache-control')).toBe('max-age=300, public');
    const conditional = await fetch(getUrl(url, { extensions }), { headers: { ...PREFLIGHT, 'if-none-match': registered.headers.get('etag')! } });
    expect(conditional.status).toBe(304);
  });
});
