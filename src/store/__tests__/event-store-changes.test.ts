import type { Event, Place } from '../../data/dataset';
import { EventStore, type EventFilter } from '../event-store';
import { buildWideDataset } from '../../test-support/wide-dataset';
import { buildDataset } from './fixtures/dataset';

const slugs = (records: { slug: string }[]) => records.map((r) => r.slug);

/** A store over the fixture that compacts only when asked. */
function freshStore(): { store: EventStore; events: Map<string, Event> } {
  const dataset = buildDataset();
  return { store: new EventStore(dataset, { compactAt: Infinity }), events: new Map(dataset.events.map((e) => [e.slug, e])) };
}

const retracted = (event: Event): Event => ({
  ...event,
  status: 'RETRACTED',
  retraction: { at: '2026-12-02T01:00:00.000Z', editor: 'Night desk', reason: 'The report was withdrawn.' },
  revision: event.revision + 1,
  updatedAt: '2026-12-02T01:00:00.000Z',
});

/** What every list, count, timeline and histogram of the store says about `filter`. */
function everyList(store: EventStore, filter: EventFilter = {}) {
  return {
    all: slugs(store.all(filter)),
    page: slugs(store.query(filter, undefined, { first: 100 }).edges.map((e) => e.node)),
    count: store.count(filter),
    timeline: store.timeline('2012-11-01', '2012-11-30', filter).flatMap((d) => slugs(d.events)),
    months: store.eventCounts({ ...filter, from: '2012-11-01', to: '2012-11-30' }, 'MONTH').map((b) => b.count),
  };
}

describe('EventStore.apply', () => {
  it('takes a retraction: the event leaves every list, count, timeline and histogram, but still resolves by slug', () => {
    const { store, events } = freshStore();
    const before = store.version;
    const hama = retracted(events.get('hama-checkpoint-bombing')!);
    store.apply({ events: [hama] });
    const november = ['damascus-fighting', 'lavrov-meets-elaraby', 'idlib-air-strike', 'lavrov-press-conference', 'opposition-talks-in-doha'];
    expect({
      version: store.version !== before,
      event: store.event('hama-checkpoint-bombing'),
      lists: everyList(store),
      bySource: slugs(store.all({ sources: ['sana'] })),
      inSyria: everyList(store, { places: ['syria'] }).count,
      withRetracted: everyList(store, { includeRetracted: true }).count,
      matches: [store.matches({}, hama), store.matches({ includeRetracted: true }, hama)],
      counts: store.counts.events,
    }).toEqual({
      version: true,
      event: hama,
      lists: {
        all: ['daraa-protests', 'geneva-action-group-meeting', ...november],
        page: ['daraa-protests', 'geneva-action-group-meeting', ...november],
        count: 7,
        timeline: ['damascus-fighting', 'lavrov-meets-elaraby', 'idlib-air-strike', 'lavrov-press-conference', 'opposition-talks-in-doha'],
        months: [5],
      },
      bySource: [],
      inSyria: 3,
      withRetracted: 8,
      matches: [false, true],
      counts: 8,
    });
  });

  it('takes a new event and a changed one: queries answer from them at once, and the version moves with each', () => {
    const { store, events } = freshStore();
    const versions = [store.version];
    const created: Event = { ...events.get('idlib-air-strike')!, slug: 'aleppo-shelling', title: 'Shelling of Aleppo', date: '2012-11-04' };
    store.apply({ events: [created] });
    versions.push(store.version);
    const moved: Event = { ...events.get('daraa-protests')!, date: '2012-11-07', revision: 2 };
    store.apply({ events: [moved] });
    versions.push(store.version);
    expect({
      distinct: new Set(versions).size,
      all: slugs(store.all()),
      search: slugs(store.all({ search: 'shell' })),
      november: slugs(store.all({ from: '2012-11-06' })),
      event: store.event('daraa-protests'),
      counts: store.counts,
    }).toEqual({
      distinct: 3,
      all: [
        'geneva-action-group-meeting',
        'damascus-fighting',
        'aleppo-shelling',
        'lavrov-meets-elaraby',
        'hama-checkpoint-bombing',
        'idlib-air-strike',
        'lavrov-press-conference',
        'opposition-talks-in-doha',
        'daraa-protests',
      ],
      search: ['aleppo-shelling'],
      november: ['opposition-talks-in-doha', 'daraa-protests'],
      event: moved,
      counts: { events: 9, places: 13, actors: 8, sources: 4 },
    });
  });

  it('refuses an update with a reference that does not resolve, and changes nothing', () => {
    const { store, events } = freshStore();
    const before = store.version;
    const bad: Event = { ...events.get('idlib-air-strike')!, slug: 'nowhere-event', places: ['idlib-province', 'atlantis'], related: ['no-such-event'] };
    expect(() => store.apply({ events: [bad] })).toThrow(
      'store update refused, nothing changed:\nevent "nowhere-event": places[1]: no place "atlantis"\nevent "nowhere-event": related[0]: no event "no-such-event"',
    );
    expect({ version: store.version, event: store.event('nowhere-event'), count: store.count() }).toEqual({ version: before, event: undefined, count: 8 });
  });

  it('takes a new place and a renamed one: the catalogue lists it, filters accept it, search finds events by the new name', () => {
    const { store } = freshStore();
    const aleppo: Place = { ...store.place('daraa')!, slug: 'aleppo', name: 'Aleppo' };
    const hama: Place = { ...store.place('hama-province')!, name: 'Hamah Governorate', revision: 2 };
    store.apply({ places: [aleppo, hama] });
    expect({
      listed: store.placeList({ first: 3 }).edges.map((e) => e.node.slug),
      inSyria: slugs(store.childrenOf('syria')),
      inAleppo: store.count({ places: ['aleppo'] }),
      newName: slugs(store.all({ search: 'governorate' })),
      oldName: slugs(store.all({ search: 'hama province' })),
    }).toEqual({
      listed: ['aleppo', 'cairo', 'damascus'],
      inSyria: ['aleppo', 'damascus', 'daraa', 'hama-province', 'idlib-province'],
      inAleppo: 0,
      newName: ['hama-checkpoint-bombing'],
      oldName: [],
    });
  });

  it('keeps keyset cursors: paging while other events change neither repeats nor skips an event that did not change', () => {
    const { store, events } = freshStore();
    const seen: string[] = [];
    let after: string | null = null;
    let edit = 0;
    const edits = [
      () => store.apply({ events: [{ ...events.get('opposition-talks-in-doha')!, date: '2011-01-01' }] }),
      () => store.apply({ events: [{ ...events.get('geneva-action-group-meeting')!, slug: 'late-event', date: '2013-01-01' }] }),
      () => store.apply({ events: [{ ...events.get('idlib-air-strike')!, slug: 'early-event', date: '2010-05-05' }] }),
      () => store.apply({ events: [retracted(events.get('daraa-protests')!)] }),
    ];
    for (;;) {
      const page = store.query({}, undefined, { first: 2, after });
      seen.push(...slugs(page.edges.map((e) => e.node)));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
      edits[edit++]?.();
    }
    expect(seen).toEqual([
      'daraa-protests',
      'geneva-action-group-meeting',
      'damascus-fighting',
      'lavrov-meets-elaraby',
      'hama-checkpoint-bombing',
      'idlib-air-strike',
      'lavrov-press-conference',
      'late-event',
    ]);
  });
});

describe('EventStore.apply of a place with many events', () => {
  it('refiles them all at once, answering as a store rebuilt with the renamed place', () => {
    const dataset = buildDataset();
    const fighting = dataset.events[2];
    const many = Array.from({ length: 100 }, (_, i): Event => ({ ...fighting, slug: `clash-${String(i).padStart(3, '0')}`, date: `2012-11-${String(10 + (i % 20))}` }));
    dataset.events = [...dataset.events, ...many].sort((a, b) => (a.date < b.date || (a.date === b.date && a.slug < b.slug) ? -1 : 1));
    const store = new EventStore(dataset, { compactAt: Infinity });
    store.apply({ events: [{ ...many[5], title: 'Clashes resume' }, retracted(many[6])] });
    const renamed: Place = { ...store.place('damascus')!, name: 'Dimashq', revision: 2 };
    store.apply({ places: [renamed] });
    const rebuilt = new EventStore({
      ...dataset,
      events: dataset.events.map((e) => store.event(e.slug)!),
      places: dataset.places.map((p) => (p.slug === 'damascus' ? renamed : p)),
    });
    const filters: EventFilter[] = [{ search: 'dimashq' }, { search: 'damascus' }, { places: ['damascus'] }, { search: 'clashes resume' }, { includeRetracted: true }];
    const answers = (s: EventStore) => filters.map((f) => ({ all: slugs(s.all(f)), page: s.query(f, undefined, { first: 7, after: s.query(f, undefined, { first: 40 }).pageInfo.endCursor }) }));
    expect(store.overlaySize).toBe(101);
    expect(answers(store)).toEqual(answers(rebuilt));
    expect(store.count({ search: 'dimashq' })).toBe(100);
  });
});

describe('EventStore compaction', () => {
  it('starts by itself when the overlay reaches compactAt, folds it into the base and keeps the answers and version', async () => {
    const dataset = buildDataset();
    const store = new EventStore(dataset, { compactAt: 2, sliceMs: 0 });
    const [a, b] = [dataset.events[1], dataset.events[4]];
    store.apply({ events: [retracted(a)] });
    expect(store.compactionStats.running).toBe(false);
    store.apply({ events: [{ ...b, title: 'Truck bombing at a checkpoint' }] });
    expect(store.compactionStats.running).toBe(true);
    const during = { version: store.version, lists: everyList(store, { search: 'truck' }), overlay: store.overlaySize };
    await store.compact();
    expect({
      stats: store.compactionStats.completed,
      overlay: store.overlaySize,
      version: store.version,
      lists: everyList(store, { search: 'truck' }),
      count: store.count(),
    }).toEqual({ stats: 1, overlay: 0, version: during.version, lists: during.lists, count: 7 });
    expect(during.overlay).toBe(2);
  });

  it('builds each new base in the memory of the one swapped out before, and answers as a store built afresh', async () => {
    const dataset = buildWideDataset({ width: 40, depth: 4, events: 6000 });
    const store = new EventStore(dataset, { compactAt: Infinity, sliceMs: 1 });
    const events = new Map(dataset.events.map((e) => [e.slug, e]));
    const fresh: number[] = [store.compactionStats.freshBaseBytes];
    for (let round = 0; round < 3; round++) {
      for (let k = 0; k < 50; k++) {
        const e = events.get(dataset.events[(k * 113 + round * 7) % dataset.events.length].slug)!;
        const changed = { ...e, title: `${e.title} round ${round} zq${k}`, revision: e.revision + 1 };
        events.set(e.slug, changed);
        store.apply({ events: [changed] });
      }
      await store.compact();
      fresh.push(store.compactionStats.freshBaseBytes);
    }
    // The load took its memory and reserved what a compaction takes: no compaction took any fresh.
    expect(fresh[0]).toBeGreaterThan(0);
    expect(fresh).toEqual([fresh[0], fresh[0], fresh[0], fresh[0]]);
    const afresh = new EventStore({ ...dataset, events: [...events.values()] }, { compactAt: Infinity, recycleBaseMemory: false });
    for (const filter of [{}, { search: 'round 2' }, { search: 'zq4' }, { search: 'province' }, { places: [dataset.places[5].slug] }, { actors: [dataset.actors[2].slug] }] as EventFilter[])
      expect(everyList(store, filter)).toEqual(everyList(afresh, filter));
  });
});

describe('EventStore.shape (the query cost reads it on every request)', () => {
  it('widens with each change, is the same object until the next one, and holds across a compaction', async () => {
    const { store, events } = freshStore();
    const first = store.shape;
    expect(store.shape).toBe(first);
    const template = [...events.values()][3];
    const early: Event = {
      ...template,
      slug: 'an-early-report',
      date: '1999-01-01',
      endDate: null,
      related: [...events.keys()].slice(0, first.related + 2),
    };
    store.apply({ events: [early] });
    const second = store.shape;
    expect(second).not.toBe(first);
    expect(second).toMatchObject({ firstDate: '1999-01-01', related: first.related + 2, events: first.events + 1 });
    expect(store.shape).toBe(second);
    await store.compact();
    expect(store.shape).toMatchObject({ firstDate: '1999-01-01', related: first.related + 2, events: first.events + 1 });
  });
});

describe('a changed event found by search', () => {
  it('matches a prefix of any of its words, whatever their order, and not a part inside a word', () => {
    const { store, events } = freshStore();
    const event = { ...[...events.values()][2], title: 'Zebra crossing near the aqueduct', summary: 'Mortars hit the bakery' };
    store.apply({ events: [event] });
    const found = (search: string) => store.all({ search }).some((e) => e.slug === event.slug);
    expect(['zeb', 'aque', 'bakery', 'mortars hit', 'crossing zebra'].map(found)).toEqual([true, true, true, true, true]);
    expect(['ebra', 'queduct', 'zebras', 'bakery zzz'].map(found)).toEqual([false, false, false, false]);
  });
});
