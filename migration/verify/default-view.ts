import { defaultAllUsersAssignments } from '../../functions/core/all-users-groups.js';
import { Evaluator } from '../../functions/core/evaluator.js';
import { emptySnapshot } from '../../functions/core/policy-snapshot.js';
import { accountScope, type OrganizationScope } from '../../functions/core/scope.js';
import { FirstGenAccess } from '../firstgen/firstgen-evaluator.js';
import type { FgExport } from '../firstgen/model.js';
import { accountChecks } from './verify-checks.js';

const PROBE = '__default_view_probe__';

/**
 * The users of the export whom NextGen's default all-users view of the account (`_account_all_users`
 * bound to `_account_viewer` on `_all_account_level_resources`) would give a decision FirstGen
 * denies under either reading: kept, that view broadens them. Only account-level comparisons can be
 * reached by it, so only the account permissions are evaluated.
 */
export function usersBroadenedByDefaultView(
  fgExport: FgExport,
  target: { readonly targetAccountId: string; readonly organization: OrganizationScope },
  userIds: readonly string[],
): string[] {
  const account = accountScope(target.targetAccountId);
  const evaluator = new Evaluator({
    ...emptySnapshot(target.targetAccountId),
    roleAssignments: defaultAllUsersAssignments(account),
    scopeMemberships: [{ userId: PROBE, scope: account }],
  });
  const reached = accountChecks(target).filter(
    (check) =>
      check.nextGen.length > 0 &&
      check.nextGen.every(
        (ngCheck) => evaluator.check({ type: 'USER', identifier: PROBE }, ngCheck).permitted,
      ),
  );
  if (reached.length === 0) return [];
  const groupsOf = new Map<string, FgExport['userGroups'][number][]>();
  for (const group of fgExport.userGroups) {
    for (const member of group.memberIds) {
      const groups = groupsOf.get(member) ?? [];
      groups.push(group);
      groupsOf.set(member, groups);
    }
  }
  return userIds.filter((userId) => {
    const groups = groupsOf.get(userId) ?? [];
    const readings = [new FirstGenAccess(groups, [], 'main'), new FirstGenAccess(groups, [], 'literal')];
    return reached.some((check) => readings.some((access) => !check.firstGen(access)));
  });
}
