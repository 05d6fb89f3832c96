/**
 * Memory outside the heap for a base's typed arrays, recycled from one base to the next. A compaction's build used to
 * make about 210 MiB of fresh array buffers at a million events; V8 counts that as external memory, and every 64 MiB
 * of it since the last full collection starts an incremental marking of the whole heap (about a gigabyte there, half
 * a second of main-thread marking steps that land in whatever allocates, queries included, up to tens of ms each) and
 * the scavenges "for external memory pressure". A build now takes its arrays from an {@link Arena}: views of slabs
 * (large array buffers) that the base it builds then holds. When a compaction swaps a new base in, the old base's
 * slabs go back to the store's {@link SlabPool} and the next build fills them again, so a compaction makes no fresh
 * external memory but what the data grew by. The first load's build also reserves as much again (fresh buffers whose
 * pages are not touched until used), so the first compaction takes none either.
 */

/** Bytes of one ordinary slab at most (a store of few events uses smaller ones); a larger array gets a slab of its own. */
export const SLAB_BYTES = 16 << 20;
/** Arrays smaller than this are made fresh (a build keeps few of them). */
export const ARENA_MIN_BYTES = 4 << 10;

/** One array buffer that an arena hands out views of; `dirty` when some build wrote into it (it must be zeroed). */
interface Slab {
  buffer: ArrayBuffer;
  dirty: boolean;
}

/** The slabs of retired bases, for the next build to fill; per store. */
export class SlabPool {
  private free: Slab[] = [];
  /** Bytes of slabs made fresh so far (counted by V8 as external memory when made). */
  freshBytes = 0;

  constructor(
    /** Bytes of an ordinary slab: {@link SLAB_BYTES}, or less for a small store (see {@link slabBytesFor}). */
    readonly slabBytes = SLAB_BYTES,
  ) {}

  /** The ordinary slab size for a base of `events`: about 16 bytes an event, from 256 KiB to {@link SLAB_BYTES}. */
  static slabBytesFor(events: number): number {
    return Math.min(SLAB_BYTES, Math.max(256 << 10, 2 ** Math.ceil(Math.log2(Math.max(1, events * 16)))));
  }

  /** An arena for one build, drawing on this pool's free slabs first. */
  arena(): Arena {
    return new Arena(this);
  }

  /** Gives `arena`'s slabs back (its base is no longer read by anyone): the next build reuses them. */
  retire(arena: Arena | undefined): void {
    if (arena) for (const slab of arena.release()) this.free.push({ buffer: slab.buffer, dirty: true });
  }

  /**
   * Makes fresh slabs of the sizes `arena` took, untouched (no page is faulted in until a build writes it), for the
   * next build: the first compaction then finds the memory the first load's build took, as later ones do.
   */
  reserveLike(arena: Arena): void {
    for (const bytes of arena.slabSizes) this.free.push({ buffer: this.fresh(bytes), dirty: false });
  }

  /** Makes fresh slabs, untouched, for arrays of `lengths` Int32s that a build will take besides (see {@link reserveLike}). */
  reserveInt32s(lengths: number[]): void {
    let packed = 0;
    for (const length of lengths) {
      const bytes = (length * 4 + 7) & ~7;
      if (bytes > this.slabBytes / 2) this.free.push({ buffer: this.fresh(this.ownSlabBytes(bytes)), dirty: false });
      else if (bytes >= ARENA_MIN_BYTES) packed += bytes;
    }
    for (let made = 0; made < packed; made += this.slabBytes) this.free.push({ buffer: this.fresh(this.slabBytes), dirty: false });
  }

  /** Bytes held free now. */
  get freeBytes(): number {
    return this.free.reduce((n, s) => n + s.buffer.byteLength, 0);
  }

  /** A free slab of at least `bytes` (the smallest such), else a fresh one (see {@link ownSlabBytes}). */
  take(bytes: number): Slab {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const size = this.free[i].buffer.byteLength;
      if (size >= bytes && (best < 0 || size < this.free[best].buffer.byteLength)) best = i;
    }
    if (best >= 0) return this.free.splice(best, 1)[0];
    return { buffer: this.fresh(this.ownSlabBytes(bytes)), dirty: false };
  }

  /** The size of a fresh slab for `bytes`: an ordinary one, or (larger) its own, rounded up to 64 KiB. */
  private ownSlabBytes(bytes: number): number {
    return Math.max(this.slabBytes, Math.ceil(bytes / (64 << 10)) * (64 << 10));
  }

  private fresh(bytes: number): ArrayBuffer {
    this.freshBytes += bytes;
    return new ArrayBuffer(bytes);
  }
}

/** A typed array `arena` hands out: whether it must be zeroed before use (its memory held an older base's arrays). */
export interface ArenaArray<T> {
  array: T;
  dirty: boolean;
}

/** Hands out views of slabs to one build, one after another (never freed singly); the base built keeps them. */
export class Arena {
  private readonly slabs: Slab[] = [];
  private current: Slab | undefined;
  private used = 0;
  /** Bytes handed out. */
  bytes = 0;

  constructor(private readonly pool: SlabPool) {}

  /** An Int32Array of `length` (its contents are whatever the memory held when `dirty`); fresh when too small to bother. */
  int32(length: number): ArenaArray<Int32Array<ArrayBuffer>> {
    const at = this.place(length * 4);
    return at ? { array: new Int32Array(at.slab.buffer, at.offset, length), dirty: at.slab.dirty } : { array: new Int32Array(length), dirty: false };
  }

  /** The sizes of the slabs it hands out from. */
  get slabSizes(): number[] {
    return this.slabs.map((s) => s.buffer.byteLength);
  }

  /** The slabs handed out from, for the pool to take back; the arena hands out nothing more. */
  release(): Slab[] {
    const out = this.slabs.splice(0);
    this.current = undefined;
    return out;
  }

  private place(bytes: number): { slab: Slab; offset: number } | undefined {
    if (bytes < ARENA_MIN_BYTES) return undefined;
    bytes = (bytes + 7) & ~7;
    if (!this.current || this.used + bytes > this.current.buffer.byteLength) {
      // A slab of its own for a large array; else a new current slab (what the last one had left goes unused).
      const slab = this.pool.take(bytes);
      this.slabs.push(slab);
      if (bytes > this.pool.slabBytes / 2) {
        this.bytes += bytes;
        return { slab, offset: 0 };
      }
      [this.current, this.used] = [slab, 0];
    }
    const offset = this.used;
    this.used += bytes;
    this.bytes += bytes;
    return { slab: this.current, offset };
  }
}

/** An Int32Array of `length` from `arena` (see {@link Arena.int32}), or a fresh one (clean) without an arena. */
export const int32Of = (arena: Arena | undefined, length: number): ArenaArray<Int32Array<ArrayBuffer>> =>
  arena ? arena.int32(length) : { array: new Int32Array(length), dirty: false };
