/**
 * Sets of event positions (indexes into the (date, slug)-ordered event list), kept sorted so that
 * filters combine by merging and a keyset cursor is found by binary search.
 */

/** A sorted set of positions: either a contiguous range or an explicit list. */
export type IdSet = { kind: 'range'; lo: number; hi: number } | { kind: 'list'; ids: Int32Array };

/** The contiguous positions `lo` (included) to `hi` (excluded). */
export const range = (lo: number, hi: number): IdSet => ({ kind: 'range', lo, hi: Math.max(lo, hi) });

/** Number of positions in the set. */
export function sizeOf(set: IdSet): number {
  return set.kind === 'range' ? set.hi - set.lo : set.ids.length;
}

/** The `k`-th smallest position. */
export function nth(set: IdSet, k: number): number {
  return set.kind === 'range' ? set.lo + k : set.ids[k];
}

/** How many positions in the set are below `position`. */
export function rank(set: IdSet, position: number): number {
  if (set.kind === 'range') return Math.min(Math.max(position - set.lo, 0), set.hi - set.lo);
  return lowerBound(set.ids, position);
}

/** First index in sorted `ids` whose value is >= `value`. */
export function lowerBound(ids: ArrayLike<number>, value: number, from = 0, to = ids.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Positions in both sets. */
export function intersect(a: IdSet, b: IdSet): IdSet {
  if (a.kind === 'range' && b.kind === 'range') return range(Math.max(a.lo, b.lo), Math.min(a.hi, b.hi));
  if (a.kind === 'range' || b.kind === 'range') {
    const r = (a.kind === 'range' ? a : b) as { lo: number; hi: number };
    const { ids } = (a.kind === 'list' ? a : b) as { ids: Int32Array };
    return { kind: 'list', ids: ids.subarray(lowerBound(ids, r.lo), lowerBound(ids, r.hi)) };
  }
  const [small, large] = a.ids.length <= b.ids.length ? [a.ids, b.ids] : [b.ids, a.ids];
  const out = new Int32Array(small.length);
  let n = 0;
  let j = 0;
  for (let i = 0; i < small.length && j < large.length; i++) {
    const v = small[i];
    // Galloping keeps a small set against a large one near O(small * log large).
    if (large[j] < v) {
      let step = 1;
      while (j + step < large.length && large[j + step] < v) step *= 2;
      j = lowerBound(large, v, j + (step >> 1), Math.min(j + step + 1, large.length));
    }
    if (j < large.length && large[j] === v) out[n++] = v;
  }
  return { kind: 'list', ids: out.subarray(0, n) };
}

/** Merges two sorted lists into one sorted list without repeats, in linear time. */
function mergeTwo(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x < y) (out[n++] = x), i++;
    else if (y < x) (out[n++] = y), j++;
    else (out[n++] = x), i++, j++;
  }
  while (i < a.length) out[n++] = a[i++];
  while (j < b.length) out[n++] = b[j++];
  return out.subarray(0, n);
}

/** Positions in any of the lists. */
export function union(lists: Int32Array[]): IdSet {
  if (lists.length === 1) return { kind: 'list', ids: lists[0] };
  if (lists.length <= 8) {
    // A few lists (filter values): merge them, smallest first, in linear time rather than sorting.
    const queue = [...lists].sort((a, b) => a.length - b.length);
    let merged = queue[0] ?? new Int32Array(0);
    for (let k = 1; k < queue.length; k++) merged = mergeTwo(merged, queue[k]);
    return { kind: 'list', ids: merged };
  }
  const merged = new Int32Array(lists.reduce((n, l) => n + l.length, 0));
  let n = 0;
  for (const l of lists) merged.set(l, (n += l.length) - l.length);
  merged.sort();
  let w = 0;
  for (let i = 0; i < merged.length; i++) if (i === 0 || merged[i] !== merged[i - 1]) merged[w++] = merged[i];
  return { kind: 'list', ids: merged.subarray(0, w) };
}

/** The positions of a set as an array, for small sets. */
export function toArray(set: IdSet): number[] {
  const out: number[] = [];
  for (let k = 0; k < sizeOf(set); k++) out.push(nth(set, k));
  return out;
}
