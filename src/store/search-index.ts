/** A word index over event texts: lower-cased, accents folded, every query word matched as a word prefix. */
import { PostingLists } from './id-set';

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

/** Maps each word to the sorted positions of the events whose text has it. */
export class SearchIndex {
  /** Use {@link SearchIndex.of} or a {@link SearchIndexBuilder}. */
  constructor(
    private readonly words: string[],
    private readonly postings: Int32Array[],
  ) {}

  /** Indexes one text per position. */
  static of(texts: Iterable<string>): SearchIndex {
    const builder = new SearchIndexBuilder();
    for (const text of texts) builder.add([text]);
    return builder.build();
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
    for (let i = lo; i < this.words.length && this.words[i].startsWith(prefix); i++) out.push(this.postings[i]);
    return out;
  }
}

/** Builds a {@link SearchIndex} one position at a time, without joining each event's texts into one string. */
export class SearchIndexBuilder {
  private readonly lists = new PostingLists();
  private readonly nameWords = new Map<string, string[]>();
  private position = 0;

  /**
   * Indexes the next position: its free `texts`, and `names` (place and actor names), which recur across
   * events and so are split into words once each. The words are those of all of them joined with newlines.
   */
  add(texts: readonly string[], names: Iterable<string> = []): void {
    const position = this.position++;
    for (const text of texts) for (const word of tokenize(text)) this.lists.add(word, position);
    for (const name of names) {
      let words = this.nameWords.get(name);
      if (words === undefined) this.nameWords.set(name, (words = tokenize(name)));
      for (const word of words) this.lists.add(word, position);
    }
  }

  /** The index of everything added. */
  build(): SearchIndex {
    const words = [...this.lists.keys()].sort();
    return new SearchIndex(words, words.map((w) => this.lists.get(w)));
  }
}
