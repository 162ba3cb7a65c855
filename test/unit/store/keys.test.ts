import { describe, expect, it } from 'vitest';
import type { RoleAssignment } from '../../../functions/core/role-assignment.js';
import { accountScope, organizationScope, projectScope } from '../../../functions/core/scope.js';
import {
  ACCOUNT_META_SK,
  accountPk,
  apiKeySk,
  assignmentsByPrincipalGsi1Pk,
  CHANGE_LOG_END_SK,
  changeLogPk,
  changeSk,
  ENTITY,
  membershipSk,
  membersOfScopeGsi1Pk,
  resourceGroupSk,
  roleAssignmentSk,
  roleAssignmentUniqueSk,
  roleSk,
  scopeSk,
  serviceAccountSk,
  tokenSk,
  userGroupSk,
  userSk,
} from '../../../functions/store/keys.js';

const account = accountScope('acc');
const org = organizationScope('acc', 'org');
const project = projectScope('acc', 'org', 'prj');

const assignment: RoleAssignment = {
  identifier: 'ra1',
  scope: project,
  roleIdentifier: '_project_viewer',
  resourceGroupIdentifier: '_all_project_level_resources',
  principal: { type: 'USER_GROUP', identifier: 'devs', scopeLevel: 'organization' },
  disabled: false,
  managed: false,
};

describe('key builders', () => {
  it.each([
    ['accountPk', accountPk('acc'), 'ACCOUNT#acc'],
    ['changeLogPk', changeLogPk('acc'), 'ACCOUNT#acc#CHANGES'],
    ['ACCOUNT_META_SK', ACCOUNT_META_SK, 'META'],
    ['scopeSk account', scopeSk(account), 'SCOPE#/ACCOUNT/acc'],
    ['scopeSk organization', scopeSk(org), 'SCOPE#/ACCOUNT/acc/ORGANIZATION/org'],
    ['scopeSk project', scopeSk(project), 'SCOPE#/ACCOUNT/acc/ORGANIZATION/org/PROJECT/prj'],
    ['roleSk', roleSk(org, 'r1'), 'ROLE#/ACCOUNT/acc/ORGANIZATION/org#r1'],
    ['resourceGroupSk', resourceGroupSk(account, 'g1'), 'RG#/ACCOUNT/acc#g1'],
    [
      'roleAssignmentSk',
      roleAssignmentSk(project, 'ra1'),
      'RA#/ACCOUNT/acc/ORGANIZATION/org/PROJECT/prj#ra1',
    ],
    [
      'roleAssignmentUniqueSk with scope level',
      roleAssignmentUniqueSk(assignment),
      'RAKEY#/ACCOUNT/acc/ORGANIZATION/org/PROJECT/prj#_project_viewer#_all_project_level_resources#USER_GROUP#organization#devs',
    ],
    [
      'roleAssignmentUniqueSk without scope level',
      roleAssignmentUniqueSk({ ...assignment, principal: { type: 'USER', identifier: 'u1' } }),
      'RAKEY#/ACCOUNT/acc/ORGANIZATION/org/PROJECT/prj#_project_viewer#_all_project_level_resources#USER#-#u1',
    ],
    ['userGroupSk', userGroupSk(org, 'devs'), 'UG#/ACCOUNT/acc/ORGANIZATION/org#devs'],
    ['serviceAccountSk', serviceAccountSk('bot'), 'SA#bot'],
    ['userSk', userSk('u-1_x'), 'USER#u-1_x'],
    ['membershipSk', membershipSk('u1', project), 'MEMBER#u1#/ACCOUNT/acc/ORGANIZATION/org/PROJECT/prj'],
    ['apiKeySk service account', apiKeySk('SERVICE_ACCOUNT', 'bot', 'k1'), 'APIKEY#SERVICE_ACCOUNT#bot#k1'],
    ['apiKeySk user', apiKeySk('USER', 'u1', 'k1'), 'APIKEY#USER#u1#k1'],
    ['tokenSk', tokenSk('AbC-_12'), 'TOKEN#AbC-_12'],
    ['changeSk 0', changeSk(0), 'CHANGE#000000000000'],
    ['changeSk 42', changeSk(42), 'CHANGE#000000000042'],
    ['changeSk max', changeSk(999_999_999_999), 'CHANGE#999999999999'],
    ['CHANGE_LOG_END_SK', CHANGE_LOG_END_SK, 'CHANGE#~'],
    [
      'assignmentsByPrincipalGsi1Pk',
      assignmentsByPrincipalGsi1Pk('acc', 'SERVICE_ACCOUNT', 'bot'),
      'ACCOUNT#acc#RA_BY_PRINCIPAL#SERVICE_ACCOUNT#bot',
    ],
    [
      'membersOfScopeGsi1Pk',
      membersOfScopeGsi1Pk('acc', org),
      'ACCOUNT#acc#MEMBERS#/ACCOUNT/acc/ORGANIZATION/org',
    ],
  ])('%s', (_name, actual, expected) => {
    expect(actual).toBe(expected);
  });

  it('orders change keys numerically and below the end key', () => {
    expect(changeSk(9) < changeSk(10)).toBe(true);
    expect(changeSk(10) < CHANGE_LOG_END_SK).toBe(true);
    expect(changeSk(999_999_999_999) < CHANGE_LOG_END_SK).toBe(true);
    const versions = [100, 3, 10_000, 9, 10, 1];
    const sorted = versions.map(changeSk).sort();
    expect(sorted).toEqual([1, 3, 9, 10, 100, 10_000].map(changeSk));
  });

  it('keeps change-log keys out of the account partition', () => {
    expect(changeLogPk('acc')).not.toBe(accountPk('acc'));
  });

  it.each([-1, 1.5, Number.NaN, 1_000_000_000_000])('rejects change version %s', (version) => {
    expect(() => changeSk(version)).toThrow(/Change version/);
  });

  it.each([
    ['accountPk', () => accountPk('a#b')],
    ['changeLogPk', () => changeLogPk('a#b')],
    ['scopeSk account', () => scopeSk(accountScope('a#b'))],
    ['scopeSk organization', () => scopeSk(organizationScope('acc', 'o#1'))],
    ['scopeSk project', () => scopeSk(projectScope('acc', 'org', 'p#1'))],
    ['roleSk', () => roleSk(org, 'r#1')],
    ['resourceGroupSk', () => resourceGroupSk(org, 'g#1')],
    ['roleAssignmentSk', () => roleAssignmentSk(org, 'ra#1')],
    ['roleAssignmentUniqueSk role', () => roleAssignmentUniqueSk({ ...assignment, roleIdentifier: 'r#1' })],
    [
      'roleAssignmentUniqueSk resource group',
      () => roleAssignmentUniqueSk({ ...assignment, resourceGroupIdentifier: 'g#1' }),
    ],
    [
      'roleAssignmentUniqueSk principal',
      () => roleAssignmentUniqueSk({ ...assignment, principal: { type: 'USER', identifier: 'u#1' } }),
    ],
    ['userGroupSk', () => userGroupSk(org, 'ug#1')],
    ['serviceAccountSk', () => serviceAccountSk('sa#1')],
    ['userSk', () => userSk('u#1')],
    ['membershipSk user', () => membershipSk('u#1', org)],
    ['membershipSk scope', () => membershipSk('u1', organizationScope('acc', 'o#1'))],
    ['apiKeySk parent', () => apiKeySk('USER', 'u#1', 'k1')],
    ['apiKeySk identifier', () => apiKeySk('SERVICE_ACCOUNT', 'bot', 'k#1')],
    ['tokenSk', () => tokenSk('t#1')],
    ['assignmentsByPrincipalGsi1Pk', () => assignmentsByPrincipalGsi1Pk('acc', 'USER', 'u#1')],
    ['membersOfScopeGsi1Pk', () => membersOfScopeGsi1Pk('acc', organizationScope('acc', 'o#1'))],
  ])('%s rejects an identifier containing #', (_name, build) => {
    expect(build).toThrow(/must not contain '#'/);
  });

  it('rejects empty identifiers', () => {
    expect(() => userSk('')).toThrow(/non-empty/);
  });

  it('names every entity', () => {
    expect(Object.keys(ENTITY)).toEqual([
      'Account',
      'Scope',
      'Role',
      'ResourceGroup',
      'RoleAssignment',
      'RoleAssignmentKey',
      'UserGroup',
      'UserGroupMember',
      'ServiceAccount',
      'User',
      'Membership',
      'Invite',
      'AccountSettings',
      'ApiKey',
      'Token',
      'Change',
      'Migration',
      'AuditRecord',
    ]);
    expect(new Set(Object.values(ENTITY)).size).toBe(Object.keys(ENTITY).length);
  });
});
