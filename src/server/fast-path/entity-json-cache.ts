/**
 * The entity JSON cache of the fast path (entities' JSON by selection and global ID, bounded in bytes) and the gauge
 * that tells whether a cache pays for a document (see `entity-fragments.ts`, `run-learned.ts`).
 */

/**
 * Whether a cache pays for one document: here, reusing entities' JSON; in `fast-path.ts`, keeping its whole
 * answers too. While most of its answers miss the cache (entities
 * seldom asked for twice, as when paging through a million), running the rewritten document first only adds to
 * running the whole one; the whole one then runs alone, and one answer in {@link ReuseGauge.retryEvery} tries
 * the cache again (and fills it), so a document whose entities come back goes back to reusing them.
 */
export class ReuseGauge {
  /** Above this share of recent answers missing some entity, the cache is not tried. */
  static readonly maxMissRate = 0.5;
  /** Weight of the latest answer in the moving miss rate. */
  static readonly missWeight = 0.1;
  static readonly retryEvery = 16;
  private missRate = 0;
  private skipped = 0;

  /** Whether the next answer should try the cache. */
  shouldTry(): boolean {
    if (this.missRate < ReuseGauge.maxMissRate) return true;
    return ++this.skipped % ReuseGauge.retryEvery === 0;
  }

  /** Records whether an answer that tried the cache missed some entity. */
  record(missed: boolean): void {
    this.missRate = this.missRate * (1 - ReuseGauge.missWeight) + (missed ? ReuseGauge.missWeight : 0);
  }
}

/**
 * Entities' JSON by selection and global ID, bounded in bytes (the oldest entries go first). An entry is counted as
 * the most memory it can take: two bytes per character of its JSON and key (V8 keeps text with only Latin-1
 * characters in one byte each, other text in two) and {@link EntityJsonCache.entryOverhead} for the map's slot and
 * the two strings' headers, so that the bound holds for small entities and for text in any script.
 */
export class EntityJsonCache {
  /** Bytes counted for each entry beyond its characters: a hash-map slot and two string headers, rounded up. */
  static readonly entryOverhead = 80;
  private readonly entries = new Map<string, string>();
  /** Selection texts by a short number, so keys stay short. */
  private readonly selections = new Map<string, number>();
  private bytes = 0;

  /**
   * @param maxBytes most bytes kept, counted as above; 0 keeps nothing (every entity is serialized each time).
   * @param maxSelections most selections numbered; past it, everything is dropped and numbering starts again, so
   *   that a stream of ever new documents cannot grow the cache without bound.
   */
  constructor(
    readonly maxBytes: number,
    private readonly maxSelections = 10_000,
  ) {}

  /** The bytes counted for an entry of `json` under `key`. */
  private static sizeOf(key: string, json: string): number {
    return 2 * (key.length + json.length) + EntityJsonCache.entryOverhead;
  }

  /** The key of the entity with global ID `id` under `selection`. */
  key(selection: string, id: string): string {
    let n = this.selections.get(selection);
    if (n === undefined) {
      if (this.selections.size >= this.maxSelections) this.clear();
      this.selections.set(selection, (n = this.selections.size));
    }
    return `${n}:${id}`;
  }

  /** Drops every entry and selection number. */
  private clear(): void {
    this.entries.clear();
    this.selections.clear();
    this.bytes = 0;
  }

  /** The JSON kept under `key`. */
  get(key: string): string | undefined {
    return this.entries.get(key);
  }

  /** Keeps `json` under `key`, dropping the oldest entries to stay within the limit. */
  set(key: string, json: string): void {
    const size = EntityJsonCache.sizeOf(key, json);
    if (size > this.maxBytes || this.entries.has(key)) return;
    this.entries.set(key, json);
    this.bytes += size;
    for (const [oldest, value] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= EntityJsonCache.sizeOf(oldest, value);
    }
  }

  /** How many entities are kept. */
  get size(): number {
    return this.entries.size;
  }

  /** How many bytes its entries count for, at most {@link EntityJsonCache.maxBytes}. */
  get bytesKept(): number {
    return this.bytes;
  }
}
