/** A word index over event texts: lower-cased, accents folded, every query word matched as a word prefix. */
import { int32Of, type Arena } from './arena';
import { Int32Chunks } from './int32-chunks';
import { sortedInSteps, unionInSteps } from './sort-union-steps';
import { copyInSteps, readyInSteps, runToEnd, zeroedInSteps, type Steps } from './steps';
import { ChunkedList, foldedWordChar, FNV_OFFSET, FNV_PRIME, Int32Stack, WordTable, type WordList } from './word-table';

export type { WordList } from './word-table';

const ASCII = /^[\x00-\x7f]*$/;

/** Splits text into lower-case words with accents folded, so "Tadamón" and "tadamon" meet. */
export function tokenize(text: string): string[] {
  // Plain ASCII has nothing to fold, and its letters and digits are exactly [A-Za-z0-9]: the cheap path.
  if (ASCII.test(text)) return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  return (
    text
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/**
 * Maps each word to the sorted positions of the events whose text has it. All postings live in one array,
 * word after word in word order (`offsets[i]` to `offsets[i + 1]` for the i-th word): a data set's many rare
 * words (names, numbers) then cost a few bytes each, not a typed array each. The few words that are also in place
 * and actor names have their whole postings in a list of their own (`merged`, by word index), so that adding them
 * never copies the big array; `totals` are the offsets as if those lists were laid out in place, for counting.
 */
export class SearchIndex {
  /** Use {@link SearchIndex.of} or a {@link SearchIndexBuilder}. */
  constructor(
    private readonly words: WordList,
    private readonly offsets: Int32Array,
    private readonly positions: Int32Array,
    private readonly merged: ReadonlyMap<number, Int32Array> = new Map(),
    private readonly totals: Int32Array = offsets,
  ) {}

  /** Indexes one text per position. */
  static of(texts: Iterable<string>): SearchIndex {
    const builder = new SearchIndexBuilder();
    for (const text of texts) builder.add([text]);
    return builder.build();
  }

  /** How many distinct words are indexed. */
  get wordCount(): number {
    return this.words.length;
  }

  /** The `i`-th word in word order (`i` below {@link wordCount}). */
  wordAt(i: number): string {
    return this.words.at(i);
  }

  /** Every word, in word order (a compaction's builder starts from them, see {@link SearchIndexBuilder.learn}). */
  get wordList(): WordList {
    return this.words;
  }

  /** The index of the first word not below `text`. */
  private firstAtLeast(text: string): number {
    let lo = 0;
    let hi = this.words.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.words.at(mid) < text) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** How many postings the words starting with `prefix` have together (what {@link withPrefix} would return), in logarithmic time. */
  prefixPostings(prefix: string): number {
    const lo = this.firstAtLeast(prefix);
    const hi = this.firstAtLeast(`${prefix}\uffff`);
    return this.totals[hi] - this.totals[lo];
  }

  /** Postings of every indexed word that starts with `prefix`. */
  withPrefix(prefix: string): Int32Array[] {
    const out: Int32Array[] = [];
    for (let i = this.firstAtLeast(prefix); i < this.words.length && this.words.at(i).startsWith(prefix); i++) {
      const [from, to] = [this.offsets[i], this.offsets[i + 1]];
      // A word's own postings are all of them unless its total says it has a merged list.
      out.push(to - from === this.totals[i + 1] - this.totals[i] ? this.positions.subarray(from, to) : this.merged.get(i)!);
    }
    return out;
  }
}

/**
 * Builds a {@link SearchIndex} one position at a time: each word is numbered once, each position records the
 * numbers of its words, and the postings are laid out by a counting sort at the end.
 */
export class SearchIndexBuilder {
  private readonly table: WordTable;
  /** The word numbers of every position, position after position. */
  private readonly wordsOf = new Int32Chunks();
  /** Where each position's word numbers start in `wordsOf`. */
  private readonly starts: Int32Stack;
  /** One more than the last position each word number was recorded for (0: never), so a word counts once per position. */
  private lastSeen: Int32Array;
  private position = 0;

  /** Posting lists to merge into each word's at the end, by word number (see {@link addToAll}). */
  private readonly extra = new Map<number, Int32Array[]>();
  /** Tables made in memory that must be zeroed before use (see {@link prepare}). */
  private readonly dirty = new Set<Int32Array>();
  /** How many words {@link learn} numbered first, in word order. */
  private known = 0;

  /**
   * A builder sized for about `positions` positions and `words` distinct words (a compaction knows both from the base
   * it replaces), so that its tables do not grow, each growth being one long copy, while it runs in slices.
   */
  constructor(
    sizes: { positions?: number; words?: number } = {},
    /** Where the index's arrays are laid out (see `Arena`); fresh memory when not given. */
    private readonly arena?: Arena,
  ) {
    const take = (length: number) => {
      const { array, dirty } = int32Of(arena, length);
      if (dirty) this.dirty.add(array);
      return array;
    };
    const lengths = SearchIndexBuilder.tableLengths(sizes);
    this.table = new WordTable(lengths.words, take);
    this.starts = new Int32Stack(lengths.starts, take);
    this.lastSeen = take(lengths.lastSeen);
  }

  /**
   * The lengths of the tables a builder of `sizes` makes at once (a store reserves their memory at load, so that
   * its first compaction takes none fresh).
   */
  static tableLengths(sizes: { positions?: number; words?: number }): { words: number; starts: number; lastSeen: number; all: number[] } {
    const words = Math.ceil((sizes.words ?? 0) * 1.25);
    const starts = Math.max(1024, (sizes.positions ?? 0) + 1);
    const lastSeen = Math.max(1024, words);
    return { words, starts, lastSeen, all: [...WordTable.tableLengths(words), starts, lastSeen] };
  }

  /**
   * Makes its tables ready, a few pages at a time: they are written all over from the first word on, so fresh
   * memory's pages are faulted in first, and memory that held an older base's arrays is zeroed. Call before anything
   * is added ({@link learn} calls it).
   */
  *prepare(): Steps<void> {
    for (const table of [...this.table.arrays, this.starts.data, this.lastSeen]) yield* readyInSteps(table, this.dirty.has(table));
    this.dirty.clear();
  }

  /**
   * Numbers the words of an index built before (`known`, in word order) first; call before anything is added. A
   * compaction thus makes no new string (nor array) for a word the old base had, and its sort only places the few
   * new words among the known ones (a sort of a million words was its longest step). Known words no position has
   * any more are left out of the index built.
   */
  *learn(known: SearchIndex): Steps<void> {
    if (this.table.count) throw new Error('SearchIndexBuilder.learn: call it before anything is added');
    yield* this.prepare();
    yield* this.table.learn(known.wordList);
    this.known = known.wordCount;
  }

  /** Indexes the next position: the words of its `texts`. */
  add(texts: readonly string[]): void {
    if (this.dirty.size) throw new Error('SearchIndexBuilder.add: call prepare (or learn) first');
    this.startPosition();
    for (let i = 0; i < texts.length; i++) this.addText(texts[i]);
    this.endPosition();
  }

  /** Starts the next position; its texts follow ({@link addText}), then {@link endPosition}. */
  startPosition(): void {
    this.starts.push(this.wordsOf.length);
  }

  /** Indexes the words of one more text of the position started. */
  addText(text: string): void {
    if (ASCII.test(text)) this.addAscii(text);
    else for (const word of tokenize(text)) this.record(this.table.numberOfWord(word));
  }

  /** Ends the position started. */
  endPosition(): void {
    this.position++;
  }

  /**
   * Indexes the words of `text` at every one of `positions` (sorted, each below the positions added), as if each
   * of those had the text too. A name shared by many positions (a place, an actor) is thus split once and merged
   * in as whole lists at the end, not recorded position by position.
   */
  addToAll(text: string, positions: Int32Array): void {
    if (!positions.length) return;
    for (const word of tokenize(text)) {
      const n = this.table.numberOfWord(word);
      const lists = this.extra.get(n);
      if (lists === undefined) this.extra.set(n, [positions]);
      else if (lists[lists.length - 1] !== positions) lists.push(positions);
    }
  }

  /** The index of everything added. */
  build(): SearchIndex {
    return runToEnd(this.building());
  }

  /** Builds the index of everything added (see {@link build}), yielding every few thousand steps. */
  *building(): Steps<SearchIndex> {
    this.starts.push(this.wordsOf.length);
    const count = this.table.count;
    const chunks = this.wordsOf.chunks;
    const total = this.wordsOf.length;
    const [bits, mask] = [Int32Chunks.BITS, Int32Chunks.CHUNK - 1];
    const counts = yield* zeroedInSteps(count, this.arena);
    yield 'count postings';
    for (let j = 0; j < total; j++) {
      if ((j & 65535) === 65535) yield;
      counts[chunks[j >>> bits][j & mask]]++;
    }
    yield 'sort words';
    const { sorted, rankOf } = yield* this.ranked(counts);
    const ranks = sorted.length;
    const offsets = yield* zeroedInSteps(ranks + 1, this.arena);
    yield 'lay out offsets';
    for (let n = 0; n < count; n++) {
      if ((n & 65535) === 65535) yield;
      if (rankOf[n] >= 0) offsets[rankOf[n] + 1] = counts[n];
    }
    for (let r = 0; r < ranks; r++) {
      if ((r & 65535) === 65535) yield;
      offsets[r + 1] += offsets[r];
    }
    const fill = yield* copyInSteps(offsets.subarray(0, ranks), this.arena);
    const positions = yield* zeroedInSteps(total, this.arena);
    const starts = this.starts.data;
    yield 'lay out postings';
    // Positions are visited in ascending order, so every word's postings come out sorted.
    for (let p = 0; p < this.position; p++) {
      if ((p & 4095) === 4095) yield;
      for (let j = starts[p]; j < starts[p + 1]; j++) positions[fill[rankOf[chunks[j >>> bits][j & mask]]]++] = p;
    }
    this.wordsOf.release();
    if (!this.extra.size) return new SearchIndex(sorted, offsets, positions);
    return yield* this.mergeExtra(sorted, rankOf, offsets, positions);
  }

  /**
   * The words some position has (`counts`, by word number) or a name gives, in word order, and the rank in that
   * order of each word number (-1: left out). The words {@link learn} numbered are in order already: only the
   * others are sorted, then merged in.
   */
  private *ranked(counts: Int32Array): Steps<{ sorted: WordList; rankOf: Int32Array }> {
    const table = this.table;
    const [count, known] = [table.count, this.known];
    const kept = (n: number) => counts[n] > 0 || this.extra.has(n);
    const rankOf = yield* zeroedInSteps(count, this.arena);
    const others: string[] = [];
    for (let n = known; n < count; n++) {
      if ((n & 4095) === 4095) yield;
      if (kept(n)) others.push(table.word(n));
      else rankOf[n] = -1;
    }
    const fresh = yield* sortedInSteps(others);
    const sorted = new ChunkedList();
    yield 'rank words';
    for (let [i, j, step] = [0, 0, 0]; i < known || j < fresh.length; step++) {
      if ((step & 4095) === 4095) yield;
      if (i < known && !kept(i)) rankOf[i++] = -1;
      else if (i < known && (j >= fresh.length || table.word(i) < fresh[j])) {
        rankOf[i++] = sorted.length;
        sorted.push(table.word(i - 1));
      } else {
        rankOf[table.numberOfWord(fresh[j++])] = sorted.length;
        sorted.push(fresh[j - 1]);
      }
    }
    return { sorted, rankOf };
  }

  /**
   * The index with the lists given to {@link addToAll} merged into their words' postings: each such word gets a
   * list of its own, and the offsets for counting move by what the lists added.
   */
  private *mergeExtra(sorted: WordList, rankOf: Int32Array, offsets: Int32Array, positions: Int32Array): Steps<SearchIndex> {
    const count = offsets.length - 1;
    const merged = new Map<number, Int32Array>();
    const added = new Map<number, number>();
    const table = {};
    yield 'merge name postings';
    for (const [n, lists] of this.extra) {
      yield;
      const r = rankOf[n];
      const own = positions.subarray(offsets[r], offsets[r + 1]);
      const ids = yield* unionInSteps([own, ...lists], table, this.arena);
      if (ids.length === own.length) continue;
      merged.set(r, ids);
      added.set(r, ids.length - own.length);
    }
    yield 'count merged postings';
    // Every element is written below (the memory may hold an older base's arrays).
    const totals = int32Of(this.arena, count + 1).array;
    totals[0] = 0;
    for (let r = 0, moved = 0; r < count; r++) {
      if ((r & 65535) === 65535) yield;
      moved += added.get(r) ?? 0;
      totals[r + 1] = offsets[r + 1] + moved;
    }
    return new SearchIndex(sorted, offsets, positions, merged, totals);
  }

  /** Records the words of ASCII text: runs of letters and digits, lower-cased, as {@link tokenize} finds them. */
  private addAscii(text: string): void {
    const n = text.length;
    for (let i = 0; i < n; ) {
      let c = foldedWordChar(text.charCodeAt(i));
      if (c < 0) {
        i++;
        continue;
      }
      const start = i;
      let hash = FNV_OFFSET;
      do {
        hash = Math.imul(hash ^ c, FNV_PRIME);
        i++;
      } while (i < n && (c = foldedWordChar(text.charCodeAt(i))) >= 0);
      this.record(this.table.numberOf(text, start, i, hash));
    }
  }

  private record(n: number): void {
    if (n >= this.lastSeen.length) {
      const grown = new Int32Array(this.lastSeen.length * 2);
      grown.set(this.lastSeen);
      this.lastSeen = grown;
    }
    if (this.lastSeen[n] === this.position + 1) return;
    this.lastSeen[n] = this.position + 1;
    this.wordsOf.push(n);
  }
}
