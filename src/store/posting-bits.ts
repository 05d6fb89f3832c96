/**
 * Bitmaps of the postings of search words that many events have ("near", "province", or most words of a small data
 * set), so that a set of positions meets such a word by one bit test per position, instead of a walk (a merge or a
 * gallop) over the word's thousands of postings on every search. A bitmap takes one bit per event of the base; it is
 * made for a word only when its postings are dense enough (one event in {@link DENSE_EVERY} at least) that the bitmap
 * takes no more memory than the postings themselves, and the bitmaps kept are bounded in bytes (oldest used out first).
 */
import { BoundedCache } from './bounded-cache';

/** A word gets a bitmap when at least one event in this many has it: the bitmap (1 bit an event) is then no bigger than its postings (32 bits each). */
export const DENSE_EVERY = 32;

/** Bytes of bitmaps kept by default: 16 MiB, 128 bitmaps at a million events, every dense word of a 100k-event set. */
export const POSTING_BITS_BYTES = 16 * 1024 * 1024;

/** The bitmap of positions `0 .. size - 1` that are in any of `lists` (each sorted or not). */
export function bitsOf(lists: readonly Int32Array[], size: number): Int32Array {
  const bits = new Int32Array((size + 31) >>> 5);
  for (const l of lists) for (let i = 0; i < l.length; i++) bits[l[i] >> 5] |= 1 << (l[i] & 31);
  return bits;
}

/** The positions of sorted `ids` whose bit is set in `bits`, in order (a view of one new array). */
export function keepMarked(ids: Int32Array, bits: Int32Array): Int32Array {
  const out = new Int32Array(ids.length);
  let n = 0;
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i];
    // Written every time and kept when marked: no branch to mispredict on a word half the events have.
    out[n] = v;
    n += (bits[v >> 5] >> (v & 31)) & 1;
  }
  return out.subarray(0, n);
}

/** Whether postings of `postings` positions over a base of `size` positions are dense enough for a bitmap. */
export const isDense = (postings: number, size: number): boolean => postings > 0 && postings * DENSE_EVERY >= size;

/** Bitmaps by key (a search word), least recently used out first, within a bound on their bytes together. */
export class PostingBits extends BoundedCache<Int32Array> {
  constructor(maxBytes = POSTING_BITS_BYTES) {
    super(Infinity, maxBytes, (bits) => bits.byteLength);
  }

  /** How many bitmaps and bytes are kept now. */
  get stats(): { entries: number; bytes: number } {
    const { entries, cost } = this.kept;
    return { entries, bytes: cost };
  }
}
