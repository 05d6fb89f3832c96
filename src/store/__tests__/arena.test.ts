import { ARENA_MIN_BYTES, SLAB_BYTES, SlabPool } from '../arena';
import { runToEnd, zeroedInSteps } from '../steps';

describe('Arena and SlabPool', () => {
  it('hands out views that do not overlap, in slabs it takes fresh when the pool has none', () => {
    const pool = new SlabPool();
    const arena = pool.arena();
    const arrays = [1000, 5000, 300_000, 1 << 22, 7000].map((n) => arena.int32(n));
    arrays.forEach(({ array, dirty }, k) => {
      expect(dirty).toBe(false);
      array.fill(k + 1);
    });
    // Each still holds what was written into it: no two share memory.
    arrays.forEach(({ array }, k) => expect(array.every((v) => v === k + 1)).toBe(true));
    // The 16 MiB array has a slab of its own; the others share one.
    expect(arena.slabSizes.sort((a, b) => a - b)).toEqual([SLAB_BYTES, SLAB_BYTES]);
    expect(pool.freshBytes).toBe(2 * SLAB_BYTES);
  });

  it('lends a retired arena’s slabs to the next build, marked dirty, and takes no fresh memory for the same sizes', () => {
    const pool = new SlabPool();
    const first = pool.arena();
    const sizes = [3000, 200_000, 1 << 22];
    const before = sizes.map((n) => first.int32(n).array.fill(-7).buffer);
    pool.retire(first);
    const fresh = pool.freshBytes;
    const second = pool.arena();
    const taken = sizes.map((n) => second.int32(n));
    expect(pool.freshBytes).toBe(fresh);
    expect(taken.every((t) => t.dirty)).toBe(true);
    expect(new Set(taken.map((t) => t.array.buffer))).toEqual(new Set(before));
    // What the older base held is still there: a caller that needs zeros zeroes it (zeroedInSteps does).
    expect(taken[0].array[0]).toBe(-7);
  });

  it('zeroes recycled memory in steps where zeros are wanted', () => {
    const pool = new SlabPool();
    const first = pool.arena();
    first.int32(100_000).array.fill(42);
    pool.retire(first);
    const zeroed = runToEnd(zeroedInSteps(100_000, pool.arena()));
    expect(zeroed).toHaveLength(100_000);
    expect(zeroed.every((v) => v === 0)).toBe(true);
  });

  it('makes small arrays fresh, outside any slab', () => {
    const pool = new SlabPool();
    const small = pool.arena().int32(ARENA_MIN_BYTES / 4 - 1);
    expect(small.array.buffer.byteLength).toBe(ARENA_MIN_BYTES - 4);
    expect(pool.freshBytes).toBe(0);
  });

  it('uses small slabs for a small store, so it holds little spare memory', () => {
    expect(SlabPool.slabBytesFor(10_000)).toBe(256 << 10);
    expect(SlabPool.slabBytesFor(100_000)).toBe(2 << 20);
    expect(SlabPool.slabBytesFor(1_000_000)).toBe(SLAB_BYTES);
    const pool = new SlabPool(256 << 10);
    const arena = pool.arena();
    arena.int32(10_000);
    arena.int32(50_000);
    // The second fits in what the first slab has left; the third, over half a slab, gets its own (in 64 KiB).
    arena.int32(100_000);
    expect(arena.slabSizes).toEqual([256 << 10, 7 * (64 << 10)]);
  });

  it('reserves, untouched, slabs of the sizes a build took', () => {
    const pool = new SlabPool();
    const arena = pool.arena();
    arena.int32(1 << 23);
    arena.int32(2000);
    pool.reserveLike(arena);
    expect(pool.freeBytes).toBe((1 << 25) + SLAB_BYTES);
    const next = pool.arena();
    const fresh = pool.freshBytes;
    expect(next.int32(1 << 23).dirty).toBe(false);
    expect(pool.freshBytes).toBe(fresh);
  });
});
