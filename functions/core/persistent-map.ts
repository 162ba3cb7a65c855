/**
 * A persistent (immutable, structurally shared) map from strings to values: the entries are spread
 * over native `Map` buckets by a hash of the key, and a change copies the bucket array and only the
 * buckets it writes. Deriving a map from another therefore costs O(changed keys × bucket size), with
 * buckets kept small by growing their number as the map grows, while lookups stay one native `Map`
 * lookup after hashing the key. Used for the policy state that must follow a change in O(size of the
 * change) (DESIGN §4 "Size independence"). A map restored from a snapshot may hold its buckets
 * unread ({@link LazyBucket}): each is decoded the first time a lookup or a change reaches it, so a
 * cold instance pays for the buckets its requests touch, not for the account.
 */

/** Entries per bucket beyond which a frozen map re-spreads into more buckets. */
const MAX_BUCKET_LOAD = 256;
/** The most buckets a map spreads over (each holds size / this many entries at most on average). */
const MAX_BUCKETS = 4096;
/** How many times more buckets a growing map takes. */
const GROWTH = 8;

/** FNV-1a over the UTF-16 code units of `key`. */
function hash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A bucket not read yet: `load` decodes its entries the first time they are needed (once: the
 * result is kept, so every map sharing the bucket sees the same entries).
 */
export class LazyBucket<V> {
  private loaded: ReadonlyMap<string, V> | undefined;

  /**
   * @param load decodes the entries.
   * @param sourceOf what they are decoded from (e.g. a snapshot's compressed chunk, `undefined` while
   *   it is not read), for an encoder that can reuse it while the bucket is unchanged.
   */
  constructor(
    private readonly load: () => ReadonlyMap<string, V>,
    private readonly sourceOf?: () => unknown,
  ) {}

  /** What the entries are decoded from, when it is at hand (see the constructor). */
  get source(): unknown {
    return this.sourceOf?.();
  }

  /** The bucket's entries, decoded on first use. */
  get entries(): ReadonlyMap<string, V> {
    this.loaded ??= this.load();
    return this.loaded;
  }

  /** Whether the entries were decoded. */
  get isLoaded(): boolean {
    return this.loaded !== undefined;
  }
}

/** One bucket of a map: entries, entries not read yet, or none. */
export type Bucket<V> = ReadonlyMap<string, V> | LazyBucket<V> | undefined;

/** The entries of a bucket (decoding a lazy one). */
export function readBucket<V>(bucket: Bucket<V>): ReadonlyMap<string, V> | undefined {
  return bucket instanceof LazyBucket ? bucket.entries : bucket;
}

/** The slot of `key` among `length` buckets (a power of two). */
export function slotOf(key: string, length: number): number {
  return hash(key) & (length - 1);
}

/** An immutable string-keyed map; {@link edit} starts a draft, {@link PersistentMapDraft.freeze} ends it. */
export class PersistentMap<V> implements ReadonlyMap<string, V> {
  private constructor(
    private readonly buckets: readonly Bucket<V>[],
    /** The number of entries. */
    readonly size: number,
  ) {}

  /** The map with no entries. */
  static empty<V>(): PersistentMap<V> {
    return new PersistentMap<V>([undefined], 0);
  }

  /** A map of `entries` (a later entry replaces an earlier one with the same key). */
  static from<V>(entries: Iterable<readonly [string, V]>): PersistentMap<V> {
    const draft = PersistentMap.empty<V>().edit();
    for (const [key, value] of entries) draft.set(key, value);
    return draft.freeze();
  }

  /** @internal Builds a map from its parts (for drafts). */
  static fromBuckets<V>(buckets: readonly Bucket<V>[], size: number): PersistentMap<V> {
    return new PersistentMap(buckets, size);
  }

  /**
   * A map of `size` entries restored from a snapshot, bucket by bucket: `buckets[i]` holds the keys
   * whose slot among `buckets.length` (a power of two) is `i` (as the snapshot writer spreads them).
   */
  static restore<V>(buckets: readonly (LazyBucket<V> | undefined)[], size: number): PersistentMap<V> {
    const length = buckets.length;
    if (length === 0 || (length & (length - 1)) !== 0) {
      throw new Error(`a persistent map has a power of two of buckets, not ${length}`);
    }
    return new PersistentMap<V>(buckets, size);
  }

  /**
   * The buckets as they are held (a lazy one not decoded), for an encoder that reuses what did not
   * change: a change replaces the buckets it writes and shares every other one with the map it
   * started from, so an unchanged bucket is the same object in both.
   */
  heldBuckets(): readonly Bucket<V>[] {
    return this.buckets;
  }

  /** The number of buckets the entries are spread over. */
  get bucketCount(): number {
    return this.buckets.length;
  }

  /** How many buckets were decoded (all of them, unless the map was restored from a snapshot). */
  get loadedBucketCount(): number {
    return this.buckets.filter((bucket) => !(bucket instanceof LazyBucket) || bucket.isLoaded).length;
  }

  /** The value under `key`. */
  get(key: string): V | undefined {
    return this.bucketOf(key)?.get(key);
  }

  /** Whether `key` has a value. */
  has(key: string): boolean {
    return this.bucketOf(key)?.has(key) ?? false;
  }

  /** A draft that starts as this map; this map never changes. */
  edit(): PersistentMapDraft<V> {
    return new PersistentMapDraft(this.buckets, this.size);
  }

  /** This map with `key` set to `value`. */
  set(key: string, value: V): PersistentMap<V> {
    const draft = this.edit();
    draft.set(key, value);
    return draft.freeze();
  }

  /** This map without `key`. */
  delete(key: string): PersistentMap<V> {
    if (!this.has(key)) return this;
    const draft = this.edit();
    draft.delete(key);
    return draft.freeze();
  }

  /** Entries in bucket order (stable for a given map, not insertion order). */
  *entries(): MapIterator<[string, V]> {
    for (const bucket of this.buckets) {
      const entries = readBucket(bucket);
      if (entries) yield* entries.entries();
    }
  }

  /** Keys in bucket order. */
  *keys(): MapIterator<string> {
    for (const bucket of this.buckets) {
      const entries = readBucket(bucket);
      if (entries) yield* entries.keys();
    }
  }

  /** Values in bucket order. */
  *values(): MapIterator<V> {
    for (const bucket of this.buckets) {
      const entries = readBucket(bucket);
      if (entries) yield* entries.values();
    }
  }

  /** Calls `callback` for every entry, in bucket order. */
  forEach(callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  private bucketOf(key: string): ReadonlyMap<string, V> | undefined {
    return readBucket(this.buckets[slotOf(key, this.buckets.length)]);
  }
}

/**
 * A mutable copy of a {@link PersistentMap}: the first write to a bucket copies it, later writes to
 * it are in place. {@link freeze} returns the result; the draft must not be used after.
 */
export class PersistentMapDraft<V> {
  private buckets: Bucket<V>[];
  private readonly copied = new Set<number>();
  private count: number;
  private frozen = false;

  constructor(buckets: readonly Bucket<V>[], size: number) {
    this.buckets = [...buckets];
    this.count = size;
  }

  /** The number of entries. */
  get size(): number {
    return this.count;
  }

  /** The value under `key`. */
  get(key: string): V | undefined {
    return readBucket(this.buckets[this.slot(key)])?.get(key);
  }

  /** Whether `key` has a value. */
  has(key: string): boolean {
    return readBucket(this.buckets[this.slot(key)])?.has(key) ?? false;
  }

  /** Sets `key` to `value`. */
  set(key: string, value: V): void {
    const bucket = this.writable(this.slot(key));
    if (!bucket.has(key)) this.count++;
    bucket.set(key, value);
  }

  /** Removes `key` (nothing when absent). */
  delete(key: string): void {
    const slot = this.slot(key);
    if (!readBucket(this.buckets[slot])?.has(key)) return;
    this.writable(slot).delete(key);
    this.count--;
  }

  /** The draft's entries as a persistent map, re-spread over more buckets when they grew too full. */
  freeze(): PersistentMap<V> {
    if (this.frozen) throw new Error('PersistentMapDraft used after freeze');
    this.frozen = true;
    if (this.count > this.buckets.length * MAX_BUCKET_LOAD && this.buckets.length < MAX_BUCKETS) {
      let length = this.buckets.length;
      while (this.count > length * MAX_BUCKET_LOAD && length < MAX_BUCKETS) length *= GROWTH;
      const spread: Map<string, V>[] = Array.from({ length }, () => new Map());
      for (const bucket of this.buckets) {
        for (const [key, value] of readBucket(bucket) ?? []) spread[slotOf(key, length)]?.set(key, value);
      }
      return PersistentMap.fromBuckets(spread, this.count);
    }
    return PersistentMap.fromBuckets(this.buckets, this.count);
  }

  private slot(key: string): number {
    return slotOf(key, this.buckets.length);
  }

  private writable(slot: number): Map<string, V> {
    if (this.frozen) throw new Error('PersistentMapDraft used after freeze');
    if (!this.copied.has(slot)) {
      this.buckets[slot] = new Map(readBucket(this.buckets[slot]));
      this.copied.add(slot);
    }
    return this.buckets[slot] as Map<string, V>;
  }
}
