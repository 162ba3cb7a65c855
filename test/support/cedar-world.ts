import { createRequire } from 'node:module';
import type { AccessCheck } from '../../functions/core/access-check.js';
import { implicitScopeViewPermissions } from '../../functions/core/implicit-scope-view.js';
import { isPermissionApplicable, PERMISSIONS } from '../../functions/core/permission-catalogue.js';
import type { PolicySnapshot } from '../../functions/core/policy-snapshot.js';
import { type ActingPrincipal, isAllUsersGroupIdentifier } from '../../functions/core/principal.js';
import type { ResourceSelector } from '../../functions/core/resource-group.js';
import { RESOURCE_TYPES } from '../../functions/core/resource-types.js';
import type { RoleAssignment } from '../../functions/core/role-assignment.js';
import { ancestorAtLevel, type Scope, scopePath, selfAndAncestors } from '../../functions/core/scope.js';
import { resolveResourceGroupAt, resolveRoleAt } from '../../functions/core/scoped-resolution.js';
import type { DecisionEngine } from './decision-engine.js';
import { oracleHome } from './oracle.js';

type CedarModule = typeof import('@cedar-policy/cedar-wasm/nodejs');
type EntityJson = import('@cedar-policy/cedar-wasm/nodejs').EntityJson;

const require = createRequire(import.meta.url);
/** Cedar's Node build (CommonJS wasm bindings). */
export const cedar: CedarModule = require('@cedar-policy/cedar-wasm/nodejs');

const str = (value: string) => JSON.stringify(value);

function applicabilityGroups(permission: string): { type: string; id: string }[] {
  return RESOURCE_TYPES.filter((type) => isPermissionApplicable(permission, type.identifier)).map((type) => ({
    type: 'Action',
    id: `applies:${type.identifier}`,
  }));
}

/** The action entity of each permission: a member of the "applies to type T" groups it applies to. */
const ACTION_ENTITIES: ReadonlyMap<string, EntityJson> = new Map(
  PERMISSIONS.map((permission) => [
    permission.identifier,
    {
      uid: { type: 'Action', id: permission.identifier },
      attrs: {},
      parents: applicabilityGroups(permission.identifier),
    },
  ]),
);

function scopeEntity(path: string, parent: string | undefined): EntityJson {
  return {
    uid: { type: 'Scope', id: path },
    attrs: {},
    parents: parent ? [{ type: 'Scope', id: parent }] : [],
  };
}

function principalClause(a: RoleAssignment): string | undefined {
  const p = a.principal;
  if (p.type === 'USER') return `principal == User::${str(p.identifier)}`;
  if (p.type === 'SERVICE_ACCOUNT') return `principal == ServiceAccount::${str(p.identifier)}`;
  const home = ancestorAtLevel(a.scope, p.scopeLevel ?? a.scope.level);
  return home ? `principal in Group::${str(`${scopePath(home)}#${p.identifier}`)}` : undefined;
}

function filterCondition(selector: ResourceSelector): string {
  const type = `resource.type == ${str(selector.resourceType)}`;
  if (selector.identifiers && selector.identifiers.length > 0) {
    return `${type} && resource has id && [${selector.identifiers.map(str).join(', ')}].contains(resource.id)`;
  }
  if (selector.attributeFilter) {
    const name = str(selector.attributeFilter.attributeName);
    const values = selector.attributeFilter.attributeValues.map(str).join(', ');
    return `${type} && resource.attrs has ${name} && [${values}].contains(resource.attrs[${name}])`;
  }
  return type;
}

/**
 * Encodes a world as Cedar policies, keeping only the permissions of `permissionUniverse` (the ones
 * checks can ask about) so that admin roles do not carry hundreds of actions per policy (one permit per assignment × included scope × selector, plus
 * the implicit scope views, plus one forbid for permissions that do not apply to the resource type)
 * and entities (scope tree, users in their groups, permissions in their applicability groups).
 */
export function encodeWorld(
  world: PolicySnapshot,
  scopes: readonly Scope[],
  permissionUniverse: ReadonlySet<string>,
): CedarWorld {
  const policies: string[] = ['forbid (principal, action, resource) unless { action in resource.applies };'];
  for (const a of world.roleAssignments) {
    if (a.disabled) continue;
    const role = resolveRoleAt(a.scope, a.roleIdentifier, (scope, id) =>
      world.customRoles.find((r) => r.identifier === id && scopePath(r.scope) === scopePath(scope)),
    );
    const group = resolveResourceGroupAt(a.scope, a.resourceGroupIdentifier, (scope, id) =>
      world.customResourceGroups.find((g) => g.identifier === id && scopePath(g.scope) === scopePath(scope)),
    );
    const who = principalClause(a);
    const permissions = role?.permissions.filter((permission) => permissionUniverse.has(permission)) ?? [];
    if (!role || !group || !who || permissions.length === 0) continue;
    const actions = `action in [${permissions.map((p) => `Action::${str(p)}`).join(', ')}]`;
    for (const included of group.includedScopes) {
      const anchor = included.scope ?? a.scope;
      const including = included.filter === 'INCLUDING_CHILD_SCOPES';
      const where = including
        ? `resource in Scope::${str(scopePath(anchor))}`
        : `resource.home == Scope::${str(scopePath(anchor))}`;
      const filters = group.resourceFilter.includeAllResources
        ? ['true']
        : group.resourceFilter.resources.map(filterCondition);
      for (const filter of filters)
        policies.push(`permit (${who}, ${actions}, resource) when { ${where} && ${filter} };`);
      selfAndAncestors(anchor).forEach((scope, depth) => {
        const implicit = implicitScopeViewPermissions(scope.level, depth === 0 && including).filter((p) =>
          permissions.includes(p),
        );
        if (implicit.length === 0) return;
        const implicitActions = `action in [${implicit.map((p) => `Action::${str(p)}`).join(', ')}]`;
        policies.push(
          `permit (${who}, ${implicitActions}, resource) when { resource in Scope::${str(scopePath(scope))} };`,
        );
      });
    }
  }
  const entities: EntityJson[] = [];
  const scopePaths = new Set<string>();
  for (const scope of scopes) {
    for (const s of selfAndAncestors(scope)) {
      const path = scopePath(s);
      if (scopePaths.has(path)) continue;
      scopePaths.add(path);
      entities.push(scopeEntity(path, parentPath(s)));
    }
  }
  const groupsByUser = new Map<string, Set<string>>();
  const join = (user: string, group: string) => {
    const set = groupsByUser.get(user) ?? new Set<string>();
    set.add(group);
    groupsByUser.set(user, set);
  };
  // All-users groups are derived from scope membership (DESIGN §3.2); a member list stored on one is ignored.
  for (const g of world.userGroups) {
    if (isAllUsersGroupIdentifier(g.identifier)) continue;
    for (const u of g.users) join(u, `${scopePath(g.scope)}#${g.identifier}`);
  }
  for (const m of world.scopeMemberships) {
    for (const s of selfAndAncestors(m.scope)) join(m.userId, `${scopePath(s)}#_${s.level}_all_users`);
  }
  const users = new Map<string, EntityJson>();
  for (const [user, memberOf] of groupsByUser) {
    users.set(user, {
      uid: { type: 'User', id: user },
      attrs: {},
      parents: [...memberOf].map((id) => ({ type: 'Group', id })),
    });
  }
  return { policies: policies.join('\n'), scopeEntities: entities, users };
}

/** A world encoded for Cedar: the policy text, the scope tree and each user's entity. */
export interface CedarWorld {
  readonly policies: string;
  readonly scopeEntities: readonly EntityJson[];
  readonly users: ReadonlyMap<string, EntityJson>;
}

function parentPath(scope: Scope): string | undefined {
  const chain = selfAndAncestors(scope);
  return chain[1] ? scopePath(chain[1]) : undefined;
}

/**
 * The resource entity for one check: its type, identifier, attributes and home scope. Its parents
 * are the home scope and every ancestor of it, so `resource in Scope::"X"` holds for a home at or
 * below X even when the home is a scope the world never mentions.
 */
export function resourceEntity(check: AccessCheck): EntityJson {
  const home = oracleHome(check) ?? '__nowhere__';
  const attrs: Record<string, unknown> = {
    type: check.resourceType,
    home: { __entity: { type: 'Scope', id: home } },
    applies: { __entity: { type: 'Action', id: `applies:${check.resourceType}` } },
    attrs: { ...(check.resourceAttributes ?? {}) },
  };
  if (check.resourceIdentifier !== undefined) attrs.id = check.resourceIdentifier;
  const parts = home.split('/');
  const ancestors = [];
  for (let length = 3; length <= parts.length; length += 2) ancestors.push(parts.slice(0, length).join('/'));
  return {
    uid: { type: 'Resource', id: 'checked' },
    attrs: attrs as never,
    parents: (home.startsWith('/') ? ancestors : [home]).map((id) => ({ type: 'Scope', id })),
  };
}

/** Cedar's decision for one check against a preparsed policy set. */
export function cedarDecide(
  policySetId: string,
  world: CedarWorld,
  principal: ActingPrincipal,
  check: AccessCheck,
): boolean {
  const entities: EntityJson[] = [...world.scopeEntities, resourceEntity(check)];
  const action = ACTION_ENTITIES.get(check.permission);
  if (action) entities.push(action);
  const userEntity = principal.type === 'USER' ? world.users.get(principal.identifier) : undefined;
  if (userEntity) entities.push(userEntity);
  const answer = cedar.statefulIsAuthorized({
    principal: { type: principal.type === 'USER' ? 'User' : 'ServiceAccount', id: principal.identifier },
    action: { type: 'Action', id: check.permission },
    resource: { type: 'Resource', id: 'checked' },
    context: {},
    preparsedPolicySetId: policySetId,
    entities,
  });
  if (answer.type !== 'success') throw new Error(`cedar failed: ${JSON.stringify(answer.errors)}`);
  return answer.response.decision === 'allow';
}

/** Every scope a snapshot names (where its entities live, are included or assigned), with ancestors. */
export function snapshotScopes(world: PolicySnapshot): Scope[] {
  const named: Scope[] = [
    ...world.customRoles.map((role) => role.scope),
    ...world.customResourceGroups.flatMap((group) => [
      group.scope,
      ...group.includedScopes.flatMap((included) => (included.scope ? [included.scope] : [])),
    ]),
    ...world.roleAssignments.map((assignment) => assignment.scope),
    ...world.userGroups.map((group) => group.scope),
    ...world.serviceAccounts.map((account) => account.scope),
    ...world.scopeMemberships.map((membership) => membership.scope),
  ];
  return [...new Map(named.flatMap(selfAndAncestors).map((scope) => [scopePath(scope), scope])).values()];
}

let policySetCount = 0;

/**
 * Cedar behind the engine interface: each call encodes the world for the permissions it is asked
 * about, preparses the policies once and decides every request; decisions only (Cedar's encoding
 * names no assignment and gives no denial code). Run it in a process started with
 * `--no-turbo-inline-js-wasm-calls` (see `child-engine.ts`).
 */
export const cedarEngine: DecisionEngine = {
  name: 'cedar',
  async decide(world, requests) {
    const encoded = encodeWorld(
      world,
      snapshotScopes(world),
      new Set(requests.map(({ check }) => check.permission)),
    );
    const policySetId = `world-${++policySetCount}`;
    const parsed = cedar.preparsePolicySet(policySetId, { staticPolicies: encoded.policies });
    if (parsed.type !== 'success') throw new Error(`Cedar rejected the policies: ${JSON.stringify(parsed)}`);
    return requests.map(({ principal, check }) => ({
      permitted: cedarDecide(policySetId, encoded, principal, check),
    }));
  },
};
