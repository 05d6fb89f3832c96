/**
 * A table from slugs to values, for the million keys of a large data set: open addressing over an Int32Array,
 * probed with a hash of the slug's characters. Filling it costs about half what filling a `Map` does at that
 * size, and the store looks events up in it directly.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 16777619;

function hashOf(key: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), FNV_PRIME);
  return hash;
}

/** Slugs (any strings) to values; entries are only added or changed, never removed. */
export class SlugTable<V> {
  /** Entry number + 1 for each slot in use, 0 for a free one. */
  private slots = new Int32Array(1 << 10);
  private readonly hashes: number[] = [];
  private readonly keys: string[] = [];
  private readonly values: V[] = [];

  /** How many slugs the table holds. */
  get size(): number {
    return this.keys.length;
  }

  /** The value for `key`, if it is there. */
  get(key: string): V | undefined {
    const entry = this.entryOf(key, hashOf(key));
    return entry < 0 ? undefined : this.values[entry];
  }

  /** The entry number of `key` (0 for the first key added, and so on), or -1 when it is not there. */
  indexOf(key: string): number {
    return this.entryOf(key, hashOf(key));
  }

  /** Whether `key` is there. */
  has(key: string): boolean {
    return this.indexOf(key) >= 0;
  }

  /** Adds `key` with `value` unless it is there already; returns whether it was added (else nothing changes). */
  add(key: string, value: V): boolean {
    const hash = hashOf(key);
    const mask = this.slots.length - 1;
    let i = hash & mask;
    for (let slot = this.slots[i]; slot !== 0; slot = this.slots[i]) {
      if (this.hashes[slot - 1] === hash && this.keys[slot - 1] === key) return false;
      i = (i + 1) & mask;
    }
    this.keys.push(key);
    this.values.push(value);
    this.hashes.push(hash);
    if (this.keys.length * 2 > this.slots.length) this.grow();
    else this.slots[i] = this.keys.length;
    return true;
  }

  /** Changes the value of a `key` that is there. */
  set(key: string, value: V): void {
    const entry = this.entryOf(key, hashOf(key));
    if (entry < 0) throw new Error(`SlugTable.set: ${JSON.stringify(key)} is not in the table; add it first`);
    this.values[entry] = value;
  }

  private entryOf(key: string, hash: number): number {
    const mask = this.slots.length - 1;
    for (let i = hash & mask, slot = this.slots[i]; slot !== 0; i = (i + 1) & mask, slot = this.slots[i]) {
      if (this.hashes[slot - 1] === hash && this.keys[slot - 1] === key) return slot - 1;
    }
    return -1;
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    const mask = this.slots.length - 1;
    for (let entry = 0; entry < this.keys.length; entry++) {
      let i = this.hashes[entry] & mask;
      while (this.slots[i] !== 0) i = (i + 1) & mask;
      this.slots[i] = entry + 1;
    }
  }
}
