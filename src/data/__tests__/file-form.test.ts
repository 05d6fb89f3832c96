import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
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

  it('compares as the JSON of each with the keys sorted would, a key whose value is undefined being no key', () => {
    // The text comparison sameData stands for (it builds no text).
    const sortedJson = (value: unknown) =>
      JSON.stringify(value, (_key, v: unknown) =>
        v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([p], [q]) => (p < q ? -1 : p > q ? 1 : 0))) : v,
      );
    // The same data written another way: every object's keys reversed, and a key with no value added.
    const rewritten = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(rewritten);
      if (value === null || typeof value !== 'object') return value;
      return Object.fromEntries([['unset', undefined], ...Object.entries(value).reverse().map(([k, v]) => [k, rewritten(v)])]);
    };
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        expect(sameData(a, rewritten(a))).toBe(true);
        expect(sameData(a, b)).toBe(sortedJson(a) === sortedJson(b));
        expect(sameData(rewritten(b), a)).toBe(sortedJson(a) === sortedJson(b));
      }),
      { numRuns: 500 },
    );
    expect(sameData({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(sameData([1], { 0: 1 })).toBe(false);
    expect(sameData({ a: null }, {})).toBe(false);
    expect(sameData({ a: undefined }, {})).toBe(true);
    expect(sameData({ a: { b: 1 } }, { a: { b: 1, c: 2 } })).toBe(false);
  });

  it('works an event file form out of the served event that loads to the same event', async () => {
    const { events } = await loadDataset(EVENTS);
    for (const event of events) {
      const { $schema: _s, ...record } = JSON.parse(read(eventFileName(event as never)));
      expect(eventFileForm(event)).toEqual(record);
    }
  });
});
