import type { PolicySnapshot, ScopeMembership } from '../../functions/core/policy-snapshot.js';
import type { AssignmentPrincipal, ServiceAccount } from '../../functions/core/principal.js';
import type { ResourceSelector, ScopeSelector } from '../../functions/core/resource-group.js';
import {
  accountScope,
  type Scope,
  type ScopeLevel,
  scopePath,
  selfAndAncestors,
} from '../../functions/core/scope.js';

/**
 * A world written as fixture data: the scope tree and everything an access decision depends on, in
 * a form terse enough to read in a test (names default to identifiers, allowed levels to the
 * defining scope's level). The decision corpus (`test/fixtures/decisions/`) and any later corpus of
 * writes share it; {@link snapshotOf} turns it into the evaluator's `PolicySnapshot`.
 */
export interface FixtureWorld {
  /** The account every scope of the world belongs to; `acc` when omitted. */
  readonly account?: string;
  /** Organizations and projects that exist even when nothing else names them. */
  readonly scopes?: readonly Scope[];
  readonly roles?: readonly FixtureRole[];
  readonly resourceGroups?: readonly FixtureResourceGroup[];
  readonly userGroups?: readonly FixtureUserGroup[];
  /** Scope memberships of users (a member of a scope is a member of its ancestors). */
  readonly memberships?: readonly ScopeMembership[];
  readonly serviceAccounts?: readonly ServiceAccount[];
  readonly assignments?: readonly FixtureAssignment[];
}

/** A custom role defined at `scope`; usable at `scope`'s level unless `allowedScopeLevels` says otherwise. */
export interface FixtureRole {
  readonly scope: Scope;
  readonly identifier: string;
  readonly permissions: readonly string[];
  readonly allowedScopeLevels?: readonly ScopeLevel[];
}

/**
 * A custom resource group defined at `scope`: `ALL` resources or the listed selectors, inside its
 * included scopes (default: `scope` itself, excluding child scopes).
 */
export interface FixtureResourceGroup {
  readonly scope: Scope;
  readonly identifier: string;
  readonly resources: 'ALL' | readonly ResourceSelector[];
  readonly includedScopes?: readonly ScopeSelector[];
}

/** A user group at `scope` with its members' user ids. */
export interface FixtureUserGroup {
  readonly scope: Scope;
  readonly identifier: string;
  readonly users: readonly string[];
}

/** A role assignment; its identifier defaults to `ra<n>` (its 1-based position), enabled unless `disabled`. */
export interface FixtureAssignment {
  readonly identifier?: string;
  readonly scope: Scope;
  readonly principal: AssignmentPrincipal;
  readonly role: string;
  readonly resourceGroup: string;
  readonly disabled?: boolean;
}

/** The account of a fixture world. */
export function accountOf(world: FixtureWorld): string {
  return world.account ?? 'acc';
}

/** The policy snapshot a fixture world denotes (fresh objects on every call). */
export function snapshotOf(world: FixtureWorld): PolicySnapshot {
  return structuredClone({
    accountIdentifier: accountOf(world),
    customRoles: (world.roles ?? []).map((role) => ({
      harnessManaged: false as const,
      scope: role.scope,
      identifier: role.identifier,
      name: role.identifier,
      permissions: [...role.permissions],
      allowedScopeLevels: [...(role.allowedScopeLevels ?? [role.scope.level])],
    })),
    customResourceGroups: (world.resourceGroups ?? []).map((group) => ({
      harnessManaged: false as const,
      scope: group.scope,
      identifier: group.identifier,
      name: group.identifier,
      allowedScopeLevels: [group.scope.level],
      includedScopes: [
        ...(group.includedScopes ?? [{ filter: 'EXCLUDING_CHILD_SCOPES', scope: group.scope }]),
      ],
      resourceFilter:
        group.resources === 'ALL'
          ? { includeAllResources: true, resources: [] }
          : { includeAllResources: false, resources: [...group.resources] },
    })),
    roleAssignments: (world.assignments ?? []).map((assignment, index) => ({
      identifier: assignment.identifier ?? `ra${index + 1}`,
      scope: assignment.scope,
      principal: assignment.principal,
      roleIdentifier: assignment.role,
      resourceGroupIdentifier: assignment.resourceGroup,
      disabled: assignment.disabled ?? false,
      managed: false,
    })),
    userGroups: (world.userGroups ?? []).map((group) => ({
      scope: group.scope,
      identifier: group.identifier,
      name: group.identifier,
      users: [...group.users],
    })),
    serviceAccounts: [...(world.serviceAccounts ?? [])],
    scopeMemberships: [...(world.memberships ?? [])],
  } satisfies PolicySnapshot);
}

/**
 * Every scope of a fixture world: the declared ones and every scope its entities are defined,
 * included or assigned at, with their ancestors, in first-seen order (account first).
 */
export function scopesOf(world: FixtureWorld): Scope[] {
  const named: Scope[] = [
    accountScope(accountOf(world)),
    ...(world.scopes ?? []),
    ...(world.roles ?? []).map((role) => role.scope),
    ...(world.resourceGroups ?? []).flatMap((group) => [
      group.scope,
      ...(group.includedScopes ?? []).flatMap((included) => (included.scope ? [included.scope] : [])),
    ]),
    ...(world.userGroups ?? []).map((group) => group.scope),
    ...(world.memberships ?? []).map((membership) => membership.scope),
    ...(world.serviceAccounts ?? []).map((account) => account.scope),
    ...(world.assignments ?? []).map((assignment) => assignment.scope),
  ];
  const byPath = new Map<string, Scope>();
  for (const scope of named) {
    for (const ancestor of selfAndAncestors(scope).reverse()) byPath.set(scopePath(ancestor), ancestor);
  }
  return [...byPath.values()];
}
