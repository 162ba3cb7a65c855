import { Evaluator } from '../core/evaluator.js';
import { PersistentMap } from '../core/persistent-map.js';
import type { PolicyEntity } from '../core/policy-index.js';
import { type StoredToken, tokenFromItem } from './entities/credentials.js';
import { policyEntityOfItem } from './entities/policy-entities.js';
import { IndexedItems } from './indexed-items.js';
import { ENTITY, incarnationOfMembersPrefix, userGroupMemberSk } from './keys.js';

/**
 * One account's policy state as of a version of its change log: every item of the account partition
 * (by sort key, with a secondary index: `indexed-items.ts`), the evaluator over the policy entities among them and the API tokens (by `tokenId`).
 * All three are persistent structures, so {@link applyChange} derives the next state in O(size of the
 * change) and leaves the state it started from intact — a failure half-way changes nothing that is
 * serving (DESIGN §4 "Size independence").
 */
export interface PolicyState extends AuthorizationState {
  readonly items: IndexedItems;
  readonly tokens: PersistentMap<StoredToken>;
}

/**
 * What an authorization needs of an account's state: the evaluator and the API tokens at a version
 * (a cold instance can have it from a snapshot's policy part before it reads the items).
 */
export interface AuthorizationState {
  readonly accountId: string;
  readonly version: number;
  readonly evaluator: Evaluator;
  /** The API tokens by `tokenId` (what `authenticate` reads). */
  readonly tokens: ReadonlyMap<string, StoredToken>;
}

/**
 * Told of an item that does not decode (a malformed policy item or token, or one of another account):
 * the item grants nothing and authenticates nothing, and the account's other decisions go on.
 */
export type MalformedItemReporter = (sortKey: string, error: unknown) => void;

/**
 * What one change did to the account partition: complete items put and sort keys deleted, and the
 * member ranges (`UGMEMBER#<incarnation>#`) it retired, whose items are dropped as deletes.
 */
export interface ItemChange {
  readonly puts: readonly Record<string, unknown>[];
  readonly deletes: readonly string[];
  readonly retired?: readonly string[];
}

/** The sort keys of the member items `state` holds in each retired range. */
function retiredKeys(state: AuthorizationState, ranges: readonly string[]): string[] {
  return ranges.flatMap((range) => {
    const incarnation = incarnationOfMembersPrefix(range);
    if (incarnation === undefined) return [];
    return state.evaluator.index
      .membersOfIncarnation(incarnation)
      .map((userId) => userGroupMemberSk(incarnation, userId));
  });
}

const TOKEN_SK_PREFIX = 'TOKEN#';

/** The token an item holds, or `undefined` (not a token, or one that cannot be read: it never authenticates). */
function tokenOfItem(
  item: Record<string, unknown>,
  onMalformed?: MalformedItemReporter,
): StoredToken | undefined {
  if (item.entity !== ENTITY.Token) return undefined;
  try {
    return tokenFromItem(item);
  } catch (error) {
    onMalformed?.(String(item.SK), error);
    return undefined;
  }
}

/**
 * The policy entity of a put item; a malformed one throws without a reporter (a write's own items) and
 * is left out (granting nothing) and reported with one (items read from the store).
 */
function entityOfPut(
  accountId: string,
  item: Record<string, unknown>,
  onMalformed: MalformedItemReporter | undefined,
): PolicyEntity | undefined {
  if (!onMalformed) return policyEntityOfItem(accountId, item);
  try {
    return policyEntityOfItem(accountId, item);
  } catch (error) {
    onMalformed(String(item.SK), error);
    return undefined;
  }
}

/**
 * The state of an account whose partition holds `items` at `version`. A malformed policy item throws,
 * unless `onMalformed` is given: it is then left out of the evaluator (it grants nothing) and reported.
 */
export function stateFromItems(
  accountId: string,
  version: number,
  items: Iterable<Record<string, unknown>>,
  onMalformed?: MalformedItemReporter,
): PolicyState {
  const empty: PolicyState = {
    accountId,
    version,
    items: IndexedItems.empty(),
    evaluator: new Evaluator({
      accountIdentifier: accountId,
      customRoles: [],
      customResourceGroups: [],
      roleAssignments: [],
      userGroups: [],
      serviceAccounts: [],
      scopeMemberships: [],
    }),
    tokens: PersistentMap.empty(),
  };
  return applyChange(empty, { puts: [...items], deletes: [] }, version, onMalformed);
}

/**
 * The sort keys applying `change` to `state` reads or writes: its deletes, the member items of the
 * ranges it retires (those `state` holds) and its puts.
 */
export function changedKeys(state: PolicyState | AuthorizationState, change: ItemChange): string[] {
  return [
    ...change.deletes,
    ...retiredKeys(state, change.retired ?? []),
    ...change.puts.map((item) => String(item.SK)),
  ];
}

/** A change as the change log records it: what it did to the partition, and the version it made. */
export interface VersionedChange extends ItemChange {
  readonly version: number;
}

/** The state after `changes`, in order, each at its version (see {@link applyChange}). */
export function applyChanges(
  state: PolicyState,
  changes: readonly VersionedChange[],
  onMalformed?: MalformedItemReporter,
): PolicyState {
  let next = state;
  for (const change of changes) next = applyChange(next, change, change.version, onMalformed);
  return next;
}

/**
 * The state after `change` (at `version`, default: unchanged): puts replace the items under their sort
 * keys, deletes remove them, and the evaluator and tokens follow — O(size of the change). `state` is
 * left as it was. A malformed put policy item throws (changing nothing), unless `onMalformed` is given:
 * the item is then kept among the items but grants nothing (whatever its key held before is dropped
 * from the evaluator) and is reported.
 */
export function applyChange(
  state: PolicyState,
  change: ItemChange,
  version = state.version,
  onMalformed?: MalformedItemReporter,
): PolicyState {
  const deletes = change.retired?.length
    ? [...change.deletes, ...retiredKeys(state, change.retired)]
    : change.deletes;
  const added: [string, PolicyEntity][] = [];
  for (const item of change.puts) {
    const entity = entityOfPut(state.accountId, item, onMalformed);
    if (entity) added.push([String(item.SK), entity]);
  }
  const tokens = state.tokens.edit();
  for (const sk of deletes) {
    if (sk.startsWith(TOKEN_SK_PREFIX)) tokens.delete(sk.slice(TOKEN_SK_PREFIX.length));
  }
  for (const item of change.puts) {
    const sk = String(item.SK);
    if (sk.startsWith(TOKEN_SK_PREFIX)) {
      const token = tokenOfItem(item, onMalformed);
      const tokenId = sk.slice(TOKEN_SK_PREFIX.length);
      if (token && token.tokenId === tokenId) tokens.set(tokenId, token);
      else tokens.delete(tokenId);
    }
  }
  const evaluator = state.evaluator.withChange({
    removed: [...deletes, ...change.puts.map((item) => String(item.SK))],
    added,
  });
  const items = state.items.withChange(deletes, change.puts);
  return { accountId: state.accountId, version, items, evaluator, tokens: tokens.freeze() };
}
