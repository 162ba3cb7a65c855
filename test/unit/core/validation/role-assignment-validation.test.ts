import { describe, expect, it } from 'vitest';
import type { AssignmentPrincipal } from '../../../../functions/core/principal.js';
import type { CustomResourceGroup } from '../../../../functions/core/resource-group.js';
import type { CustomRole } from '../../../../functions/core/role.js';
import type { RoleAssignment } from '../../../../functions/core/role-assignment.js';
import {
  accountScope,
  organizationScope,
  projectScope,
  type Scope,
  sameScope,
  scopePath,
} from '../../../../functions/core/scope.js';
import {
  DUPLICATE_ROLE_ASSIGNMENT_FIELD,
  type RoleAssignmentInput,
  type RoleAssignmentLookups,
  validateRoleAssignment,
  validateRoleAssignmentUpdate,
} from '../../../../functions/core/validation/role-assignment-validation.js';

const ACCOUNT = accountScope('acc');
const ORG = organizationScope('acc', 'org');
const PROJECT = projectScope('acc', 'org', 'p');
const OTHER_PROJECT = projectScope('acc', 'org', 'p2');
const MISSING_ORG = organizationScope('acc', 'ghost');

const GENERATED = 'role_assignment_ABCDEFGHIJ0123456789';

const customRole = (identifier: string, scope: Scope): CustomRole => ({
  identifier,
  name: identifier,
  permissions: [],
  allowedScopeLevels: [scope.level],
  harnessManaged: false,
  scope,
});

const customGroup = (identifier: string, scope: Scope): CustomResourceGroup => ({
  identifier,
  name: identifier,
  allowedScopeLevels: [scope.level],
  includedScopes: [{ filter: 'EXCLUDING_CHILD_SCOPES', scope }],
  resourceFilter: { includeAllResources: true, resources: [] },
  harnessManaged: false,
  scope,
});

const assignment = (
  identifier: string,
  scope: Scope,
  roleIdentifier: string,
  resourceGroupIdentifier: string,
  principal: AssignmentPrincipal,
): RoleAssignment => ({
  identifier,
  scope,
  roleIdentifier,
  resourceGroupIdentifier,
  principal,
  disabled: false,
  managed: false,
});

const EXISTING = [
  assignment('ra_user', PROJECT, '_project_viewer', '_all_project_level_resources', {
    type: 'USER',
    identifier: 'u1',
  }),
  assignment('ra_group', PROJECT, '_project_viewer', '_all_project_level_resources', {
    type: 'USER_GROUP',
    identifier: 'g_proj',
    scopeLevel: 'project',
  }),
];

const sameAssignment = (a: RoleAssignment, b: RoleAssignment): boolean =>
  sameScope(a.scope, b.scope) &&
  a.roleIdentifier === b.roleIdentifier &&
  a.resourceGroupIdentifier === b.resourceGroupIdentifier &&
  a.principal.type === b.principal.type &&
  a.principal.identifier === b.principal.identifier &&
  a.principal.scopeLevel === b.principal.scopeLevel;

/** A small world: acc/org/{p, p2}; roles, groups, users, user groups and service accounts in it. */
const LOOKUPS: RoleAssignmentLookups = {
  scopeExists: (scope) => [ACCOUNT, ORG, PROJECT, OTHER_PROJECT].some((known) => sameScope(known, scope)),
  customRole: (scope, identifier) =>
    [customRole('deployer', PROJECT), customRole('acct_role', ACCOUNT)].find(
      (role) => role.identifier === identifier && sameScope(role.scope, scope),
    ),
  customResourceGroup: (scope, identifier) =>
    [customGroup('prod_rg', PROJECT)].find(
      (group) => group.identifier === identifier && sameScope(group.scope, scope),
    ),
  isScopeMember: (userId, scope) =>
    ({ u1: [ACCOUNT, ORG, PROJECT], u2: [ACCOUNT] })[userId]?.some((member) => sameScope(member, scope)) ??
    false,
  userGroupExists: (scope, identifier) =>
    [
      ['g_acc', ACCOUNT],
      ['g_org', ORG],
      ['g_proj', PROJECT],
    ].some(([id, at]) => id === identifier && sameScope(at as Scope, scope)),
  serviceAccountScope: (accountIdentifier, identifier) =>
    accountIdentifier === 'acc'
      ? ({ sa_acc: ACCOUNT, sa_proj: PROJECT, sa_other: OTHER_PROJECT } as Record<string, Scope>)[identifier]
      : undefined,
  assignmentExists: (scope, identifier) =>
    EXISTING.some((existing) => existing.identifier === identifier && sameScope(existing.scope, scope)),
  duplicateOf: (candidate) => EXISTING.find((existing) => sameAssignment(existing, candidate))?.identifier,
  identifierFactory: () => GENERATED,
};

const input = (overrides: Partial<RoleAssignmentInput> = {}): RoleAssignmentInput => ({
  roleIdentifier: '_project_admin',
  resourceGroupIdentifier: '_all_project_level_resources',
  principal: { type: 'USER', identifier: 'u1' },
  ...overrides,
});

describe('validateRoleAssignment', () => {
  it('generates an identifier, defaults disabled to false and is never managed', () => {
    // Act
    const result = validateRoleAssignment(input({ identifier: ' ', managed: true }), PROJECT, LOOKUPS);

    // Assess
    expect(result).toEqual({
      ok: true,
      value: {
        identifier: GENERATED,
        scope: PROJECT,
        roleIdentifier: '_project_admin',
        resourceGroupIdentifier: '_all_project_level_resources',
        principal: { type: 'USER', identifier: 'u1' },
        disabled: false,
        managed: false,
      },
    });
  });

  it('keeps a given identifier and disabled flag', () => {
    // Act
    const result = validateRoleAssignment(input({ identifier: 'my_ra', disabled: true }), PROJECT, LOOKUPS);

    // Assess
    expect(result.ok && result.value).toMatchObject({ identifier: 'my_ra', disabled: true });
  });

  it.each<[string, Scope, Partial<RoleAssignmentInput>, AssignmentPrincipal]>([
    [
      'a USER member (scopeLevel dropped)',
      PROJECT,
      { principal: { type: 'USER', identifier: 'u1', scopeLevel: 'account' } },
      { type: 'USER', identifier: 'u1' },
    ],
    [
      'an account group bound at a project',
      PROJECT,
      { principal: { type: 'USER_GROUP', identifier: 'g_acc', scopeLevel: 'account' } },
      { type: 'USER_GROUP', identifier: 'g_acc', scopeLevel: 'account' },
    ],
    [
      'an org group bound at a project',
      PROJECT,
      { principal: { type: 'USER_GROUP', identifier: 'g_org', scopeLevel: 'organization' } },
      { type: 'USER_GROUP', identifier: 'g_org', scopeLevel: 'organization' },
    ],
    [
      'a project group without scopeLevel (defaults to the assignment level)',
      PROJECT,
      { principal: { type: 'USER_GROUP', identifier: 'g_proj', scopeLevel: null } },
      { type: 'USER_GROUP', identifier: 'g_proj', scopeLevel: 'project' },
    ],
    [
      'the account all-users group at a project',
      PROJECT,
      { principal: { type: 'USER_GROUP', identifier: '_account_all_users', scopeLevel: 'account' } },
      { type: 'USER_GROUP', identifier: '_account_all_users', scopeLevel: 'account' },
    ],
    [
      'the project all-users group at its project',
      PROJECT,
      { principal: { type: 'USER_GROUP', identifier: '_project_all_users' } },
      { type: 'USER_GROUP', identifier: '_project_all_users', scopeLevel: 'project' },
    ],
    [
      'an account service account at a project (level where found)',
      PROJECT,
      { principal: { type: 'SERVICE_ACCOUNT', identifier: 'sa_acc' } },
      { type: 'SERVICE_ACCOUNT', identifier: 'sa_acc', scopeLevel: 'account' },
    ],
    [
      'a project service account at its project',
      PROJECT,
      { principal: { type: 'SERVICE_ACCOUNT', identifier: 'sa_proj', scopeLevel: 'project' } },
      { type: 'SERVICE_ACCOUNT', identifier: 'sa_proj', scopeLevel: 'project' },
    ],
  ])('accepts %s', (_label, scope, overrides, principal) => {
    // Act
    const result = validateRoleAssignment(input(overrides), scope, LOOKUPS);

    // Assess
    expect(result.ok ? result.value.principal : result.errors).toEqual(principal);
  });

  it.each<[string, Scope, Partial<RoleAssignmentInput>]>([
    [
      'a custom role and group of the scope',
      PROJECT,
      { roleIdentifier: 'deployer', resourceGroupIdentifier: 'prod_rg' },
    ],
    [
      'managed admin on including-child-scopes at account',
      ACCOUNT,
      { roleIdentifier: '_account_admin', resourceGroupIdentifier: '_all_resources_including_child_scopes' },
    ],
    [
      'a custom role at its account with an org-level group',
      ACCOUNT,
      { roleIdentifier: 'acct_role', resourceGroupIdentifier: '_all_account_level_resources' },
    ],
    [
      'a managed role allowed at every level',
      ORG,
      {
        roleIdentifier: '_feature_flag_manage_role',
        resourceGroupIdentifier: '_all_organization_level_resources',
      },
    ],
  ])('resolves %s', (_label, scope, overrides) => {
    // Act
    const result = validateRoleAssignment(input(overrides), scope, LOOKUPS);

    // Assess
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it.each<[string, Scope, Partial<RoleAssignmentInput>, string, string]>([
    [
      'the deprecated _all_resources group',
      PROJECT,
      { resourceGroupIdentifier: '_all_resources' },
      'resourceGroupIdentifier',
      '_all_resources is deprecated, please use _all_resources_including_child_scopes.',
    ],
    [
      'an unsupported principal type',
      PROJECT,
      { principal: { type: 'API_KEY', identifier: 'k' } },
      'principal.type',
      'Incorrect Principal Type. Please select one out of USER, USER_GROUP, SERVICE_ACCOUNT',
    ],
    [
      'a blank principal identifier',
      PROJECT,
      { principal: { type: 'USER', identifier: '' } },
      'principal.identifier',
      'cannot be empty',
    ],
    [
      'a principal scope level below the assignment',
      ACCOUNT,
      {
        roleIdentifier: '_account_viewer',
        resourceGroupIdentifier: '_all_account_level_resources',
        principal: { type: 'USER_GROUP', identifier: 'g_acc', scopeLevel: 'project' },
      },
      'principal.scopeLevel',
      'Principal scope level cannot be project for account scoped role assignment.',
    ],
    [
      'an unknown principal scope level',
      PROJECT,
      { principal: { type: 'SERVICE_ACCOUNT', identifier: 'sa_acc', scopeLevel: 'galaxy' } },
      'principal.scopeLevel',
      'Principal scope level cannot be galaxy',
    ],
    [
      'a scope that does not exist',
      MISSING_ORG,
      {
        roleIdentifier: '_organization_viewer',
        resourceGroupIdentifier: '_all_organization_level_resources',
      },
      'orgIdentifier',
      'Invalid scope /ACCOUNT/acc/ORGANIZATION/ghost',
    ],
    [
      'a user who is not a member of the scope',
      PROJECT,
      { principal: { type: 'USER', identifier: 'u2' } },
      'principal.identifier',
      'user not found with the given identifier u2 in the scope /ACCOUNT/acc/ORGANIZATION/org/PROJECT/p',
    ],
    [
      'an org group looked up at the project (scopeLevel omitted)',
      PROJECT,
      { principal: { type: 'USER_GROUP', identifier: 'g_org' } },
      'principal.identifier',
      'user group not found with the given identifier g_org in the scope /ACCOUNT/acc/ORGANIZATION/org/PROJECT/p',
    ],
    [
      'a project group named at the org level',
      PROJECT,
      { principal: { type: 'USER_GROUP', identifier: 'g_proj', scopeLevel: 'organization' } },
      'principal.identifier',
      'user group not found with the given identifier g_proj in the scope /ACCOUNT/acc/ORGANIZATION/org',
    ],
    [
      'the account all-users group at project level',
      PROJECT,
      { principal: { type: 'USER_GROUP', identifier: '_account_all_users' } },
      'principal.identifier',
      'user group not found with the given identifier _account_all_users',
    ],
    [
      'a service account of a sibling project',
      PROJECT,
      { principal: { type: 'SERVICE_ACCOUNT', identifier: 'sa_other' } },
      'principal.identifier',
      'Service Account not found with the given identifier sa_other in account acc',
    ],
    [
      'an unknown service account',
      ORG,
      {
        roleIdentifier: '_organization_viewer',
        resourceGroupIdentifier: '_all_organization_level_resources',
        principal: { type: 'SERVICE_ACCOUNT', identifier: 'sa_nope' },
      },
      'principal.identifier',
      'Service Account not found with the given identifier sa_nope',
    ],
    [
      'a service account named at another level than where it lives',
      PROJECT,
      { principal: { type: 'SERVICE_ACCOUNT', identifier: 'sa_acc', scopeLevel: 'project' } },
      'principal.identifier',
      'Service Account not found with the given identifier sa_acc in scope /ACCOUNT/acc/ORGANIZATION/org/PROJECT/p',
    ],
    [
      'a custom role of another scope',
      ORG,
      {
        roleIdentifier: 'deployer',
        resourceGroupIdentifier: '_all_organization_level_resources',
        principal: { type: 'USER', identifier: 'u1' },
      },
      'roleIdentifier',
      'Did not find role deployer in /ACCOUNT/acc/ORGANIZATION/org',
    ],
    [
      'a custom role of a parent scope',
      PROJECT,
      { roleIdentifier: 'acct_role' },
      'roleIdentifier',
      'Did not find role acct_role',
    ],
    [
      'a managed role not allowed at the level',
      PROJECT,
      { roleIdentifier: '_account_admin' },
      'roleIdentifier',
      'Did not find role _account_admin in /ACCOUNT/acc/ORGANIZATION/org/PROJECT/p',
    ],
    [
      'including-child-scopes at a project',
      PROJECT,
      { resourceGroupIdentifier: '_all_resources_including_child_scopes' },
      'resourceGroupIdentifier',
      'Did not find resource group identifier _all_resources_including_child_scopes in /ACCOUNT/acc/ORGANIZATION/org/PROJECT/p',
    ],
    [
      'the project-level group at the account',
      ACCOUNT,
      { roleIdentifier: '_account_viewer' },
      'resourceGroupIdentifier',
      'Did not find resource group identifier _all_project_level_resources in /ACCOUNT/acc',
    ],
    [
      'a custom group of another scope',
      OTHER_PROJECT,
      { resourceGroupIdentifier: 'prod_rg', principal: { type: 'SERVICE_ACCOUNT', identifier: 'sa_acc' } },
      'resourceGroupIdentifier',
      'Did not find resource group identifier prod_rg',
    ],
    ['a malformed identifier', PROJECT, { identifier: 'ra-1' }, 'identifier', 'alphanumeric'],
    [
      'an identifier already used in the scope',
      PROJECT,
      { identifier: 'ra_user' },
      'identifier',
      'A role assignment with identifier ra_user already exists',
    ],
    [
      'an equal assignment',
      PROJECT,
      { roleIdentifier: '_project_viewer' },
      DUPLICATE_ROLE_ASSIGNMENT_FIELD,
      'already exists in /ACCOUNT/acc/ORGANIZATION/org/PROJECT/p: ra_user',
    ],
    [
      'an equal group assignment whose scopeLevel was omitted',
      PROJECT,
      { roleIdentifier: '_project_viewer', principal: { type: 'USER_GROUP', identifier: 'g_proj' } },
      DUPLICATE_ROLE_ASSIGNMENT_FIELD,
      'ra_group',
    ],
  ])('rejects %s', (_label, scope, overrides, fieldId, text) => {
    // Act
    const result = validateRoleAssignment(input(overrides), scope, LOOKUPS);

    // Assess
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((error) => error.fieldId)).toEqual([fieldId]);
    expect(result.errors[0]?.error).toContain(text);
  });

  it('accepts an assignment that differs from an existing one only in the role', () => {
    // Act
    const result = validateRoleAssignment(input({ roleIdentifier: '_pipeline_executor' }), PROJECT, LOOKUPS);

    // Assess
    expect(result.ok).toBe(true);
  });

  it('reports independent problems together', () => {
    // Act
    const result = validateRoleAssignment(
      input({
        roleIdentifier: 'nope',
        resourceGroupIdentifier: 'none',
        principal: { type: 'USER', identifier: 'u2' },
      }),
      PROJECT,
      LOOKUPS,
    );

    // Assess
    expect(result.ok || result.errors.map((error) => error.fieldId)).toEqual([
      'principal.identifier',
      'resourceGroupIdentifier',
      'roleIdentifier',
    ]);
  });

  it('does not look for duplicates of an invalid assignment', () => {
    // Prepare
    let asked = false;
    const lookups: RoleAssignmentLookups = {
      ...LOOKUPS,
      duplicateOf: () => {
        asked = true;
        return 'x';
      },
    };

    // Act
    validateRoleAssignment(input({ roleIdentifier: 'nope' }), PROJECT, lookups);

    // Assess
    expect(asked).toBe(false);
  });

  it('formats scopes in messages as scope paths', () => {
    expect(scopePath(PROJECT)).toBe('/ACCOUNT/acc/ORGANIZATION/org/PROJECT/p');
  });
});

describe('validateRoleAssignmentUpdate', () => {
  const stored: RoleAssignment = {
    ...assignment('ra_group', PROJECT, '_project_viewer', '_all_project_level_resources', {
      type: 'USER_GROUP',
      identifier: 'g_acc',
      scopeLevel: 'account',
    }),
    managed: true,
  };
  const body = (overrides: Partial<RoleAssignmentInput> = {}): RoleAssignmentInput => ({
    identifier: 'ra_group',
    roleIdentifier: '_project_viewer',
    resourceGroupIdentifier: '_all_project_level_resources',
    principal: { type: 'USER_GROUP', identifier: 'g_acc', scopeLevel: 'account' },
    ...overrides,
  });

  it.each<[string, Partial<RoleAssignmentInput>, boolean]>([
    ['disabling', { disabled: true }, true],
    ['enabling', { disabled: false }, false],
    ['omitting disabled (false, like Harness)', {}, false],
    [
      'omitting the principal scope level',
      { principal: { type: 'USER_GROUP', identifier: 'g_acc' }, disabled: true },
      true,
    ],
  ])('accepts %s and preserves everything else', (_label, overrides, disabled) => {
    // Act
    const result = validateRoleAssignmentUpdate(stored, body(overrides), 'ra_group');

    // Assess
    expect(result).toEqual({ ok: true, value: { ...stored, disabled } });
  });

  it('ignores a scope level sent for a USER principal', () => {
    // Prepare
    const user = assignment('ra_user', PROJECT, '_project_viewer', '_all_project_level_resources', {
      type: 'USER',
      identifier: 'u1',
    });

    // Act
    const result = validateRoleAssignmentUpdate(
      user,
      body({ identifier: 'ra_user', principal: { type: 'USER', identifier: 'u1', scopeLevel: 'project' } }),
      'ra_user',
    );

    // Assess
    expect(result.ok).toBe(true);
  });

  it.each<[string, Partial<RoleAssignmentInput>, string, string, string]>([
    [
      'a body identifier differing from the path',
      { identifier: 'other' },
      'ra_group',
      'identifier',
      'Role assignment identifier in the request body and the url do not match.',
    ],
    ['a missing body identifier', { identifier: undefined }, 'ra_group', 'identifier', 'do not match'],
    ['a path differing from the stored assignment', { identifier: 'x' }, 'x', 'identifier', 'do not match'],
    [
      'a new resource group',
      { resourceGroupIdentifier: 'prod_rg' },
      'ra_group',
      'resourceGroupIdentifier',
      'Cannot change resource group in the role assignment',
    ],
    [
      'a new role',
      { roleIdentifier: '_project_admin' },
      'ra_group',
      'roleIdentifier',
      'Cannot change role in the role assignment',
    ],
    [
      'a new principal',
      { principal: { type: 'USER_GROUP', identifier: 'g_proj', scopeLevel: 'account' } },
      'ra_group',
      'principal.identifier',
      'Cannot change principal in the role assignment',
    ],
    [
      'a new principal type',
      { principal: { type: 'SERVICE_ACCOUNT', identifier: 'g_acc', scopeLevel: 'account' } },
      'ra_group',
      'principal.type',
      'Cannot change principal type in the role assignment',
    ],
    [
      'a new principal scope level',
      { principal: { type: 'USER_GROUP', identifier: 'g_acc', scopeLevel: 'project' } },
      'ra_group',
      'principal.scopeLevel',
      'Cannot change principal scope in the role assignment',
    ],
  ])('rejects %s', (_label, overrides, pathIdentifier, fieldId, text) => {
    // Act
    const result = validateRoleAssignmentUpdate(stored, body(overrides), pathIdentifier);

    // Assess
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((error) => error.fieldId)).toEqual([fieldId]);
    expect(result.errors[0]?.error).toContain(text);
  });
});
