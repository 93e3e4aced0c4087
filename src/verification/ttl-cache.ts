/**
 * A small cache of promised values with a time to live: concurrent callers share one pending load (no
 * stampede when an entry expires under load), failures are not kept, and entries can be dropped at once.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; expires: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const time = this.now();
    const hit = this.entries.get(key);
    if (hit && hit.expires > time) return hit.value;
    if (this.ttlMs <= 0) return load();
    const value = load();
    if (this.entries.size >= this.maxEntries) this.evict(time);
    this.entries.set(key, { value, expires: time + this.ttlMs });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Drops every entry whose key the predicate picks. */
  deleteWhere(pick: (key: string) => boolean): void {
    for (const key of [...this.entries.keys()]) if (pick(key)) this.entries.delete(key);
  }

  private evict(time: number): void {
    for (const [key, entry] of this.entries) if (entry.expires <= time) this.entries.delete(key);
    // Still full: drop the oldest.
    while (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}
