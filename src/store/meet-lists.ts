/**
 * A small set met with the union of many posting lists, without building the union: what a search word that is a
 * short prefix (one list per word it starts, e.g. every number starting with "5") costs when another filter already
 * narrowed the events to a few.
 */
import { lowerBound, toPlain, type IdSet, type PlainSet } from './id-set';

/** Sorted, without repeats. */
function sortedUnique(values: number[]): Int32Array {
  const ids = Int32Array.from(values).sort();
  let n = 0;
  for (let i = 0; i < ids.length; i++) if (n === 0 || ids[i] !== ids[n - 1]) ids[n++] = ids[i];
  return ids.subarray(0, n);
}

/**
 * The positions of `set` that are in any of `lists` (each sorted). Costs, per list, a binary search per position of
 * the shorter of the two (or two binary searches against a range): about the size of `set` times the number of lists
 * at most, and never more than the lists' postings, with one allocation for the result.
 */
export function meetAny(set: IdSet, lists: readonly Int32Array[]): PlainSet {
  const plain = toPlain(set);
  const hits: number[] = [];
  if (plain.kind === 'range') {
    for (const l of lists) for (let i = lowerBound(l, plain.lo), end = lowerBound(l, plain.hi); i < end; i++) hits.push(l[i]);
    return { kind: 'list', ids: sortedUnique(hits) };
  }
  const ids = plain.ids;
  for (const l of lists) {
    if (l.length <= ids.length) {
      for (let i = 0; i < l.length; i++) {
        const at = lowerBound(ids, l[i]);
        if (at < ids.length && ids[at] === l[i]) hits.push(l[i]);
      }
    } else {
      for (let i = 0; i < ids.length; i++) {
        const at = lowerBound(l, ids[i]);
        if (at < l.length && l[at] === ids[i]) hits.push(ids[i]);
      }
    }
  }
  return { kind: 'list', ids: sortedUnique(hits) };
}
