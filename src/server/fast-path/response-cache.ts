/**
 * Answers already sent, serialized once, keyed by the data version and the exact request (body and the headers
 * that change the answer).
 * The version is part of every key, so an entry can never be replayed for other data; the fast path also clears the
 * cache when the version moves. The cache is bounded by entries and by bytes.
 */
import { BoundedCache } from '../../store/bounded-cache';

/** Bounds of a {@link ResponseCache}. */
export interface ResponseCacheLimits {
  /** Most answers kept; 0 turns the cache off. */
  maxEntries: number;
  /** Most bytes of answers kept. */
  maxBytes: number;
}

/** A least-recently-used map from request to its answer, bounded by count and by the bytes of the answers' bodies. */
export class ResponseCache<T extends { body: Buffer }> extends BoundedCache<T> {
  constructor(limits: ResponseCacheLimits) {
    super(limits.maxEntries, limits.maxBytes, (answer) => answer.body.length);
  }

  /** Whether the cache keeps anything at all. */
  get enabled(): boolean {
    return this.maxEntries > 0;
  }

  /** Keeps `answer` for `key` (in place of any kept), dropping the least recently used answers to stay within the limits. */
  set(key: string, answer: T): void {
    if (!this.enabled || answer.body.length > this.maxCost) return;
    this.delete(key);
    this.add(key, answer);
  }
}
