/** Dense search words met by a bitmap of their postings give what meeting their postings gives. */
import fc from 'fast-check';
import { buildWideDataset } from '../../test-support/wide-dataset';
import { Catalogue } from '../catalogue';
import { EventStore, type EventFilter } from '../event-store';
import { intersect, toArray, union, type IdSet } from '../id-set';
import { bitsOf, DENSE_EVERY, isDense, keepMarked, PostingBits } from '../posting-bits';
import { buildBase } from '../store-base';
import { runToEnd } from '../steps';
import { ChunkedList } from '../word-table';

const sortedList = (max: number) => fc.uniqueArray(fc.nat({ max }), { maxLength: 80 }).map((xs) => Int32Array.from(xs.sort((a, b) => a - b)));

describe('bitsOf and keepMarked', () => {
  it('keep exactly the positions of a list that are in any of the lists marked, in order', () => {
    fc.assert(
      fc.property(sortedList(200), fc.array(sortedList(200), { maxLength: 6 }), (ids, lists) => {
        const expected = toArray(intersect({ kind: 'list', ids }, union(lists)));
        expect(Array.from(keepMarked(ids, bitsOf(lists, 201)))).toEqual(expected);
      }),
    );
  });

  it('marks positions on both sides of a 32-bit word boundary', () => {
    const bits = bitsOf([Int32Array.of(0, 31, 32, 63, 64)], 65);
    expect(Array.from(keepMarked(Int32Array.of(0, 1, 30, 31, 32, 33, 62, 63, 64), bits))).toEqual([0, 31, 32, 63, 64]);
  });

  it('calls a word dense when its postings take at least as much memory as its bitmap', () => {
    expect(isDense(100, 100 * DENSE_EVERY)).toBe(true);
    expect(isDense(99, 100 * DENSE_EVERY)).toBe(false);
    expect(isDense(0, 0)).toBe(false);
  });
});

describe('PostingBits', () => {
  it('keeps bitmaps within its bound in bytes, the least recently used going first', () => {
    const cache = new PostingBits(3 * 16);
    for (const key of ['a', 'b', 'c']) cache.add(key, new Int32Array(4));
    expect(cache.stats).toEqual({ entries: 3, bytes: 48 });
    expect(cache.get('a')).toBeDefined(); // 'a' is now the most recently used
    cache.add('d', new Int32Array(4));
    expect(cache.stats).toEqual({ entries: 3, bytes: 48 });
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    cache.add('huge', new Int32Array(100)); // bigger than the whole bound: not kept, nothing dropped
    expect(cache.stats).toEqual({ entries: 3, bytes: 48 });
  });
});

describe('a search of dense words', () => {
  // Every title has "shelling", "clashes" and "near"; "deep" is in a third, "province" in two thirds; a number is a
  // prefix of many numbers ("1" starts 1, 10-19, 100-199...), each with its own postings.
  const dataset = buildWideDataset({ events: 2000 });
  const base = () => runToEnd(buildBase(ChunkedList.of(dataset.events), Catalogue.of(dataset)));
  const searches = ['shelling clashes', 'deep 3', 'province 12', 'near 1', '1 deep', 'province shelling near 7', 'clashes nothing-like-this'];

  it('meets them by bitmaps, and matches what meeting each word alone gives', () => {
    const b = base();
    const positions = (set: IdSet) => toArray(set);
    for (const search of searches) {
      const words = search.split(' ');
      let expected = positions(b.match({ search: words[0] }));
      for (const word of words.slice(1)) {
        const alone = new Set(positions(b.match({ search: word })));
        expected = expected.filter((p) => alone.has(p));
      }
      if (!search.includes('nothing')) expect(expected.length).toBeGreaterThan(0);
      expect({ search, found: positions(b.match({ search })) }).toEqual({ search, found: expected });
    }
    // Without bitmaps, none would be kept.
    expect(b.wordBitsStats.entries).toBeGreaterThan(0);
  });

  it('meets them with other filters (a date window, several categories) as without bitmaps', () => {
    const b = base();
    const filters: EventFilter[] = [
      { search: 'shelling near', from: '2012-02-01', to: '2012-03-15' },
      { search: 'province 1', categories: ['ARMED_CLASH', 'BOMBING', 'AIR_STRIKE'] },
      { search: 'deep clashes', places: ['country-1'], categories: ['ARMED_CLASH', 'BOMBING', 'AIR_STRIKE', 'POLITICAL'] },
    ];
    for (const filter of filters) {
      const { search, ...others } = filter;
      const words = search!.split(' ');
      let expected = toArray(b.match(others));
      for (const word of words) {
        const alone = new Set(toArray(b.match({ search: word })));
        expected = expected.filter((p) => alone.has(p));
      }
      expect(expected.length).toBeGreaterThan(0);
      expect({ filter, found: toArray(b.match(filter)) }).toEqual({ filter, found: expected });
    }
    expect(b.wordBitsStats.entries).toBeGreaterThan(0);
  });

  it('gives the store the same counts and pages as the events that have every word', () => {
    const store = new EventStore(dataset);
    for (const search of ['shelling near', 'clashes deep', 'near province']) {
      const words = search.split(' ');
      const titles = dataset.events.filter((e) => words.every((w) => e.title.toLowerCase().split(/[^a-z0-9]+/).some((t) => t.startsWith(w))));
      expect(store.count({ search })).toBe(titles.length);
      expect(store.all({ search }).map((e) => e.slug)).toEqual(titles.map((e) => e.slug));
    }
  });
});
