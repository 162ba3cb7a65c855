import { type Enforcer, newEnforcer, newModelFromString, StringAdapter } from 'casbin';
import type { AccessCheck } from '../functions/core/access-check.js';
import { isPermissionApplicable } from '../functions/core/permission-catalogue.js';
import type { PolicySnapshot } from '../functions/core/policy-snapshot.js';
import type { ActingPrincipal } from '../functions/core/principal.js';
import {
  ancestorAtLevel,
  isSelfOrAncestor,
  type Scope,
  scopePath,
  selfAndAncestors,
} from '../functions/core/scope.js';
import { resolveResourceGroupAt, resolveRoleAt } from '../functions/core/scoped-resolution.js';
import { TYPE_OF } from './world.js';

/**
 * The benchmark world as node-casbin "RBAC with domains" (issue 7): a domain is a resource's home
 * scope, an object `TYPE/identifier` (a policy's `TYPE/*` selects the whole type through `keyMatch`),
 * an action a permission. Each enabled assignment becomes policies for its principal (a user, a
 * service account or a group key) in every home scope its resource group covers; users join their
 * groups (and the all-users groups of the scopes they belong to) through grouping policies. As for
 * Cedar, only the benchmark's permissions are encoded, attribute selectors are left out (the
 * benchmark's checks carry no attributes), and implicit scope views are not needed (its checks are
 * on project resources).
 */
const MODEL = `
[request_definition]
r = sub, dom, obj, act

[policy_definition]
p = sub, dom, obj, act

[role_definition]
g = _, _

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = r.dom == p.dom && r.act == p.act && g(r.sub, p.sub) && keyMatch(r.obj, p.obj)
`;

/** The casbin subject of an assignment's principal (a group is keyed by its home scope and identifier). */
function principalKey(assignment: PolicySnapshot['roleAssignments'][number]): string | undefined {
  const { principal } = assignment;
  if (principal.type !== 'USER_GROUP') return `${principal.type}:${principal.identifier}`;
  const home = ancestorAtLevel(assignment.scope, principal.scopeLevel ?? assignment.scope.level);
  return home ? `GROUP:${scopePath(home)}#${principal.identifier}` : undefined;
}

const csv = (fields: readonly string[]) =>
  fields.map((field) => (field.includes(',') ? `"${field}"` : field)).join(', ');

/** The casbin policy text of a world restricted to `permissions` (the ones the checks ask about). */
export function casbinPolicies(
  world: PolicySnapshot,
  scopes: readonly Scope[],
  permissions: ReadonlySet<string>,
): string {
  const lines = new Set<string>();
  for (const assignment of world.roleAssignments) {
    if (assignment.disabled) continue;
    const role = resolveRoleAt(assignment.scope, assignment.roleIdentifier, (scope, id) =>
      world.customRoles.find((r) => r.identifier === id && scopePath(r.scope) === scopePath(scope)),
    );
    const group = resolveResourceGroupAt(assignment.scope, assignment.resourceGroupIdentifier, (scope, id) =>
      world.customResourceGroups.find((g) => g.identifier === id && scopePath(g.scope) === scopePath(scope)),
    );
    const who = principalKey(assignment);
    const granted = role?.permissions.filter((permission) => permissions.has(permission)) ?? [];
    if (!group || !who || granted.length === 0) continue;
    for (const included of group.includedScopes) {
      const anchor = included.scope ?? assignment.scope;
      const domains =
        included.filter === 'INCLUDING_CHILD_SCOPES'
          ? scopes.filter((scope) => isSelfOrAncestor(anchor, scope))
          : [anchor];
      for (const permission of granted) {
        const type = TYPE_OF[permission] as string;
        if (!isPermissionApplicable(permission, type)) continue;
        const objects = group.resourceFilter.includeAllResources
          ? [`${type}/*`]
          : group.resourceFilter.resources
              .filter((selector) => selector.resourceType === type && !selector.attributeFilter)
              .flatMap((selector) =>
                selector.identifiers && selector.identifiers.length > 0
                  ? selector.identifiers.map((id) => `${type}/${id}`)
                  : [`${type}/*`],
              );
        for (const domain of domains) {
          for (const object of objects) lines.add(`p, ${csv([who, scopePath(domain), object, permission])}`);
        }
      }
    }
  }
  for (const group of world.userGroups) {
    for (const user of group.users)
      lines.add(`g, ${csv([`USER:${user}`, `GROUP:${scopePath(group.scope)}#${group.identifier}`])}`);
  }
  for (const membership of world.scopeMemberships) {
    for (const scope of selfAndAncestors(membership.scope)) {
      lines.add(
        `g, ${csv([`USER:${membership.userId}`, `GROUP:${scopePath(scope)}#_${scope.level}_all_users`])}`,
      );
    }
  }
  return [...lines].join('\n');
}

/** A casbin enforcer over the encoded world. */
export async function casbinEnforcer(policies: string): Promise<Enforcer> {
  return newEnforcer(newModelFromString(MODEL), new StringAdapter(policies));
}

/** Casbin's decision for one benchmark check (identifier checks on a resource in its home scope). */
export function casbinDecide(enforcer: Enforcer, principal: ActingPrincipal, check: AccessCheck): boolean {
  const home = check.resourceScope as Scope;
  return enforcer.enforceSync(
    `${principal.type}:${principal.identifier}`,
    scopePath(home),
    `${check.resourceType}/${check.resourceIdentifier ?? ''}`,
    check.permission,
  );
}
