/**
 * @file A map that keeps at most `capacity` entries, dropping the least recently used: how the
 * caches of compiled code and traces stay bounded however many programs a process makes.
 */

/** A bounded map with least-recently-used eviction (a `Map` keeps insertion order: the first key is the oldest). */
export class LruMap<K, V> {
  private readonly entries = new Map<K, V>();
  /** The most recently used key: asking for it again reorders nothing (the common, hot case). */
  private newest: K | undefined = undefined;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`LruMap: capacity must be an integer ≥ 1, got ${capacity}`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The value of `key`, now the most recently used; undefined when absent. */
  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined && key !== this.newest) {
      this.entries.delete(key);
      this.entries.set(key, value);
      this.newest = key;
    }
    return value;
  }

  /** Stores `value` as the most recently used, dropping the oldest entry past the capacity. */
  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    this.newest = key;
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K);
  }
}
