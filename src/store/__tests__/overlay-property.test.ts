/**
 * The overlay and compaction against a full rebuild: on random sequences of changes (events created, changed,
 * retracted and restored; places renamed and moved; actors renamed), with compactions started, interleaved with
 * changes and finished at random points, the store answers every query exactly as a store built afresh from the
 * records as they end up.
 */
import fc from 'fast-check';
import type { Actor, Dataset, Event, Place } from '../../data/dataset';
import { EVENT_CATEGORIES } from '../../data/schema';
import { EventStore, type EventFilter } from '../event-store';
import type { PageArgs } from '../pagination';
import { buildDataset } from './fixtures/dataset';

const WORDS = ['truce', 'shelling', 'talks', 'convoy', 'tadamon', 'summit'];
const DATES = ['2011-03-18', '2012-06-30', '2012-11-03', '2012-11-04', '2012-11-05', '2012-11-06', '2012-11-07'];
const NEW_SLUGS = ['new-a', 'new-b', 'new-c', 'new-d'];

/** The records as they are after the changes so far: what a rebuild is built from. */
interface Model {
  events: Map<string, Event>;
  places: Map<string, Place>;
  actors: Map<string, Actor>;
  sources: string[];
}

type Op =
  | { kind: 'event'; slug: number; date: number; span: number; category: number; places: number[]; actors: number[]; words: number[]; retract: boolean }
  | { kind: 'renamePlace'; place: number; word: number }
  | { kind: 'movePlace'; place: number; parent: number }
  | { kind: 'renameActor'; actor: number; word: number }
  | { kind: 'startCompaction' }
  | { kind: 'tick' }
  | { kind: 'finishCompaction' };

const index = fc.nat({ max: 1000 });
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('event' as const),
      slug: index,
      date: index,
      span: fc.nat({ max: 3 }),
      category: index,
      places: fc.array(index, { minLength: 1, maxLength: 3 }),
      actors: fc.array(index, { maxLength: 3 }),
      words: fc.array(index, { maxLength: 2 }),
      retract: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('renamePlace' as const), place: index, word: index }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('movePlace' as const), place: index, parent: index }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('renameActor' as const), actor: index, word: index }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'startCompaction' as const }) },
  { weight: 3, arbitrary: fc.constant({ kind: 'tick' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'finishCompaction' as const }) },
);

const pick = <T>(items: readonly T[], n: number): T => items[n % items.length];

/** The change `op` makes to the model, as a store update (none for compaction steps). */
function change(model: Model, o: Op): Parameters<EventStore['apply']>[0] | null {
  const places = [...model.places.values()];
  const actors = [...model.actors.values()];
  switch (o.kind) {
    case 'event': {
      const slugs = [...model.events.keys(), ...NEW_SLUGS];
      const slug = pick(slugs, o.slug);
      const old = model.events.get(slug);
      const date = pick(DATES, o.date);
      const eventPlaces = [...new Set(o.places.map((n) => pick(places, n).slug))];
      const event: Event = {
        ...(old ?? buildDataset().events[0]),
        slug,
        date,
        endDate: o.span ? `2012-11-${String(7 + o.span).padStart(2, '0')}` : null,
        category: pick(EVENT_CATEGORIES, o.category),
        place: eventPlaces[0],
        places: eventPlaces,
        participants: [...new Set(o.actors.map((n) => pick(actors, n).slug))].map((actor) => ({ actor, role: 'ATTENDEE' as const })),
        title: o.words.map((n) => pick(WORDS, n)).join(' ') || 'Untitled',
        sources: [{ source: pick(model.sources, o.slug) }],
        status: o.retract ? 'RETRACTED' : 'PUBLISHED',
        retraction: o.retract ? { at: '2026-12-02T00:00:00Z', editor: 'test', reason: 'wrong' } : null,
        revision: (old?.revision ?? 0) + 1,
      };
      if (event.endDate !== null && event.endDate < event.date) event.endDate = null;
      model.events.set(slug, event);
      return { events: [event] };
    }
    case 'renamePlace': {
      const place = { ...pick(places, o.place), name: `${pick(WORDS, o.word)} town` };
      model.places.set(place.slug, place);
      return { places: [place] };
    }
    case 'movePlace': {
      // Only places with nothing inside them move, so no other place's ancestry changes.
      const leaves = places.filter((p) => !places.some((q) => q.parent === p.slug));
      const place = pick(leaves, o.place);
      const parent = pick(places.filter((p) => p.slug !== place.slug), o.parent);
      const moved = { ...place, parent: parent.slug, ancestors: [parent.slug, ...parent.ancestors] };
      model.places.set(moved.slug, moved);
      return { places: [moved] };
    }
    case 'renameActor': {
      const actor = { ...pick(actors, o.actor), name: `${pick(WORDS, o.word)} brigade` };
      model.actors.set(actor.slug, actor);
      return { actors: [actor] };
    }
    default:
      return null;
  }
}

function rebuild(model: Model, sources: Dataset['sources']): EventStore {
  const events = [...model.events.values()].sort((a, b) => (a.date < b.date || (a.date === b.date && a.slug < b.slug) ? -1 : 1));
  return new EventStore({ events, places: [...model.places.values()], actors: [...model.actors.values()], sources, version: 'rebuilt' });
}

/** Every filter the comparison asks with: each place, actor, source and category, words, dates, and combinations. */
function filters(model: Model): EventFilter[] {
  const out: EventFilter[] = [{}, { includeRetracted: true }, { from: '2012-11-05' }, { from: '2012-11-04', to: '2012-11-06' }, { to: '2012-06-30' }];
  for (const slug of model.places.keys()) out.push({ places: [slug] });
  for (const slug of model.actors.keys()) out.push({ actors: [slug], includeRetracted: true });
  for (const slug of model.sources) out.push({ sources: [slug] });
  for (const category of EVENT_CATEGORIES) out.push({ categories: [category] });
  for (const word of [...WORDS, 'syr', 'cairo', 'lavrov', 'brig', 'town']) out.push({ search: word }, { search: word, includeRetracted: true });
  out.push({ places: ['syria', 'egypt'], categories: ['DIPLOMACY', 'BOMBING'], from: '2012-11-04' }, { actors: ['sergei-lavrov'], search: 'talks' });
  return out;
}

/** Every page of `filter`'s list, walked three at a time in `direction`, forward then backward. */
function walk(store: EventStore, filter: EventFilter, direction: 'ASC' | 'DESC'): unknown[] {
  const pages: unknown[] = [];
  const order = { field: 'DATE' as const, direction };
  for (const [size, next] of [['first', 'after'], ['last', 'before']] as const) {
    let args: PageArgs = { [size]: 3 };
    for (let n = 0; n < 10; n++) {
      const page = store.query(filter, order, args);
      pages.push({ slugs: page.edges.map((e) => e.node.slug), pageInfo: page.pageInfo, totalCount: page.totalCount });
      const more = size === 'first' ? page.pageInfo.hasNextPage : page.pageInfo.hasPreviousPage;
      if (!more) break;
      args = { [size]: 3, [next]: size === 'first' ? page.pageInfo.endCursor : page.pageInfo.startCursor };
    }
  }
  return pages;
}

/** Filters whose lists are also walked page by page. */
const WALKED: EventFilter[] = [{}, { includeRetracted: true }, { places: ['syria'] }, { search: 'talks', includeRetracted: true }];

/** What `store` answers to the queries the comparison asks (`full`: all of them, else the cheaper ones). */
function answers(store: EventStore, model: Model, full: boolean): unknown {
  const slugs = (events: Event[]) => events.map((e) => e.slug);
  const everyEvent = [...model.events.values()];
  return {
    counts: store.counts,
    events: [...model.events.keys(), 'nothing'].map((slug) => store.event(slug)),
    places: store.placeList({ first: 100 }).edges.map((e) => e.node),
    children: [...model.places.keys()].map((slug) => store.childrenOf(slug).map((p) => p.slug)),
    actors: store.actorList({ first: 100 }).edges.map((e) => e.node),
    lists: filters(model).map((filter) => ({
      all: slugs(store.all(filter)),
      count: store.count(filter),
      matches: everyEvent.filter((e) => store.matches(filter, e)).map((e) => e.slug).sort(),
      ...(full && {
        months: store.eventCounts(filter, 'MONTH'),
        weeks: store.eventCounts(filter, 'WEEK'),
        timeline: store.timeline('2012-11-01', '2012-11-30', filter).map((d) => [d.date, slugs(d.events)]),
      }),
    })),
    pages: WALKED.map((filter) => [walk(store, filter, 'ASC'), full && walk(store, filter, 'DESC')]),
  };
}

describe('EventStore overlay and compaction', () => {
  it('answers every query as a store rebuilt from the same records', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 14 }), async (ops) => {
        const dataset = buildDataset();
        const store = new EventStore(dataset, { compactAt: Infinity, sliceMs: 0 });
        const model: Model = {
          events: new Map(dataset.events.map((e) => [e.slug, e])),
          places: new Map(dataset.places.map((p) => [p.slug, p])),
          actors: new Map(dataset.actors.map((a) => [a.slug, a])),
          sources: dataset.sources.map((s) => s.slug),
        };
        let compaction: Promise<void> | undefined;
        for (const o of ops) {
          const update = change(model, o);
          if (update) store.apply(update);
          else if (o.kind === 'startCompaction') compaction = store.compact();
          else if (o.kind === 'tick') await new Promise((resolve) => setImmediate(resolve));
          else await compaction;
          expect(answers(store, model, false)).toEqual(answers(rebuild(model, dataset.sources), model, false));
        }
        // The first joins a compaction under way, if any; the second folds in what was applied meanwhile.
        await store.compact();
        await store.compact();
        expect(store.overlaySize).toBe(0);
        expect(answers(store, model, true)).toEqual(answers(rebuild(model, dataset.sources), model, true));
      }),
      {
        numRuns: 30,
        examples: [
          // A place renamed while a compaction builds on the old name, with a changed event there in its snapshot.
          [[
            { kind: 'event', slug: 0, date: 0, span: 0, category: 0, places: [0], actors: [], words: [], retract: false },
            { kind: 'startCompaction' },
            { kind: 'renamePlace', place: 0, word: 0 },
            { kind: 'finishCompaction' },
          ]],
        ],
      },
    );
  }, 300_000);
});
