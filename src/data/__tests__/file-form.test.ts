import * as fs from 'node:fs';
import * as path from 'node:path';
import { catalogueFileText, changedFields, eventFileForm, eventFileName, eventFileText, ordered, sameData } from '../file-form';
import { loadDataset } from '../load-dataset';

const EVENTS = path.join(__dirname, '../../../events');
const read = (name: string) => fs.readFileSync(path.join(EVENTS, name), 'utf8');
const eventNames = fs.readdirSync(EVENTS).filter((n) => /^\d{4}-.*\.json$/.test(n));

describe('file forms', () => {
  it.each(eventNames)('writes %s back byte for byte as it is in events/', (name) => {
    const { $schema: _s, ...record } = JSON.parse(read(name));
    expect(eventFileText(record)).toBe(read(name));
    expect(eventFileName(record)).toBe(name);
  });

  it.each([
    ['places.json', 'Place', 'places'],
    ['actors.json', 'Actor', 'actors'],
    ['sources.json', 'Source', 'sources'],
  ] as const)('writes %s back byte for byte as it is in events/', (name, type, key) => {
    expect(catalogueFileText(type, JSON.parse(read(name))[key])).toBe(read(name));
  });

  it('puts keys in the order of the schema, $schema first, whatever order they came in', () => {
    const text = eventFileText({ sources: [{ source: 'rferl' }], slug: 'x', date: '2012-11-05', title: 'T' });
    expect(text).toBe('{\n  "$schema": "./schema/event.schema.json",\n  "slug": "x",\n  "title": "T",\n  "date": "2012-11-05",\n  "sources": [\n    {\n      "source": "rferl"\n    }\n  ]\n}\n');
    expect(Object.keys(ordered('Place', { timeZone: 'Asia/Qatar', kind: 'CITY', slug: 'doha', name: 'Doha' }))).toEqual(['slug', 'name', 'kind', 'timeZone']);
  });

  it('compares records whatever their key order, and names the top-level fields that changed', () => {
    expect(sameData({ a: 1, b: [{ c: 1, d: 2 }] }, { b: [{ d: 2, c: 1 }], a: 1 })).toBe(true);
    expect(sameData({ a: 1 }, { a: 2 })).toBe(false);
    const before = { slug: 'x', title: 'T', casualties: [{ count: 1 }], date: '2012-11-05' };
    expect(changedFields('Event', before, { ...before, title: 'U', casualties: [{ count: 2 }] })).toEqual(['title', 'casualties']);
    expect(changedFields('Event', before, { slug: 'x', title: 'T', casualties: [{ count: 1 }] })).toEqual(['date']);
    expect(changedFields('Event', null, before)).toEqual(['slug', 'title', 'date', 'casualties']);
  });

  it('works an event file form out of the served event that loads to the same event', async () => {
    const { events } = await loadDataset(EVENTS);
    for (const event of events) {
      const { $schema: _s, ...record } = JSON.parse(read(eventFileName(event as never)));
      expect(eventFileForm(event)).toEqual(record);
    }
  });
});
