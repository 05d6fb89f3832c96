/**
 * The edge cases of graphql-relay-js's arrayConnection tests (basic slicing, first/after,
 * last/before, both cursors with too few, too many and exactly enough items, cursors outside the
 * list, crossed cursors), ported to our keyset `paginate` over five letters A..E, plus the
 * cases a keyset and a descending order add.
 *
 * Our pageInfo deliberately differs from graphql-relay's: hasPreviousPage and hasNextPage are
 * worked out truthfully from the whole list in both directions. hasPreviousPage is true whenever
 * some item comes before the first returned edge (graphql-relay says false whenever paging with
 * first/after), and hasNextPage whenever some item comes after the last one (graphql-relay says
 * false whenever paging with last/before). An empty page answers for the gap it sits in. The
 * expectations below are for our semantics. Bad page sizes and cursors are errors here, where
 * graphql-relay ignores a cursor it cannot read.
 */
import type { Event } from '../../data/dataset';
import { InvalidArgumentError } from '../errors';
import { EventStore } from '../event-store';
import { disjointUnion, range, type IdSet } from '../id-set';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, encodeCursor, paginate, paginateList, positionList, type Direction, type KeyedOrder, type Page, type PageArgs } from '../pagination';
import { buildDataset } from './fixtures/dataset';

/** An order over sorted one- or two-letter keys, built the way the store builds its orders. */
function letterOrder(items: string[]): KeyedOrder<string> {
  return {
    cursorKind: 'letter',
    keyOf: (item) => item,
    isKey: (key) => /^[0-9A-Z]{1,2}$/.test(key),
    locate: (key) => {
      const lower = items.filter((item) => item < key).length;
      return { lower, upper: items[lower] === key ? lower + 1 : lower };
    },
    at: (position) => items[position],
  };
}

const cursor = (key: string) => encodeCursor('letter', key);
const edge = (key: string) => ({ cursor: cursor(key), node: key });

/** The page expected to hold `letters` (in page order) out of a list of `totalCount`. */
function page(letters: string, hasPreviousPage: boolean, hasNextPage: boolean, totalCount = 5): Page<string> {
  const keys = [...letters];
  return {
    edges: keys.map(edge),
    pageInfo: {
      hasPreviousPage,
      hasNextPage,
      startCursor: keys.length ? cursor(keys[0]) : null,
      endCursor: keys.length ? cursor(keys[keys.length - 1]) : null,
    },
    totalCount,
  };
}

/** The argument and message of the InvalidArgumentError that `run` throws. */
function argumentError(run: () => unknown): { argument: string; message: string } {
  try {
    run();
  } catch (err) {
    if (err instanceof InvalidArgumentError) return { argument: err.argument, message: err.message };
    throw err;
  }
  throw new Error('expected an InvalidArgumentError');
}

/**
 * The same five items A..E two ways: as the whole of a range, and as a list picked out of a
 * longer order whose other keys (AB, BC, ...) sit between them, as a filter picks events.
 */
const lists: [string, string[], IdSet][] = [
  ['a range of A..E', ['A', 'B', 'C', 'D', 'E'], range(0, 5)],
  [
    'a list of A..E picked from a longer order',
    ['A', 'AB', 'B', 'BC', 'C', 'CD', 'D', 'DE', 'E', 'EF'],
    { kind: 'list', ids: Int32Array.from([0, 2, 4, 6, 8]) },
  ],
  [
    'a disjoint union of A..E (two lists and a range, as categories and dates give)',
    ['A', 'AB', 'B', 'BC', 'C', 'CD', 'D', 'DE', 'E', 'EF'],
    disjointUnion([{ kind: 'list', ids: Int32Array.from([2, 6]) }, { kind: 'list', ids: Int32Array.from([0]) }, range(8, 9), { kind: 'list', ids: Int32Array.from([4]) }]),
  ],
];

describe.each(lists)('paginate over %s', (_name, items, set) => {
  const order = letterOrder(items);
  const asc = (args: PageArgs) => paginate(set, order, 'ASC', args);
  const desc = (args: PageArgs) => paginate(set, order, 'DESC', args);

  describe('basic slicing', () => {
    it('returns all items without arguments', () => {
      expect(asc({})).toEqual(page('ABCDE', false, false));
    });

    it('respects a smaller first', () => {
      expect(asc({ first: 2 })).toEqual(page('AB', false, true));
    });

    it('respects an overly large first', () => {
      expect(asc({ first: 10 })).toEqual(page('ABCDE', false, false));
    });

    it('respects a smaller last', () => {
      expect(asc({ last: 2 })).toEqual(page('DE', true, false));
    });

    it('respects an overly large last', () => {
      expect(asc({ last: 10 })).toEqual(page('ABCDE', false, false));
    });

    it('takes first and last of exactly the whole list', () => {
      expect([asc({ first: 5 }), asc({ last: 5 })]).toEqual([page('ABCDE', false, false), page('ABCDE', false, false)]);
    });
  });

  describe('paging', () => {
    it('respects first and after (with a previous page, unlike graphql-relay)', () => {
      expect(asc({ first: 2, after: cursor('B') })).toEqual(page('CD', true, true));
    });

    it('respects first and after with a long first', () => {
      expect(asc({ first: 10, after: cursor('B') })).toEqual(page('CDE', true, false));
    });

    it('respects last and before (with a next page, unlike graphql-relay)', () => {
      expect(asc({ last: 2, before: cursor('D') })).toEqual(page('BC', true, true));
    });

    it('respects last and before with a long last', () => {
      expect(asc({ last: 10, before: cursor('D') })).toEqual(page('ABC', false, true));
    });

    it('respects first and after and before: too few, too many, exactly right', () => {
      const between = { after: cursor('A'), before: cursor('E') };
      expect([asc({ first: 2, ...between }), asc({ first: 4, ...between }), asc({ first: 3, ...between })]).toEqual([
        page('BC', true, true),
        page('BCD', true, true),
        page('BCD', true, true),
      ]);
    });

    it('respects last and after and before: too few, too many, exactly right', () => {
      const between = { after: cursor('A'), before: cursor('E') };
      expect([asc({ last: 2, ...between }), asc({ last: 4, ...between }), asc({ last: 3, ...between })]).toEqual([
        page('CD', true, true),
        page('BCD', true, true),
        page('BCD', true, true),
      ]);
    });

    it('respects first with before, counting from the start of the list', () => {
      expect([asc({ first: 2, before: cursor('D') }), asc({ first: 5, before: cursor('C') })]).toEqual([
        page('AB', false, true),
        page('AB', false, true),
      ]);
    });

    it('respects last with after, counting from the end of the list', () => {
      expect([asc({ last: 2, after: cursor('B') }), asc({ last: 5, after: cursor('C') })]).toEqual([
        page('DE', true, false),
        page('DE', true, false),
      ]);
    });

    it('takes a cursor alone', () => {
      expect([asc({ after: cursor('B') }), asc({ before: cursor('D') })]).toEqual([page('CDE', true, false), page('ABC', false, true)]);
    });
  });

  describe('cursor edge cases', () => {
    it('returns all items when the cursors lie outside the list', () => {
      expect([asc({ after: cursor('0') }), asc({ before: cursor('Z') }), asc({ after: cursor('0'), before: cursor('Z') })]).toEqual([
        page('ABCDE', false, false),
        page('ABCDE', false, false),
        page('ABCDE', false, false),
      ]);
    });

    it('returns nothing past either end, saying what lies the other way', () => {
      expect([asc({ after: cursor('Z') }), asc({ before: cursor('0') })]).toEqual([page('', true, false), page('', false, true)]);
    });

    it('returns nothing after the last item or before the first', () => {
      expect([asc({ after: cursor('E') }), asc({ first: 3, after: cursor('E') }), asc({ before: cursor('A') }), asc({ last: 3, before: cursor('A') })]).toEqual([
        page('', true, false),
        page('', true, false),
        page('', false, true),
        page('', false, true),
      ]);
    });

    it('returns the rest when a page runs out', () => {
      expect([asc({ first: 2, after: cursor('D') }), asc({ last: 2, before: cursor('B') })]).toEqual([
        page('E', true, false),
        page('A', false, true),
      ]);
    });

    it('returns nothing when the cursors cross or meet', () => {
      expect([
        asc({ after: cursor('E'), before: cursor('C') }),
        asc({ after: cursor('C'), before: cursor('B') }),
        asc({ after: cursor('C'), before: cursor('C') }),
        asc({ first: 2, after: cursor('C'), before: cursor('D') }),
      ]).toEqual([page('', true, false), page('', true, true), page('', true, true), page('', true, true)]);
    });

    it('places a cursor whose key is not in the list where its key falls', () => {
      expect([asc({ after: cursor('AB') }), asc({ before: cursor('CD') }), asc({ after: cursor('BC'), before: cursor('DE') })]).toEqual([
        page('BCDE', true, false),
        page('ABC', false, true),
        page('CD', true, true),
      ]);
    });
  });

  describe('descending', () => {
    it('returns the items in reverse, with first counting from the last item', () => {
      expect([desc({}), desc({ first: 2 }), desc({ last: 2 }), desc({ first: 2, after: cursor('D') }), desc({ last: 2, before: cursor('B') })]).toEqual([
        page('EDCBA', false, false),
        page('ED', false, true),
        page('BA', true, false),
        page('CB', true, true),
        page('DC', true, true),
      ]);
    });

    it('gives the mirror image of ascending for every combination of arguments', () => {
      // When the cursors cross, the empty page sits just past `after` in either direction, so
      // only its (lack of) items mirror; its pageInfo is checked in the cursor edge cases.
      const cross = (after?: string, before?: string) => after !== undefined && before !== undefined && after >= before;
      const sizes = [undefined, 1, 2, 3, 5, 6];
      const keys = [undefined, '0', 'A', 'AB', 'B', 'C', 'D', 'E', 'Z'];
      const described: unknown[] = [];
      const mirrored: unknown[] = [];
      for (const size of sizes) {
        for (const after of keys) {
          for (const before of keys) {
            for (const forward of [true, false]) {
              const args = { size, after, before, forward };
              const a = asc({
                [forward ? 'first' : 'last']: size,
                after: after && cursor(after),
                before: before && cursor(before),
              });
              // Reversing the order swaps first with last and after with before.
              const d = desc({
                [forward ? 'last' : 'first']: size,
                before: after && cursor(after),
                after: before && cursor(before),
              });
              const crossed = cross(after, before);
              described.push({ args, nodes: d.edges.map((e) => e.node), pageInfo: crossed || d.pageInfo, totalCount: d.totalCount });
              mirrored.push({
                args,
                nodes: a.edges.map((e) => e.node).reverse(),
                pageInfo: crossed || {
                  hasPreviousPage: a.pageInfo.hasNextPage,
                  hasNextPage: a.pageInfo.hasPreviousPage,
                  startCursor: a.pageInfo.endCursor,
                  endCursor: a.pageInfo.startCursor,
                },
                totalCount: a.totalCount,
              });
            }
          }
        }
      }
      expect(described).toEqual(mirrored);
    });
  });

  describe('walking', () => {
    const sizes = [1, 2, 3, 4, 5, 6];
    const directions: [Direction, string][] = [
      ['ASC', 'ABCDE'],
      ['DESC', 'EDCBA'],
    ];

    it.each(directions)('visits every item once, forward page by page, %s', (direction, all) => {
      for (const size of sizes) {
        const pages: string[] = [];
        let after: string | null = null;
        for (;;) {
          const p: Page<string> = paginate(set, order, direction, { first: size, after });
          expect(p.pageInfo.hasPreviousPage).toBe(pages.length > 0);
          pages.push(p.edges.map((e) => e.node).join(''));
          if (!p.pageInfo.hasNextPage || pages.length > 10) break;
          after = p.pageInfo.endCursor;
        }
        expect(pages.join('')).toBe(all);
        expect(pages.length).toBe(Math.ceil(5 / size));
      }
    });

    it.each(directions)('visits every item once, backward page by page, %s', (direction, all) => {
      for (const size of sizes) {
        const pages: string[] = [];
        let before: string | null = null;
        for (;;) {
          const p: Page<string> = paginate(set, order, direction, { last: size, before });
          expect(p.pageInfo.hasNextPage).toBe(pages.length > 0);
          pages.unshift(p.edges.map((e) => e.node).join(''));
          if (!p.pageInfo.hasPreviousPage || pages.length > 10) break;
          before = p.pageInfo.startCursor;
        }
        expect(pages.join('')).toBe(all);
        expect(pages.length).toBe(Math.ceil(5 / size));
      }
    });
  });
});

describe('paginate over an empty list', () => {
  const order = letterOrder(['A', 'B', 'C']);
  const empty: IdSet[] = [range(0, 0), { kind: 'list', ids: new Int32Array(0) }];

  it('returns no edges, no cursors and no pages either way, whatever is asked', () => {
    const results = empty.flatMap((set) =>
      (['ASC', 'DESC'] as const).flatMap((direction) =>
        [{}, { first: 3 }, { last: 3 }, { after: cursor('B') }, { before: cursor('B') }].map((args) => paginate(set, order, direction, args)),
      ),
    );
    expect(results).toEqual(results.map(() => page('', false, false, 0)));
  });
});

describe('page size', () => {
  const letters = [...'ABCDEFGHIJKLMNOPQRSTUVWXY'];
  const order = letterOrder(letters);
  const set = range(0, letters.length);

  it('is 20 when neither first nor last is given', () => {
    expect(DEFAULT_PAGE_SIZE).toBe(20);
    expect([paginate(set, order, 'ASC', {}), paginate(set, order, 'ASC', { first: null, last: null, after: cursor('T') })]).toEqual([
      page('ABCDEFGHIJKLMNOPQRST', false, true, 25),
      page('UVWXY', true, false, 25),
    ]);
  });

  it('accepts 1 to 100', () => {
    expect(MAX_PAGE_SIZE).toBe(100);
    expect([
      paginate(set, order, 'ASC', { first: 1 }),
      paginate(set, order, 'ASC', { first: 100 }),
      paginate(set, order, 'ASC', { last: 1 }),
      paginate(set, order, 'ASC', { last: 100 }),
    ]).toEqual([page('A', false, true, 25), page(letters.join(''), false, false, 25), page('Y', true, false, 25), page(letters.join(''), false, false, 25)]);
  });

  it('rejects a size outside 1..100, or first and last together, naming the argument', () => {
    const error = (args: PageArgs) => argumentError(() => paginate(set, order, 'ASC', args));
    expect([
      error({ first: 0 }),
      error({ first: 101 }),
      error({ first: -1 }),
      error({ first: 1.5 }),
      error({ last: 0 }),
      error({ last: 101 }),
      error({ last: -1 }),
      error({ first: 2, last: 2 }),
    ]).toEqual([
      { argument: 'first', message: 'first: must be between 1 and 100, got 0' },
      { argument: 'first', message: 'first: must be between 1 and 100, got 101' },
      { argument: 'first', message: 'first: must be between 1 and 100, got -1' },
      { argument: 'first', message: 'first: must be between 1 and 100, got 1.5' },
      { argument: 'last', message: 'last: must be between 1 and 100, got 0' },
      { argument: 'last', message: 'last: must be between 1 and 100, got 101' },
      { argument: 'last', message: 'last: must be between 1 and 100, got -1' },
      { argument: 'first', message: 'first: cannot be combined with last; page forward with first/after or backward with last/before' },
    ]);
  });
});

describe('cursors this server did not issue', () => {
  const order = letterOrder(['A', 'B', 'C', 'D', 'E']);
  const set = range(0, 5);
  const notOurs = (argument: 'after' | 'before', shown: string) => ({
    argument,
    message: `${argument}: ${JSON.stringify(shown)} is not a cursor this server issued for this list; use a cursor from this list's edges or pageInfo`,
  });
  const error = (args: PageArgs) => argumentError(() => paginate(set, order, 'ASC', args));

  it('are rejected, naming after or before', () => {
    const relayCursor = 'YXJyYXljb25uZWN0aW9uOjA=';
    const otherText = Buffer.from('hello world').toString('base64url');
    const otherList = encodeCursor('place', 'B');
    const badKey = encodeCursor('letter', 'b!');
    const long = 'A'.repeat(100);
    expect([
      error({ after: 'garbage!' }),
      error({ before: 'garbage' }),
      error({ after: '' }),
      error({ after: relayCursor }),
      error({ before: otherText }),
      error({ after: otherList }),
      error({ before: badKey }),
      error({ first: 2, after: cursor('B'), before: long }),
    ]).toEqual([
      notOurs('after', 'garbage!'),
      notOurs('before', 'garbage'),
      notOurs('after', ''),
      notOurs('after', relayCursor),
      notOurs('before', otherText),
      notOurs('after', otherList),
      notOurs('before', badKey),
      notOurs('before', `${'A'.repeat(57)}...`),
    ]);
  });

  it('are rejected by the store, such as a place cursor used on events', () => {
    const store = new EventStore(buildDataset());
    const placeCursor = store.placeList({ first: 1 }).edges[0].cursor;
    const actorCursor = store.actorList({ first: 1 }).edges[0].cursor;
    const eventCursor = store.query({}, undefined, { first: 1 }).edges[0].cursor;
    expect([
      argumentError(() => store.query({}, undefined, { after: placeCursor })),
      argumentError(() => store.query({}, { field: 'DATE', direction: 'DESC' }, { before: placeCursor })),
      argumentError(() => store.placeList({ after: eventCursor })),
      argumentError(() => store.placeList({ before: actorCursor })),
      argumentError(() => store.query({}, undefined, { after: encodeCursor('event.date', '5 November|hama') })),
    ]).toEqual([
      notOurs('after', placeCursor),
      notOurs('before', placeCursor),
      notOurs('after', eventCursor),
      notOurs('before', actorCursor),
      notOurs('after', encodeCursor('event.date', '5 November|hama')),
    ]);
  });
});

describe('paging the events of an EventStore', () => {
  const ASC = { field: 'DATE', direction: 'ASC' } as const;
  const DESC = { field: 'DATE', direction: 'DESC' } as const;
  const summary = (p: Page<Event>) => ({ slugs: p.edges.map((e) => e.node.slug), ...p.pageInfo, totalCount: p.totalCount });

  it('keeps cursors valid across two stores built from the same data', () => {
    const first = new EventStore(buildDataset('first'));
    const second = new EventStore(buildDataset('second'));
    const page1 = first.query({}, ASC, { first: 3 });
    const page2 = second.query({}, ASC, { first: 3, after: page1.pageInfo.endCursor });
    expect(second.query({}, ASC, { first: 3 })).toEqual(page1);
    expect(page2).toEqual(first.query({}, ASC, { first: 3, after: page1.pageInfo.endCursor }));
    expect(summary(page2)).toEqual({
      slugs: ['lavrov-meets-elaraby', 'hama-checkpoint-bombing', 'idlib-air-strike'],
      hasPreviousPage: true,
      hasNextPage: true,
      startCursor: page2.edges[0].cursor,
      endCursor: page2.edges[2].cursor,
      totalCount: 8,
    });
    expect(second.query({}, DESC, { last: 3, before: page1.pageInfo.endCursor }).edges.map((e) => e.node.slug)).toEqual([
      'idlib-air-strike',
      'hama-checkpoint-bombing',
      'lavrov-meets-elaraby',
    ]);
  });

  it('neither repeats nor skips an event when one is added before the cursor', () => {
    const before = new EventStore(buildDataset());
    const grown = buildDataset();
    grown.events.splice(1, 0, { ...grown.events[0], slug: 'new-year-rally', date: '2012-01-01' });
    const after = new EventStore(grown);
    const page1 = before.query({}, ASC, { first: 3 });
    expect(summary(after.query({}, ASC, { first: 3, after: page1.pageInfo.endCursor })).slugs).toEqual([
      'lavrov-meets-elaraby',
      'hama-checkpoint-bombing',
      'idlib-air-strike',
    ]);
  });

  it('pages through filtered events, counting only those', () => {
    const store = new EventStore(buildDataset());
    const filter = { places: ['syria'] };
    const page1 = store.query(filter, ASC, { first: 2 });
    const page2 = store.query(filter, ASC, { first: 2, after: page1.pageInfo.endCursor });
    const lastDescending = store.query(filter, DESC, { last: 1 });
    const brief = (p: Page<Event>) => {
      const { slugs, hasPreviousPage, hasNextPage, totalCount } = summary(p);
      return { slugs, hasPreviousPage, hasNextPage, totalCount };
    };
    expect([page1, page2, lastDescending].map(brief)).toEqual([
      { slugs: ['daraa-protests', 'damascus-fighting'], hasPreviousPage: false, hasNextPage: true, totalCount: 4 },
      { slugs: ['hama-checkpoint-bombing', 'idlib-air-strike'], hasPreviousPage: true, hasNextPage: false, totalCount: 4 },
      { slugs: ['daraa-protests'], hasPreviousPage: true, hasNextPage: false, totalCount: 4 },
    ]);
  });

  it('places a cursor of an event outside the filter where that event falls', () => {
    const store = new EventStore(buildDataset());
    const meeting = store.query({ search: 'elaraby' }, ASC, { first: 1 }).edges[0];
    expect(meeting.node.slug).toBe('lavrov-meets-elaraby');
    expect([
      store.query({ places: ['syria'] }, ASC, { after: meeting.cursor }),
      store.query({ places: ['syria'] }, ASC, { before: meeting.cursor }),
      store.query({ places: ['syria'] }, DESC, { after: meeting.cursor }),
    ].map((p) => p.edges.map((e) => e.node.slug))).toEqual([
      ['hama-checkpoint-bombing', 'idlib-air-strike'],
      ['daraa-protests', 'damascus-fighting'],
      ['damascus-fighting', 'daraa-protests'],
    ]);
  });

  it.each([
    ['ASC', ASC],
    ['DESC', DESC],
  ] as const)('visits every filtered event once, page by page both ways, %s', (_name, order) => {
    const store = new EventStore(buildDataset());
    const filter = { from: '2012-11-04' };
    const all = store.query(filter, order, { first: 100 }).edges.map((e) => e.node.slug);
    const forward: string[] = [];
    let after: string | null = null;
    do {
      const p: Page<Event> = store.query(filter, order, { first: 2, after });
      forward.push(...p.edges.map((e) => e.node.slug));
      after = p.pageInfo.hasNextPage ? p.pageInfo.endCursor : null;
    } while (after !== null && forward.length < 20);
    const backward: string[] = [];
    let before: string | null = null;
    do {
      const p: Page<Event> = store.query(filter, order, { last: 2, before });
      backward.unshift(...p.edges.map((e) => e.node.slug));
      before = p.pageInfo.hasPreviousPage ? p.pageInfo.startCursor : null;
    } while (before !== null && backward.length < 20);
    expect(all).toHaveLength(6);
    expect({ forward, backward }).toEqual({ forward: all, backward: all });
  });
});

describe('cursors encoded when read (lazyCursors)', () => {
  it('reads no key for a page whose cursors are never read, and gives the cursors a plain page has', () => {
    const items = ['A', 'B', 'C', 'D', 'E'];
    const keysRead: string[] = [];
    const order = { ...letterOrder(items), keyOf: (item: string) => (keysRead.push(item), item) };
    const list = positionList(range(0, 5), order);
    const lazy = paginateList(list, order, 'ASC', { first: 3, after: cursor('A') }, MAX_PAGE_SIZE, true);
    expect(lazy.edges.map((e) => e.node)).toEqual(['B', 'C', 'D']);
    expect([lazy.totalCount, lazy.pageInfo.hasPreviousPage, lazy.pageInfo.hasNextPage]).toEqual([5, true, true]);
    expect(keysRead).toEqual([]);
    expect([lazy.edges[1].cursor, lazy.edges[1].cursor]).toEqual([cursor('C'), cursor('C')]);
    expect(keysRead).toEqual(['C']);
    const read = { edges: lazy.edges.map((e) => ({ cursor: e.cursor, node: e.node })), pageInfo: { ...lazy.pageInfo, startCursor: lazy.pageInfo.startCursor, endCursor: lazy.pageInfo.endCursor }, totalCount: lazy.totalCount };
    expect(read).toEqual(page('BCD', true, true));
    expect(read).toEqual(paginateList(list, order, 'ASC', { first: 3, after: cursor('A') }));
    // Descending and empty pages too.
    const desc = paginateList(list, order, 'DESC', { last: 2 }, MAX_PAGE_SIZE, true);
    expect([desc.edges.map((e) => e.cursor), desc.pageInfo.startCursor, desc.pageInfo.endCursor]).toEqual([[cursor('B'), cursor('A')], cursor('B'), cursor('A')]);
    const none = paginateList(positionList(range(0, 0), order), order, 'ASC', {}, MAX_PAGE_SIZE, true);
    expect([none.edges, none.pageInfo.startCursor, none.pageInfo.endCursor]).toEqual([[], null, null]);
  });
});
