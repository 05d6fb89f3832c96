/**
 * What a query pays for the overlay: the events it tests against its filter. A filter asked again is brought up to
 * date by the changes made since, and a first ask tests only the overlay's events within its dates, so neither
 * grows with the overlay's size. (The answers themselves are checked against a rebuild by overlay-property.test.ts.)
 */
import type { Event } from '../../data/dataset';
import * as eventFilter from '../event-filter';
import { EventStore, type EventFilter } from '../event-store';
import { MATCHES_KEPT } from '../overlay-matches';
import { buildDataset } from './fixtures/dataset';

const compile = eventFilter.compileFilter;

/** Counts every event a query's compiled filter tests. */
function countTests(): { readonly tested: number } {
  jest.restoreAllMocks();
  const counter = { tested: 0 };
  jest.spyOn(eventFilter, 'compileFilter').mockImplementation((filter, catalogue) => {
    const test = compile(filter, catalogue);
    return (event) => (counter.tested++, test(event));
  });
  return counter;
}

/** A store whose overlay holds `n` new events, each a copy of the fixture's Damascus fighting dated in 2011. */
function storeWithNewEvents(n: number): { store: EventStore; added: Event[] } {
  const dataset = buildDataset();
  const store = new EventStore(dataset, { compactAt: Infinity });
  const template = dataset.events.find((e) => e.slug === 'damascus-fighting')!;
  const added: Event[] = [];
  for (let k = 0; k < n; k++) {
    const event: Event = { ...template, slug: `added-${k}`, date: `2011-0${1 + (k % 9)}-1${k % 10}`, endDate: null };
    store.apply({ events: [event] });
    added.push(event);
  }
  return { store, added };
}

afterEach(() => jest.restoreAllMocks());

describe('the overlay share of a query', () => {
  const broad: EventFilter = { categories: ['ARMED_CLASH', 'BOMBING'] };

  it('tests only the changes made since the same filter was last asked, however many events the overlay holds', () => {
    for (const size of [50, 400]) {
      const { store, added } = storeWithNewEvents(size);
      const counter = countTests();
      expect(store.count(broad)).toBe(2 + size);
      const first = counter.tested;
      store.apply({ events: [{ ...added[7], category: 'DIPLOMACY', revision: 2 }] });
      expect(store.count(broad)).toBe(1 + size);
      expect({ size, first, again: counter.tested - first }).toEqual({ size, first: size, again: 1 });
    }
  });

  it('tests on a first ask only the overlay events that can fall within its dates', () => {
    const { store } = storeWithNewEvents(300);
    const counter = countTests();
    const page = store.query({ from: '2012-11-01', to: '2012-11-30' }, undefined, { first: 100 });
    expect(page.totalCount).toBe(6);
    expect(counter.tested).toBe(0);
  });

  it('brings gaps (base events replaced) up to date and answers as a fresh ask would', () => {
    const { store } = storeWithNewEvents(20);
    const hama = store.event('hama-checkpoint-bombing')!;
    const fighting = store.event('damascus-fighting')!;
    const ask = () => store.query(broad, undefined, { last: 3 }).edges.map((e) => e.node.slug);
    expect(ask()).toEqual(['added-8', 'damascus-fighting', 'hama-checkpoint-bombing']);
    store.apply({ events: [{ ...hama, category: 'STATEMENT', revision: 2 }] });
    store.apply({ events: [{ ...fighting, date: '2012-12-01', revision: 2 }] });
    expect(ask()).toEqual(['added-17', 'added-8', 'damascus-fighting']);
    expect(store.count(broad)).toBe(21);
  });

  it(`keeps the matches of at most ${MATCHES_KEPT} filters: the least recently asked is tested afresh`, () => {
    const { store } = storeWithNewEvents(10);
    const counter = countTests();
    const filters = Array.from({ length: MATCHES_KEPT + 1 }, (_, k): EventFilter => ({ search: `word${k}` }));
    for (const filter of filters) store.count(filter);
    const before = counter.tested;
    store.count(filters[MATCHES_KEPT]);
    expect(counter.tested - before).toBe(0);
    store.count(filters[0]);
    expect(counter.tested - before).toBe(10);
  });
});
