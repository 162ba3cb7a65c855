import { PersistentMap } from '../core/persistent-map.js';
import { ENTITY } from './keys.js';

/** One stored item of an account partition. */
type Item = Record<string, unknown>;

/**
 * The keys an item is filed under in {@link IndexedItems}: its entity, its entity at its scope, and
 * for memberships, invites, users and role assignments what they are looked up by (the user; the
 * e-mail; the role or resource group an assignment uses at its scope), and its `GSI1PK` (the generic
 * index's partition, e.g. the principal of a role assignment), read here strongly consistent.
 */
export function filingKeys(item: Item): string[] {
  const entity = String(item.entity);
  const keys = [entityKey(entity)];
  if (typeof item.scopePath === 'string') keys.push(entityAtKey(entity, item.scopePath));
  if ((entity === ENTITY.Membership || entity === ENTITY.Invite) && typeof item.userId === 'string') {
    keys.push(userKey(entity, item.userId));
  }
  if (entity === ENTITY.User && typeof item.email === 'string') keys.push(emailKey(item.email));
  if (typeof item.GSI1PK === 'string') keys.push(gsi1Key(item.GSI1PK));
  if (entity === ENTITY.RoleAssignment && typeof item.scopePath === 'string') {
    if (typeof item.roleIdentifier === 'string') {
      keys.push(usingKey('roleIdentifier', item.scopePath, item.roleIdentifier));
    }
    if (typeof item.resourceGroupIdentifier === 'string') {
      keys.push(usingKey('resourceGroupIdentifier', item.scopePath, item.resourceGroupIdentifier));
    }
  }
  return keys;
}

/** The filing key of every item of `entity`. */
export function entityKey(entity: string): string {
  return `E|${entity}`;
}

/** The filing key of the items of `entity` whose `scopePath` is `path`. */
export function entityAtKey(entity: string, path: string): string {
  return `S|${entity}|${path}`;
}

/** The filing key of the items of `entity` (memberships, invites) of user `userId`. */
export function userKey(entity: string, userId: string): string {
  return `U|${entity}|${userId}`;
}

/** The filing key of the items in partition `gsi1pk` of the generic index (e.g. a principal's role assignments). */
export function gsi1Key(gsi1pk: string): string {
  return `G|${gsi1pk}`;
}

/** The filing key of the users with e-mail `email`. */
export function emailKey(email: string): string {
  return `M|${email}`;
}

/** The filing key of the role assignments at `path` whose `field` names `identifier`. */
export function usingKey(
  field: 'roleIdentifier' | 'resourceGroupIdentifier',
  path: string,
  identifier: string,
): string {
  return `A|${field}|${path}|${identifier}`;
}

/** The secondary index of {@link IndexedItems}: filing key → the sort keys filed there. */
export type Filing = PersistentMap<PersistentMap<true>>;

/**
 * The items of an account partition by sort key (a persistent map), with a secondary index from
 * {@link filingKeys} to the sort keys filed there, so that readers find the items of one entity, of
 * one scope, of one user or using one role in O(what they find), never O(account) (DESIGN §4 "Size
 * independence"). The secondary index is built on first use (an instance that only authorizes never
 * pays for it) and from then on follows every change in O(size of the change). Immutable:
 * {@link withChange} returns a new value and leaves this one as it was.
 */
export class IndexedItems implements ReadonlyMap<string, Item> {
  private constructor(
    private readonly map: PersistentMap<Item>,
    /** The secondary index, once built (memoised: it is derived from `map` alone). */
    private filing: Filing | undefined,
  ) {}

  /** No items. */
  static empty(): IndexedItems {
    return new IndexedItems(PersistentMap.empty(), undefined);
  }

  /**
   * The items of `map` with the secondary index `filing` (built from `map`, as {@link parts} returned
   * it; e.g. restored from a snapshot) or none (built on first use).
   */
  static restore(map: PersistentMap<Item>, filing: Filing | undefined): IndexedItems {
    return new IndexedItems(map, filing);
  }

  /** The items by sort key and the secondary index (built here if it was not yet), for a snapshot. */
  parts(): { readonly map: PersistentMap<Item>; readonly filing: Filing } {
    return { map: this.map, filing: this.index() };
  }

  /** The number of items. */
  get size(): number {
    return this.map.size;
  }

  /** The item with sort key `sk`. */
  get(sk: string): Item | undefined {
    return this.map.get(sk);
  }

  /** Whether an item has sort key `sk`. */
  has(sk: string): boolean {
    return this.map.has(sk);
  }

  /** Every (sort key, item), in the map's stable order. */
  entries(): MapIterator<[string, Item]> {
    return this.map.entries();
  }

  /** Every sort key. */
  keys(): MapIterator<string> {
    return this.map.keys();
  }

  /** Every item. */
  values(): MapIterator<Item> {
    return this.map.values();
  }

  /** Calls `callback` for every item. */
  forEach(
    callback: (value: Item, key: string, map: ReadonlyMap<string, Item>) => void,
    thisArg?: unknown,
  ): void {
    for (const [key, value] of this.map.entries()) callback.call(thisArg, value, key, this);
  }

  [Symbol.iterator](): MapIterator<[string, Item]> {
    return this.map.entries();
  }

  /** The items filed under `key` (see {@link filingKeys}); builds the secondary index on first use. */
  filed(key: string): Item[] {
    const sks = this.index().get(key);
    if (!sks) return [];
    const found: Item[] = [];
    for (const sk of sks.keys()) {
      const item = this.map.get(sk);
      if (item) found.push(item);
    }
    return found;
  }

  /**
   * These items with `deletes` removed and `puts` put (each replacing the item under its sort key),
   * in O(size of the change); the secondary index follows when it was built.
   */
  withChange(deletes: readonly string[], puts: readonly Item[]): IndexedItems {
    const map = this.map.edit();
    const filing = this.filing && new FilingDraft(this.filing);
    for (const sk of deletes) {
      const old = map.get(sk);
      if (!old) continue;
      filing?.remove(sk, old);
      map.delete(sk);
    }
    for (const item of puts) {
      const sk = String(item.SK);
      const old = map.get(sk);
      if (old) filing?.remove(sk, old);
      filing?.add(sk, item);
      map.set(sk, item);
    }
    return new IndexedItems(map.freeze(), filing?.freeze());
  }

  private index(): Filing {
    if (!this.filing) {
      const draft = new FilingDraft(PersistentMap.empty());
      for (const [sk, item] of this.map.entries()) draft.add(sk, item);
      this.filing = draft.freeze();
    }
    return this.filing;
  }
}

/** The secondary index while one change is applied: each touched set is edited once, then frozen. */
class FilingDraft {
  private readonly outer;
  private readonly sets = new Map<string, ReturnType<PersistentMap<true>['edit']>>();

  constructor(filing: Filing) {
    this.outer = filing.edit();
  }

  add(sk: string, item: Item): void {
    for (const key of filingKeys(item)) this.set(key).set(sk, true);
  }

  remove(sk: string, item: Item): void {
    for (const key of filingKeys(item)) this.set(key).delete(sk);
  }

  freeze(): Filing {
    for (const [key, draft] of this.sets) {
      if (draft.size === 0) this.outer.delete(key);
      else this.outer.set(key, draft.freeze());
    }
    return this.outer.freeze();
  }

  private set(key: string) {
    let draft = this.sets.get(key);
    if (!draft) {
      draft = (this.outer.get(key) ?? PersistentMap.empty<true>()).edit();
      this.sets.set(key, draft);
    }
    return draft;
  }
}

/**
 * The items of `items` filed under `key`: through the secondary index of {@link IndexedItems}, or
 * by testing every item with `matches` for a plain map (tests that hand-build a partition).
 */
export function itemsFiled(
  items: ReadonlyMap<string, Item>,
  key: string,
  matches: (item: Item) => boolean,
): Item[] {
  if (items instanceof IndexedItems) return items.filed(key);
  const found: Item[] = [];
  for (const item of items.values()) if (matches(item)) found.push(item);
  return found;
}
