/**
 * The immutable base of the store: events in (date, slug) order and the typed-array indexes built over them once.
 * It is built by a generator that yields every few thousand steps, so that a compaction can build a new one in
 * slices between queries (see `compaction.ts` and `EventStore.compact`); a first load runs it through in one go.
 */
import type { Event } from '../data/dataset';
import { addDays, isCalendarDate, toDayNumber } from '../data/dates';
import type { Arena } from './arena';
import type { Catalogue } from './catalogue';
import type { EventFilter } from './event-filter';
import { disjointUnion, intersect, range, sizeOf, union, type IdSet, type PlainSet } from './id-set';
import type { KeyedOrder } from './pagination';
import { meetAny } from './meet-lists';
import { bitsOf, isDense, keepMarked, PostingBits } from './posting-bits';
import { PostingLists } from './posting-lists';
import { SearchIndexBuilder, tokenize, type SearchIndex } from './search-index';
import { SetCache } from './set-cache';
import type { Steps } from './steps';
import type { ChunkedList } from './word-table';

/** A base's events by position, in chunks (see `ChunkedList`). */
export type EventList = ChunkedList<Event>;

/** Steps of a build between two yields. */
export const BUILD_STEP = 256;

const EVENT_KEY = /^(\d{4}-\d{2}-\d{2})\|([a-z0-9]+(?:-[a-z0-9]+)*)$/;

/** The sort key of an event: date, then slug. */
export const eventKey = (e: Event): string => `${e.date}|${e.slug}`;

/** Whether event `a` comes before event `b` in (date, slug) order. */
export const eventBefore = (a: Event, b: Event): boolean => a.date < b.date || (a.date === b.date && a.slug < b.slug);

/** First index in [0, n) for which `isBelow` is false (it must be true then false along the range). */
export function lowerBoundBy(n: number, isBelow: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (isBelow(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const EMPTY = new Int32Array(0);

/** Events and their indexes as of one moment; never changed once built. */
export class StoreBase {
  /** Recent unions of several places, actors, sources or search-word postings (bounded). */
  private readonly unions = new SetCache();
  /** Bitmaps of dense search words' postings (bounded in bytes; see `posting-bits.ts`). */
  private readonly wordBits = new PostingBits();
  /** Cursor order of the base's events by position. */
  readonly order: KeyedOrder<Event>;

  constructor(
    /** In (date, slug) order; retracted ones too. */
    readonly events: EventList,
    private readonly byCategory: Map<string, Int32Array>,
    private readonly byPlace: Map<string, Int32Array>,
    private readonly byActor: Map<string, Int32Array>,
    private readonly bySource: Map<string, Int32Array>,
    /** Positions of retracted events. */
    readonly retracted: Int32Array,
    /** The word index (a compaction's build starts from its words). */
    readonly search: SearchIndex,
    /** Longest span of any event in days, so a date filter knows how far back a still-running event can start. */
    readonly maxSpanDays: number,
    /** Positions of the events that run over more than one day (an end date after their date), ascending. */
    readonly multiDay: Int32Array,
    /** The memory its arrays are laid out in, given back for the next build's when it is swapped out (see `SlabPool`). */
    readonly arena?: Arena,
  ) {
    this.order = {
      cursorKind: 'event.date',
      keyOf: eventKey,
      isKey: (key) => EVENT_KEY.test(key),
      locate: (key) => {
        const [date, slug] = key.split('|');
        const lower = this.positionOf(date, slug);
        const hit = lower < events.length && events.at(lower).date === date && events.at(lower).slug === slug;
        return { lower, upper: hit ? lower + 1 : lower };
      },
      at: (i) => events.at(i),
    };
  }

  /** The first position whose event is at or after (date, slug). */
  positionOf(date: string, slug: string): number {
    const events = this.events;
    return lowerBoundBy(events.length, (i) => {
      const e = events.at(i);
      return e.date < date || (e.date === date && e.slug < slug);
    });
  }

  /** The position of `event` (by its date and slug), or -1 when the base does not hold it. */
  find(event: Event): number {
    const i = this.positionOf(event.date, event.slug);
    return i < this.events.length && this.events.at(i).slug === event.slug ? i : -1;
  }

  /** Positions of the events filed under a place (or inside it), actor or source, by slug. */
  filedUnder(kind: 'place' | 'actor' | 'source', slug: string): Int32Array {
    return (kind === 'place' ? this.byPlace : kind === 'actor' ? this.byActor : this.bySource).get(slug) ?? EMPTY;
  }

  /** How many events a date filter can reach, events that began up to the longest span before `from` included. */
  dateRangeSize(from: string | null, to: string | null): number {
    const events = this.events;
    const n = events.length;
    const hi = to === null ? n : lowerBoundBy(n, (i) => events.at(i).date <= to);
    const earliest = from === null || !isCalendarDate(from) ? null : addDays(from, -this.maxSpanDays);
    return Math.max(0, hi - (earliest === null ? 0 : lowerBoundBy(n, (i) => events.at(i).date < earliest)));
  }

  /** How many events are filed under one place, actor, source or category. */
  listSize(kind: 'places' | 'actors' | 'sources' | 'categories', key: string): number {
    const lists = { places: this.byPlace, actors: this.byActor, sources: this.bySource, categories: this.byCategory };
    return lists[kind].get(key)?.length ?? 0;
  }

  /** How many distinct words the word index holds. */
  get wordCount(): number {
    return this.search.wordCount;
  }

  /** How many postings the words starting with `prefix` hold. */
  prefixPostings(prefix: string): number {
    return this.search.prefixPostings(prefix);
  }

  /** Positions of the events matching an already checked `filter`, retracted ones included. */
  match(filter: EventFilter): IdSet {
    const sets: IdSet[] = [this.dateRange(filter.from ?? null, filter.to ?? null)];
    const lookups: [string, string[] | null | undefined, Map<string, Int32Array>][] = [
      ['place', filter.places, this.byPlace],
      ['actor', filter.actors, this.byActor],
      ['source', filter.sources, this.bySource],
    ];
    for (const [noun, slugs, index] of lookups) if (slugs != null) sets.push(this.unionOf(noun, slugs, index));
    if (filter.categories != null) {
      // An event has one category, so the lists of several never share an event: kept apart, they are counted
      // and paged by binary search instead of merged.
      const lists = [...new Set(filter.categories)].map((c): PlainSet => ({ kind: 'list', ids: this.byCategory.get(c) ?? EMPTY }));
      sets.push(disjointUnion(lists));
    }
    // Search words are met last, fewest postings first: the others' sizes are known, and a word that is a short
    // prefix (one list per word it starts) then meets what is left list by list rather than as a merged whole.
    const words = filter.search == null ? [] : [...new Set(tokenize(filter.search))];
    const postings = new Map(words.map((w) => [w, this.search.prefixPostings(w)]));
    words.sort((a, b) => postings.get(a)! - postings.get(b)!);
    // Smallest first: every later step walks at most what is left.
    sets.sort((a, b) => sizeOf(a) - sizeOf(b));
    let set = sets[0];
    for (let k = 1; k < sets.length && sizeOf(set) > 0; k++) set = intersect(set, sets[k]);
    for (const word of words) if (sizeOf(set) > 0) set = this.withWord(set, word, postings.get(word)!);
    return set;
  }

  /**
   * The positions of `set` whose text has a word starting with `word` (which has `postings` postings). Several lists
   * are merged once and remembered (bounded), unless `set` is so much smaller that meeting them one by one costs less.
   */
  private withWord(set: IdSet, word: string, postings: number): IdSet {
    const met = this.withDenseWord(set, word, postings);
    if (met !== undefined) return met;
    const lists = this.search.withPrefix(word);
    if (lists.length <= 1) return intersect(set, { kind: 'list', ids: lists[0] ?? EMPTY });
    const key = `search\0${word}`;
    const kept = this.unions.peek(key);
    if (kept === undefined && sizeOf(set) * 8 < postings) return meetAny(set, lists);
    return intersect(set, kept ?? this.unions.getOrMake(key, () => union(lists)));
  }

  /**
   * The positions of `set` (a list, or lists that share no position) whose text has a word starting with `word`, by
   * one bit test each against the word's bitmap, when the word is dense (see `posting-bits.ts`); undefined otherwise.
   * The bitmap is made (and kept) when the set is big enough that meeting the postings would walk them anyway.
   */
  private withDenseWord(set: IdSet, word: string, postings: number): IdSet | undefined {
    const size = this.events.length;
    if (!isDense(postings, size)) return undefined;
    const parts = set.kind === 'list' ? [set] : set.kind === 'disjoint' ? set.parts : [];
    if (!parts.length || parts.some((p) => p.kind !== 'list')) return undefined;
    let bits = this.wordBits.get(word);
    if (bits === undefined) {
      if (sizeOf(set) * 8 < postings) return undefined;
      bits = bitsOf(this.search.withPrefix(word), size);
      this.wordBits.add(word, bits);
    }
    const marked = bits;
    return disjointUnion(parts.map((p): PlainSet => ({ kind: 'list', ids: keepMarked((p as { ids: Int32Array }).ids, marked) })));
  }

  /** How many dense words' bitmaps are kept, and their bytes. */
  get wordBitsStats(): { entries: number; bytes: number } {
    return this.wordBits.stats;
  }

  /** The events filed under any of `slugs` in `index`; unions of several are remembered (bounded) by their slugs. */
  private unionOf(noun: string, slugs: string[], index: Map<string, Int32Array>): IdSet {
    const unique = [...new Set(slugs)].sort();
    const lists = unique.map((s) => index.get(s) ?? EMPTY);
    if (lists.length <= 1) return { kind: 'list', ids: lists[0] ?? EMPTY };
    return this.unions.getOrMake(`${noun}\0${unique.join('\0')}`, () => union(lists));
  }

  /** Events whose [date, endDate] overlaps [from, to]. */
  private dateRange(from: string | null, to: string | null): IdSet {
    const events = this.events;
    const n = events.length;
    const hi = to === null ? n : lowerBoundBy(n, (i) => events.at(i).date <= to);
    if (from === null) return range(0, hi);
    const lo = lowerBoundBy(n, (i) => events.at(i).date < from);
    if (this.maxSpanDays === 0) return range(lo, hi);
    // Events that began before `from` but run into it sit just before `lo`.
    const earliest = addDays(from, -this.maxSpanDays);
    const early: number[] = [];
    for (let i = lowerBoundBy(n, (j) => events.at(j).date < earliest); i < Math.min(lo, hi); i++) {
      const end = events.at(i).endDate;
      if (end !== null && end >= from) early.push(i);
    }
    if (!early.length) return range(lo, hi);
    // Kept as the few early events and the range after them, not copied into one list.
    return disjointUnion([{ kind: 'list', ids: Int32Array.from(early) }, range(lo, hi)]);
  }
}

/** The posting lists and word index a build files events into, and each place's, actor's and source's lists. */
interface Filers {
  category: PostingLists;
  place: PostingLists;
  actor: PostingLists;
  source: PostingLists;
  search: SearchIndexBuilder;
  placeFiling: Map<string, number[]>;
  actorFiling: Map<string, number>;
  sourceFiling: Map<string, number>;
}

/**
 * Files event `e` at position `i`: its category, places (and those they lie in), actors, sources and words. A plain
 * function with indexed loops, apart from the generator, so that it is optimized and allocates nothing: the
 * iterators of its loops inside the generator were most of a compaction's garbage (about 500 MB at a million
 * events, sampled), whose scavenges then paused queries.
 */
function fileEvent(f: Filers, e: Event, i: number): void {
  f.category.add(e.category, i);
  const { places, participants, quotes, sources, casualties } = e;
  for (let k = 0; k < places.length; k++) {
    const lists = f.placeFiling.get(places[k])!;
    for (let m = 0; m < lists.length; m++) f.place.addTo(lists[m], i);
  }
  f.search.startPosition();
  f.search.addText(e.title);
  f.search.addText(e.summary);
  for (let k = 0; k < participants.length; k++) {
    const p = participants[k];
    f.actor.addTo(f.actorFiling.get(p.actor)!, i);
    if (p.reportedBy) f.source.addTo(f.sourceFiling.get(p.reportedBy)!, i);
  }
  for (let k = 0; k < quotes.length; k++) {
    const q = quotes[k];
    f.actor.addTo(f.actorFiling.get(q.speaker)!, i);
    f.search.addText(q.text);
    if (q.reportedBy) f.source.addTo(f.sourceFiling.get(q.reportedBy)!, i);
  }
  for (let k = 0; k < sources.length; k++) f.source.addTo(f.sourceFiling.get(sources[k].source)!, i);
  for (let k = 0; k < casualties.length; k++) f.source.addTo(f.sourceFiling.get(casualties[k].reportedBy)!, i);
  f.search.endPosition();
}

/**
 * Builds the base over `events` (in (date, slug) order) with places, actors and their names as `catalogue` has
 * them, yielding every {@link BUILD_STEP} steps or so; the generator's result is the base. `from.known`, the word
 * index of the base a compaction replaces, gives the words first (in order, sizing the word index so it does not
 * grow meanwhile).
 */
export function* buildBase(events: EventList, catalogue: Catalogue, from: { known?: SearchIndex; arena?: Arena } = {}): Steps<StoreBase> {
  const category = new PostingLists();
  const place = new PostingLists();
  const actor = new PostingLists();
  const source = new PostingLists();
  const retracted: number[] = [];
  const search = new SearchIndexBuilder({ positions: events.length, words: from.known?.wordCount }, from.arena);
  if (from.known) {
    yield 'learn words';
    yield* search.learn(from.known);
  } else yield* search.prepare();
  // Per place, actor and source, once: the posting lists an event there is filed under (for a place, the place
  // and every place it lies in); each event then costs one lookup per place, actor or source.
  const placeFiling = new Map<string, number[]>();
  for (const p of catalogue.places) placeFiling.set(p.slug, [p.slug, ...p.ancestors].map((s) => place.listOf(s)));
  const actorFiling = new Map<string, number>();
  for (const a of catalogue.actors) actorFiling.set(a.slug, actor.listOf(a.slug));
  const sourceFiling = new Map<string, number>();
  for (const s of catalogue.sources) sourceFiling.set(s.slug, source.listOf(s.slug));
  const filers: Filers = { category, place, actor, source, search, placeFiling, actorFiling, sourceFiling };
  let maxSpan = 0;
  const multiDay: number[] = [];
  yield 'file events';
  for (let i = 0; i < events.length; i++) {
    if ((i & (BUILD_STEP - 1)) === BUILD_STEP - 1) yield;
    const e = events.at(i);
    if (e.status === 'RETRACTED') retracted.push(i);
    if (e.endDate && e.endDate !== e.date) {
      maxSpan = Math.max(maxSpan, toDayNumber(e.endDate) - toDayNumber(e.date));
      multiDay.push(i);
    }
    fileEvent(filers, e, i);
  }
  yield 'lay out categories';
  const byCategory = yield* category.layOut(from.arena);
  yield 'lay out places';
  const byPlace = yield* place.layOut(from.arena);
  yield 'lay out actors';
  const byActor = yield* actor.layOut(from.arena);
  yield 'lay out sources';
  const bySource = yield* source.layOut(from.arena);
  // An event's place names (its places' and those they lie in) and actor names (participants, speakers) are
  // searched as its text is. The events filed under a place or actor are just those, so each name is indexed
  // once, at every position of its list, instead of event by event.
  const named: [string, Int32Array | undefined][] = [
    ...catalogue.places.map((p): [string, Int32Array | undefined] => [p.name, byPlace.get(p.slug)]),
    ...catalogue.actors.map((a): [string, Int32Array | undefined] => [a.name, byActor.get(a.slug)]),
  ];
  yield 'index names';
  for (let k = 0; k < named.length; k++) {
    if ((k & (BUILD_STEP - 1)) === BUILD_STEP - 1) yield;
    search.addToAll(named[k][0], named[k][1] ?? EMPTY);
  }
  const index = yield* search.building();
  yield 'make base';
  return new StoreBase(events, byCategory, byPlace, byActor, bySource, Int32Array.from(retracted), index, maxSpan, Int32Array.from(multiDay), from.arena);
}
