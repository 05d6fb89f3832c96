import { disjointUnion, intersect, mergedInPairs, nth, range, rank, sizeOf, slice, toArray, union, type IdSet, type MergeScratch, type PlainSet } from '../id-set';
import { PostingLists } from '../posting-lists';
import { SetCache } from '../set-cache';

/** A small seeded generator, so every run checks the same sets. */
function random(seed: number): () => number {
  let a = seed;
  return () => ((a = (Math.imul(a, 1103515245) + 12345) & 0x7fffffff) / 0x7fffffff);
}

const list = (ids: number[]): PlainSet => ({ kind: 'list', ids: Int32Array.from(ids) });

/** Splits 0..n-1 at random into `k` lists that share no position, as the category lists are. */
function disjointLists(n: number, k: number, rnd: () => number): number[][] {
  const out: number[][] = Array.from({ length: k }, () => []);
  for (let p = 0; p < n; p++) if (rnd() < 0.7) out[Math.floor(rnd() * k)].push(p);
  return out;
}

const plainArray = (lists: number[][]) => [...new Set(lists.flat())].sort((a, b) => a - b);

describe('a disjoint union', () => {
  const rnd = random(7);
  const cases = Array.from({ length: 20 }, (_, i) => disjointLists(50 + i * 13, 2 + (i % 4), rnd));

  it.each(cases.map((lists, i) => [i, lists]))('case %i counts, ranks, picks and slices as the merged list does', (_i, lists) => {
    const set = disjointUnion(lists.map(list));
    const merged = plainArray(lists);
    expect(sizeOf(set)).toBe(merged.length);
    expect(toArray(set)).toEqual(merged);
    for (let k = 0; k < merged.length; k++) expect(nth(set, k)).toBe(merged[k]);
    const top = merged[merged.length - 1] ?? 0;
    for (let p = -1; p <= top + 2; p++) expect(rank(set, p)).toBe(merged.filter((v) => v < p).length);
    for (const [from, to] of [[0, 5], [3, 9], [merged.length - 4, merged.length + 3], [-2, 2], [7, 7]]) {
      expect(Array.from(slice(set, from, to))).toEqual(merged.slice(Math.max(0, from), Math.max(0, to)));
    }
  });

  it('mixes a range and a list, as an early event and the days after a from date', () => {
    const set = disjointUnion([list([1, 4]), range(6, 10)]);
    expect(toArray(set)).toEqual([1, 4, 6, 7, 8, 9]);
    expect(toArray(intersect(set, range(3, 8)))).toEqual([4, 6, 7]);
  });

  it('meets ranges, lists and other disjoint unions as the merged lists do', () => {
    for (const lists of cases.slice(0, 10)) {
      const set = disjointUnion(lists.map(list));
      const merged = plainArray(lists);
      const others: [IdSet, number[]][] = [
        [range(10, 40), Array.from({ length: 30 }, (_, i) => 10 + i)],
        [list(merged.filter((v) => v % 3 === 0)), merged.filter((v) => v % 3 === 0)],
        [list([0, 2, 5, 11, 400]), [0, 2, 5, 11, 400]],
      ];
      const second = disjointLists(120, 3, rnd);
      others.push([disjointUnion(second.map(list)), plainArray(second)]);
      for (const [other, values] of others) {
        const expected = merged.filter((v) => values.includes(v));
        expect(toArray(intersect(set, other))).toEqual(expected);
        expect(toArray(intersect(other, set))).toEqual(expected);
      }
    }
  });

  it('drops empty parts, and is a plain set when one part is left', () => {
    expect(disjointUnion([list([]), list([3, 5])])).toEqual(list([3, 5]));
    expect(sizeOf(disjointUnion([list([]), range(4, 4)]))).toBe(0);
  });
});

describe('union', () => {
  it('merges overlapping lists into one sorted list without repeats, few or many', () => {
    const rnd = random(3);
    // Values up to 100 make many lists dense (marked in a table), up to 100,000 sparse (merged in pairs).
    for (const spread of [100, 100_000]) {
      for (const k of [0, 1, 2, 5, 12, 40]) {
        const lists = Array.from({ length: k }, () => [...new Set(Array.from({ length: 30 }, () => Math.floor(rnd() * spread)))].sort((a, b) => a - b));
        expect(toArray(union(lists.map((l) => Int32Array.from(l))))).toEqual(plainArray(lists));
      }
    }
  });
});

describe('mergedInPairs', () => {
  it('merges in two buffers kept across calls, growing them only when a union needs more, with the same answers', () => {
    const rnd = random(11);
    const scratch: MergeScratch = {};
    let grown = 0;
    let last: Int32Array | undefined;
    for (let round = 0; round < 200; round++) {
      const k = 1 + Math.floor(rnd() * 9);
      const length = Math.floor(rnd() * 40);
      const lists = Array.from({ length: k }, () => [...new Set(Array.from({ length }, () => Math.floor(rnd() * 500)))].sort((a, b) => a - b));
      const before = scratch.from;
      const merged = mergedInPairs(lists.map((l) => Int32Array.from(l)), scratch);
      if (scratch.from !== before) grown++;
      expect([...merged]).toEqual(plainArray(lists));
      // An answer is a view of the scratch buffers (for two lists or more), read before the next call.
      if (k > 1) expect(merged.buffer === scratch.from!.buffer || merged.buffer === scratch.to!.buffer).toBe(true);
      last = merged;
    }
    expect(last).toBeDefined();
    // The buffers grow to the largest union's total, so a build of thousands of unions makes a handful of them.
    expect(grown).toBeLessThan(12);
  });
});

describe('PostingLists', () => {
  it('keeps each key\'s positions in order, once each', () => {
    const lists = new PostingLists();
    const expected = new Map<string, number[]>();
    const rnd = random(11);
    for (let p = 0; p < 500; p++) {
      for (let j = 0; j < 4; j++) {
        const key = `k${Math.floor(rnd() * 9)}`;
        lists.add(key, p);
        const seen = expected.get(key) ?? [];
        if (seen[seen.length - 1] !== p) seen.push(p);
        expected.set(key, seen);
      }
    }
    const map = lists.toMap();
    expect([...map.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [key, positions] of expected) expect(Array.from(map.get(key)!)).toEqual(positions);
    expect(lists.get('missing').length).toBe(0);
  });

  it('lays out lists past a million filings, skipping positions filed under nothing', () => {
    const lists = new PostingLists();
    const [a, b] = [lists.listOf('a'), lists.listOf('b')];
    lists.listOf('never');
    const expected = { a: [] as number[], b: [] as number[] };
    for (let p = 0; p < 1_200_000; p++) {
      if (p % 3 !== 0) (lists.addTo(a, p), expected.a.push(p));
      if (p % 5 === 0) (lists.addTo(b, p), lists.addTo(b, p), expected.b.push(p));
    }
    const map = lists.toMap();
    // Compared as bytes: jest walks arrays of a million numbers slowly.
    const bytes = (ids: ArrayLike<number>) => Buffer.from(Int32Array.from(ids).buffer).toString('base64');
    expect([...map.keys()]).toEqual(['a', 'b', 'never']);
    expect(bytes(map.get('a')!)).toEqual(bytes(expected.a));
    expect(bytes(map.get('b')!)).toEqual(bytes(expected.b));
    expect(map.get('never')!.length).toBe(0);
  });
});

describe('SetCache', () => {
  const ids = (n: number, from = 0): IdSet => list(Array.from({ length: n }, (_, i) => from + i));

  it('returns the set it made the first time, without making it again', () => {
    const cache = new SetCache(4, 1000);
    let made = 0;
    const make = () => (made++, ids(5));
    const first = cache.getOrMake('a', make);
    expect(cache.getOrMake('a', make)).toBe(first);
    expect(made).toBe(1);
  });

  it('never holds more sets than its bound, dropping the least recently used first', () => {
    const cache = new SetCache(3, 1000);
    for (const key of ['a', 'b', 'c']) cache.getOrMake(key, () => ids(2));
    cache.getOrMake('a', () => ids(2)); // a is now the most recent; b the least
    cache.getOrMake('d', () => ids(2));
    expect(cache.stats).toEqual({ entries: 3, positions: 6 });
    let remade = '';
    for (const key of ['a', 'c', 'd', 'b']) cache.getOrMake(key, () => ((remade += key), ids(2)));
    expect(remade).toBe('b');
    for (let k = 0; k < 50; k++) cache.getOrMake(`x${k}`, () => ids(1));
    expect(cache.stats.entries).toBe(3);
  });

  it('never holds more positions than its bound, and does not keep a set larger than the bound', () => {
    const cache = new SetCache(100, 10);
    cache.getOrMake('a', () => ids(4));
    cache.getOrMake('b', () => ids(4));
    cache.getOrMake('c', () => ids(4));
    expect(cache.stats).toEqual({ entries: 2, positions: 8 });
    const big = cache.getOrMake('big', () => ids(11));
    expect(sizeOf(big)).toBe(11);
    expect(cache.stats).toEqual({ entries: 2, positions: 8 });
  });
});
