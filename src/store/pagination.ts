/**
 * Keyset pagination in the shape of Relay connections. A cursor encodes the position of an item
 * in the order (its sort key), not an offset, so it stays valid across restarts on the same data
 * and a page after any cursor costs a binary search, wherever it is.
 */
import { InvalidArgumentError } from './errors';
import { rank, sizeOf, slice, type IdSet } from './id-set';

/** The page a client asks for; at most one of `first` and `last`. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** Where a page sits in the whole ordered list. */
export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

/** One page of items with their cursors, and the size of the whole list. */
export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** Ascending or descending. */
export type Direction = 'ASC' | 'DESC';

/** Page size when the client gives neither `first` nor `last`. */
export const DEFAULT_PAGE_SIZE = 20;
/** Largest `first` or `last` a client may ask for. */
export const MAX_PAGE_SIZE = 100;

/** How one kind of list is ordered: the sort key of an item and where a key falls in the order. */
export interface KeyedOrder<T> {
  /** Distinguishes cursors of this list from those of any other, e.g. `event.date`. */
  cursorKind: string;
  keyOf(item: T): string;
  /** Whether a decoded key has the shape this list's keys have. */
  isKey(key: string): boolean;
  /** Global positions of the first item whose key is >= `key` (lower) and > `key` (upper). */
  locate(key: string): { lower: number; upper: number };
  /** The item at a global position. */
  at(position: number): T;
}

/** Encodes a sort key as an opaque cursor. */
export function encodeCursor(kind: string, key: string): string {
  return Buffer.from(`${kind}:${key}`, 'utf8').toString('base64url');
}

/** Decodes a cursor of `order`'s kind, or fails naming the argument it came in. */
function decodeCursor(order: KeyedOrder<unknown>, cursor: string, argument: string): string {
  const text = /^[A-Za-z0-9_-]{1,400}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const prefix = `${order.cursorKind}:`;
  const key = text.startsWith(prefix) ? text.slice(prefix.length) : null;
  if (key === null || !order.isKey(key)) {
    throw new InvalidArgumentError(
      argument,
      `${JSON.stringify(cursor.length > 60 ? `${cursor.slice(0, 57)}...` : cursor)} is not a cursor this server issued for this list; use a cursor from this list's edges or pageInfo`,
    );
  }
  return key;
}

/** Checks `first`/`last` and returns the requested page size and which end it counts from. */
export function checkPageArgs(args: PageArgs, maxSize = MAX_PAGE_SIZE): { size: number; fromEnd: boolean } {
  const { first, last } = args;
  if (first != null && last != null) {
    throw new InvalidArgumentError('first', 'cannot be combined with last; page forward with first/after or backward with last/before');
  }
  for (const [name, value] of [['first', first], ['last', last]] as const) {
    if (value != null && (!Number.isInteger(value) || value < 1 || value > maxSize)) {
      throw new InvalidArgumentError(name, `must be between 1 and ${maxSize}, got ${value}`);
    }
  }
  return { size: first ?? last ?? DEFAULT_PAGE_SIZE, fromEnd: last != null };
}

/** The page of `set` (global positions, ascending) that `args` asks for, in `direction` order; pages hold at most `maxSize`. */
export function paginate<T>(set: IdSet, order: KeyedOrder<T>, direction: Direction, args: PageArgs, maxSize = MAX_PAGE_SIZE): Page<T> {
  const { size, fromEnd } = checkPageArgs(args, maxSize);
  const total = sizeOf(set);
  const asc = direction === 'ASC';
  let start = 0;
  let end = total;
  if (args.after != null) {
    const { lower, upper } = order.locate(decodeCursor(order, args.after, 'after'));
    start = asc ? rank(set, upper) : total - rank(set, lower);
  }
  if (args.before != null) {
    const { lower, upper } = order.locate(decodeCursor(order, args.before, 'before'));
    end = asc ? rank(set, lower) : total - rank(set, upper);
  }
  end = Math.max(start, end);
  if (fromEnd) start = Math.max(start, end - size);
  else end = Math.min(end, start + size);

  // The positions of the page, ascending: a descending page is read from the other end and turned round.
  const positions = asc ? slice(set, start, end) : slice(set, total - end, total - start).reverse();
  const edges: Page<T>['edges'] = [];
  for (const position of positions) {
    const node = order.at(position);
    edges.push({ cursor: encodeCursor(order.cursorKind, order.keyOf(node)), node });
  }
  return {
    edges,
    pageInfo: {
      hasPreviousPage: start > 0,
      hasNextPage: end < total,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount: total,
  };
}
