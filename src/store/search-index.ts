/** A word index over event texts: lower-cased, accents folded, every query word matched as a word prefix. */

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
 * words (names, numbers) then cost a few bytes each, not a typed array each.
 */
export class SearchIndex {
  /** Use {@link SearchIndex.of} or a {@link SearchIndexBuilder}. */
  constructor(
    private readonly words: string[],
    private readonly offsets: Int32Array,
    private readonly positions: Int32Array,
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

  /** Postings of every indexed word that starts with `prefix`. */
  withPrefix(prefix: string): Int32Array[] {
    const out: Int32Array[] = [];
    let lo = 0;
    let hi = this.words.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.words[mid] < prefix) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.words.length && this.words[i].startsWith(prefix); i++) {
      out.push(this.positions.subarray(this.offsets[i], this.offsets[i + 1]));
    }
    return out;
  }
}

/** A growable Int32Array. */
class Int32Stack {
  data = new Int32Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
}

/**
 * Builds a {@link SearchIndex} one position at a time: each word is numbered once, each position records the
 * numbers of its words, and the postings are laid out by a counting sort at the end.
 */
export class SearchIndexBuilder {
  private readonly numbers = new Map<string, number>();
  private readonly words: string[] = [];
  /** The word numbers of every position, position after position. */
  private readonly wordsOf = new Int32Stack();
  /** Where each position's word numbers start in `wordsOf`. */
  private readonly starts = new Int32Stack();
  /** The last position each word number was recorded for, so a word counts once per position. */
  private lastSeen = new Int32Array(1024).fill(-1);
  private position = 0;

  /** The numbers of the words of `text` (numbering new ones), e.g. to pass a recurring name to {@link add} once split. */
  wordNumbers(text: string): number[] {
    return tokenize(text).map((word) => this.numberOf(word));
  }

  /** Indexes the next position: the words of its `texts`, and words already numbered by {@link wordNumbers}. */
  add(texts: readonly string[], numbered: readonly (readonly number[])[] = []): void {
    this.starts.push(this.wordsOf.length);
    for (const text of texts) for (const word of tokenize(text)) this.record(this.numberOf(word));
    for (const numbers of numbered) for (const n of numbers) this.record(n);
    this.position++;
  }

  /** The index of everything added. */
  build(): SearchIndex {
    this.starts.push(this.wordsOf.length);
    const count = this.words.length;
    // Rank of each word number in word order.
    const sorted = Int32Array.from({ length: count }, (_, i) => i).sort((a, b) =>
      this.words[a] < this.words[b] ? -1 : this.words[a] > this.words[b] ? 1 : 0,
    );
    const rankOf = new Int32Array(count);
    for (let r = 0; r < count; r++) rankOf[sorted[r]] = r;
    const wordsOf = this.wordsOf.data;
    const total = this.wordsOf.length;
    const offsets = new Int32Array(count + 1);
    for (let j = 0; j < total; j++) offsets[rankOf[wordsOf[j]] + 1]++;
    for (let r = 0; r < count; r++) offsets[r + 1] += offsets[r];
    const fill = offsets.slice(0, count);
    const positions = new Int32Array(total);
    const starts = this.starts.data;
    // Positions are visited in ascending order, so every word's postings come out sorted.
    for (let p = 0; p < this.position; p++) {
      for (let j = starts[p]; j < starts[p + 1]; j++) positions[fill[rankOf[wordsOf[j]]]++] = p;
    }
    return new SearchIndex(Array.from(sorted, (n) => this.words[n]), offsets, positions);
  }

  private numberOf(word: string): number {
    let n = this.numbers.get(word);
    if (n === undefined) {
      n = this.words.length;
      this.numbers.set(word, n);
      this.words.push(word);
      if (n === this.lastSeen.length) {
        const grown = new Int32Array(n * 2).fill(-1);
        grown.set(this.lastSeen);
        this.lastSeen = grown;
      }
    }
    return n;
  }

  private record(n: number): void {
    if (this.lastSeen[n] === this.position) return;
    this.lastSeen[n] = this.position;
    this.wordsOf.push(n);
  }
}
