/**
 * Request bodies for the varied-variables benchmark: the four operations of `npm run bench`, each sent with
 * variables that differ on every request (random date windows over the data's span, cursors taken from earlier
 * pages, search words from a list, event IDs), so that nothing keyed on (document, variables) can repeat.
 * The same data and seed always give the same bodies.
 */
import type { Dataset } from '../data/dataset';
import { addDays, toDayNumber } from '../data/dates';
import { globalId } from '../schema/node/global-id';
import { encodeCursor } from '../store/pagination';
import { seededRandom } from './seeded-random';
import { throughputOperations, type BenchOperation } from './operations';

/** One operation with its distinct request bodies, serialized. */
export interface VariedOperation {
  name: string;
  description: string;
  bodies: string[];
}

/** Distinct variable sets for one operation's document; at most `n`, fewer when the data cannot make that many. */
type VariablesMaker = (dataset: Dataset, rnd: () => number, n: number) => Record<string, unknown>[];

const CATEGORY_SETS = [['ARMED_CLASH', 'BOMBING', 'AIR_STRIKE'], ['DIPLOMACY', 'STATEMENT'], ['POLITICAL'], ['BOMBING']];

function span(dataset: Dataset): { first: number; last: number } {
  const { events } = dataset;
  return { first: toDayNumber(events[0].date), last: toDayNumber(events[events.length - 1].endDate ?? events[events.length - 1].date) };
}

/** Random windows of 1 to `maxDays` days inside the data's span, each window once. */
function windows(dataset: Dataset, rnd: () => number, n: number, maxDays: number): { from: string; to: string }[] {
  const { first, last } = span(dataset);
  const start = dataset.events[0].date;
  const seen = new Set<string>();
  const out: { from: string; to: string }[] = [];
  for (let tries = 0; out.length < n && tries < n * 20; tries++) {
    const length = 1 + Math.floor(rnd() * maxDays);
    const offset = Math.floor(rnd() * Math.max(1, last - first - length + 2));
    const from = addDays(start, offset);
    const to = addDays(from, length - 1);
    if (seen.has(from + to)) continue;
    seen.add(from + to);
    out.push({ from, to });
  }
  return out;
}

const MAKERS: Record<string, VariablesMaker> = {
  timeline: (dataset, rnd, n) => windows(dataset, rnd, n, 3),
  'filtered-page': (dataset, rnd, n) => {
    // Half the requests are first pages of random windows, half are later pages reached through the endCursor
    // of an earlier page (a cursor is `date|slug` of the event before, which is what the server issues).
    const countries = dataset.places.filter((p) => p.parent === null).map((p) => p.slug);
    return windows(dataset, rnd, n, 120).map(({ from, to }, i) => {
      const filter = { places: [countries[i % countries.length]], categories: CATEGORY_SETS[i % CATEGORY_SETS.length], from, to };
      if (i % 2 === 0) return { filter, first: 20 };
      const anchor = dataset.events[Math.floor(rnd() * dataset.events.length)];
      return { filter: { ...filter, from: anchor.date > from ? from : anchor.date }, first: 20, after: encodeCursor('event.date', `${anchor.date}|${anchor.slug}`) };
    });
  },
  node: (dataset, rnd, n) => {
    const picks = new Set<number>();
    const want = Math.min(n, dataset.events.length);
    while (picks.size < want) picks.add(Math.floor(rnd() * dataset.events.length));
    return [...picks].map((i) => ({ id: globalId('Event', dataset.events[i].slug) }));
  },
  search: (dataset, rnd, n) => {
    // Words that occur in titles, one or two at a time.
    const words = [...new Set(dataset.events.slice(0, 5000).flatMap((e) => e.title.toLowerCase().split(/[^a-z]+/)).filter((w) => w.length > 3))];
    const seen = new Set<string>();
    const out: Record<string, unknown>[] = [];
    for (let tries = 0; out.length < n && tries < n * 20; tries++) {
      const text = rnd() < 0.5 ? words[Math.floor(rnd() * words.length)] : `${words[Math.floor(rnd() * words.length)]} ${words[Math.floor(rnd() * words.length)]}`;
      if (seen.has(text)) continue;
      seen.add(text);
      out.push({ text });
    }
    return out;
  },
};

/** Up to `n` distinct bodies for each operation of {@link throughputOperations}, with variables drawn from `dataset`. */
export function variedOperations(dataset: Dataset, n: number, seed = 7): VariedOperation[] {
  const rnd = seededRandom(seed);
  return throughputOperations().map((op: BenchOperation) => {
    const variables = MAKERS[op.name](dataset, rnd, n);
    return {
      name: op.name,
      description: `${op.description}, every request with other variables`,
      bodies: [...new Set(variables.map((v) => JSON.stringify({ query: op.body.query, variables: v })))],
    };
  });
}
