import fc from 'fast-check';
import type { AccessCheck } from '../../functions/core/access-check.js';
import { findManagedResourceGroup } from '../../functions/core/managed-resource-groups.js';
import { findManagedRole } from '../../functions/core/managed-roles.js';
import { findPermission } from '../../functions/core/permission-catalogue.js';
import type { PolicySnapshot } from '../../functions/core/policy-snapshot.js';
import {
  type ActingPrincipal,
  ALL_USERS_GROUP_IDENTIFIERS,
  type AssignmentPrincipal,
  type UserGroup,
} from '../../functions/core/principal.js';
import type {
  CustomResourceGroup,
  ResourceSelector,
  ScopeSelector,
} from '../../functions/core/resource-group.js';
import type { CustomRole } from '../../functions/core/role.js';
import type { RoleAssignment } from '../../functions/core/role-assignment.js';
import {
  accountScope,
  isSelfOrAncestor,
  levelRank,
  organizationScope,
  projectScope,
  SCOPE_LEVELS,
  type Scope,
} from '../../functions/core/scope.js';

/** The account every generated world lives in. */
export const WORLD_ACCOUNT = 'acc';

/** The fixed scope tree of generated worlds: two orgs, with a project id reused across orgs. */
export const WORLD_SCOPES: readonly Scope[] = [
  accountScope(WORLD_ACCOUNT),
  organizationScope(WORLD_ACCOUNT, 'o1'),
  projectScope(WORLD_ACCOUNT, 'o1', 'p1'),
  projectScope(WORLD_ACCOUNT, 'o1', 'p2'),
  organizationScope(WORLD_ACCOUNT, 'o2'),
  projectScope(WORLD_ACCOUNT, 'o2', 'p1'),
];

/** The user ids of generated worlds. */
export const USERS = ['u1', 'u2', 'u3', 'u4', 'u5'];
/** The service-account identifiers of generated worlds. */
export const SERVICE_ACCOUNTS = ['s1', 's2'];
const GROUP_IDS = ['g1', 'g2', '_account_all_users', '_organization_all_users', '_project_all_users'];
/** The resource types checks and selectors of generated worlds draw from. */
export const RESOURCE_TYPES = [
  'PIPELINE',
  'SECRET',
  'ENVIRONMENT',
  'CONNECTOR',
  'PROJECT',
  'ORGANIZATION',
  'FEATUREFLAG',
];
/** The resource identifiers checks and selectors draw from. */
export const RESOURCE_IDS = ['x', 'y', 'p1', 'p2', 'o1', 'o2', 'acc'];
/** The ENVIRONMENT `type` attribute values. */
export const ENV_TYPES = ['Production', 'PreProduction'];

/** Permissions that checks and custom roles draw from (an unknown and a STAGING one included). */
export const WORLD_PERMISSIONS = [
  'core_pipeline_view',
  'core_pipeline_execute',
  'core_pipeline_edit',
  'core_secret_view',
  'core_environment_access',
  'core_environment_view',
  'core_connector_view',
  'core_project_view',
  'core_organization_view',
  'core_account_view',
  'core_project_create',
  'ff_featureflag_edit',
  'core_notification_view',
  'nope_bogus_permission',
];

const CUSTOM_ROLE_PERMISSIONS: Record<string, string[]> = {
  account: WORLD_PERMISSIONS.slice(0, 12),
  organization: WORLD_PERMISSIONS.slice(0, 9).concat(['core_project_create', 'ff_featureflag_edit']),
  project: WORLD_PERMISSIONS.slice(0, 8).concat(['ff_featureflag_edit']),
};

const MANAGED_ROLES = [
  '_account_admin',
  '_account_viewer',
  '_organization_admin',
  '_organization_viewer',
  '_project_admin',
  '_project_viewer',
  '_pipeline_executor',
  '_feature_flag_manage_role',
];
const MANAGED_GROUPS = [
  '_all_account_level_resources',
  '_all_organization_level_resources',
  '_all_project_level_resources',
  '_all_resources_including_child_scopes',
];

/** A scope of the fixed tree. */
export const scopeArb = fc.constantFrom(...WORLD_SCOPES);

function subtreeOf(scope: Scope): Scope[] {
  return WORLD_SCOPES.filter((candidate) => isSelfOrAncestor(scope, candidate));
}

const selectorArb: fc.Arbitrary<ResourceSelector> = fc.oneof(
  fc.record({ resourceType: fc.constantFrom(...RESOURCE_TYPES) }),
  fc.record({
    resourceType: fc.constantFrom(...RESOURCE_TYPES),
    identifiers: fc.subarray(RESOURCE_IDS, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    resourceType: fc.constant('ENVIRONMENT'),
    attributeFilter: fc.record({
      attributeName: fc.constant('type'),
      attributeValues: fc.subarray(ENV_TYPES, { minLength: 1 }),
    }),
  }),
);

/** A custom role at a scope of the tree. */
export const customRoleArb: fc.Arbitrary<CustomRole> = scopeArb.chain((scope) =>
  fc
    .record({
      identifier: fc.constantFrom('r1', 'r2'),
      permissions: fc.subarray(CUSTOM_ROLE_PERMISSIONS[scope.level] ?? []),
    })
    .map(({ identifier, permissions }) => ({
      harnessManaged: false as const,
      scope,
      identifier,
      name: identifier,
      permissions,
      allowedScopeLevels: [scope.level],
    })),
);

/** A custom resource group at a scope of the tree. */
export const customGroupArb: fc.Arbitrary<CustomResourceGroup> = scopeArb.chain((scope) =>
  fc
    .record({
      identifier: fc.constantFrom('rg1', 'rg2'),
      includedScopes: fc.array(
        fc.record({
          filter: fc.constantFrom('INCLUDING_CHILD_SCOPES' as const, 'EXCLUDING_CHILD_SCOPES' as const),
          scope: fc.constantFrom(...subtreeOf(scope)),
        }),
        { minLength: 1, maxLength: 2 },
      ),
      includeAllResources: fc.boolean(),
      resources: fc.array(selectorArb, { minLength: 1, maxLength: 3 }),
    })
    .map(({ identifier, includedScopes, includeAllResources, resources }) => ({
      harnessManaged: false as const,
      scope,
      identifier,
      name: identifier,
      allowedScopeLevels: [scope.level],
      includedScopes: includedScopes as ScopeSelector[],
      resourceFilter: { includeAllResources, resources: includeAllResources ? [] : resources },
    })),
);

const namedGroupArb: fc.Arbitrary<UserGroup> = fc
  .record({
    identifier: fc.constantFrom('g1', 'g2'),
    scope: scopeArb,
    users: fc.subarray(USERS),
  })
  .map((group) => ({ ...group, name: group.identifier }));

/**
 * An all-users group stored with a member list, which every engine must ignore: all-users
 * membership is derived from scope membership (DESIGN §3.2).
 */
const storedAllUsersGroupArb: fc.Arbitrary<UserGroup> = fc
  .record({ scope: scopeArb, users: fc.subarray(USERS, { minLength: 1 }) })
  .map(({ scope, users }) => {
    const identifier = ALL_USERS_GROUP_IDENTIFIERS[scope.level];
    return { identifier, scope, users, name: identifier };
  });

const userGroupArb: fc.Arbitrary<UserGroup> = fc.oneof(
  { arbitrary: namedGroupArb, weight: 4 },
  { arbitrary: storedAllUsersGroupArb, weight: 1 },
);

function principalArb(scope: Scope): fc.Arbitrary<AssignmentPrincipal> {
  const levels = SCOPE_LEVELS.filter((level) => levelRank(level) <= levelRank(scope.level));
  return fc.oneof(
    fc.record({ type: fc.constant('USER' as const), identifier: fc.constantFrom(...USERS) }),
    fc.record({
      type: fc.constant('SERVICE_ACCOUNT' as const),
      identifier: fc.constantFrom(...SERVICE_ACCOUNTS),
    }),
    fc.record(
      {
        type: fc.constant('USER_GROUP' as const),
        identifier: fc.constantFrom(...GROUP_IDS),
        scopeLevel: fc.constantFrom(...levels),
      },
      { requiredKeys: ['type', 'identifier'] },
    ),
  );
}

function choiceArb(preferred: readonly string[], any: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...preferred), weight: 4 },
    { arbitrary: fc.constantFrom(...any), weight: 1 },
  );
}

/** A role assignment without its identifier. */
export const assignmentArb: fc.Arbitrary<Omit<RoleAssignment, 'identifier'>> = scopeArb.chain((scope) =>
  fc.record({
    scope: fc.constant(scope),
    principal: principalArb(scope),
    roleIdentifier: choiceArb(
      [
        ...MANAGED_ROLES.filter((id) => findManagedRole(id)?.allowedScopeLevels.includes(scope.level)),
        'r1',
        'r2',
      ],
      [...MANAGED_ROLES, 'r1', 'r2'],
    ),
    resourceGroupIdentifier: choiceArb(
      [
        ...MANAGED_GROUPS.filter((id) =>
          findManagedResourceGroup(id)?.allowedScopeLevels.includes(scope.level),
        ),
        'rg1',
        'rg2',
      ],
      [...MANAGED_GROUPS, 'rg1', 'rg2'],
    ),
    disabled: fc.oneof(
      { arbitrary: fc.constant(false), weight: 4 },
      { arbitrary: fc.constant(true), weight: 1 },
    ),
    managed: fc.constant(false),
  }),
);

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item);
  return [...seen.values()];
}

const scopeKey = (scope: Scope) => JSON.stringify(scope);

/** A generated RBAC world in the fixed scope tree. */
export const worldArb: fc.Arbitrary<PolicySnapshot> = fc
  .record({
    customRoles: fc.array(customRoleArb, { maxLength: 4 }),
    customResourceGroups: fc.array(customGroupArb, { maxLength: 4 }),
    userGroups: fc.array(userGroupArb, { minLength: 1, maxLength: 5 }),
    memberships: fc.array(fc.record({ userId: fc.constantFrom(...USERS), scope: scopeArb }), {
      minLength: 3,
      maxLength: 10,
    }),
    assignments: fc.array(assignmentArb, { minLength: 4, maxLength: 16 }),
    serviceAccountScopes: fc.tuple(scopeArb, scopeArb),
  })
  .map((w) => ({
    accountIdentifier: WORLD_ACCOUNT,
    customRoles: uniqueBy(w.customRoles, (r) => `${scopeKey(r.scope)}#${r.identifier}`),
    customResourceGroups: uniqueBy(w.customResourceGroups, (g) => `${scopeKey(g.scope)}#${g.identifier}`),
    userGroups: uniqueBy(w.userGroups, (g) => `${scopeKey(g.scope)}#${g.identifier}`),
    scopeMemberships: w.memberships,
    roleAssignments: w.assignments.map((a, index) => ({ ...a, identifier: `ra${index}` })),
    serviceAccounts: SERVICE_ACCOUNTS.map((identifier, index) => ({
      identifier,
      scope: w.serviceAccountScopes[index] as Scope,
    })),
  }));

/** A generated acting principal. */
export const actingPrincipalArb: fc.Arbitrary<ActingPrincipal> = fc.oneof(
  fc.record({ type: fc.constant('USER' as const), identifier: fc.constantFrom(...USERS) }),
  fc.record({
    type: fc.constant('SERVICE_ACCOUNT' as const),
    identifier: fc.constantFrom(...SERVICE_ACCOUNTS),
  }),
);

/** A generated check: usually on a type the permission applies to, sometimes on any other type. */
export const checkArb: fc.Arbitrary<AccessCheck> = fc
  .constantFrom(...WORLD_PERMISSIONS)
  .chain((permission) => {
    const ownType = findPermission(permission)?.resourceType ?? 'PIPELINE';
    const typeArb = fc.oneof(
      { arbitrary: fc.constant(ownType), weight: 3 },
      { arbitrary: fc.constantFrom(...RESOURCE_TYPES, 'ACCOUNT'), weight: 1 },
    );
    return fc.record(
      {
        permission: fc.constant(permission),
        resourceScope: scopeArb,
        resourceType: typeArb,
        resourceIdentifier: fc.constantFrom(...RESOURCE_IDS),
        resourceAttributes: fc.record({ type: fc.constantFrom(...ENV_TYPES) }),
      },
      { requiredKeys: ['permission', 'resourceType'] },
    );
  });
