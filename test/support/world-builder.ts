import type { AccessCheck } from '../../functions/core/access-check.js';
import { emptySnapshot, type PolicySnapshot } from '../../functions/core/policy-snapshot.js';
import type { AssignmentPrincipal, UserGroup } from '../../functions/core/principal.js';
import type {
  CustomResourceGroup,
  ResourceFilter,
  ScopeSelector,
} from '../../functions/core/resource-group.js';
import type { CustomRole } from '../../functions/core/role.js';
import type { RoleAssignment } from '../../functions/core/role-assignment.js';
import { accountScope, organizationScope, projectScope, type Scope } from '../../functions/core/scope.js';

/** Scopes used by hand-written evaluator tests: account `acc`, orgs `o1`/`o2`, projects under them. */
export const ACC = accountScope('acc');
export const O1 = organizationScope('acc', 'o1');
export const O2 = organizationScope('acc', 'o2');
export const P1 = projectScope('acc', 'o1', 'p1');
export const P2 = projectScope('acc', 'o1', 'p2');
export const O2P1 = projectScope('acc', 'o2', 'p1');

/** A mutable snapshot for tests, with terse helpers for each kind of entity. */
export class WorldBuilder {
  private readonly world: {
    -readonly [K in keyof PolicySnapshot]: PolicySnapshot[K] extends readonly (infer T)[]
      ? T[]
      : PolicySnapshot[K];
  };
  private counter = 0;

  constructor(accountIdentifier = 'acc') {
    const empty = emptySnapshot(accountIdentifier);
    this.world = {
      accountIdentifier,
      customRoles: [...empty.customRoles],
      customResourceGroups: [...empty.customResourceGroups],
      roleAssignments: [...empty.roleAssignments],
      userGroups: [...empty.userGroups],
      serviceAccounts: [...empty.serviceAccounts],
      scopeMemberships: [...empty.scopeMemberships],
    };
  }

  /** Adds a custom role at a scope. */
  role(scope: Scope, identifier: string, permissions: string[]): this {
    const role: CustomRole = {
      harnessManaged: false,
      scope,
      identifier,
      name: identifier,
      permissions,
      allowedScopeLevels: [scope.level],
    };
    this.world.customRoles.push(role);
    return this;
  }

  /** Adds a custom resource group at a scope (included scopes default to the group's own scope). */
  resourceGroup(
    scope: Scope,
    identifier: string,
    resourceFilter: ResourceFilter,
    includedScopes: ScopeSelector[] = [{ filter: 'EXCLUDING_CHILD_SCOPES', scope }],
  ): this {
    const group: CustomResourceGroup = {
      harnessManaged: false,
      scope,
      identifier,
      name: identifier,
      allowedScopeLevels: [scope.level],
      includedScopes,
      resourceFilter,
    };
    this.world.customResourceGroups.push(group);
    return this;
  }

  /** Adds a user group with members. */
  group(scope: Scope, identifier: string, users: string[]): this {
    const group: UserGroup = { scope, identifier, name: identifier, users };
    this.world.userGroups.push(group);
    return this;
  }

  /** Makes a user a member of a scope (and so of its ancestors). */
  member(userId: string, scope: Scope): this {
    this.world.scopeMemberships.push({ userId, scope });
    return this;
  }

  /** Adds a service account. */
  serviceAccount(scope: Scope, identifier: string): this {
    this.world.serviceAccounts.push({ scope, identifier });
    return this;
  }

  /** Adds a role assignment. */
  assign(
    scope: Scope,
    principal: AssignmentPrincipal,
    roleIdentifier: string,
    resourceGroupIdentifier: string,
    options: { identifier?: string; disabled?: boolean } = {},
  ): this {
    const assignment: RoleAssignment = {
      identifier: options.identifier ?? `ra${++this.counter}`,
      scope,
      principal,
      roleIdentifier,
      resourceGroupIdentifier,
      disabled: options.disabled ?? false,
      managed: false,
    };
    this.world.roleAssignments.push(assignment);
    return this;
  }

  /** The snapshot built so far. */
  build(): PolicySnapshot {
    return structuredClone(this.world);
  }
}

/** A user principal of an assignment. */
export const user = (identifier: string): AssignmentPrincipal => ({ type: 'USER', identifier });

/** A user-group principal of an assignment. */
export const userGroup = (
  identifier: string,
  scopeLevel?: AssignmentPrincipal['scopeLevel'],
): AssignmentPrincipal =>
  scopeLevel ? { type: 'USER_GROUP', identifier, scopeLevel } : { type: 'USER_GROUP', identifier };

/** A service-account principal of an assignment. */
export const serviceAccount = (identifier: string): AssignmentPrincipal => ({
  type: 'SERVICE_ACCOUNT',
  identifier,
});

/** A check on a resource of `resourceType` in `scope`. */
export function on(
  permission: string,
  resourceType: string,
  scope: Scope,
  resourceIdentifier?: string,
  resourceAttributes?: Record<string, string>,
): AccessCheck {
  return {
    permission,
    resourceType,
    resourceScope: scope,
    ...(resourceIdentifier !== undefined ? { resourceIdentifier } : {}),
    ...(resourceAttributes ? { resourceAttributes } : {}),
  };
}
