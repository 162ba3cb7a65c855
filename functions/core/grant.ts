import { implicitScopeViewPermissions } from './implicit-scope-view.js';
import type { ResourceGroup, ResourceSelector } from './resource-group.js';
import type { Role } from './role.js';
import type { RoleAssignment } from './role-assignment.js';
import { type ScopePath, scopePath, selfAndAncestors } from './scope.js';

/** Which resources of an anchored grant are selected, independent of scope. */
export type ResourceMatcher =
  | { readonly kind: 'all' }
  | { readonly kind: 'type'; readonly resourceType: string }
  | { readonly kind: 'identifiers'; readonly resourceType: string; readonly identifiers: ReadonlySet<string> }
  | {
      readonly kind: 'attribute';
      readonly resourceType: string;
      readonly attributeName: string;
      readonly attributeValues: ReadonlySet<string>;
    };

/**
 * One compiled piece of a role assignment: the role's permissions (or, for an implicit scope view, a
 * subset) on the resources the matcher selects, anchored at a scope with or without its descendants.
 */
export interface Grant {
  readonly assignment: RoleAssignment;
  readonly anchor: ScopePath;
  readonly includeChildScopes: boolean;
  readonly matcher: ResourceMatcher;
  readonly permissions: readonly string[];
  /** The same permissions as a set, shared by every grant of one role. */
  readonly permissionSet: ReadonlySet<string>;
  readonly implicitScopeView: boolean;
}

/** A resource located for matching: its home scope path, type, identifier and attributes. */
export interface LocatedResource {
  readonly home: ScopePath;
  readonly resourceType: string;
  readonly resourceIdentifier?: string;
  readonly resourceAttributes?: Readonly<Record<string, string>>;
}

function matcherOf(selector: ResourceSelector): ResourceMatcher {
  const { resourceType, identifiers, attributeFilter } = selector;
  if (identifiers && identifiers.length > 0) {
    return { kind: 'identifiers', resourceType, identifiers: new Set(identifiers) };
  }
  if (attributeFilter) {
    return {
      kind: 'attribute',
      resourceType,
      attributeName: attributeFilter.attributeName,
      attributeValues: new Set(attributeFilter.attributeValues),
    };
  }
  return { kind: 'type', resourceType };
}

const PERMISSION_SETS = new WeakMap<Role, ReadonlySet<string>>();

function permissionSetOf(role: Role): ReadonlySet<string> {
  let set = PERMISSION_SETS.get(role);
  if (!set) {
    set = new Set(role.permissions);
    PERMISSION_SETS.set(role, set);
  }
  return set;
}

/**
 * Compiles a resolved role assignment into grants: one per included scope × resource selector
 * (explicit), plus the implicit view of each included scope and its ancestors (reference §7.3).
 */
export function compileGrants(assignment: RoleAssignment, role: Role, resourceGroup: ResourceGroup): Grant[] {
  const grants: Grant[] = [];
  const rolePermissions = permissionSetOf(role);
  const matchers: ResourceMatcher[] = resourceGroup.resourceFilter.includeAllResources
    ? [{ kind: 'all' }]
    : resourceGroup.resourceFilter.resources.map(matcherOf);
  for (const selector of resourceGroup.includedScopes) {
    const anchorScope = selector.scope ?? assignment.scope;
    const includeChildScopes = selector.filter === 'INCLUDING_CHILD_SCOPES';
    const anchor = scopePath(anchorScope);
    for (const matcher of matchers) {
      grants.push({
        assignment,
        anchor,
        includeChildScopes,
        matcher,
        permissions: role.permissions,
        permissionSet: rolePermissions,
        implicitScopeView: false,
      });
    }
    selfAndAncestors(anchorScope).forEach((scope, depth) => {
      const implicit = implicitScopeViewPermissions(scope.level, depth === 0 && includeChildScopes).filter(
        (permission) => rolePermissions.has(permission),
      );
      if (implicit.length === 0) return;
      grants.push({
        assignment,
        anchor: scopePath(scope),
        includeChildScopes: true,
        matcher: { kind: 'all' },
        permissions: implicit,
        permissionSet: new Set(implicit),
        implicitScopeView: true,
      });
    });
  }
  return grants;
}

/** True when the matcher selects the resource (scope is matched separately). */
export function matcherSelects(matcher: ResourceMatcher, resource: LocatedResource): boolean {
  switch (matcher.kind) {
    case 'all':
      return true;
    case 'type':
      return matcher.resourceType === resource.resourceType;
    case 'identifiers':
      return (
        matcher.resourceType === resource.resourceType &&
        resource.resourceIdentifier !== undefined &&
        matcher.identifiers.has(resource.resourceIdentifier)
      );
    case 'attribute': {
      if (matcher.resourceType !== resource.resourceType) return false;
      const attributes = resource.resourceAttributes;
      const value =
        attributes && Object.hasOwn(attributes, matcher.attributeName)
          ? attributes[matcher.attributeName]
          : undefined;
      return value !== undefined && matcher.attributeValues.has(value);
    }
  }
}

/** True when a grant anchored at `anchor` covers a resource whose home scope is `home`. */
export function anchorCovers(anchor: ScopePath, includeChildScopes: boolean, home: ScopePath): boolean {
  return home === anchor || (includeChildScopes && home.startsWith(`${anchor}/`));
}
