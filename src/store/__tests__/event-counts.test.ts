import { addDays } from '../../data/dates';
import { loadDataset } from '../../data/load-dataset';
import type { BucketSize } from '../date-buckets';
import { InvalidArgumentError } from '../errors';
import { EventStore, type EventFilter } from '../event-store';
import { MAX_EVENT_COUNT_BUCKETS } from '../event-store-types';
import { buildDataset } from './fixtures/dataset';

let store: EventStore;
beforeAll(async () => {
  store = new EventStore(await loadDataset('events'));
});

describe('EventStore.eventCounts', () => {
  const cases: [BucketSize, EventFilter][] = [
    ['DAY', { from: '2012-11-01', to: '2012-11-07' }],
    ['WEEK', {}],
    ['MONTH', { categories: ['DIPLOMACY', 'STATEMENT'] }],
    ['YEAR', { places: ['syria'] }],
    ['DAY', { from: '2012-06-20', to: '2012-07-02' }],
  ];

  it.each(cases)('%s buckets for %j: each count equals the events matching with the bucket as from/to', (bucket, filter) => {
    const buckets = store.eventCounts(filter, bucket);
    expect(buckets.length).toBeGreaterThan(0);
    for (const b of buckets) expect(b.count).toBe(store.count({ ...filter, from: b.start, to: b.end }));
    for (let i = 1; i < buckets.length; i++) expect(buckets[i].start).toBe(addDays(buckets[i - 1].end, 1));
  });

  it('covers the data from its first to its last date when the filter has no from/to, empty buckets included', () => {
    const all = store.all();
    const last = all.map((e) => e.endDate ?? e.date).sort().pop();
    const days = store.eventCounts({}, 'DAY');
    expect(days[0].start).toBe(all[0].date);
    expect(days[days.length - 1].end).toBe(last);
    expect(days.some((d) => d.count === 0)).toBe(true);
    expect(days.filter((d) => d.start === '2012-11-04' || d.start === '2012-11-05').map((d) => d.count)).toEqual([
      store.count({ from: '2012-11-04', to: '2012-11-04' }),
      store.count({ from: '2012-11-05', to: '2012-11-05' }),
    ]);
  });

  it('refuses more buckets than the cap, naming the bucket argument', () => {
    const to = addDays('2000-01-01', MAX_EVENT_COUNT_BUCKETS);
    expect(() => store.eventCounts({ from: '2000-01-01', to }, 'DAY')).toThrow(InvalidArgumentError);
    expect(() => store.eventCounts({ from: '2000-01-01', to }, 'DAY')).toThrow(/^bucket: .*more than the 1000.*choose a wider bucket/);
    expect(store.eventCounts({ from: '2000-01-01', to }, 'MONTH').length).toBeGreaterThan(1);
  });

  it('checks the filter as events does', () => {
    expect(() => store.eventCounts({ places: ['atlantis'] }, 'DAY')).toThrow('filter.places: unknown place slug "atlantis"');
    expect(() => store.eventCounts({ from: '2012-11-05', to: '2012-11-04' }, 'DAY')).toThrow(/^filter\.from: /);
  });

  it('counts changed, created and retracted events, and multi-day ones in every bucket they run into', () => {
    const dataset = buildDataset();
    const changes = new EventStore(dataset, { compactAt: Infinity });
    const [first, second, third] = dataset.events.filter((e) => e.date >= '2012-11-01');
    changes.apply({
      events: [
        // Created, running over three weeks (a day, a week and a month boundary).
        { ...first, slug: 'long-siege', date: '2012-10-28', endDate: '2012-11-19', revision: 1 },
        // Moved later and made to run over several days.
        { ...second, date: '2012-11-06', endDate: '2012-11-09', revision: second.revision + 1 },
        { ...third, status: 'RETRACTED', retraction: { at: '2026-12-02T01:00:00.000Z', editor: 'Night desk', reason: 'Withdrawn.' }, revision: third.revision + 1 },
      ],
    });
    const filters: EventFilter[] = [{}, { from: '2012-11-02', to: '2012-11-25' }, { includeRetracted: true, from: '2012-10-01', to: '2012-12-31' }, { places: ['syria'], from: '2012-10-20' }];
    for (const filter of filters) {
      for (const bucket of ['DAY', 'WEEK', 'MONTH'] as const) {
        if (bucket === 'DAY' && !filter.from) continue;
        const buckets = changes.eventCounts(filter, bucket);
        expect(buckets.map((b) => [b.start, b.count])).toEqual(buckets.map((b) => [b.start, changes.count({ ...filter, from: b.start, to: b.end })]));
      }
    }
    // The created event is the only one running over 17-19 November: it alone makes those days' counts.
    expect(changes.eventCounts({ from: '2012-11-17', to: '2012-11-20' }, 'DAY').map((d) => d.count)).toEqual([1, 1, 1, 0]);
  });
});
