/**
 * The word table of a word index's builder: distinct words numbered as they are met (or taken, in order, from an
 * older index), looked up where they stand in a text; and the chunked lists words are kept in.
 */
import type { Steps } from './steps';

/** Words by number, as a word index and its builder keep them. */
export interface WordList {
  readonly length: number;
  at(i: number): string;
}

/** Entries of a chunk of a {@link ChunkedList}. */
const CHUNK = 1 << 14;

/**
 * A list kept in chunks of 16,384: it grows without copying itself and never asks for one big block of fresh
 * memory (whose first writes, page faults, cost milliseconds a MiB, and a million-entry block is 8 MiB). Words by
 * number, and the events of a base (a compaction's merged events were one such block, made in one step).
 */
export class ChunkedList<T = string> {
  private readonly chunks: T[][] = [];
  length = 0;

  /** A list of `items`' elements (for a first load, which runs through at once). */
  static of<T>(items: readonly T[]): ChunkedList<T> {
    const list = new ChunkedList<T>();
    for (let i = 0; i < items.length; i++) list.push(items[i]);
    return list;
  }

  push(item: T): void {
    // Each chunk is made at its full size, 128 KiB: a large object, which the collector's scavenges promote without
    // copying it (chunks grown by pushes were copied as they grew, and a million events' chunks by every scavenge).
    if (this.length >>> 14 === this.chunks.length) this.chunks.push(new Array<T>(CHUNK));
    this.chunks[this.length >>> 14][this.length & (CHUNK - 1)] = item;
    this.length++;
  }

  at(i: number): T {
    return this.chunks[i >>> 14][i & (CHUNK - 1)];
  }
}

/** A growable Int32Array. */
export class Int32Stack {
  data: Int32Array;
  length = 0;

  /** `capacity`: how many values it holds before it first grows (and copies what it holds); `make` makes its first array. */
  constructor(capacity = 1024, make: (length: number) => Int32Array = (n) => new Int32Array(n)) {
    this.data = make(Math.max(1024, capacity));
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
}

/** The 32-bit FNV-1a hash's start value and prime, with which words are hashed one char code at a time. */
export const FNV_OFFSET = 0x811c9dc5;
/** See {@link FNV_OFFSET}. */
export const FNV_PRIME = 16777619;

/** The lower-case form of an ASCII word character (A-Z, a-z, 0-9), or -1 for any other char code. */
export const foldedWordChar = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57) ? c : c >= 65 && c <= 90 ? c + 32 : -1;

/**
 * Numbers distinct words. An open-addressing table of word numbers, probed with a hash of the characters, so that
 * a word can be looked up where it stands in a text, without cutting it out (or lower-casing the text) first.
 */
export class WordTable {
  /** Words numbered by {@link learn}, first, in the order given; then {@link added}. */
  private known: WordList = { length: 0, at: () => '' };
  private readonly added = new ChunkedList();
  private readonly hashes: Int32Stack;
  private slots: Int32Array;

  /**
   * Sized for `capacity` words, so that up to that many it never grows (each growth rehashes every word at once);
   * `make` makes its first arrays (zero-filled before use).
   */
  constructor(capacity: number, make: (length: number) => Int32Array = (n) => new Int32Array(n)) {
    const [hashes, slots] = WordTable.tableLengths(capacity);
    this.hashes = new Int32Stack(hashes, make);
    this.slots = make(slots);
  }

  /** The lengths of the arrays a table sized for `capacity` words makes at once: hashes, slots. */
  static tableLengths(capacity: number): [number, number] {
    return [Math.max(1024, capacity), Math.max(1 << 12, 2 ** Math.ceil(Math.log2(2 * capacity + 1)))];
  }

  /** How many words are numbered. */
  get count(): number {
    return this.known.length + this.added.length;
  }

  /** Word number `n`. */
  word(n: number): string {
    return n < this.known.length ? this.known.at(n) : this.added.at(n - this.known.length);
  }

  /** Numbers the words of `known` 0, 1, 2... in steps, without copying them; call before any other. */
  *learn(known: WordList): Steps<void> {
    this.known = known;
    for (let n = 0; n < known.length; n++) {
      if ((n & 4095) === 4095) yield;
      const word = known.at(n);
      let hash = FNV_OFFSET;
      for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), FNV_PRIME);
      this.hashes.push(hash);
      if (this.count * 2 > this.slots.length) this.rehash(this.slots.length * 2);
      else this.place(n, hash);
    }
  }

  /**
   * The number of the word `text[start, end)` whose hash is `hash`, numbering it if new. The word is ASCII letters
   * and digits, compared and kept lower-cased; `hash` is that of its lower-case form.
   */
  numberOf(text: string, start: number, end: number, hash: number): number {
    const mask = this.slots.length - 1;
    const length = end - start;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const slot = this.slots[i];
      if (slot === 0) break;
      if (this.hashes.data[slot - 1] !== hash) continue;
      const word = this.word(slot - 1);
      if (word.length !== length) continue;
      let j = 0;
      while (j < length && foldedWordChar(text.charCodeAt(start + j)) === word.charCodeAt(j)) j++;
      if (j === length) return slot - 1;
    }
    const n = this.count;
    const cut = start === 0 && end === text.length ? text : text.slice(start, end);
    const word = cut.toLowerCase();
    // A long slice may share its text's memory; a copy keeps the word from holding on to the whole text.
    this.added.push(word.length >= 13 && word !== text ? (JSON.parse(JSON.stringify(word)) as string) : word);
    this.hashes.push(hash);
    if (this.count * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(n, hash);
    return n;
  }

  /** The number of a whole word (lower-case letters and digits, or any other folded word), numbering it if new. */
  numberOfWord(word: string): number {
    let hash = FNV_OFFSET;
    for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), FNV_PRIME);
    const mask = this.slots.length - 1;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const slot = this.slots[i];
      if (slot === 0) break;
      if (this.word(slot - 1) === word) return slot - 1;
    }
    const n = this.count;
    this.added.push(word);
    this.hashes.push(hash);
    if (this.count * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(n, hash);
    return n;
  }

  /** The typed arrays it was made with (to fault their pages in ahead of use). */
  get arrays(): Int32Array[] {
    return [this.slots, this.hashes.data];
  }

  private place(n: number, hash: number): void {
    const mask = this.slots.length - 1;
    let i = hash & mask;
    while (this.slots[i] !== 0) i = (i + 1) & mask;
    this.slots[i] = n + 1;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    for (let n = 0; n < this.count; n++) this.place(n, this.hashes.data[n]);
  }
}
