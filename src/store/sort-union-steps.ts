/**
 * A sort of words and a union of posting lists that yield between steps, so that a search index's build can run in
 * slices between queries.
 */
import { int32Of, type Arena } from './arena';
import { mergedInPairs, union, type MergeScratch } from './id-set';
import type { Steps } from './steps';

/**
 * `items` sorted as the default sort does (by UTF-16 code units), yielding between steps: runs of a few thousand are
 * sorted natively (faster than with a comparator), then merged in pairs, level by level, between two arrays made
 * once (a new array per level would leave a million-entry array of garbage per level for the collector).
 */
export function* sortedInSteps(items: readonly string[]): Steps<string[]> {
  const RUN = 8192;
  let from = new Array<string>(items.length);
  for (let i = 0; i < items.length; i += RUN) {
    const run = items.slice(i, i + RUN).sort();
    for (let k = 0; k < run.length; k++) from[i + k] = run[k];
    yield;
  }
  if (items.length <= RUN) return from;
  let to = new Array<string>(items.length);
  for (let width = RUN; width < items.length; width *= 2) {
    for (let lo = 0; lo < items.length; lo += 2 * width) {
      const mid = Math.min(lo + width, items.length);
      const hi = Math.min(lo + 2 * width, items.length);
      let [x, y] = [lo, mid];
      for (let n = lo; n < hi; n++) {
        if ((n & 16383) === 16383) yield;
        to[n] = y >= hi || (x < mid && from[x] <= from[y]) ? from[x++] : from[y++];
      }
    }
    [from, to] = [to, from];
  }
  return from;
}

/** Postings a step of {@link unionInSteps} marks or reads back at most. */
const UNION_STEP = 1 << 15;

/**
 * The union of sorted `lists`, as {@link union} makes it, yielding between steps: a word of a name many places share
 * ("province") can be filed at most events, which one merge would walk in one long step.
 */
export function* unionInSteps(lists: Int32Array[], table: { marks?: Uint8Array; scratch?: MergeScratch } = {}, arena?: Arena): Steps<Int32Array> {
  let [total, max] = [0, -1];
  for (const l of lists) if (l.length) (total += l.length), (max = Math.max(max, l[l.length - 1]));
  if (total <= UNION_STEP) {
    if (!arena) {
      const all = union(lists);
      return all.kind === 'list' ? all.ids : new Int32Array(0);
    }
    // Kept by the base: copied into its memory. Merged in pairs, not marked in a table as long as the largest
    // position as `union` may: a megabyte of garbage outside the heap for each of thousands of name words, which
    // started scavenges "for external memory pressure" all through this phase. The pairs are merged in two buffers
    // kept in `table` for the whole build: a fresh array for each pair was about 80 MiB of garbage outside the heap
    // at a million events, and the incremental marking it started ran in the queries of the build's last second.
    const ids = mergedInPairs(lists.filter((l) => l.length), (table.scratch ??= {}));
    const kept = arena.int32(ids.length).array;
    kept.set(ids);
    return kept;
  }
  // Marked in a table as long as the largest position, then read back in order and cleared as it is read: the
  // table is `table.marks`, made once and kept there for the next union (one per word of a name, a megabyte each
  // at a million events, was about half the fresh memory a compaction took outside the heap).
  if ((table.marks?.length ?? 0) <= max) table.marks = new Uint8Array(max + 1);
  const marks = table.marks!;
  let count = 0;
  for (const l of lists) {
    for (let i = 0; i < l.length; i++) {
      if ((i & (UNION_STEP - 1)) === UNION_STEP - 1) yield;
      count += 1 - marks[l[i]];
      marks[l[i]] = 1;
    }
    yield;
  }
  // Every element is written below: memory from `arena` need not be zeroed.
  const out = int32Of(arena, count).array;
  for (let v = 0, w = 0; w < count; v++) {
    if ((v & (UNION_STEP - 1)) === UNION_STEP - 1) yield;
    if (marks[v]) (out[w++] = v), (marks[v] = 0);
  }
  return out;
}
