import { Evaluator } from '../core/evaluator.js';
import type { PolicySnapshot } from '../core/policy-snapshot.js';
import type { ChangeOperation } from './change-log.js';
import { snapshotFromItems } from './items.js';
import type { AccountPolicy } from './policy-cache.js';

/**
 * The policy state a write would produce, for checks that compare before and after (the
 * anti-escalation rule). Today it re-indexes the whole account, O(account); the incremental policy
 * state of DESIGN §4 is meant to replace this with O(size of the change).
 */

/** The account's items after `operations`: a copy of the policy's items with puts applied and deletes removed. */
export function itemsAfter(
  policy: AccountPolicy,
  operations: readonly ChangeOperation[],
): Map<string, Record<string, unknown>> {
  const items = new Map(policy.items);
  for (const operation of operations) {
    if (operation.kind === 'delete') items.delete(operation.sk);
    else items.set(operation.item.SK, operation.item);
  }
  return items;
}

/** The evaluator of the account as it would be after `operations`. */
export function evaluatorAfter(policy: AccountPolicy, operations: readonly ChangeOperation[]): Evaluator {
  return new Evaluator(snapshotFromItems(policy.accountId, [...itemsAfter(policy, operations).values()]));
}

/** The policy entities one stored item holds (empty for items that carry no policy), decoded as the cache decodes them. */
export function snapshotOfItem(accountId: string, item: Record<string, unknown>): PolicySnapshot {
  return snapshotFromItems(accountId, [item]);
}
