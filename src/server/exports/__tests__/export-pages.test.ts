/** Exports at scale: a page at a time with a next link, kept per data version, and open only to CORS_ORIGINS. */
import ICAL from 'ical.js';
import pino from 'pino';
import { EventStore } from '../../../store/event-store';
import { buildWideDataset } from '../../../test-support/wide-dataset';
import { createServer, type DatelineServer } from '../../create-server';
import { DEFAULT_HARDENING } from '../../hardening/options';

const EVENTS = 2500;
let store: EventStore;
let server: DatelineServer;
let base: string;

beforeAll(async () => {
  store = new EventStore(buildWideDataset({ width: 50, depth: 5, events: EVENTS }));
  const hardening = { ...DEFAULT_HARDENING, exportDefaultLimit: 1000, exportMaxLimit: 1200, corsOrigins: ['https://allowed.example'] };
  server = await createServer({ store, logger: pino({ level: 'silent' }), hardening });
  base = (await server.listen(0, '127.0.0.1')).replace(/\/graphql$/, '');
});
afterAll(() => server.stop());

const get = (path: string, headers: Record<string, string> = {}) => fetch(base + path, { headers });

/** The URL in a `Link: <url>; rel="next"` header, or null. */
const nextOf = (res: Response) => /^<([^>]+)>; rel="next"$/.exec(res.headers.get('link') ?? '')?.[1] ?? null;

it('answers the default limit of events, says how many match, and links to the next page until the last', async () => {
  const seen: string[] = [];
  let url: string | null = '/exports/events.ics?categories=BOMBING,DIPLOMACY,STATEMENT,POLITICAL,ARMED_CLASH,AIR_STRIKE';
  let pages = 0;
  while (url) {
    const res = await get(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-total-count')).toBe(String(EVENTS));
    const calendar = new ICAL.Component(ICAL.parse(await res.text()));
    const uids = calendar.getAllSubcomponents('vevent').map((v) => String(v.getFirstPropertyValue('uid')));
    expect(uids.length).toBeLessThanOrEqual(1000);
    seen.push(...uids);
    url = nextOf(res);
    if (url) expect(url).toMatch(/^\/exports\/events\.ics\?categories=.*&after=/);
    pages++;
  }
  expect(pages).toBe(3);
  expect(seen).toHaveLength(EVENTS);
  expect(new Set(seen).size).toBe(EVENTS);
});

it('takes a limit up to the most, and refuses more, naming the parameter', async () => {
  const res = await get('/exports/events.geojson?limit=1200');
  expect(res.status).toBe(200);
  expect(((await res.json()) as { features: unknown[] }).features).toHaveLength(1200);
  for (const bad of ['1201', '0', 'ten']) {
    const refused = await get(`/exports/events.geojson?limit=${bad}`);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: { parameter: 'limit', message: expect.stringMatching(/^limit: must be a whole number from 1 to 1200/) } });
  }
  const cursor = await get('/exports/events.geojson?after=nonsense');
  expect(cursor.status).toBe(400);
  expect(((await cursor.json()) as { error: { parameter: string } }).error.parameter).toBe('after');
});

it('renders a page once per data version and answers it again from the cache', async () => {
  const spy = jest.spyOn(store, 'query');
  const first = await (await get('/exports/timelinejs.json?limit=10&search=shelling')).text();
  const second = await (await get('/exports/timelinejs.json?limit=10&search=shelling')).text();
  expect(second).toBe(first);
  expect(spy).toHaveBeenCalledTimes(1);
  spy.mockRestore();
});

it('allows only the origins of CORS_ORIGINS, on exports and /schema.graphql', async () => {
  for (const path of ['/exports/events.ics?limit=1', '/schema.graphql']) {
    const allowed = await get(path, { origin: 'https://allowed.example' });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://allowed.example');
    const other = await get(path, { origin: 'https://other.example' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  }
});

it('renders a page again once the data changes, with the change in it', async () => {
  const path = '/exports/events.geojson?limit=5';
  const before = (await (await get(path)).json()) as { features: { id: string; properties: { title: string } }[] };
  const first = store.event(before.features[0].id)!;
  store.apply({ events: [{ ...first, title: 'Renamed after the page was kept', revision: first.revision + 1 }] });
  const after = (await (await get(path)).json()) as typeof before;
  expect(after.features[0].properties.title).toBe('Renamed after the page was kept');
});
