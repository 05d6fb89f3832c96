/**
 * What a compaction builds: the events of the base as it is now (less those superseded) merged with the overlay's,
 * and a new base over them, as steps that run in slices beside queries (`EventStore.compact` swaps it in).
 */
import type { Event } from '../data/dataset';
import type { Catalogue } from './catalogue';
import { buildBase, eventBefore, type StoreBase } from './store-base';
import type { Steps } from './steps';

/** A base over `base`'s events but those at `shadowed` (ascending), merged with `extra` (in (date, slug) order). */
export function* rebuiltBase(base: StoreBase, shadowed: Int32Array, extra: readonly Event[], catalogue: Catalogue): Steps<StoreBase> {
  const old = base.events;
  // Made at its final size: an array grown by pushes copies itself whole, in one step, each time it grows.
  const events = new Array<Event>(old.length - shadowed.length + extra.length);
  let [i, j, s, n] = [0, 0, 0, 0];
  yield 'merge events';
  while (i < old.length || j < extra.length) {
    if ((n & 4095) === 4095) yield;
    if (s < shadowed.length && shadowed[s] === i) (i++, s++);
    else if (j < extra.length && (i >= old.length || eventBefore(extra[j], old[i]))) events[n++] = extra[j++];
    else events[n++] = old[i++];
  }
  return yield* buildBase(events, catalogue, { known: base.search });
}
