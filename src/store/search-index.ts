/** A word index over event texts: lower-cased, accents folded, every query word matched as a word prefix. */

/** Splits text into lower-case words with accents folded, so "Tadamón" and "tadamon" meet. */
export function tokenize(text: string): string[] {
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
  private readonly words: string[];
  private readonly postings: Int32Array[];

  constructor(texts: Iterable<string>) {
    const byWord = new Map<string, number[]>();
    let position = 0;
    for (const text of texts) {
      for (const word of new Set(tokenize(text))) {
        let list = byWord.get(word);
        if (!list) byWord.set(word, (list = []));
        list.push(position);
      }
      position++;
    }
    this.words = [...byWord.keys()].sort();
    this.postings = this.words.map((w) => Int32Array.from(byWord.get(w)!));
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
