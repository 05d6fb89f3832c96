/** Posting lists collected position by position and laid out at the end by a counting sort. */
import type { Arena } from './arena';
import { Int32Chunks } from './int32-chunks';
import { copyInSteps, runToEnd, zeroedInSteps, type Steps } from './steps';

/**
 * Collects, for each key, the ascending positions filed under it, without repeats. Filing a position costs no
 * lookup of a list object: it appends the list's number to one stream (and counts it), and at the end a
 * counting sort lays every list out in one Int32Array, each list a view of it.
 */
export class PostingLists {
  private readonly numbers = new Map<string, number>();
  private readonly keys: string[] = [];
  private counts = new Int32Array(64);
  /** The last position filed under each list, so that a position is filed once however often it is added. */
  private last = new Int32Array(64).fill(-1);
  /** The list number of every filing, position after position. */
  private readonly filed = new Int32Chunks();
  /** Where the filings of each position start in `filed`. */
  private readonly starts = new Int32Chunks();
  private laidOut: Map<string, Int32Array> | undefined;

  /** The number of the list of `key` (made empty when new), to file positions with {@link addTo} without a lookup each time. */
  listOf(key: string): number {
    let n = this.numbers.get(key);
    if (n === undefined) {
      n = this.keys.length;
      this.keys.push(key);
      this.numbers.set(key, n);
      if (n === this.counts.length) {
        const counts = new Int32Array(n * 2);
        counts.set(this.counts);
        this.counts = counts;
        const last = new Int32Array(n * 2).fill(-1);
        last.set(this.last);
        this.last = last;
      }
    }
    return n;
  }

  /** Files `position` under list `n`; positions must arrive in ascending order, and a repeat is ignored. */
  addTo(n: number, position: number): void {
    if (this.last[n] === position) return;
    while (this.starts.length <= position) this.starts.push(this.filed.length);
    this.last[n] = position;
    this.counts[n]++;
    this.filed.push(n);
  }

  /** Files `position` under `key`; positions must arrive in ascending order, and a repeat is ignored. */
  add(key: string, position: number): void {
    this.addTo(this.listOf(key), position);
  }

  /** The list of `key` (empty for a key never added); call once every position is added. */
  get(key: string): Int32Array {
    return this.toMap().get(key) ?? new Int32Array(0);
  }

  /** Every list, by key; call once every position is added. */
  toMap(): Map<string, Int32Array> {
    return runToEnd(this.layOut());
  }

  /** Lays every list out (see {@link toMap}), yielding every few thousand positions; in `arena`'s memory when given. */
  *layOut(arena?: Arena): Steps<Map<string, Int32Array>> {
    if (this.laidOut) return this.laidOut;
    const count = this.keys.length;
    const offsets = new Int32Array(count + 1);
    for (let n = 0; n < count; n++) offsets[n + 1] = offsets[n] + this.counts[n];
    const all = yield* zeroedInSteps(offsets[count], arena);
    const fill = yield* copyInSteps(offsets.subarray(0, count), arena);
    const [bits, mask] = [Int32Chunks.BITS, Int32Chunks.CHUNK - 1];
    const filed = this.filed.chunks;
    const starts = this.starts.chunks;
    const positions = this.starts.length;
    // Positions are visited in ascending order, so every list comes out sorted.
    for (let p = 0; p < positions; p++) {
      if ((p & 4095) === 4095) yield;
      const end = p + 1 < positions ? starts[(p + 1) >>> bits][(p + 1) & mask] : this.filed.length;
      for (let j = starts[p >>> bits][p & mask]; j < end; j++) all[fill[filed[j >>> bits][j & mask]]++] = p;
    }
    this.filed.release();
    this.starts.release();
    this.laidOut = new Map();
    for (let n = 0; n < count; n++) this.laidOut.set(this.keys[n], all.subarray(offsets[n], offsets[n + 1]));
    return this.laidOut;
  }
}
