import { Evaluator } from '../core/evaluator.js';
import { PersistentMap } from '../core/persistent-map.js';
import type { PolicyEntity } from '../core/policy-index.js';
import { policyEntityOfItem, type StoredToken, tokenFromItem } from './items.js';
import { ENTITY } from './keys.js';

/**
 * One account's policy state as of a version of its change log: every item of the account partition
 * (by sort key), the evaluator over the policy entities among them and the API tokens (by `tokenId`).
 * All three are persistent structures, so {@link applyChange} derives the next state in O(size of the
 * change) and leaves the state it started from intact — a failure half-way changes nothing that is
 * serving (DESIGN §4 "Size independence").
 */
export interface PolicyState {
  readonly accountId: string;
  readonly version: number;
  readonly items: PersistentMap<Record<string, unknown>>;
  readonly evaluator: Evaluator;
  readonly tokens: PersistentMap<StoredToken>;
}

/** What one change did to the account partition: complete items put and sort keys deleted. */
export interface ItemChange {
  readonly puts: readonly Record<string, unknown>[];
  readonly deletes: readonly string[];
}

const TOKEN_SK_PREFIX = 'TOKEN#';

/** The token an item holds, or `undefined` (not a token, or one that cannot be read: it never authenticates). */
function tokenOfItem(item: Record<string, unknown>): StoredToken | undefined {
  if (item.entity !== ENTITY.Token) return undefined;
  try {
    return tokenFromItem(item);
  } catch {
    return undefined;
  }
}

/** The state of an account whose partition holds `items` at `version`. Throws on a malformed policy item. */
export function stateFromItems(
  accountId: string,
  version: number,
  items: Iterable<Record<string, unknown>>,
): PolicyState {
  const empty: PolicyState = {
    accountId,
    version,
    items: PersistentMap.empty(),
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
  return applyChange(empty, { puts: [...items], deletes: [] }, version);
}

/**
 * The state after `change` (at `version`, default: unchanged): puts replace the items under their sort
 * keys, deletes remove them, and the evaluator and tokens follow — O(size of the change). `state` is
 * left as it was. Throws (changing nothing) when a put policy item is malformed.
 */
export function applyChange(state: PolicyState, change: ItemChange, version = state.version): PolicyState {
  const added: [string, PolicyEntity][] = [];
  for (const item of change.puts) {
    const entity = policyEntityOfItem(state.accountId, item);
    if (entity) added.push([String(item.SK), entity]);
  }
  const items = state.items.edit();
  const tokens = state.tokens.edit();
  for (const sk of change.deletes) {
    items.delete(sk);
    if (sk.startsWith(TOKEN_SK_PREFIX)) tokens.delete(sk.slice(TOKEN_SK_PREFIX.length));
  }
  for (const item of change.puts) {
    const sk = String(item.SK);
    items.set(sk, item);
    if (sk.startsWith(TOKEN_SK_PREFIX)) {
      const token = tokenOfItem(item);
      const tokenId = sk.slice(TOKEN_SK_PREFIX.length);
      if (token && token.tokenId === tokenId) tokens.set(tokenId, token);
      else tokens.delete(tokenId);
    }
  }
  const evaluator = state.evaluator.withChange({
    removed: [...change.deletes, ...change.puts.map((item) => String(item.SK))],
    added,
  });
  return { accountId: state.accountId, version, items: items.freeze(), evaluator, tokens: tokens.freeze() };
}
