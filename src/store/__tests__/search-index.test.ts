import { SearchIndex, SearchIndexBuilder, tokenize } from '../search-index';
import { runToEnd } from '../steps';

/** The postings a plain word -> positions map gives for `prefix`, for comparison. */
function naive(texts: string[], prefix: string): number[] {
  const out = new Set<number>();
  texts.forEach((text, position) => {
    if (tokenize(text).some((w) => w.startsWith(prefix))) out.add(position);
  });
  return [...out].sort((a, b) => a - b);
}

const merged = (lists: Int32Array[]) => [...new Set(lists.flatMap((l) => Array.from(l)))].sort((a, b) => a - b);

describe('tokenize', () => {
  it('folds case and accents, on ASCII and non-ASCII text alike', () => {
    expect(tokenize('Fighting in TADAMON, 2012!')).toEqual(['fighting', 'in', 'tadamon', '2012']);
    expect(tokenize('Tadamón – Ḥamā, 4th')).toEqual(['tadamon', 'hama', '4th']);
  });
});

describe('SearchIndex', () => {
  const texts = [
    'Shelling near the convoy',
    'Ceasefire talks; convoy halted. Shelling resumed',
    'Tadamón and Ḥamā',
    '',
    'convoy convoy CONVOY 12 120 1200',
    'tadamon checkpoint',
  ];

  it('finds every position whose text has a word with the prefix, once each, in order', () => {
    const index = SearchIndex.of(texts);
    for (const prefix of ['shel', 'convoy', 'c', 'tadamon', 'hama', '12', '120', 'zzz', 'the']) {
      expect(merged(index.withPrefix(prefix))).toEqual(naive(texts, prefix));
    }
  });

  it('indexes a name given for a list of positions as if each had it in its text, merged with text words', () => {
    const builder = new SearchIndexBuilder();
    const many: string[] = [];
    for (let i = 0; i < 5000; i++) {
      many.push(`event ${i} word${i % 97}`);
      builder.add([many[i]]);
    }
    const where = (keep: (i: number) => boolean) => Int32Array.from(many.map((_, i) => i).filter(keep));
    builder.addToAll('Jabal al-Zawiya', where((i) => i % 2 === 1));
    builder.addToAll('Tadamón word3 Event', where((i) => i % 10 === 0));
    builder.addToAll('Zawiya', where((i) => i % 3 === 0));
    builder.addToAll('Nowhere', new Int32Array(0));
    const index = builder.build();
    const named = many.map((text, i) =>
      [text, i % 2 === 1 ? 'Jabal al-Zawiya' : '', i % 10 === 0 ? 'Tadamón word3 Event' : '', i % 3 === 0 ? 'Zawiya' : ''].join(' '),
    );
    // event, 5000 numbers, word0-word96, jabal, al, zawiya, tadamon ("nowhere" names no position).
    expect(index.wordCount).toBe(1 + 5000 + 97 + 4);
    for (const prefix of ['4999', 'word96', 'word3', 'zawiya', 'event', 'tadamon', 'al', 'j', 'w', 'nowhere']) {
      expect([prefix, merged(index.withPrefix(prefix))]).toEqual([prefix, naive(named, prefix)]);
    }
  });

  it('lays out postings past the first million word occurrences the same as before them', () => {
    const builder = new SearchIndexBuilder();
    const count = 400_000;
    for (let i = 0; i < count; i++) builder.add([`Alpha w${i % 1000} x${i % 7}`]);
    const index = builder.build();
    const expected = (keep: (i: number) => boolean) => Int32Array.from({ length: count }, (_, i) => i).filter(keep);
    // Each prefix is one whole word here, so it has one list; compared as bytes (jest walks big arrays slowly).
    const bytes = (lists: Int32Array[]) => lists.map((l) => Buffer.from(l.buffer, l.byteOffset, l.byteLength).toString('hex'));
    expect(bytes(index.withPrefix('alpha'))).toEqual(bytes([expected(() => true)]));
    expect(bytes(index.withPrefix('w999'))).toEqual(bytes([expected((i) => i % 1000 === 999)]));
    expect(bytes(index.withPrefix('x3'))).toEqual(bytes([expected((i) => i % 7 === 3)]));
  });
});

describe('SearchIndex with more words than one sorted run', () => {
  it('finds every word by prefix as a brute-force scan does', () => {
    // 20,000 distinct words in scrambled order: sorted in runs of 8,192 and merged.
    const words = Array.from({ length: 20_000 }, (_, i) => `w${((i * 7919) % 20_000).toString(36)}`);
    const index = SearchIndex.of(words);
    const expected = (prefix: string) => words.flatMap((w, i) => (w.startsWith(prefix) ? [i] : [])).sort((a, b) => a - b);
    const found = (prefix: string) => index.withPrefix(prefix).flatMap((ids) => [...ids]).sort((a, b) => a - b);
    expect(index.wordCount).toBe(20_000);
    for (const prefix of ['w', 'wa', 'w1', 'wz', 'w9f', 'x']) expect(found(prefix)).toEqual(expected(prefix));
  });
});

describe('SearchIndexBuilder.learn (a compaction starts from the old index)', () => {
  const build = (texts: string[], known?: SearchIndex) => {
    const builder = new SearchIndexBuilder();
    if (known) runToEnd(builder.learn(known));
    for (const text of texts) builder.add([text]);
    builder.addToAll('Jabal Zawiya', Int32Array.of(0, 2));
    return builder.build();
  };
  const words = (index: SearchIndex) => Array.from({ length: index.wordCount }, (_, i) => index.wordAt(i));
  const old = build(['alpha beta delta', 'gamma 12', 'delta beta']);
  const texts = ['beta zeta 120', 'Alpha aardvark', 'omega gamma Ärger', 'zawiya 11'];
  const fresh = build(texts);

  it('places new words among the known ones in word order and finds every prefix as a fresh build does', () => {
    const learned = build(texts, old);
    // "delta" and "12" are known but no position has them now: they are left out.
    expect(words(old)).toEqual(expect.arrayContaining(['delta', '12']));
    expect(words(learned)).toEqual(words(fresh));
    for (const prefix of ['a', 'al', 'aa', 'b', 'd', 'delta', 'g', 'z', 'zawiya', 'jabal', 'arger', '1', '12', 'o', 'x']) {
      expect([prefix, merged(learned.withPrefix(prefix))]).toEqual([prefix, merged(fresh.withPrefix(prefix))]);
      expect([prefix, learned.prefixPostings(prefix)]).toEqual([prefix, fresh.prefixPostings(prefix)]);
    }
  });

  it('gives the same words and postings when it learns from an index of the same texts', () => {
    const again = build(texts, fresh);
    expect(words(again)).toEqual(words(fresh));
    for (const w of words(fresh)) expect([w, merged(again.withPrefix(w))]).toEqual([w, merged(fresh.withPrefix(w))]);
  });

  it('must come before anything is added', () => {
    const builder = new SearchIndexBuilder();
    builder.add(['alpha']);
    expect(() => runToEnd(builder.learn(old))).toThrow(/before anything is added/);
  });
});
