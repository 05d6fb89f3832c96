import { promises as fs } from 'node:fs';
import { check as checkGeoJson } from '@placemarkio/check-geojson';
import ICAL from 'ical.js';
import pino from 'pino';
import { addDays } from '../../../data/dates';
import { loadDataset } from '../../../data/load-dataset';
import { EventStore } from '../../../store/event-store';
import { createServer, type DatelineServer } from '../../create-server';
import { EXTRA_EVENTS, writeFixtureData } from './fixture-data';

let store: EventStore;
let server: DatelineServer;
let base: string;
let dataDir: string;

beforeAll(async () => {
  dataDir = await writeFixtureData();
  store = new EventStore(await loadDataset(dataDir));
  server = await createServer({ store, logger: pino({ level: 'silent' }), cacheMaxAge: 120 });
  base = (await server.listen(0, '127.0.0.1')).replace(/\/graphql$/, '');
});
afterAll(async () => {
  await server?.stop();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(base + path, { headers });

describe('/exports/timelinejs.json', () => {
  it('is a TimelineJS document: a title slide and one slide per event with date objects cut to the precision', async () => {
    const res = await get('/exports/timelinejs.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const doc: any = await res.json();
    expect(doc.title.text.text).toBe(`<p>${store.all().length} dated news events, June 2012 to 5 November 2012, each with its sources.</p>`);
    const events = store.all();
    expect(doc.events.map((s: { unique_id: string }) => s.unique_id)).toEqual(events.map((e) => e.slug));
    const partsFor: Record<string, string[]> = {
      YEAR: ['year'],
      MONTH: ['year', 'month'],
      DAY: ['year', 'month', 'day'],
      PART_OF_DAY: ['year', 'month', 'day'],
      HOUR: ['year', 'month', 'day', 'hour'],
      MINUTE: ['year', 'month', 'day', 'hour', 'minute'],
    };
    for (const [i, e] of events.entries()) {
      const slide = doc.events[i];
      expect(Object.keys(slide.start_date)).toEqual(partsFor[e.precision]);
      for (const v of Object.values(slide.start_date)) expect(Number.isInteger(v)).toBe(true);
      const [y, m, d] = e.date.split('-').map(Number);
      expect([slide.start_date.year, slide.start_date.month ?? m, slide.start_date.day ?? d]).toEqual([y, m, d]);
      expect(slide.text.headline.length).toBeGreaterThan(0);
      expect(slide.text.text).toContain('Sources:');
      expect(slide.display_date).toBe(e.displayDate);
      expect(slide.group).toMatch(/^[A-Z][a-z ]+$/);
      if (slide.end_date) expect(Object.keys(slide.end_date).length).toBeGreaterThan(0);
    }
    // The local wall-clock time of a timed event, not UTC: 08:30 in Damascus.
    expect(doc.events.find((s: { unique_id: string }) => s.unique_id === 'aleppo-morning-shelling').start_date).toEqual({
      year: 2012, month: 11, day: 5, hour: 8, minute: 30,
    });
  });

  it('keeps casualty qualifiers and gives multi-day events an end date', async () => {
    const doc: any = await (await get('/exports/timelinejs.json?categories=ARMED_CLASH,POLITICAL')).json();
    expect(doc.events.map((s: { unique_id: string }) => s.unique_id)).toEqual(store.all({ categories: ['ARMED_CLASH', 'POLITICAL'] }).map((e) => e.slug));
    expect(doc.events.find((s: { unique_id: string }) => s.unique_id === 'aleppo-morning-shelling').text.text).toContain('More than 3 killed (civilians)');
    for (const e of store.all({ categories: ['ARMED_CLASH', 'POLITICAL'] })) {
      const slide = doc.events.find((s: { unique_id: string }) => s.unique_id === e.slug);
      if (e.endDate && e.precision !== 'MONTH' && e.precision !== 'YEAR') {
        const [y, m, d] = e.endDate.split('-').map(Number);
        expect(slide.end_date).toEqual({ year: y, month: m, day: d });
      }
    }
  });
});

describe('/exports/events.geojson', () => {
  it('is a valid RFC 7946 FeatureCollection with longitude first, falling back to an ancestor or null geometry', async () => {
    const res = await get('/exports/events.geojson');
    expect(res.headers.get('content-type')).toMatch(/^application\/geo\+json/);
    const text = await res.text();
    expect(() => checkGeoJson(text)).not.toThrow();
    const doc = JSON.parse(text);
    expect(doc.type).toBe('FeatureCollection');
    expect(doc.features.map((f: { properties: { slug: string } }) => f.properties.slug)).toEqual(store.all().map((e) => e.slug));
    for (const f of doc.features) {
      expect(f.type).toBe('Feature');
      expect(Object.keys(f.properties)).toEqual(expect.arrayContaining(['slug', 'title', 'date', 'category', 'place']));
      if (f.geometry === null) continue;
      expect(f.geometry.type).toBe('Point');
      const located = store.place(f.properties.locatedAt)!;
      expect(f.geometry.coordinates).toEqual([located.longitude, located.latitude]);
      const [lon, lat] = f.geometry.coordinates;
      expect(Math.abs(lon)).toBeLessThanOrEqual(180);
      expect(Math.abs(lat)).toBeLessThanOrEqual(90);
    }
    const byslug = (slug: string) => doc.features.find((f: { properties: { slug: string } }) => f.properties.slug === slug);
    // Damascus is at 36.29 E, 33.51 N: longitude first.
    expect(byslug('damascus-fighting-tadamon-yarmouk').geometry.coordinates).toEqual([36.2919, 33.5131]);
    // Aleppo has no coordinates: Syria's stand in.
    const syria = store.place('syria')!;
    expect(byslug('aleppo-morning-shelling').geometry.coordinates).toEqual([syria.longitude, syria.latitude]);
    expect(byslug('aleppo-morning-shelling').properties.locatedAt).toBe('syria');
    // Atoll and its ancestors have none at all.
    expect(byslug('atoll-statement').geometry).toBeNull();
  });
});

describe('/exports/events.ics', () => {
  it('parses back with ical.js into one VEVENT per event with stable UIDs, all-day or timed', async () => {
    const res = await get('/exports/events.ics');
    expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
    const text = await res.text();
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const calendar = new ICAL.Component(ICAL.parse(text));
    const vevents = calendar.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
    const events = store.all();
    expect(vevents.map((v) => v.uid)).toEqual(events.map((e) => `${e.slug}@dateline.events`));
    for (const [i, e] of events.entries()) {
      const v = vevents[i];
      expect(v.summary).toBe(e.precision === 'MONTH' ? `${e.title} (${e.displayDate})` : e.title);
      expect(v.description).toContain(e.summary);
      if (e.startsAt) {
        expect(v.startDate.isDate).toBe(false);
        expect(v.startDate.toJSDate().toISOString()).toBe(new Date(e.startsAt).toISOString());
        // An end is given (RFC 5545 otherwise makes it an instant): the unit the start is known to.
        expect([e.precision, v.component.getFirstPropertyValue('duration')?.toString()]).toEqual([e.precision, { HOUR: 'PT1H', MINUTE: 'PT1M' }[e.precision as 'HOUR' | 'MINUTE']]);
      } else {
        expect(v.startDate.isDate).toBe(true);
        expect(v.startDate.toString()).toBe(e.date);
        expect(v.endDate.toString()).toBe(addDays(e.endDate ?? e.date, 1));
      }
    }
    const shelling = vevents[events.findIndex((e) => e.slug === 'aleppo-morning-shelling')];
    expect(shelling.summary).toBe(EXTRA_EVENTS[0].title);
    expect(shelling.description).toContain('More than 3 killed (civilians)');
    expect(shelling.location).toBe('Aleppo, Syria');
  });

  it('stamps every entry with the time of the export, and is otherwise the same bytes for the same data', async () => {
    const before = new Date(Math.floor(Date.now() / 1000) * 1000);
    const text = await (await get('/exports/events.ics?places=syria')).text();
    const after = new Date();
    const stamps = new Set([...text.matchAll(/^DTSTAMP:(\d{8}T\d{6}Z)$/gm)].map((m) => m[1]));
    expect(stamps.size).toBe(1);
    const stamp = ICAL.Time.fromDateTimeString([...stamps][0].replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z')).toJSDate();
    expect(stamp.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(stamp.getTime()).toBeLessThanOrEqual(after.getTime());
    const unstamped = (t: string) => t.replace(/^DTSTAMP:.*$/gm, '');
    expect(unstamped(await (await get('/exports/events.ics?places=syria')).text())).toBe(unstamped(text));
  });

  it('gives an event known only to the month one all-day entry on its first day, named by its month, not a month-long one', async () => {
    const text = await (await get('/exports/events.ics?places=geneva')).text();
    const [geneva] = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
    expect([geneva.summary, geneva.startDate.toString(), geneva.endDate.toString()]).toEqual(['Geneva Declaration agreed (June 2012)', '2012-06-01', '2012-06-02']);
  });
});

describe('export filters', () => {
  it('take repeated parameters and comma lists alike, with the meaning of the GraphQL filter', async () => {
    const slugs = async (query: string) =>
      ((await (await get(`/exports/events.geojson?${query}`)).json()) as any).features.map((f: { id: string }) => f.id);
    const expected = store.all({ places: ['damascus', 'cairo'], from: '2012-11-04', to: '2012-11-04' }).map((e) => e.slug);
    expect(expected.length).toBeGreaterThan(0);
    expect(await slugs('places=damascus&places=cairo&from=2012-11-04&to=2012-11-04')).toEqual(expected);
    expect(await slugs('places=damascus,cairo&from=2012-11-04&to=2012-11-04')).toEqual(expected);
    expect(await slugs('search=lavrov&categories=STATEMENT')).toEqual(store.all({ search: 'lavrov', categories: ['STATEMENT'] }).map((e) => e.slug));
    expect(await slugs('actors=syrian-rebels')).toEqual(store.all({ actors: ['syrian-rebels'] }).map((e) => e.slug));
    expect(await slugs('sources=rferl')).toEqual(store.all({ sources: ['rferl'] }).map((e) => e.slug));
  });

  it.each([
    ['places=atlantis', 'places', 'places: unknown place slug "atlantis"; the places query lists them'],
    ['actors=nobody', 'actors', 'actors: unknown actor slug "nobody"; the actors query lists them'],
    ['from=2012-02-30', 'from', 'from: must be a date YYYY-MM-DD, got "2012-02-30"'],
    ['from=2012-11-05&to=2012-11-04', 'from', 'from: 2012-11-05 is after to 2012-11-04; from must be on or before to'],
    ['categories=BOMBING,PICNIC', 'categories', 'categories: unknown category "PICNIC"; use DIPLOMACY, STATEMENT, POLITICAL, ARMED_CLASH, BOMBING, AIR_STRIKE'],
    ['places=', 'places', 'places: is empty; give one or more values, repeated or comma-separated'],
    ['search=a&search=b', 'search', 'search: was given 2 times; give it once'],
    [`search=${'x'.repeat(201)}`, 'search', 'search: is 201 characters long; at most 200 are searched'],
    ['colour=red', 'colour', 'colour: is not a parameter of exports; use from, to, categories, places, actors, sources, search, includeRetracted, limit, after'],
    ['includeRetracted=yes', 'includeRetracted', 'includeRetracted: must be true or false, got "yes"'],
  ])('%s is a 400 naming the parameter', async (query, parameter, message) => {
    for (const file of ['timelinejs.json', 'events.geojson', 'events.ics']) {
      const res = await get(`/exports/${file}?${query}`);
      expect(res.status).toBe(400);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await res.json()).toEqual({ error: { parameter, message } });
    }
  });
});

describe('export caching', () => {
  it('is public for the configured time, tagged by data and URL, and answers If-None-Match with 304', async () => {
    const first = await get('/exports/events.ics?places=syria');
    const etag = first.headers.get('etag')!;
    expect(first.headers.get('cache-control')).toBe('max-age=120, public');
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const again = await get('/exports/events.ics?places=syria', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect((await get('/exports/events.ics?places=damascus')).headers.get('etag')).not.toBe(etag);
    expect((await get('/exports/events.geojson?places=syria')).headers.get('etag')).not.toBe(etag);
    expect((await get('/exports/events.ics?places=damascus', { 'if-none-match': etag })).status).toBe(200);
  });
});
