/**
 * What a compaction builds: the events of the base as it is now (less those superseded) merged with the overlay's,
 * and a new base over them, as steps that run in slices beside queries (`EventStore.compact` swaps it in).
 */
import type { Event } from '../data/dataset';
import type { Arena } from './arena';
import type { Catalogue } from './catalogue';
import { buildBase, eventBefore, type EventList, type StoreBase } from './store-base';
import type { Steps } from './steps';
import { ChunkedList } from './word-table';

/** Events merged between two yields. */
export const MERGE_STEP = 4096;

/** A base over `base`'s events but those at `shadowed` (ascending), merged with `extra` (in (date, slug) order). */
export function* rebuiltBase(base: StoreBase, shadowed: Int32Array, extra: readonly Event[], catalogue: Catalogue, arena?: Arena): Steps<StoreBase> {
  yield 'merge events';
  return yield* buildBase(yield* mergedEvents(base.events, shadowed, extra), catalogue, { known: base.search, arena });
}

/**
 * `old` but the positions at `shadowed`, merged with `extra`, {@link MERGE_STEP} at a time. Kept in chunks: one
 * array of a million events was 8 MiB of fresh memory filled in one step (about 36 ms at a million events).
 */
export function* mergedEvents(old: EventList, shadowed: Int32Array, extra: readonly Event[]): Steps<EventList> {
  const events = new ChunkedList<Event>();
  let [i, j, s] = [0, 0, 0];
  while (i < old.length || j < extra.length) {
    if ((events.length & (MERGE_STEP - 1)) === MERGE_STEP - 1) yield;
    if (s < shadowed.length && shadowed[s] === i) (i++, s++);
    else if (j < extra.length && (i >= old.length || eventBefore(extra[j], old.at(i)))) events.push(extra[j++]);
    else events.push(old.at(i++));
  }
  return events;
}
