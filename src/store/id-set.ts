/**
 * Sets of event positions (indexes into the (date, slug)-ordered event list), kept sorted so that
 * filters combine by merging and a keyset cursor is found by binary search.
 */

/** A plain set: a contiguous range or an explicit sorted list. */
export type PlainSet = { kind: 'range'; lo: number; hi: number } | { kind: 'list'; ids: Int32Array };

/**
 * A sorted set of positions: a contiguous range, an explicit list, or the union of plain sets that share no
 * position (kept apart, e.g. the lists of several categories, since an event has one category): counting,
 * ranking and paging such a union cost a binary search per part, not a walk over its members.
 */
export type IdSet = PlainSet | { kind: 'disjoint'; parts: PlainSet[]; size: number };

/** The contiguous positions `lo` (included) to `hi` (excluded). */
export const range = (lo: number, hi: number): IdSet & PlainSet => ({ kind: 'range', lo, hi: Math.max(lo, hi) });

const list = (ids: Int32Array): PlainSet => ({ kind: 'list', ids });

/** The union of plain sets that share no position; empty parts are dropped. */
export function disjointUnion(parts: PlainSet[]): IdSet {
  const kept = parts.filter((p) => sizeOf(p) > 0);
  if (kept.length === 0) return list(new Int32Array(0));
  if (kept.length === 1) return kept[0];
  return { kind: 'disjoint', parts: kept, size: kept.reduce((n, p) => n + sizeOf(p), 0) };
}

/** Number of positions in the set. */
export function sizeOf(set: IdSet): number {
  return set.kind === 'range' ? set.hi - set.lo : set.kind === 'list' ? set.ids.length : set.size;
}

/** How many positions in the set are below `position`. */
export function rank(set: IdSet, position: number): number {
  if (set.kind === 'range') return Math.min(Math.max(position - set.lo, 0), set.hi - set.lo);
  if (set.kind === 'list') return lowerBound(set.ids, position);
  let n = 0;
  for (const part of set.parts) n += rank(part, position);
  return n;
}

/** The `k`-th smallest position (0 <= k < size). */
export function nth(set: IdSet, k: number): number {
  if (set.kind === 'range') return set.lo + k;
  if (set.kind === 'list') return set.ids[k];
  // The smallest position p with k + 1 members at or below it: a binary search over positions.
  let lo = Infinity;
  let hi = -Infinity;
  for (const part of set.parts) {
    lo = Math.min(lo, nth(part, 0));
    hi = Math.max(hi, nth(part, sizeOf(part) - 1));
  }
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (rank(set, mid + 1) > k) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The positions of ranks `from` (included) to `to` (excluded), ascending; costs O(log n) plus the positions returned. */
export function slice(set: IdSet, from: number, to: number): Int32Array {
  from = Math.max(0, from);
  to = Math.min(sizeOf(set), to);
  const out = new Int32Array(Math.max(0, to - from));
  if (!out.length) return out;
  if (set.kind === 'range') {
    for (let k = 0; k < out.length; k++) out[k] = set.lo + from + k;
    return out;
  }
  if (set.kind === 'list') return set.ids.slice(from, to);
  // Merge the parts from the first position wanted on.
  const start = nth(set, from);
  const parts = set.parts;
  const next = parts.map((p) => rank(p, start));
  const sizes = parts.map(sizeOf);
  for (let k = 0; k < out.length; k++) {
    let best = -1;
    let value = 0;
    for (let i = 0; i < parts.length; i++) {
      if (next[i] >= sizes[i]) continue;
      const v = nth(parts[i], next[i]);
      if (best < 0 || v < value) (best = i), (value = v);
    }
    out[k] = value;
    next[best]++;
  }
  return out;
}

/** The set as one plain set (a list, unless it already is plain). */
export function toPlain(set: IdSet): PlainSet {
  return set.kind === 'disjoint' ? list(slice(set, 0, set.size)) : set;
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
  if (a.kind === 'disjoint' && b.kind === 'disjoint') {
    if (a.size <= b.size) a = toPlain(a);
    else b = toPlain(b);
  }
  if (a.kind === 'disjoint' || b.kind === 'disjoint') {
    // Each part meets the other set on its own; the results still share no position.
    const [d, other] = (a.kind === 'disjoint' ? [a, b] : [b, a]) as [{ parts: PlainSet[] }, PlainSet];
    return disjointUnion(d.parts.map((p) => intersectPlain(p, other)));
  }
  return intersectPlain(a, b);
}

function intersectPlain(a: PlainSet, b: PlainSet): PlainSet {
  if (a.kind === 'range' && b.kind === 'range') return range(Math.max(a.lo, b.lo), Math.min(a.hi, b.hi));
  if (a.kind === 'range' || b.kind === 'range') {
    const r = (a.kind === 'range' ? a : b) as { lo: number; hi: number };
    const { ids } = (a.kind === 'list' ? a : b) as { ids: Int32Array };
    return list(ids.subarray(lowerBound(ids, r.lo), lowerBound(ids, r.hi)));
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
  return list(out.subarray(0, n));
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
export function union(lists: Int32Array[]): PlainSet {
  lists = lists.filter((l) => l.length > 0);
  if (lists.length === 0) return list(new Int32Array(0));
  if (lists.length === 1) return list(lists[0]);
  if (lists.length <= 8) {
    // A few lists (filter values): merge them, smallest first, in linear time rather than sorting.
    const queue = [...lists].sort((a, b) => a.length - b.length);
    let merged = queue[0];
    for (let k = 1; k < queue.length; k++) merged = mergeTwo(merged, queue[k]);
    return list(merged);
  }
  let total = 0;
  let max = 0;
  for (const l of lists) (total += l.length), (max = Math.max(max, l[l.length - 1]));
  if (max < total * 4) {
    // Dense (many long lists, e.g. a prefix that matches a word in most events): marking each position in a
    // table as long as the largest one and reading it back costs less than merging them.
    const marks = new Uint8Array(max + 1);
    for (const l of lists) for (let i = 0; i < l.length; i++) marks[l[i]] = 1;
    let count = 0;
    for (let v = 0; v <= max; v++) count += marks[v];
    const out = new Int32Array(count);
    for (let v = 0, w = 0; w < count; v++) if (marks[v]) out[w++] = v;
    return list(out);
  }
  return list(mergedInPairs(lists));
}

/** Two buffers that {@link mergedInPairs} merges between, level by level; kept by a caller that merges often. */
export interface MergeScratch {
  from?: Int32Array;
  to?: Int32Array;
}

/**
 * Sorted lists merged into one sorted list without repeats, in pairs, level by level: each position is copied once
 * per level, log2(lists) times; no table as long as the largest position (see {@link union}). The levels are laid
 * side by side in two buffers, `scratch`'s when given (grown to the lists' total if shorter), so a caller that
 * merges thousands of small unions makes no fresh memory for each; the answer is then a view of one of them, good
 * until the next call with the same scratch.
 */
export function mergedInPairs(lists: Int32Array[], scratch: MergeScratch = {}): Int32Array {
  let total = 0;
  for (const l of lists) total += l.length;
  if (lists.length <= 1) return lists[0] ?? new Int32Array(0);
  if ((scratch.from?.length ?? -1) < total) scratch.from = new Int32Array(total);
  if ((scratch.to?.length ?? -1) < total) scratch.to = new Int32Array(total);
  let [from, to] = [scratch.from!, scratch.to!];
  // bounds[k] .. bounds[k + 1]: the k-th list of the current level, in `from`.
  let bounds = [0];
  for (const l of lists) {
    from.set(l, bounds[bounds.length - 1]);
    bounds.push(bounds[bounds.length - 1] + l.length);
  }
  while (bounds.length > 2) {
    const next = [0];
    for (let k = 0; k + 1 < bounds.length; k += 2) {
      const at = next[next.length - 1];
      if (k + 2 < bounds.length) next.push(at + mergeRanges(from, bounds[k], bounds[k + 1], bounds[k + 2], to, at));
      else {
        to.set(from.subarray(bounds[k], bounds[k + 1]), at);
        next.push(at + bounds[k + 1] - bounds[k]);
      }
    }
    [from, to, bounds] = [to, from, next];
  }
  return from.subarray(0, bounds[1]);
}

/** Merges the sorted runs `source[a, b)` and `source[b, c)` into `out` from `at`, once each; returns how many. */
function mergeRanges(source: Int32Array, a: number, b: number, c: number, out: Int32Array, at: number): number {
  let [i, j, n] = [a, b, at];
  while (i < b && j < c) {
    const x = source[i];
    const y = source[j];
    if (x < y) (out[n++] = x), i++;
    else if (y < x) (out[n++] = y), j++;
    else (out[n++] = x), i++, j++;
  }
  while (i < b) out[n++] = source[i++];
  while (j < c) out[n++] = source[j++];
  return n - at;
}

/** The positions of a set as an array, for small sets. */
export function toArray(set: IdSet): number[] {
  return Array.from(slice(set, 0, sizeOf(set)));
}
