import type { PolicySnapshot } from '../../functions/core/policy-snapshot.js';
import { accountScope, projectScope } from '../../functions/core/scope.js';
import { WORLD_ACCOUNT } from './world-arbitrary.js';

/** A world of many users in many groups, each with an assignment (big enough for many buckets). */
export function largeWorld(): PolicySnapshot {
  const account = accountScope(WORLD_ACCOUNT);
  const project = projectScope(WORLD_ACCOUNT, 'o1', 'p1');
  const users = Array.from({ length: 3_000 }, (_, n) => `user${n}`);
  const groups = Array.from({ length: 300 }, (_, g) => ({
    identifier: `g${g}`,
    name: `g${g}`,
    scope: account,
    users: users.filter((_, n) => n % 300 === g || n % 299 === g),
  }));
  return {
    accountIdentifier: WORLD_ACCOUNT,
    customRoles: [],
    customResourceGroups: [],
    roleAssignments: groups.map((group, g) => ({
      identifier: `a${g}`,
      scope: g % 2 === 0 ? account : project,
      roleIdentifier: '_account_viewer',
      resourceGroupIdentifier: '_all_account_level_resources',
      principal: { type: 'USER_GROUP', identifier: group.identifier, scopeLevel: 'account' },
      disabled: false,
      managed: false,
    })),
    userGroups: groups,
    serviceAccounts: [],
    scopeMemberships: users.map((userId) => ({ userId, scope: project })),
  };
}
