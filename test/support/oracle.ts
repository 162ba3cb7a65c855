import type { AccessCheck, DenialCode, GrantExplanation } from '../../functions/core/access-check.js';
import { findManagedResourceGroup } from '../../functions/core/managed-resource-groups.js';
import { findManagedRole } from '../../functions/core/managed-roles.js';
import { findPermission, isPermissionApplicable } from '../../functions/core/permission-catalogue.js';
import type { PolicySnapshot } from '../../functions/core/policy-snapshot.js';
import type { ActingPrincipal } from '../../functions/core/principal.js';
import type { ResourceGroup } from '../../functions/core/resource-group.js';
import type { Role } from '../../functions/core/role.js';
import type { RoleAssignment } from '../../functions/core/role-assignment.js';
import type { DecisionEngine } from './decision-engine.js';

/**
 * A brute-force oracle written straight from DESIGN §3.4, with no indexes and no shared evaluator
 * code: every check walks every assignment of the world. Scopes are handled as plain path strings.
 */

const LEVEL_OF_TYPE: Record<string, 'account' | 'organization' | 'project'> = {
  ACCOUNT: 'account',
  ORGANIZATION: 'organization',
  PROJECT: 'project',
};

const LEVEL_NAMES = ['account', 'organization', 'project'] as const;
const LEVEL_SEGMENT = { account: 'ACCOUNT', organization: 'ORGANIZATION', project: 'PROJECT' } as const;

type Level = (typeof LEVEL_NAMES)[number];

interface PathScope {
  level: Level;
  path: string;
}

function toPath(scope: {
  accountIdentifier: string;
  orgIdentifier?: string;
  projectIdentifier?: string;
}): PathScope {
  let path = `/ACCOUNT/${scope.accountIdentifier}`;
  let level: Level = 'account';
  if (scope.orgIdentifier) {
    path += `/ORGANIZATION/${scope.orgIdentifier}`;
    level = 'organization';
  }
  if (scope.projectIdentifier) {
    path += `/PROJECT/${scope.projectIdentifier}`;
    level = 'project';
  }
  return { level, path };
}

function chain(path: string): PathScope[] {
  const parts = path.split('/').slice(1);
  const result: PathScope[] = [];
  for (let n = parts.length; n >= 2; n -= 2) {
    result.push({ level: LEVEL_NAMES[n / 2 - 1] as Level, path: `/${parts.slice(0, n).join('/')}` });
  }
  return result;
}

function atOrBelow(candidate: string, ancestor: string): boolean {
  return candidate === ancestor || candidate.startsWith(`${ancestor}/`);
}

/** Where the checked resource lives: entities of scope types live in their own scope. */
export function oracleHome(check: AccessCheck): string | undefined {
  const entityLevel = LEVEL_OF_TYPE[check.resourceType];
  if (!check.resourceScope) {
    return check.resourceType === 'ACCOUNT' && check.resourceIdentifier
      ? `/ACCOUNT/${check.resourceIdentifier}`
      : undefined;
  }
  const scope = toPath(check.resourceScope as never);
  if (!entityLevel || check.resourceIdentifier === undefined) return scope.path;
  const ownId = scope.path.split('/').at(-1);
  if (entityLevel === scope.level) return ownId === check.resourceIdentifier ? scope.path : undefined;
  const childIndex = LEVEL_NAMES.indexOf(scope.level) + 1;
  if (LEVEL_NAMES[childIndex] !== entityLevel) return undefined;
  return `${scope.path}/${LEVEL_SEGMENT[entityLevel]}/${check.resourceIdentifier}`;
}

function groupHome(assignment: RoleAssignment): PathScope | undefined {
  const assignmentScope = toPath(assignment.scope as never);
  const level = assignment.principal.scopeLevel ?? assignmentScope.level;
  return chain(assignmentScope.path).find((scope) => scope.level === level);
}

function reaches(world: PolicySnapshot, principal: ActingPrincipal, assignment: RoleAssignment): boolean {
  const p = assignment.principal;
  if (p.type === 'USER' || p.type === 'SERVICE_ACCOUNT') {
    return p.type === principal.type && p.identifier === principal.identifier;
  }
  if (principal.type !== 'USER') return false;
  const home = groupHome(assignment);
  if (!home) return false;
  if (p.identifier === `_${home.level}_all_users`) {
    return world.scopeMemberships.some(
      (m) => m.userId === principal.identifier && atOrBelow(toPath(m.scope as never).path, home.path),
    );
  }
  if (p.identifier.endsWith('_all_users') && p.identifier.startsWith('_')) return false;
  return world.userGroups.some(
    (g) =>
      g.identifier === p.identifier &&
      toPath(g.scope as never).path === home.path &&
      g.users.includes(principal.identifier),
  );
}

function resolveRole(world: PolicySnapshot, assignment: RoleAssignment): Role | undefined {
  const at = toPath(assignment.scope as never);
  const custom = world.customRoles.find(
    (r) => r.identifier === assignment.roleIdentifier && toPath(r.scope as never).path === at.path,
  );
  if (custom) return custom;
  const managed = findManagedRole(assignment.roleIdentifier);
  return managed?.allowedScopeLevels.includes(at.level) ? managed : undefined;
}

function resolveGroup(world: PolicySnapshot, assignment: RoleAssignment): ResourceGroup | undefined {
  const at = toPath(assignment.scope as never);
  const custom = world.customResourceGroups.find(
    (g) => g.identifier === assignment.resourceGroupIdentifier && toPath(g.scope as never).path === at.path,
  );
  if (custom) return custom;
  const managed = findManagedResourceGroup(assignment.resourceGroupIdentifier);
  return managed?.allowedScopeLevels.includes(at.level) ? managed : undefined;
}

const IMPLICIT_VIEW: Record<string, string[]> = {
  'account/true': ['core_account_view', 'core_organization_view', 'core_project_view'],
  'account/false': ['core_account_view'],
  'organization/true': ['core_organization_view', 'core_project_view'],
  'organization/false': ['core_organization_view'],
  'project/true': ['core_project_view'],
  'project/false': ['core_project_view'],
};

function selects(group: ResourceGroup, assignmentPath: string, home: string, check: AccessCheck): boolean {
  return group.includedScopes.some((included) => {
    const anchor = included.scope ? toPath(included.scope as never).path : assignmentPath;
    const inScope = included.filter === 'INCLUDING_CHILD_SCOPES' ? atOrBelow(home, anchor) : home === anchor;
    if (!inScope) return false;
    if (group.resourceFilter.includeAllResources) return true;
    return group.resourceFilter.resources.some((selector) => {
      if (selector.resourceType !== check.resourceType) return false;
      if (selector.identifiers && selector.identifiers.length > 0) {
        return (
          check.resourceIdentifier !== undefined && selector.identifiers.includes(check.resourceIdentifier)
        );
      }
      if (selector.attributeFilter) {
        const value = check.resourceAttributes?.[selector.attributeFilter.attributeName];
        return value !== undefined && selector.attributeFilter.attributeValues.includes(value);
      }
      return true;
    });
  });
}

function implicitlyViews(
  group: ResourceGroup,
  assignmentPath: string,
  home: string,
  permission: string,
): boolean {
  return group.includedScopes.some((included) => {
    const anchor = included.scope ? toPath(included.scope as never).path : assignmentPath;
    return chain(anchor).some((scope, depth) => {
      const including = depth === 0 && included.filter === 'INCLUDING_CHILD_SCOPES';
      const permissions = IMPLICIT_VIEW[`${scope.level}/${including}`] ?? [];
      return permissions.includes(permission) && atOrBelow(home, scope.path);
    });
  });
}

/** The oracle's answer to one check: every grant that permits it, or why nothing can. */
export type OracleDecision =
  | { readonly permitted: true; readonly explanations: readonly GrantExplanation[] }
  | { readonly permitted: false; readonly code: DenialCode };

/**
 * Decides one check by brute force over the whole world, naming every assignment that permits it
 * (as an explicit selection, and again as an implicit scope view when it is one too).
 */
export function oracleDecision(
  world: PolicySnapshot,
  principal: ActingPrincipal,
  check: AccessCheck,
): OracleDecision {
  if (!findPermission(check.permission)) return { permitted: false, code: 'UNKNOWN_PERMISSION' };
  if (!isPermissionApplicable(check.permission, check.resourceType)) {
    return { permitted: false, code: 'PERMISSION_NOT_APPLICABLE' };
  }
  const home = oracleHome(check);
  if (!home || !atOrBelow(home, `/ACCOUNT/${world.accountIdentifier}`)) {
    return { permitted: false, code: 'INVALID_RESOURCE_SCOPE' };
  }
  const explanations = world.roleAssignments.flatMap((assignment) => {
    if (assignment.disabled || !reaches(world, principal, assignment)) return [];
    const role = resolveRole(world, assignment);
    const group = resolveGroup(world, assignment);
    if (!role || !group || !role.permissions.includes(check.permission)) return [];
    const assignmentPath = toPath(assignment.scope as never).path;
    const explanation: GrantExplanation = {
      roleAssignmentIdentifier: assignment.identifier,
      roleIdentifier: assignment.roleIdentifier,
      resourceGroupIdentifier: assignment.resourceGroupIdentifier,
      scope: assignment.scope,
      ...(assignment.principal.type === 'USER_GROUP'
        ? { viaUserGroup: assignment.principal.identifier }
        : {}),
    };
    return [
      ...(selects(group, assignmentPath, home, check) ? [explanation] : []),
      ...(implicitlyViews(group, assignmentPath, home, check.permission)
        ? [{ ...explanation, implicitScopeView: true }]
        : []),
    ];
  });
  return explanations.length > 0
    ? { permitted: true, explanations }
    : { permitted: false, code: 'NO_MATCHING_ASSIGNMENT' };
}

/** Decides one check by brute force over the whole world. */
export function oracleDecide(world: PolicySnapshot, principal: ActingPrincipal, check: AccessCheck): boolean {
  return oracleDecision(world, principal, check).permitted;
}

/**
 * The oracle behind the engine interface: decisions with every granting assignment and denial
 * codes; "who can" is left to `whoCanOf`'s brute force over the world's principals.
 */
export const oracleEngine: DecisionEngine = {
  name: 'oracle',
  async decide(world, requests) {
    return requests.map(({ principal, check }) => oracleDecision(world, principal, check));
  },
};
