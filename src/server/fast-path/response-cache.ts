/**
 * Answers already sent, serialized once, keyed by the data version and the exact request (body and the headers
 * that change the answer).
 * The version is part of every key, so an entry can never be replayed for other data; the fast path also clears the
 * cache when the version moves. The cache is bounded by entries and by bytes.
 */

/** Bounds of a {@link ResponseCache}. */
export interface ResponseCacheLimits {
  /** Most answers kept; 0 turns the cache off. */
  maxEntries: number;
  /** Most bytes of answers kept. */
  maxBytes: number;
}

/** A least-recently-used map from request to its answer, bounded by count and by the bytes of the answers' bodies. */
export class ResponseCache<T extends { body: Buffer }> {
  private readonly entries = new Map<string, T>();
  private bytes = 0;

  constructor(private readonly limits: ResponseCacheLimits) {}

  /** Whether the cache keeps anything at all. */
  get enabled(): boolean {
    return this.limits.maxEntries > 0;
  }

  /** How many answers are kept. */
  get size(): number {
    return this.entries.size;
  }

  /** Drops every answer (the data changed). */
  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  /** The answer kept for `key`, marking it recently used. */
  get(key: string): T | undefined {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  /** Keeps `answer` for `key`, dropping the least recently used answers to stay within the limits. */
  set(key: string, answer: T): void {
    if (!this.enabled || answer.body.length > this.limits.maxBytes) return;
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.body.length;
      this.entries.delete(key);
    }
    this.entries.set(key, answer);
    this.bytes += answer.body.length;
    for (const [oldest, value] of this.entries) {
      if (this.entries.size <= this.limits.maxEntries && this.bytes <= this.limits.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= value.body.length;
    }
  }
}
