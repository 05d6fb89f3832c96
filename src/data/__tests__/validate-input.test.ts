import * as path from 'node:path';
import { loadDataset } from '../load-dataset';
import { checkCatalogueRecord, checkEvent, pathSegments, type EventLookups } from '../validate-input';

const GOOD = path.join(__dirname, 'fixtures', 'good');

let lookups: EventLookups;
beforeAll(async () => {
  const d = await loadDataset(GOOD);
  const by = <T extends { slug: string }>(list: T[]) => new Map(list.map((r) => [r.slug, r]));
  const events = by(d.events);
  lookups = { places: by(d.places), actors: by(d.actors), sources: by(d.sources), event: (slug) => events.get(slug) };
});

const EVENT = { slug: 'new-event', title: 'T', summary: 'S', category: 'STATEMENT', date: '2012-11-05', precision: 'DAY', place: 'doha', sources: [{ source: 'rferl' }] };

describe('pathSegments', () => {
  it('splits a loader field path into input path segments', () => {
    expect(pathSegments('casualties[0].count')).toEqual(['casualties', '0', 'count']);
    expect(pathSegments('related[12]')).toEqual(['related', '12']);
    expect(pathSegments('')).toEqual([]);
  });
});

describe('checkEvent', () => {
  it('builds the served event of a good record without changing the record', () => {
    const record = structuredClone(EVENT);
    const { event, problems } = checkEvent(record, lookups, ['event']);
    expect(problems).toEqual([]);
    expect(event).toMatchObject({ slug: 'new-event', timeZone: 'Asia/Qatar', displayDate: '5 November 2012', places: ['doha'], revision: 1, status: 'PUBLISHED' });
    expect(record).toEqual(EVENT);
  });

  it('reports schema problems first, at their input paths, and stops there as the loader does', () => {
    const { event, problems } = checkEvent({ ...EVENT, sources: [], extra: 1 }, lookups, ['patch']);
    expect(event).toBeNull();
    expect(problems).toEqual([
      { field: ['patch', 'extra'], message: expect.stringMatching(/^extra: is not a known field; expected one of slug, title/), code: 'INVALID' },
      { field: ['patch', 'sources'], message: 'sources: must be at least 1 item, got a list', code: 'INVALID' },
    ]);
  });

  it('gives references that name nothing the code UNKNOWN_REFERENCE, and other rules INVALID', () => {
    const { problems } = checkEvent({ ...EVENT, endDate: '2012-11-01', quotes: [{ text: 'x', speaker: 'nobody' }], related: ['new-event'] }, lookups, []);
    expect(problems).toEqual([
      { field: ['endDate'], message: 'endDate: is before date (2012-11-01 < 2012-11-05); expected a date on or after 2012-11-05', code: 'INVALID' },
      { field: ['quotes', '0', 'speaker'], message: 'quotes[0].speaker: unknown actor "nobody"; expected the slug of an actor in actors.json', code: 'UNKNOWN_REFERENCE' },
      { field: ['related', '0'], message: 'related[0]: is the event itself; an event cannot be related to itself', code: 'INVALID' },
    ]);
  });
});

describe('checkCatalogueRecord', () => {
  const places = [
    { slug: 'qatar', name: 'Qatar', kind: 'COUNTRY', timeZone: 'Asia/Qatar' },
    { slug: 'doha', name: 'Doha', kind: 'CITY', parent: 'qatar' },
  ];

  it('resolves the whole catalogue with the saved record in it', () => {
    const { records, problems } = checkCatalogueRecord('Place', { slug: 'qatar', name: 'Qatar', kind: 'COUNTRY', timeZone: 'Asia/Riyadh' }, places, ['place']);
    expect(problems).toEqual([]);
    expect(records.get('doha')).toMatchObject({ ancestors: ['qatar'], timeZone: 'Asia/Riyadh' });
  });

  it('reports only the saved record\'s problems, in the loader\'s words', () => {
    const { problems } = checkCatalogueRecord('Place', { slug: 'qatar', name: 'Qatar', kind: 'COUNTRY', parent: 'doha', latitude: 25, timeZone: 'Mars/Olympus' }, places, ['place']);
    expect(problems).toEqual([
      { field: ['place', 'longitude'], message: 'longitude: is required when the other coordinate is given; give both or neither', code: 'INVALID' },
      { field: ['place', 'timeZone'], message: 'timeZone: "Mars/Olympus" is not an IANA time zone, e.g. "Asia/Damascus"', code: 'INVALID' },
      { field: ['place', 'parent'], message: 'parent: "qatar" -> "doha" -> "qatar" is a cycle; a place cannot lie inside itself', code: 'INVALID' },
    ]);
  });
});
