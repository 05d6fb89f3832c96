/** Values by key, least recently used out first, within a bound on entries and on their cost together (positions, bytes). */
export class BoundedCache<V> {
  private readonly entries = new Map<string, V>();
  private held = 0;

  constructor(
    /** Most values kept. */
    readonly maxEntries: number,
    /** Most cost kept over all values. */
    readonly maxCost: number,
    /** What one value costs. */
    private readonly costOf: (value: V) => number,
  ) {}

  /** The value under `key` if it is kept (it becomes the most recently used). */
  get(key: string): V | undefined {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  /** The value under `key` if it is kept, leaving the order of use as it is. */
  peek(key: string): V | undefined {
    return this.entries.get(key);
  }

  /** Keeps `value` under a key not kept (unless it alone costs more than the bound), dropping the least recently used beyond the bounds. */
  add(key: string, value: V): void {
    const cost = this.costOf(value);
    if (cost > this.maxCost || this.maxEntries < 1 || this.entries.has(key)) return;
    this.entries.set(key, value);
    this.held += cost;
    for (const [oldest, old] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.held <= this.maxCost) break;
      this.entries.delete(oldest);
      this.held -= this.costOf(old);
    }
  }

  /** Drops the value under `key`, if kept. */
  delete(key: string): void {
    const old = this.entries.get(key);
    if (old === undefined) return;
    this.entries.delete(key);
    this.held -= this.costOf(old);
  }

  /** Drops every value. */
  clear(): void {
    this.entries.clear();
    this.held = 0;
  }

  /** How many values are kept. */
  get size(): number {
    return this.entries.size;
  }

  /** How many values are kept, and their cost together. */
  get kept(): { entries: number; cost: number } {
    return { entries: this.entries.size, cost: this.held };
  }
}
