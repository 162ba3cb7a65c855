import type { AccessCheck, Decision, Denial, GrantExplanation } from './access-check.js';
import { anchorCovers, compileGrants, type Grant, type LocatedResource, matcherSelects } from './grant.js';
import { applicableResourceTypes, findPermission, isPermissionApplicable } from './permission-catalogue.js';
import { groupKey, groupScopeOf, type PolicyChange, PolicyIndex } from './policy-index.js';
import type { PolicySnapshot } from './policy-snapshot.js';
import { type ActingPrincipal, ALL_USERS_GROUP_IDENTIFIERS, isAllUsersGroupIdentifier } from './principal.js';
import { resourceHomeScope } from './resource-location.js';
import type { RoleAssignment } from './role-assignment.js';
import { type Scope, type ScopePath, scopePath, selfAndAncestors } from './scope.js';
import { resolveResourceGroupAt, resolveRoleAt } from './scoped-resolution.js';

/** A grant together with the user group through which it reached the principal. */
interface ReachedGrant {
  readonly grant: Grant;
  readonly viaUserGroup?: string;
}

/** A principal's grants indexed by anchor scope path. */
type PrincipalGrantIndex = ReadonlyMap<ScopePath, readonly ReachedGrant[]>;

/** One entry of "what can this principal do here": a permission on a type, and which resources of it. */
export interface EffectivePermission {
  readonly permission: string;
  readonly resourceType: string;
  /** `ALL` resources of the type at the scope, or only these identifiers / attribute values. */
  readonly selection:
    | { readonly kind: 'ALL' }
    | {
        readonly kind: 'SOME';
        readonly identifiers: readonly string[];
        readonly attributeFilters: readonly { attributeName: string; attributeValues: readonly string[] }[];
      };
  readonly grantedBy: GrantExplanation;
}

/** One principal allowed by "who can do X on R", with the assignment that grants it. */
export interface AllowedPrincipal {
  readonly principal: ActingPrincipal;
  readonly explanation: GrantExplanation;
}

const PRINCIPAL_CACHE_LIMIT = 1_000;

function principalKey(principal: ActingPrincipal): string {
  return `${principal.type}#${principal.identifier}`;
}

/**
 * The access evaluator over one account's policy (DESIGN §3.4), decided from a persistent
 * {@link PolicyIndex}: assignments by the principal they name, group memberships by user, scope
 * memberships by user. A check touches only the grants of its principal whose anchor lies on the
 * resource's scope chain; each assignment compiles to grants once, and a principal's grants by
 * anchor are memoised for the most recent principals. {@link withChange} derives the evaluator of a
 * changed policy in O(size of the change), sharing everything unchanged.
 */
export class Evaluator {
  readonly accountIdentifier: string;
  /** The persistent indexes this evaluator decides from. */
  readonly index: PolicyIndex;
  private readonly principalIndexes = new Map<string, PrincipalGrantIndex>();
  private readonly assignmentGrants: WeakMap<RoleAssignment, readonly Grant[]>;

  /**
   * Indexes a snapshot (which must not change afterwards), or decides from an existing index.
   * `grants` shares compiled grants with an evaluator of the same roles and resource groups.
   */
  constructor(source: PolicySnapshot | PolicyIndex, grants?: WeakMap<RoleAssignment, readonly Grant[]>) {
    this.index = source instanceof PolicyIndex ? source : PolicyIndex.fromSnapshot(source);
    this.accountIdentifier = this.index.accountIdentifier;
    this.assignmentGrants = grants ?? new WeakMap();
  }

  /**
   * The evaluator of this policy with `change` applied, in O(size of the change); this evaluator is
   * left as it was. Compiled grants are shared unless the change touched a custom role or resource
   * group.
   */
  withChange(change: PolicyChange): Evaluator {
    const next = this.index.withChange(change);
    return new Evaluator(next, next.definitionsChanged ? undefined : this.assignmentGrants);
  }

  /** Decides a batch of checks for one principal, in request order. */
  checkAll(principal: ActingPrincipal, checks: readonly AccessCheck[]): Decision[] {
    return checks.map((check) => this.check(principal, check));
  }

  /**
   * Decides one check. Anything that cannot be established is a denial, never an allow. A permitted
   * decision is explained by the nearest explicit grant, or by the nearest implicit scope view when
   * no explicit grant permits it.
   */
  check(principal: ActingPrincipal, check: AccessCheck): Decision {
    const located = this.locate(check);
    if ('code' in located) return located;
    let implicitView: ReachedGrant | undefined;
    for (const reached of this.grantsCovering(principal, located.scope)) {
      const { grant } = reached;
      if (grant.permissionSet.has(check.permission) && matcherSelects(grant.matcher, located.resource)) {
        if (!grant.implicitScopeView) return permitted(reached);
        implicitView ??= reached;
      }
    }
    if (implicitView) return permitted(implicitView);
    return {
      permitted: false,
      code: 'NO_MATCHING_ASSIGNMENT',
      reason: `no enabled role assignment of ${principal.type} ${principal.identifier} grants ${check.permission} on ${describeResource(located.resource)}`,
    };
  }

  /**
   * Whether `check` is permitted by a grant that also covers every scope below the resource's home
   * (one that includes child scopes, anchored at the home or above): holding it that way means holding
   * it in every descendant scope, today's and future ones.
   */
  checkCoveringDescendants(principal: ActingPrincipal, check: AccessCheck): boolean {
    const located = this.locate(check);
    if ('code' in located) return false;
    for (const { grant } of this.grantsCovering(principal, located.scope)) {
      if (
        grant.includeChildScopes &&
        grant.permissionSet.has(check.permission) &&
        matcherSelects(grant.matcher, located.resource)
      ) {
        return true;
      }
    }
    return false;
  }

  /** Every grant that reaches the principal (directly, through its groups or its scopes' all-users groups). */
  reachedGrants(principal: ActingPrincipal): Grant[] {
    return [...this.principalIndex(principal).values()].flatMap((reached) =>
      reached.map(({ grant }) => grant),
    );
  }

  /** The users and service accounts an enabled or disabled assignment reaches, as of this snapshot. */
  principalsReachedBy(assignment: RoleAssignment): ActingPrincipal[] {
    return this.principalsOf(assignment).map(({ principal }) => principal);
  }

  /**
   * "What can this principal do here": every permission it holds on resources whose home is `scope`,
   * per applicable resource type, with the resources selected and the first granting assignment.
   */
  effectivePermissions(principal: ActingPrincipal, scope: Scope): EffectivePermission[] {
    const entries = new Map<string, EffectivePermissionDraft>();
    for (const reached of this.grantsCovering(principal, scope)) {
      for (const permission of reached.grant.permissions) {
        for (const resourceType of typesOfMatcher(reached.grant, permission)) {
          const key = `${permission}#${resourceType}`;
          const draft = entries.get(key) ?? newDraft(permission, resourceType, reached);
          mergeMatcher(draft, reached.grant);
          entries.set(key, draft);
        }
      }
    }
    return [...entries.values()]
      .map(finishDraft)
      .sort(
        (a, b) => a.permission.localeCompare(b.permission) || a.resourceType.localeCompare(b.resourceType),
      );
  }

  /** "Who can do this": every user and service account permitted by `check`, each with its grant. */
  whoCan(check: AccessCheck): AllowedPrincipal[] {
    const located = this.locate(check);
    if ('code' in located) return [];
    const allowed = new Map<string, AllowedPrincipal>();
    for (const assignment of this.index.enabledAssignments()) {
      const grant = this.grantsOf(assignment).find(
        (candidate) =>
          candidate.permissionSet.has(check.permission) &&
          anchorCovers(candidate.anchor, candidate.includeChildScopes, located.resource.home) &&
          matcherSelects(candidate.matcher, located.resource),
      );
      if (!grant) continue;
      for (const { principal, viaUserGroup } of this.principalsOf(assignment)) {
        const key = principalKey(principal);
        if (!allowed.has(key)) allowed.set(key, { principal, explanation: explain({ grant, viaUserGroup }) });
      }
    }
    return [...allowed.values()].sort((a, b) =>
      principalKey(a.principal).localeCompare(principalKey(b.principal)),
    );
  }

  /** The user ids that are members of a scope (directly or through a descendant scope). */
  scopeMembers(scope: Scope): string[] {
    return this.index.usersOfScope(scopePath(scope)).sort();
  }

  /**
   * The principal's grants that cover resources whose home is `home`: those anchored at `home`, and
   * those anchored at an ancestor that include child scopes.
   */
  private *grantsCovering(principal: ActingPrincipal, home: Scope): Generator<ReachedGrant> {
    const byAnchor = this.principalIndex(principal);
    for (const [depth, scope] of selfAndAncestors(home).entries()) {
      for (const reached of byAnchor.get(scopePath(scope)) ?? []) {
        if (depth === 0 || reached.grant.includeChildScopes) yield reached;
      }
    }
  }

  private locate(check: AccessCheck): { scope: Scope; resource: LocatedResource } | Denial {
    const permission = findPermission(check.permission);
    if (!permission) {
      return {
        permitted: false,
        code: 'UNKNOWN_PERMISSION',
        reason: `unknown permission ${check.permission}`,
      };
    }
    if (!isPermissionApplicable(check.permission, check.resourceType)) {
      return {
        permitted: false,
        code: 'PERMISSION_NOT_APPLICABLE',
        reason: `${check.permission} does not apply to resource type ${check.resourceType}`,
      };
    }
    const home = resourceHomeScope(check);
    if (!home || home.accountIdentifier !== this.accountIdentifier) {
      return {
        permitted: false,
        code: 'INVALID_RESOURCE_SCOPE',
        reason: `the resource scope of this ${check.resourceType} check is not a scope of account ${this.accountIdentifier}`,
      };
    }
    const resource: LocatedResource = {
      home: scopePath(home),
      resourceType: check.resourceType,
      ...(check.resourceIdentifier !== undefined ? { resourceIdentifier: check.resourceIdentifier } : {}),
      ...(check.resourceAttributes ? { resourceAttributes: check.resourceAttributes } : {}),
    };
    return { scope: home, resource };
  }

  private principalIndex(principal: ActingPrincipal): PrincipalGrantIndex {
    const key = principalKey(principal);
    const cached = this.principalIndexes.get(key);
    if (cached) return cached;
    const index = new Map<ScopePath, ReachedGrant[]>();
    const add = (assignments: Iterable<RoleAssignment>, viaUserGroup?: string) => {
      for (const assignment of assignments) {
        for (const grant of this.grantsOf(assignment)) {
          pushTo(index, grant.anchor, viaUserGroup === undefined ? { grant } : { grant, viaUserGroup });
        }
      }
    };
    add(this.index.assignmentsOf(key));
    if (principal.type === 'USER') {
      for (const { key: group, identifier } of this.index.groupsOf(principal.identifier)) {
        add(this.index.assignmentsOf(`USER_GROUP#${group}`), identifier);
      }
      for (const [path, scope] of this.index.memberScopesOf(principal.identifier)) {
        const identifier = ALL_USERS_GROUP_IDENTIFIERS[scope.level];
        add(this.index.assignmentsOf(`USER_GROUP#${groupKey(path, identifier)}`), identifier);
      }
    }
    if (this.principalIndexes.size >= PRINCIPAL_CACHE_LIMIT) this.principalIndexes.clear();
    this.principalIndexes.set(key, index);
    return index;
  }

  private grantsOf(assignment: RoleAssignment): readonly Grant[] {
    const cached = this.assignmentGrants.get(assignment);
    if (cached) return cached;
    const role = resolveRoleAt(assignment.scope, assignment.roleIdentifier, (scope, id) =>
      this.index.customRole(scope, id),
    );
    const resourceGroup = resolveResourceGroupAt(
      assignment.scope,
      assignment.resourceGroupIdentifier,
      (scope, id) => this.index.customResourceGroup(scope, id),
    );
    const grants = role && resourceGroup ? compileGrants(assignment, role, resourceGroup) : [];
    this.assignmentGrants.set(assignment, grants);
    return grants;
  }

  private principalsOf(assignment: RoleAssignment): { principal: ActingPrincipal; viaUserGroup?: string }[] {
    const { principal } = assignment;
    if (principal.type === 'USER' || principal.type === 'SERVICE_ACCOUNT') {
      return [{ principal: { type: principal.type, identifier: principal.identifier } }];
    }
    const groupScope = groupScopeOf(assignment);
    if (!groupScope) return [];
    const members = isAllUsersGroupIdentifier(principal.identifier)
      ? principal.identifier === ALL_USERS_GROUP_IDENTIFIERS[groupScope.level]
        ? this.scopeMembers(groupScope)
        : []
      : this.index.membersOf(groupKey(scopePath(groupScope), principal.identifier));
    return members.map((identifier) => ({
      principal: { type: 'USER' as const, identifier },
      viaUserGroup: principal.identifier,
    }));
  }
}

interface EffectivePermissionDraft {
  permission: string;
  resourceType: string;
  all: boolean;
  identifiers: Set<string>;
  attributeFilters: Map<string, Set<string>>;
  grantedBy: GrantExplanation;
}

function newDraft(permission: string, resourceType: string, reached: ReachedGrant): EffectivePermissionDraft {
  return {
    permission,
    resourceType,
    all: false,
    identifiers: new Set(),
    attributeFilters: new Map(),
    grantedBy: explain(reached),
  };
}

function mergeMatcher(draft: EffectivePermissionDraft, grant: Grant): void {
  const { matcher } = grant;
  if (matcher.kind === 'all' || matcher.kind === 'type') draft.all = true;
  else if (matcher.kind === 'identifiers') for (const id of matcher.identifiers) draft.identifiers.add(id);
  else {
    const values = draft.attributeFilters.get(matcher.attributeName) ?? new Set<string>();
    for (const value of matcher.attributeValues) values.add(value);
    draft.attributeFilters.set(matcher.attributeName, values);
  }
}

function finishDraft(draft: EffectivePermissionDraft): EffectivePermission {
  return {
    permission: draft.permission,
    resourceType: draft.resourceType,
    selection: draft.all
      ? { kind: 'ALL' }
      : {
          kind: 'SOME',
          identifiers: [...draft.identifiers].sort(),
          attributeFilters: [...draft.attributeFilters].map(([attributeName, values]) => ({
            attributeName,
            attributeValues: [...values].sort(),
          })),
        },
    grantedBy: draft.grantedBy,
  };
}

function typesOfMatcher(grant: Grant, permission: string): readonly string[] {
  if (grant.matcher.kind !== 'all') {
    return isPermissionApplicable(permission, grant.matcher.resourceType) ? [grant.matcher.resourceType] : [];
  }
  return applicableResourceTypes(permission);
}

function permitted(reached: ReachedGrant): Decision {
  return { permitted: true, explanation: explain(reached) };
}

function explain({ grant, viaUserGroup }: ReachedGrant): GrantExplanation {
  const { assignment } = grant;
  return {
    roleAssignmentIdentifier: assignment.identifier,
    roleIdentifier: assignment.roleIdentifier,
    resourceGroupIdentifier: assignment.resourceGroupIdentifier,
    scope: assignment.scope,
    ...(viaUserGroup !== undefined ? { viaUserGroup } : {}),
    ...(grant.implicitScopeView ? { implicitScopeView: true } : {}),
  };
}

function describeResource(resource: LocatedResource): string {
  const id = resource.resourceIdentifier ? ` ${resource.resourceIdentifier}` : ' (any)';
  return `${resource.resourceType}${id} in ${resource.home}`;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
