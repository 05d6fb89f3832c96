/** Catalogues (places, actors, sources) paged in slug order. */
import type { KeyedOrder } from './pagination';
import { lowerBoundBy } from './store-base';

const SLUG_KEY = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Orders a catalogue (places, actors or sources) by slug. */
export function slugOrder<T extends { slug: string }>(cursorKind: string, items: T[]): KeyedOrder<T> {
  return {
    cursorKind,
    keyOf: (item) => item.slug,
    isKey: (key) => SLUG_KEY.test(key),
    locate: (key) => {
      const lower = lowerBoundBy(items.length, (i) => items[i].slug < key);
      return { lower, upper: lower < items.length && items[lower].slug === key ? lower + 1 : lower };
    },
    at: (i) => items[i],
  };
}
