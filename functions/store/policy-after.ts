import { PersistentMap } from '../core/persistent-map.js';
import type { PolicySnapshot } from '../core/policy-snapshot.js';
import { type ChangeOperation, writtenItem } from './change-log.js';
import { snapshotFromItems } from './entities/policy-entities.js';
import { IndexedItems } from './indexed-items.js';
import type { AccountPolicy } from './policy-cache.js';
import { applyChange, type ItemChange, type PolicyState, stateFromItems } from './policy-state.js';

/**
 * The policy state a write would produce, for checks that compare before and after (the
 * anti-escalation rule). On the cache's persistent state it costs O(size of the write)
 * (`applyChange`); a hand-built policy (tests) is re-indexed from its items.
 */

function isPolicyState(policy: AccountPolicy): policy is PolicyState {
  return policy.items instanceof IndexedItems && policy.tokens instanceof PersistentMap;
}

function changeOf(operations: readonly ChangeOperation[]): ItemChange {
  return {
    puts: operations.flatMap((operation) => writtenItem(operation) ?? []),
    deletes: operations.flatMap((operation) => (operation.kind === 'delete' ? [operation.sk] : [])),
    retired: operations.flatMap((operation) => (operation.kind === 'retire' ? [operation.range] : [])),
  };
}

/** The account's policy after `operations` (puts applied, deletes removed), at the same version. */
export function policyAfter(policy: AccountPolicy, operations: readonly ChangeOperation[]): AccountPolicy {
  const state = isPolicyState(policy)
    ? policy
    : stateFromItems(policy.accountId, policy.version, policy.items.values());
  return applyChange(state, changeOf(operations));
}

/** The account's items after `operations`, read-only. */
export function itemsAfter(
  policy: AccountPolicy,
  operations: readonly ChangeOperation[],
): ReadonlyMap<string, Record<string, unknown>> {
  return policyAfter(policy, operations).items;
}

/** The policy entities one stored item holds (empty for items that carry no policy), decoded as the cache decodes them. */
export function snapshotOfItem(accountId: string, item: Record<string, unknown>): PolicySnapshot {
  return snapshotFromItems(accountId, [item]);
}
