import { describe, expect, it } from 'vitest';
import { isEffectiveAccountAdmin } from '../../../functions/core/account-admin.js';
import type { RoleAssignment } from '../../../functions/core/role-assignment.js';
import { accountScope, organizationScope } from '../../../functions/core/scope.js';

const admin: RoleAssignment = {
  identifier: 'admins',
  scope: accountScope('acme'),
  roleIdentifier: '_account_admin',
  resourceGroupIdentifier: '_all_resources_including_child_scopes',
  principal: { type: 'SERVICE_ACCOUNT', identifier: 'ops' },
  disabled: false,
  managed: false,
};

const members = (count: number) => () => count;

describe('isEffectiveAccountAdmin', () => {
  it.each<[string, RoleAssignment, number, boolean]>([
    ['a service account bound at the account', admin, 0, true],
    ['a user', { ...admin, principal: { type: 'USER', identifier: 'u1' } }, 0, true],
    ['a group with members', { ...admin, principal: { type: 'USER_GROUP', identifier: 'g' } }, 2, true],
    ['an empty group', { ...admin, principal: { type: 'USER_GROUP', identifier: 'g' } }, 0, false],
    [
      'an org-level group',
      { ...admin, principal: { type: 'USER_GROUP', identifier: 'g', scopeLevel: 'organization' } },
      3,
      false,
    ],
    ['a disabled assignment', { ...admin, disabled: true }, 0, false],
    ['another role', { ...admin, roleIdentifier: '_account_viewer' }, 0, false],
    [
      'another resource group',
      { ...admin, resourceGroupIdentifier: '_all_account_level_resources' },
      0,
      false,
    ],
    ['an assignment at an organization', { ...admin, scope: organizationScope('acme', 'o') }, 0, false],
  ])('%s → %s', (_name, assignment, count, expected) => {
    // Act
    const effective = isEffectiveAccountAdmin(assignment, members(count));
    // Assess
    expect(effective).toBe(expected);
  });
});
