/** Append-only integer lists in chunks, whose full chunks go back to a pool that the next build fills again. */
/**
 * An append-only list of integers kept in fixed-size Int32Array chunks: past the first chunk (which starts small
 * and doubles, so a short list costs little), growing it never copies what it holds, and the memory it takes
 * outside the heap grows by one chunk at a time, not by doubling (each doubling of a large typed array counts as
 * external memory pressure, which starts a full garbage collection).
 */
export class Int32Chunks {
  /** log2 of the chunk size: item `j` is item `j & (CHUNK - 1)` of chunk `j >>> BITS`. */
  static readonly BITS = 20;
  static readonly CHUNK = 1 << Int32Chunks.BITS;
  /** Size past which the first chunk no longer doubles but becomes a whole chunk. */
  static readonly GROW_TO = 1 << 13;
  /** Most spare chunks kept (4 MiB each): about what one build over a million events fills. */
  static readonly MAX_SPARE = 40;
  /**
   * Full chunks given back by lists a build no longer needs, taken by the next build instead of new ones: a
   * compaction then adds little memory outside the heap, whose growth would start a full garbage collection.
   */
  private static readonly spare: Int32Array<ArrayBuffer>[] = [];
  readonly chunks: Int32Array<ArrayBuffer>[] = [];
  private last = new Int32Array(0);
  private used = 0;
  length = 0;

  push(value: number): void {
    if (this.used === this.last.length) {
      if (this.last.length > 0 && this.last.length < Int32Chunks.CHUNK) {
        // The first chunk starts small and doubles, so a small list costs little; past a few thousand items it goes
        // to the chunk size at once, so no growth copies more than that.
        const grown = this.last.length < Int32Chunks.GROW_TO ? new Int32Array(this.last.length * 2) : (Int32Chunks.spare.pop() ?? new Int32Array(Int32Chunks.CHUNK));
        grown.set(this.last);
        this.last = grown;
        this.chunks[this.chunks.length - 1] = grown;
      } else {
        this.last = this.chunks.length ? (Int32Chunks.spare.pop() ?? new Int32Array(Int32Chunks.CHUNK)) : new Int32Array(1024);
        this.chunks.push(this.last);
        this.used = 0;
      }
    }
    this.last[this.used++] = value;
    this.length++;
  }

  /** Empties the list, keeping its full chunks (within a bound) for other lists to fill; what it held is gone. */
  release(): void {
    for (const chunk of this.chunks) if (chunk.length === Int32Chunks.CHUNK && Int32Chunks.spare.length < Int32Chunks.MAX_SPARE) Int32Chunks.spare.push(chunk);
    this.chunks.length = 0;
    this.last = new Int32Array(0);
    this.used = 0;
    this.length = 0;
  }
}
