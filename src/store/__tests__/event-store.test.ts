import type { Event } from '../../data/dataset';
import { InvalidArgumentError } from '../errors';
import { EventStore, type EventFilter } from '../event-store';
import { buildDataset } from './fixtures/dataset';

const dataset = buildDataset();
const store = new EventStore(dataset);

const slugs = (events: Event[]) => events.map((e) => e.slug);
/** Slugs of the events matching `filter`, in (date, slug) order. */
const matching = (filter: EventFilter) => slugs(store.all(filter));

/** The argument and message of the InvalidArgumentError that `run` throws. */
function argumentError(run: () => unknown): { argument: string; message: string } {
  try {
    run();
  } catch (err) {
    if (err instanceof InvalidArgumentError) return { argument: err.argument, message: err.message };
    throw err;
  }
  throw new Error('expected an InvalidArgumentError');
}

const ALL = [
  'daraa-protests',
  'geneva-action-group-meeting',
  'damascus-fighting',
  'lavrov-meets-elaraby',
  'hama-checkpoint-bombing',
  'idlib-air-strike',
  'lavrov-press-conference',
  'opposition-talks-in-doha',
];

describe('EventStore lookups', () => {
  it('counts each kind of entity', () => {
    expect(store.counts).toEqual({ events: 8, places: 13, actors: 8, sources: 4 });
    expect(store.count()).toBe(8);
    expect(store.count({ places: ['syria'] })).toBe(4);
    expect(store.count({ search: 'nothing-like-this' })).toBe(0);
  });

  it('finds each entity by slug, and nothing for an unknown slug', () => {
    expect({
      event: store.event('idlib-air-strike'),
      place: store.place('cairo'),
      actor: store.actor('sergei-lavrov'),
      source: store.source('sohr'),
    }).toEqual({
      event: dataset.events[5],
      place: dataset.places[8],
      actor: dataset.actors[0],
      source: dataset.sources[0],
    });
    expect([store.event('cairo'), store.place('nowhere'), store.actor('nobody'), store.source('rumour')]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('lists the places directly inside a place, by slug', () => {
    expect({
      syria: store.childrenOf('syria').map((p) => p.slug),
      damascus: store.childrenOf('damascus').map((p) => p.slug),
      tadamon: store.childrenOf('tadamon').map((p) => p.slug),
      unknown: store.childrenOf('atlantis').map((p) => p.slug),
    }).toEqual({
      syria: ['damascus', 'daraa', 'hama-province', 'idlib-province'],
      damascus: ['tadamon', 'yarmouk-camp'],
      tadamon: [],
      unknown: [],
    });
  });

  it('lists places, actors and sources by slug', () => {
    const page = <T extends { slug: string }>(p: { edges: { node: T }[]; totalCount: number }) => ({
      slugs: p.edges.map((e) => e.node.slug),
      totalCount: p.totalCount,
    });
    expect({
      places: page(store.placeList({ first: 4 })),
      actors: page(store.actorList()),
      sources: page(store.sourceList({ last: 2 })),
    }).toEqual({
      places: { slugs: ['cairo', 'damascus', 'daraa', 'doha'], totalCount: 13 },
      actors: {
        slugs: [
          'arab-league',
          'bashar-al-assad',
          'free-syrian-army',
          'nabil-elaraby',
          'russia',
          'sergei-lavrov',
          'syrian-government-forces',
          'syrian-national-council',
        ],
        totalCount: 8,
      },
      sources: { slugs: ['sana', 'sohr'], totalCount: 4 },
    });
  });
});

describe('EventStore.query ordering', () => {
  it('orders by date, ties broken by slug, ascending by default', () => {
    const page = store.query();
    expect(slugs(page.edges.map((e) => e.node))).toEqual(ALL);
    expect(page.totalCount).toBe(8);
  });

  it('orders descending as the exact reverse, ties included', () => {
    const page = store.query({}, { field: 'DATE', direction: 'DESC' });
    expect(slugs(page.edges.map((e) => e.node))).toEqual([...ALL].reverse());
  });

  it('orders a filtered list in both directions', () => {
    const filter = { from: '2012-11-05', to: '2012-11-05' };
    const asc = store.query(filter, { field: 'DATE', direction: 'ASC' });
    const desc = store.query(filter, { field: 'DATE', direction: 'DESC' });
    expect([asc, desc].map((p) => slugs(p.edges.map((e) => e.node)))).toEqual([
      ['damascus-fighting', 'hama-checkpoint-bombing', 'idlib-air-strike', 'lavrov-press-conference'],
      ['lavrov-press-conference', 'idlib-air-strike', 'hama-checkpoint-bombing', 'damascus-fighting'],
    ]);
  });
});

describe('EventStore filters', () => {
  it('matches everything without a filter', () => {
    expect(matching({})).toEqual(ALL);
    expect(matching({ from: null, to: null, categories: null, places: null, actors: null, sources: null, search: null })).toEqual(ALL);
  });

  describe('from/to', () => {
    it('matches events whose [date, endDate] overlaps [from, to], both inclusive', () => {
      expect({
        oneDay: matching({ from: '2012-11-04', to: '2012-11-04' }),
        fromFifth: matching({ from: '2012-11-05' }),
        fromSixth: matching({ from: '2012-11-06' }),
        toThird: matching({ to: '2012-11-03' }),
        firstDayOfSpan: matching({ from: '2012-11-03', to: '2012-11-03' }),
        beforeTheSpan: matching({ to: '2012-11-02' }),
        gap: matching({ from: '2012-07-01', to: '2012-10-31' }),
        afterAll: matching({ from: '2012-11-07' }),
      }).toEqual({
        oneDay: ['damascus-fighting', 'lavrov-meets-elaraby'],
        fromFifth: ['damascus-fighting', 'hama-checkpoint-bombing', 'idlib-air-strike', 'lavrov-press-conference', 'opposition-talks-in-doha'],
        fromSixth: ['opposition-talks-in-doha'],
        toThird: ['daraa-protests', 'geneva-action-group-meeting', 'damascus-fighting'],
        firstDayOfSpan: ['damascus-fighting'],
        beforeTheSpan: ['daraa-protests', 'geneva-action-group-meeting'],
        gap: [],
        afterAll: [],
      });
    });

    it('finds an event that started long before `from` and runs into it', () => {
      const long = buildDataset();
      long.events[0] = { ...long.events[0], endDate: '2012-11-04' };
      const store = new EventStore(long);
      expect(slugs(store.all({ from: '2012-11-04', to: '2012-11-04' }))).toEqual([
        'daraa-protests',
        'damascus-fighting',
        'lavrov-meets-elaraby',
      ]);
      expect(slugs(store.all({ from: '2012-11-05' }))).toEqual([
        'damascus-fighting',
        'hama-checkpoint-bombing',
        'idlib-air-strike',
        'lavrov-press-conference',
        'opposition-talks-in-doha',
      ]);
    });

    it('rejects from after to, naming from', () => {
      expect(argumentError(() => store.all({ from: '2012-11-06', to: '2012-11-05' }))).toEqual({
        argument: 'filter.from',
        message: 'filter.from: 2012-11-06 is after filter.to 2012-11-05; from must be on or before to',
      });
    });

    it('rejects a date that is not on the calendar', () => {
      expect([
        argumentError(() => store.all({ from: '2012-02-30' })),
        argumentError(() => store.query({ to: '5 November' })),
      ]).toEqual([
        { argument: 'filter.from', message: 'filter.from: must be a date YYYY-MM-DD, got "2012-02-30"' },
        { argument: 'filter.to', message: 'filter.to: must be a date YYYY-MM-DD, got "5 November"' },
      ]);
    });
  });

  it('matches any of the categories', () => {
    expect({
      one: matching({ categories: ['DIPLOMACY'] }),
      two: matching({ categories: ['DIPLOMACY', 'BOMBING'] }),
    }).toEqual({
      one: ['geneva-action-group-meeting', 'lavrov-meets-elaraby'],
      two: ['geneva-action-group-meeting', 'lavrov-meets-elaraby', 'hama-checkpoint-bombing'],
    });
  });

  it('matches events at any of the places or at places inside them, main or not', () => {
    expect({
      country: matching({ places: ['syria'] }),
      city: matching({ places: ['damascus'] }),
      otherPlace: matching({ places: ['yarmouk-camp'] }),
      two: matching({ places: ['cairo', 'doha'] }),
      overlapping: matching({ places: ['egypt', 'cairo'] }),
      four: matching({ places: ['switzerland', 'daraa', 'qatar', 'idlib-province'] }),
    }).toEqual({
      country: ['daraa-protests', 'damascus-fighting', 'hama-checkpoint-bombing', 'idlib-air-strike'],
      city: ['damascus-fighting'],
      otherPlace: ['damascus-fighting'],
      two: ['lavrov-meets-elaraby', 'lavrov-press-conference', 'opposition-talks-in-doha'],
      overlapping: ['lavrov-meets-elaraby', 'lavrov-press-conference'],
      four: ['daraa-protests', 'geneva-action-group-meeting', 'idlib-air-strike', 'opposition-talks-in-doha'],
    });
  });

  it('matches events with any of the actors, as participant or as quoted speaker', () => {
    expect({
      participant: matching({ actors: ['sergei-lavrov'] }),
      speakerToo: matching({ actors: ['nabil-elaraby'] }),
      two: matching({ actors: ['free-syrian-army', 'syrian-national-council'] }),
      notInAny: matching({ actors: ['bashar-al-assad'] }),
    }).toEqual({
      participant: ['geneva-action-group-meeting', 'lavrov-meets-elaraby', 'lavrov-press-conference'],
      speakerToo: ['lavrov-meets-elaraby', 'lavrov-press-conference'],
      two: ['damascus-fighting', 'opposition-talks-in-doha'],
      notInAny: [],
    });
  });

  it('matches events reported by any of the sources, in attributions, casualty reports or quotes', () => {
    expect({
      casualties: matching({ sources: ['sohr'] }),
      quotes: matching({ sources: ['reuters'] }),
      two: matching({ sources: ['sana', 'reuters'] }),
    }).toEqual({
      casualties: ['damascus-fighting', 'hama-checkpoint-bombing', 'idlib-air-strike'],
      quotes: ['daraa-protests', 'geneva-action-group-meeting', 'lavrov-press-conference'],
      two: ['daraa-protests', 'geneva-action-group-meeting', 'hama-checkpoint-bombing', 'lavrov-press-conference'],
    });
  });

  describe('search', () => {
    it('ignores case and accents, either way round', () => {
      expect({
        plain: matching({ search: 'tadamon' }),
        accented: matching({ search: 'TADAMÓN' }),
        decomposed: matching({ search: 'Tadamo\u0301n' }),
        quote: matching({ search: 'communique' }),
      }).toEqual({
        plain: ['damascus-fighting', 'opposition-talks-in-doha'],
        accented: ['damascus-fighting', 'opposition-talks-in-doha'],
        decomposed: ['damascus-fighting', 'opposition-talks-in-doha'],
        quote: ['lavrov-press-conference'],
      });
    });

    it('matches words by prefix, not inside words', () => {
      expect({
        prefix: matching({ search: 'lav' }),
        whole: matching({ search: 'lavrov' }),
        inside: matching({ search: 'avrov' }),
        bomb: matching({ search: 'bomb' }),
      }).toEqual({
        prefix: ['geneva-action-group-meeting', 'lavrov-meets-elaraby', 'lavrov-press-conference'],
        whole: ['geneva-action-group-meeting', 'lavrov-meets-elaraby', 'lavrov-press-conference'],
        inside: [],
        bomb: ['hama-checkpoint-bombing'],
      });
    });

    it('needs every word to match', () => {
      expect({
        both: matching({ search: 'Lavrov Cairo' }),
        punctuated: matching({ search: 'lavrov, "dictate"!' }),
        oneMissing: matching({ search: 'lavrov doha' }),
        repeated: matching({ search: 'doha doha' }),
      }).toEqual({
        both: ['lavrov-meets-elaraby', 'lavrov-press-conference'],
        punctuated: ['lavrov-press-conference'],
        oneMissing: [],
        repeated: ['opposition-talks-in-doha'],
      });
    });

    it('searches title, summary, quotes, the names of the places and those around them, and actors', () => {
      expect({
        title: matching({ search: 'protesters' }),
        summary: matching({ search: 'Maarat' }),
        quote: matching({ search: 'dictate' }),
        place: matching({ search: 'yarmouk' }),
        enclosingPlace: matching({ search: 'egypt' }),
        participant: matching({ search: 'free syrian army' }),
        quotedSpeaker: matching({ search: 'nabil' }),
        sourceNamesAreNot: matching({ search: 'reuters' }),
      }).toEqual({
        title: ['daraa-protests'],
        summary: ['idlib-air-strike'],
        quote: ['lavrov-press-conference'],
        place: ['damascus-fighting'],
        enclosingPlace: ['lavrov-meets-elaraby', 'lavrov-press-conference'],
        participant: ['damascus-fighting'],
        quotedSpeaker: ['lavrov-meets-elaraby', 'lavrov-press-conference'],
        sourceNamesAreNot: [],
      });
    });

    it('matches everything when the text has no words', () => {
      expect([matching({ search: '' }), matching({ search: ' -- ' })]).toEqual([ALL, ALL]);
    });

    it('rejects a search longer than 200 characters', () => {
      expect(matching({ search: 'a'.repeat(200) })).toEqual([]);
      expect(argumentError(() => store.all({ search: 'a'.repeat(201) }))).toEqual({
        argument: 'filter.search',
        message: 'filter.search: is 201 characters long; at most 200 are searched',
      });
    });
  });

  it('applies every field given, together', () => {
    expect({
      placeActorCategory: matching({ places: ['cairo'], actors: ['nabil-elaraby'], categories: ['STATEMENT'] }),
      dateSource: matching({ from: '2012-11-05', sources: ['sohr'] }),
      searchCategoryDate: matching({ search: 'lavrov', categories: ['DIPLOMACY'], to: '2012-11-04' }),
      disjoint: matching({ places: ['egypt'], categories: ['BOMBING'] }),
      everything: matching({
        from: '2012-11-04',
        to: '2012-11-05',
        categories: ['ARMED_CLASH', 'BOMBING'],
        places: ['syria'],
        actors: ['free-syrian-army'],
        sources: ['sohr'],
        search: 'southern',
      }),
    }).toEqual({
      placeActorCategory: ['lavrov-press-conference'],
      dateSource: ['damascus-fighting', 'hama-checkpoint-bombing', 'idlib-air-strike'],
      searchCategoryDate: ['geneva-action-group-meeting', 'lavrov-meets-elaraby'],
      disjoint: [],
      everything: ['damascus-fighting'],
    });
  });

  it('gives the same events from all, count and query', () => {
    const filter: EventFilter = { places: ['syria'], from: '2012-11-01' };
    expect({
      all: matching(filter),
      count: store.count(filter),
      query: store.query(filter).edges.map((e) => e.node.slug),
      totalCount: store.query(filter, undefined, { first: 1 }).totalCount,
    }).toEqual({
      all: ['damascus-fighting', 'hama-checkpoint-bombing', 'idlib-air-strike'],
      count: 3,
      query: ['damascus-fighting', 'hama-checkpoint-bombing', 'idlib-air-strike'],
      totalCount: 3,
    });
  });

  describe('unknown slugs', () => {
    it('names the filter and every unknown slug, not just returning nothing', () => {
      expect([
        argumentError(() => store.all({ places: ['atlantis'] })),
        argumentError(() => store.query({ places: ['cairo', 'atlantis', 'el-dorado'] })),
        argumentError(() => store.count({ actors: ['nobody'] })),
        argumentError(() => store.all({ sources: ['rumour', 'sohr'] })),
        argumentError(() => store.timeline(null, null, { actors: ['cairo'] })),
      ]).toEqual([
        { argument: 'filter.places', message: 'filter.places: unknown place slug "atlantis"; the places query lists them' },
        { argument: 'filter.places', message: 'filter.places: unknown place slugs "atlantis", "el-dorado"; the places query lists them' },
        { argument: 'filter.actors', message: 'filter.actors: unknown actor slug "nobody"; the actors query lists them' },
        { argument: 'filter.sources', message: 'filter.sources: unknown source slug "rumour"; the sources query lists them' },
        { argument: 'filter.actors', message: 'filter.actors: unknown actor slug "cairo"; the actors query lists them' },
      ]);
    });

    it('throws an InvalidArgumentError', () => {
      expect(() => store.all({ places: ['atlantis'] })).toThrow(InvalidArgumentError);
    });
  });
});

describe('EventStore.timeline', () => {
  const days = (timeline: { date: string; events: Event[] }[]) => timeline.map((d) => ({ date: d.date, events: slugs(d.events) }));

  it('groups the matching events by date, ascending, with only days that have events', () => {
    expect(days(store.timeline('2012-11-06', '2012-12-31'))).toEqual([{ date: '2012-11-06', events: ['opposition-talks-in-doha'] }]);
    expect(days(store.timeline('2012-06-01', '2012-11-04', { categories: ['DIPLOMACY'] }))).toEqual([
      { date: '2012-06-30', events: ['geneva-action-group-meeting'] },
      { date: '2012-11-04', events: ['lavrov-meets-elaraby'] },
    ]);
  });

  it('covers every matching event when neither from nor to is given', () => {
    expect(days(store.timeline(null, null, { categories: ['ARMED_CLASH', 'BOMBING', 'AIR_STRIKE', 'STATEMENT'] }))).toEqual([
      { date: '2012-11-03', events: ['damascus-fighting'] },
      { date: '2012-11-05', events: ['hama-checkpoint-bombing', 'idlib-air-strike', 'lavrov-press-conference'] },
    ]);
  });

  it('takes from/to from the filter when not given apart', () => {
    expect(days(store.timeline(undefined, undefined, { from: '2012-11-06', to: '2012-11-06' }))).toEqual([
      { date: '2012-11-06', events: ['opposition-talks-in-doha'] },
    ]);
  });

  it('returns no days when nothing matches', () => {
    expect(store.timeline('2012-07-01', '2012-10-31')).toEqual([]);
  });

  it('covers up to 366 days in one call', () => {
    expect(days(store.timeline('2012-01-01', '2012-12-31', { places: ['egypt'] }))).toEqual([
      { date: '2012-11-04', events: ['lavrov-meets-elaraby'] },
      { date: '2012-11-05', events: ['lavrov-press-conference'] },
    ]);
  });

  it('rejects a wider range, saying to narrow from/to', () => {
    expect([
      argumentError(() => store.timeline('2012-01-01', '2013-01-01')),
      argumentError(() => store.timeline(null, null, { from: '2011-01-01', to: '2012-12-31' })),
      argumentError(() => store.timeline(null, null)),
    ]).toEqual([
      {
        argument: 'from',
        message: 'from: the timeline from 2012-01-01 to 2013-01-01 covers 367 days, more than the 366 one call returns; narrow from/to',
      },
      {
        argument: 'filter.from',
        message: 'filter.from: the timeline from 2011-01-01 to 2012-12-31 covers 731 days, more than the 366 one call returns; narrow from/to',
      },
      {
        argument: 'from',
        message: 'from: the timeline from 2011-03-18 to 2012-11-06 covers 600 days, more than the 366 one call returns; narrow from/to',
      },
    ]);
  });

  it('rejects from after to and bad dates, naming the argument as given', () => {
    expect([
      argumentError(() => store.timeline('2012-11-06', '2012-11-05')),
      argumentError(() => store.timeline('2012-11-06', null, { to: '2012-11-05' })),
      argumentError(() => store.timeline(null, '2012-13-01')),
    ]).toEqual([
      { argument: 'from', message: 'from: 2012-11-06 is after to 2012-11-05; from must be on or before to' },
      { argument: 'from', message: 'from: 2012-11-06 is after filter.to 2012-11-05; from must be on or before to' },
      { argument: 'to', message: 'to: must be a date YYYY-MM-DD, got "2012-13-01"' },
    ]);
  });
});
