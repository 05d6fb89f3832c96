/**
 * Pages of lists numbered in ascending order (the change feed by `seq`, a record's revisions by number), in the same
 * Relay shape and with the same argument checks as the store's keyset pages: a cursor encodes an item's number, so
 * it stays valid however the list grows.
 */
import { InvalidArgumentError } from '../../store/errors';
import { checkPageArgs, encodeCursor, pageBounds, pageOf, type Page, type PageArgs } from '../../store/pagination';

/** A list in ascending order of a whole number that each item carries. */
export interface NumberedList<T> {
  /** Distinguishes this list's cursors from any other's, e.g. `change.seq`. */
  cursorKind: string;
  items: readonly T[];
  numberOf(item: T): number;
}

/** The cursor of the item numbered `n` in a list of `cursorKind`. */
export function numberCursor(cursorKind: string, n: number): string {
  return encodeCursor(cursorKind, String(n));
}

/** The number a cursor of `cursorKind` encodes, or an error naming `argument` when it is not one. */
export function decodeNumberCursor(cursorKind: string, cursor: string, argument: string): number {
  const text = /^[A-Za-z0-9_-]{1,100}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = text.startsWith(`${cursorKind}:`) ? /^(0|[1-9]\d{0,14})$/.exec(text.slice(cursorKind.length + 1)) : null;
  if (!match) {
    const shown = JSON.stringify(cursor.length > 60 ? `${cursor.slice(0, 57)}...` : cursor);
    throw new InvalidArgumentError(argument, `${shown} is not a cursor this server issued for this list; use a cursor from this list's edges or pageInfo`);
  }
  return Number(match[1]);
}

/** Index of the first item whose number is greater than `n` (binary search). */
function firstAbove<T>(list: NumberedList<T>, n: number): number {
  let lo = 0;
  let hi = list.items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list.numberOf(list.items[mid]) <= n) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The page of `list` that `args` asks for: `first`/`after` forward, `last`/`before` backward, 20 by default. */
export function pageOfNumbered<T>(list: NumberedList<T>, args: PageArgs): Page<T> {
  const { size, fromEnd } = checkPageArgs(args);
  const total = list.items.length;
  const after = args.after != null ? firstAbove(list, decodeNumberCursor(list.cursorKind, args.after, 'after')) : 0;
  const before = args.before != null ? firstAbove(list, decodeNumberCursor(list.cursorKind, args.before, 'before') - 1) : total;
  const [start, end] = pageBounds(after, before, size, fromEnd);
  const edges = list.items.slice(start, end).map((node) => ({ cursor: numberCursor(list.cursorKind, list.numberOf(node)), node }));
  return pageOf(edges, start, end, total);
}
