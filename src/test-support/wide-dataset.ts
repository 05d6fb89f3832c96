/**
 * A generated data set for tests of work that grows with the data: a country with hundreds of provinces (wide), a
 * chain of places nested deep, and events spread over them with participants, quotes and related events. Built in
 * memory in the loader's shape, so tests need no files.
 */
import type { Actor, Dataset, Event, Place, Source } from '../data/dataset';
import { addDays } from '../data/dates';
import { EVENT_CATEGORIES } from '../data/schema';

/** How big to make it. */
export interface WideDatasetOptions {
  /** Provinces directly inside `country-0`. */
  width?: number;
  /** Places nested one inside the other under `country-1`. */
  depth?: number;
  events?: number;
}

/** The data set; `country-0` has `width` children, `deep-<depth>` lies `depth` places down from `country-1`. */
/** What every loaded record carries before any change (see `data/dataset.ts`). */
const META = { revision: 1, updatedAt: null };

export function buildWideDataset({ width = 300, depth = 10, events = 2000 }: WideDatasetOptions = {}): Dataset {
  const zone = 'Asia/Damascus';
  const places: Place[] = [
    { slug: 'country-0', name: 'Country Zero', kind: 'COUNTRY', parent: null, ancestors: [], timeZone: zone, ...META },
    { slug: 'country-1', name: 'Country One', kind: 'COUNTRY', parent: null, ancestors: [], timeZone: zone, ...META },
  ];
  for (let i = 0; i < width; i++) places.push({ slug: `province-${i}`, name: `Province ${i}`, kind: 'PROVINCE', parent: 'country-0', ancestors: ['country-0'], timeZone: zone, ...META });
  let chain = ['country-1'];
  for (let d = 1; d <= depth; d++) {
    places.push({ slug: `deep-${d}`, name: `Deep ${d}`, kind: 'CITY', parent: chain[0], ancestors: [...chain], timeZone: zone, ...META });
    chain = [`deep-${d}`, ...chain];
  }
  const actors: Actor[] = Array.from({ length: 20 }, (_, i) => ({ slug: `actor-${i}`, name: `Actor ${i}`, kind: 'ARMED_GROUP', ...META }));
  const sources: Source[] = [{ slug: 'wire', name: 'Wire service', kind: 'NEWS_AGENCY', ...META }];
  const list: Event[] = [];
  for (let i = 0; i < events; i++) {
    const place = i % 3 === 0 ? `deep-${1 + (i % depth)}` : `province-${i % width}`;
    const date = addDays('2012-01-01', Math.floor(i / 10));
    list.push({
      slug: `event-${String(i).padStart(6, '0')}`,
      title: `Shelling and clashes near ${place} number ${i}`,
      summary: 'Artillery and airstrikes across a wide area, as a generated test event.',
      category: EVENT_CATEGORIES[i % EVENT_CATEGORIES.length],
      date,
      endDate: null,
      underWay: false,
      ...META,
      status: 'PUBLISHED',
      retraction: null,
      precision: 'DAY',
      displayDate: date,
      timeZone: zone,
      place,
      places: [place],
      participants: [0, 1, 2, 3].map((k) => ({ actor: `actor-${(i + k) % actors.length}`, role: 'ATTACKER' as const })),
      casualties: [],
      sources: [{ source: 'wire' }],
      quotes: [{ speaker: `actor-${i % actors.length}`, text: 'A generated quote about the shelling.' }],
      related: i > 0 ? [list[i - 1].slug] : [],
    });
  }
  list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.slug < b.slug ? -1 : 1));
  return { events: list, places, actors, sources, version: `wide-${width}-${depth}-${events}` };
}
