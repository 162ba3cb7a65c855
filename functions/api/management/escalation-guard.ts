import type { AccessCheck } from '../../core/access-check.js';
import { firstUnheldGain, firstUnheldOfPrincipal, type UnheldGain } from '../../core/access-gain.js';
import type { ActingPrincipal } from '../../core/principal.js';
import type { RoleAssignment } from '../../core/role-assignment.js';
import { type Scope, type ScopePath, scopePath } from '../../core/scope.js';
import { type ChangeOperation, writtenItem } from '../../store/change-log.js';
import { ENTITY } from '../../store/keys.js';
import { policyAfter, snapshotOfItem } from '../../store/policy-after.js';
import type { AccountPolicy } from '../../store/policy-cache.js';
import { roleAssignmentsUsingAt } from '../../store/readers/access-readers.js';
import type { AuthenticatedRequest, CallerOrigin } from '../authenticate-request.js';
import { AccessDeniedError } from '../http/errors.js';

/**
 * The one anti-escalation guard of every management write (DESIGN §6.1, `docs/authorization.md`):
 * `writeAccount` runs it on the operations a write planned, before committing them. It refuses with
 * 403 `NG_ACCESS_DENIED`, naming the first permission and resource the actor lacks, when the write
 * - gives any principal a (permission, resource) it did not hold and the actor does not hold —
 *   through role assignments, role permissions, resource-group scopes and filters, group membership,
 *   scope membership (all-users groups), new service accounts, side-effect bindings, anything; or
 * - issues, rotates, changes or removes an API key or token of another principal whose access the
 *   actor does not wholly hold (a credential acts as its owner), unless that principal is itself
 *   removed by the same write.
 */

/** On whose authority a write is made (and, for the audit trail, from where). */
export type WriteActor =
  | {
      readonly kind: 'PRINCIPAL';
      readonly principal: ActingPrincipal;
      readonly origin?: CallerOrigin;
      /** Who the audit trail names when not the principal whose authority the write uses (an invitee accepting). */
      readonly performedBy?: ActingPrincipal;
    }
  /** A scheduled job: it holds nothing, so it may only remove access. */
  | { readonly kind: 'SYSTEM'; readonly job: string; readonly origin?: CallerOrigin };

/** The actor of a write made by an authenticated caller (or by a principal named without a request). */
export function actingAs(caller: ActingPrincipal | AuthenticatedRequest): WriteActor {
  return 'caller' in caller
    ? { kind: 'PRINCIPAL', principal: caller.caller, ...(caller.origin ? { origin: caller.origin } : {}) }
    : { kind: 'PRINCIPAL', principal: caller };
}

const POLICY_ENTITIES: ReadonlySet<unknown> = new Set([
  ENTITY.Role,
  ENTITY.ResourceGroup,
  ENTITY.RoleAssignment,
  ENTITY.UserGroup,
  ENTITY.UserGroupMember,
  ENTITY.ServiceAccount,
  ENTITY.Membership,
  ENTITY.User,
]);

const CREDENTIAL_ENTITIES: ReadonlySet<unknown> = new Set([ENTITY.ApiKey, ENTITY.Token]);

function principalKey(principal: ActingPrincipal): string {
  return `${principal.type}#${principal.identifier}`;
}

/** The principal a stored API key or token belongs to. */
function credentialOwner(item: Record<string, unknown>): ActingPrincipal | undefined {
  const type =
    item.apiKeyType === 'USER'
      ? 'USER'
      : item.apiKeyType === 'SERVICE_ACCOUNT'
        ? 'SERVICE_ACCOUNT'
        : undefined;
  return type && typeof item.parentIdentifier === 'string'
    ? { type, identifier: item.parentIdentifier }
    : undefined;
}

/** The principal whose item (user or service account) `item` is, when it is one. */
function principalOfItem(item: Record<string, unknown> | undefined): ActingPrincipal | undefined {
  if (item?.entity === ENTITY.User && typeof item.userId === 'string')
    return { type: 'USER', identifier: item.userId };
  if (item?.entity === ENTITY.ServiceAccount && typeof item.identifier === 'string') {
    return { type: 'SERVICE_ACCOUNT', identifier: item.identifier };
  }
  return undefined;
}

function sameAssignment(a: RoleAssignment | undefined, b: RoleAssignment): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

function describeCheck(check: AccessCheck): string {
  const resource = check.resourceIdentifier
    ? `${check.resourceType} ${check.resourceIdentifier}`
    : check.resourceAttributes
      ? `${check.resourceType} with ${Object.entries(check.resourceAttributes)
          .map(([name, value]) => `${name}=${value}`)
          .join(', ')}`
      : `every ${check.resourceType}`;
  return `${check.permission} on ${resource} in ${check.resourceScope ? scopePath(check.resourceScope) : '?'}`;
}

function actorName(actor: WriteActor): string {
  return actor.kind === 'PRINCIPAL'
    ? `Principal of type ${actor.principal.type} with identifier ${actor.principal.identifier}`
    : `The ${actor.job} job`;
}

function describeElement(gain: UnheldGain): string {
  const below = gain.element.withDescendants ? ' and every scope below it' : '';
  return `${describeCheck(gain.element.check)}${below}`;
}

/** What the write adds, per entity: the principals that may gain, and the scopes it creates. */
class AffectedPrincipals {
  readonly principals = new Map<string, ActingPrincipal>();
  readonly newScopes = new Set<ScopePath>();

  add(principal: ActingPrincipal): void {
    this.principals.set(principalKey(principal), principal);
  }
}

/** The enabled assignments of the policy at `scope` whose role or resource group (`field`) is `identifier`. */
function enabledAssignmentsUsing(
  policy: AccountPolicy,
  field: 'roleIdentifier' | 'resourceGroupIdentifier',
  scope: Scope,
  identifier: string,
): RoleAssignment[] {
  return roleAssignmentsUsingAt(policy.items, scope, field, identifier)
    .map((entry) => entry.value)
    .filter((assignment) => !assignment.disabled);
}

function collectAffected(
  policy: AccountPolicy,
  operations: readonly ChangeOperation[],
  afterPolicy: AccountPolicy,
): AffectedPrincipals {
  const after = afterPolicy.evaluator;
  const affected = new AffectedPrincipals();
  const { accountId } = policy;
  for (const operation of operations) {
    const item = writtenItem(operation);
    if (!item) continue;
    if (item.entity === ENTITY.Scope && operation.kind === 'create' && typeof item.scopePath === 'string') {
      affected.newScopes.add(item.scopePath);
      continue;
    }
    if (!POLICY_ENTITIES.has(item.entity)) continue;
    const previous = policy.items.get(item.SK);
    const now = snapshotOfItem(accountId, item);
    const was = previous ? snapshotOfItem(accountId, previous) : undefined;
    for (const assignment of now.roleAssignments) {
      if (assignment.disabled || sameAssignment(was?.roleAssignments[0], assignment)) continue;
      for (const principal of after.principalsReachedBy(assignment)) affected.add(principal);
    }
    for (const role of now.customRoles) {
      const before = new Set(was?.customRoles[0]?.permissions ?? []);
      if (role.permissions.every((permission) => before.has(permission))) continue;
      for (const assignment of enabledAssignmentsUsing(
        afterPolicy,
        'roleIdentifier',
        role.scope,
        role.identifier,
      )) {
        for (const principal of after.principalsReachedBy(assignment)) affected.add(principal);
      }
    }
    for (const group of now.customResourceGroups) {
      if (was && JSON.stringify(was.customResourceGroups[0]) === JSON.stringify(group)) continue;
      for (const assignment of enabledAssignmentsUsing(
        afterPolicy,
        'resourceGroupIdentifier',
        group.scope,
        group.identifier,
      )) {
        for (const principal of after.principalsReachedBy(assignment)) affected.add(principal);
      }
    }
    if (item.entity === ENTITY.UserGroupMember && typeof item.userId === 'string')
      affected.add({ type: 'USER', identifier: item.userId });
    for (const membership of now.scopeMemberships)
      affected.add({ type: 'USER', identifier: membership.userId });
    for (const account of now.serviceAccounts)
      affected.add({ type: 'SERVICE_ACCOUNT', identifier: account.identifier });
    const principal = principalOfItem(item);
    if (principal) affected.add(principal);
  }
  return affected;
}

/** An owner of API keys or tokens a write touches, and whether it issues or changes (not only removes) one. */
interface TouchedCredentials {
  readonly owner: ActingPrincipal;
  writes: boolean;
}

/** The owners of API keys and tokens the write touches, but not those the write removes altogether. */
function credentialOwners(
  policy: AccountPolicy,
  operations: readonly ChangeOperation[],
): TouchedCredentials[] {
  const removed = new Set<string>();
  const owners = new Map<string, TouchedCredentials>();
  for (const operation of operations) {
    if (operation.kind === 'retire') continue;
    const item = operation.kind === 'delete' ? policy.items.get(operation.sk) : operation.item;
    if (operation.kind === 'delete') {
      const principal = principalOfItem(item);
      if (principal) removed.add(principalKey(principal));
    }
    if (!item || !CREDENTIAL_ENTITIES.has(item.entity)) continue;
    const owner = credentialOwner(item);
    if (!owner) continue;
    const touched = owners.get(principalKey(owner)) ?? { owner, writes: false };
    touched.writes ||= operation.kind !== 'delete';
    owners.set(principalKey(owner), touched);
  }
  return [...owners.values()].filter(({ owner }) => !removed.has(principalKey(owner)));
}

/**
 * Throws 403 unless `operations` add only access the actor holds (see the module comment). A
 * system actor holds nothing: it may remove access, never add it, and may remove credentials.
 */
export function requireNoEscalation(
  actor: WriteActor,
  policy: AccountPolicy,
  operations: readonly ChangeOperation[],
): void {
  const acting = actor.kind === 'PRINCIPAL' ? actor.principal : undefined;
  for (const { owner, writes } of credentialOwners(policy, operations)) {
    if (!acting && !writes) continue;
    const unheld = firstUnheldOfPrincipal(policy.evaluator, acting, owner);
    if (unheld) {
      throw new AccessDeniedError(
        `${actorName(actor)} : cannot manage the API keys and tokens of ${owner.type} ${owner.identifier}: it holds ${describeElement(unheld)}, which the caller does not hold (a credential acts as its owner)`,
      );
    }
  }
  if (!operations.some((operation) => POLICY_ENTITIES.has(writtenItem(operation)?.entity))) {
    return;
  }
  const afterPolicy = policyAfter(policy, operations);
  const affected = collectAffected(policy, operations, afterPolicy);
  const gain = firstUnheldGain({
    before: policy.evaluator,
    after: afterPolicy.evaluator,
    actor: acting,
    principals: affected.principals.values(),
    newScopes: affected.newScopes,
  });
  if (gain) {
    throw new AccessDeniedError(
      `${actorName(actor)} : this write would give ${gain.principal.type} ${gain.principal.identifier} ${describeElement(gain)}, which the caller does not hold (nobody may give more access than it holds)`,
    );
  }
}

/** Whether `operations` add only access the actor holds: the same rule as {@link requireNoEscalation}, as a question. */
export function addsOnlyHeldAccess(
  actor: WriteActor,
  policy: AccountPolicy,
  operations: readonly ChangeOperation[],
): boolean {
  try {
    requireNoEscalation(actor, policy, operations);
    return true;
  } catch (error) {
    if (error instanceof AccessDeniedError) return false;
    throw error;
  }
}
