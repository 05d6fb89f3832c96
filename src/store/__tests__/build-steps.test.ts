/**
 * A build (a first load, or a compaction beside queries) runs as steps that each do a bounded amount of work, so that
 * at a million events no slice of a compaction holds queries up for long. Work is counted, not timed: events read,
 * and elements of typed arrays copied, filled or sorted in one call (the bulk operations a step cannot cut short
 * once started; a fresh zero-filled array is not counted, its pages are filled as it is written).
 */
import type { Event } from '../../data/dataset';
import { buildWideDataset } from '../../test-support/wide-dataset';
import { SlabPool } from '../arena';
import { Catalogue } from '../catalogue';
import type { EventFilter } from '../event-filter';
import { rebuiltBase } from '../compaction';
import { sizeOf } from '../id-set';
import { buildBase, type EventList, type StoreBase } from '../store-base';
import { runToEnd, type Steps } from '../steps';
import { ChunkedList } from '../word-table';

/** Units of work done since the counter was last reset. */
let work = 0;

type TypedArrayClass = Int32ArrayConstructor | Uint8ArrayConstructor;

/** `Base` with every bulk copy, fill and sort counted in {@link work}. */
function counting(Base: TypedArrayClass): TypedArrayClass {
  /* eslint-disable @typescript-eslint/no-explicit-any */
  const Counted = class extends (Base as any) {
    constructor(...args: any[]) {
      super(...args);
      // A copy of an array or list (not a view of a buffer, not a fresh zero-filled array).
      // (Checked by tag: a buffer from another realm is not an instance of this one's ArrayBuffer.)
      if (typeof args[0] === 'object' && Object.prototype.toString.call(args[0]) !== '[object ArrayBuffer]') work += (this as any).length;
    }
    static from(...args: any[]): any {
      const out = (super.from as any)(...args);
      work += out.length;
      return out;
    }
    set(source: ArrayLike<number>, offset?: number): void {
      work += source.length;
      super.set(source, offset);
    }
    slice(start?: number, end?: number): any {
      const out = super.slice(start, end);
      work += out.length;
      return out;
    }
    fill(value: number, start?: number, end?: number): any {
      work += (this as any).length;
      return super.fill(value, start, end);
    }
    sort(compare?: (a: number, b: number) => number): any {
      work += (this as any).length;
      return super.sort(compare);
    }
  };
  return Counted as unknown as TypedArrayClass;
  /* eslint-enable @typescript-eslint/no-explicit-any */
}

/** `events` as a base keeps them, with every read of an event counted in {@link work}. */
function countingReads(events: Event[]): EventList {
  const list = ChunkedList.of(events);
  const at = list.at.bind(list);
  list.at = (i) => (work++, at(i));
  return list;
}

/** The most elements of any array made by `new Array(n)` since it was last reset (a fresh block filled at once). */
let largestArray = 0;

/** `Array`, with the length of every `new Array(n)` taken into {@link largestArray}. */
const countingArray = new Proxy(Array, {
  construct(target, args: unknown[]) {
    if (args.length === 1 && typeof args[0] === 'number') largestArray = Math.max(largestArray, args[0]);
    return Reflect.construct(target, args) as object;
  },
});

/** Runs `steps` to the end; the most work any one step did, the work of all, and the result. */
function measureSteps<T>(steps: Steps<T>): { most: number; total: number; steps: number; value: T } {
  let [most, total, count] = [0, 0, 0];
  for (;;) {
    work = 0;
    const step = steps.next();
    [most, total, count] = [Math.max(most, work), total + work, count + 1];
    if (step.done) return { most, total, steps: count, value: step.value };
  }
}

/** Most work one step may do: well below one pass over the data sets here (over a million units of work). */
const STEP_WORK = 1 << 16;
const EVENTS = 40_000;

const originals = { Int32Array: globalThis.Int32Array, Uint8Array: globalThis.Uint8Array, Array: globalThis.Array };
beforeAll(() => Object.assign(globalThis, { Int32Array: counting(Int32Array), Uint8Array: counting(Uint8Array), Array: countingArray }));
afterAll(() => Object.assign(globalThis, originals));

describe('a build of the base, in steps', () => {
  const dataset = buildWideDataset({ width: 300, depth: 10, events: EVENTS });
  const catalogue = Catalogue.of(dataset);
  let base: StoreBase;

  beforeAll(() => {
    // A first load runs through at once; only a compaction's build runs in slices beside queries.
    base = runToEnd(buildBase(countingReads(dataset.events), catalogue));
  });

  it('does a bounded amount of work between two yields in a compaction, over every event', () => {
    const shadowed = Int32Array.from({ length: 500 }, (_, k) => k * 70);
    const extra = [...shadowed].map((p) => ({ ...dataset.events[p], title: `${dataset.events[p].title} revised ${p}` }));
    largestArray = 0;
    const { most, total, value } = measureSteps(rebuiltBase(base, shadowed, extra, catalogue));
    expect(value.events.length).toBe(EVENTS);
    expect(value.events.at(70).title).toBe(`${dataset.events[70].title} revised 70`);
    expect(sizeOf(value.match({ search: 'revised' }))).toBe(500);
    expect(value.match({ search: 'province' })).toEqual(base.match({ search: 'province' }));
    // The counting sees the work: every event is read, posting lists are copied and laid out.
    expect(total).toBeGreaterThan(EVENTS);
    expect(most).toBeLessThanOrEqual(STEP_WORK);
    // No array of every event is made at once (one of a million events is 8 MiB of fresh memory filled in one step).
    expect(largestArray).toBeLessThan(EVENTS / 2);
  });

  it('does a bounded amount of work between two yields in memory recycled from an older base, and answers the same', () => {
    // As a store does it: the first load in an arena, then a compaction in the memory of a base swapped out before.
    const pool = new SlabPool();
    const older = runToEnd(buildBase(ChunkedList.of(dataset.events), catalogue, { arena: pool.arena() }));
    pool.retire(older.arena);
    const fresh = pool.freshBytes;
    const shadowed = Int32Array.from({ length: 500 }, (_, k) => k * 70);
    const extra = [...shadowed].map((p) => ({ ...dataset.events[p], title: `${dataset.events[p].title} revised ${p}` }));
    const { most, value } = measureSteps(rebuiltBase(base, shadowed, extra, catalogue, pool.arena()));
    expect(most).toBeLessThanOrEqual(STEP_WORK);
    // The older base's memory was enough (the data did not grow) and was zeroed where the build counts on zeros.
    expect(pool.freshBytes).toBe(fresh);
    const again = runToEnd(rebuiltBase(base, shadowed, extra, catalogue));
    for (const filter of [{ search: 'revised' }, { search: 'province' }, { categories: ['ARMED_CLASH'] }, { places: [dataset.places[3].slug] }, { actors: [dataset.actors[1].slug] }] as EventFilter[])
      expect(value.match(filter)).toEqual(again.match(filter));
  });
});
