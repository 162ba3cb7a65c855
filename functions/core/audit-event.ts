import type { ActingPrincipal } from './principal.js';
import { accountScope, parseScopePath, type Scope } from './scope.js';

/**
 * The audit trail's vocabulary (DESIGN §14; Harness's `AuditEventDTO`, harness-core-ui
 * `src/services/audit`): which action on which resource type one change of a stored item is, as data.
 * Pure: the store turns items into {@link ItemChange}s, and this module into {@link AuditEvent}s.
 */

/** Harness's audit actions that this product records. */
export const AUDIT_ACTIONS = [
  'CREATE',
  'UPDATE',
  'DELETE',
  'INVITE',
  'RESEND_INVITE',
  'REVOKE_INVITE',
  'CREATE_TOKEN',
  'REVOKE_TOKEN',
  'ADD_MEMBERSHIP',
  'REMOVE_MEMBERSHIP',
  'LOGIN',
] as const;

/** One of {@link AUDIT_ACTIONS}. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Harness's audit resource types that this product records. */
export const AUDIT_RESOURCE_TYPES = [
  'ORGANIZATION',
  'PROJECT',
  'USER_GROUP',
  'RESOURCE_GROUP',
  'USER',
  'ROLE',
  'ROLE_ASSIGNMENT',
  'SERVICE_ACCOUNT',
  'API_KEY',
  'TOKEN',
] as const;

/** One of {@link AUDIT_RESOURCE_TYPES}. */
export type AuditResourceType = (typeof AUDIT_RESOURCE_TYPES)[number];

/** One stored item as a write changes it: created, replaced or deleted, with its state before and after. */
export interface ItemChange {
  readonly kind: 'create' | 'replace' | 'delete';
  readonly before?: Readonly<Record<string, unknown>>;
  readonly after?: Readonly<Record<string, unknown>>;
}

/** One audited change of one resource. */
export interface AuditEvent {
  readonly action: AuditAction;
  readonly resourceType: AuditResourceType;
  readonly identifier: string;
  readonly scope: Scope;
  /** The resource before and after, without keys, secrets or hashes. */
  readonly before?: Record<string, unknown>;
  readonly after?: Record<string, unknown>;
  /** Extra facts, e.g. `{ outcome: 'ACCEPTED' }` on the invite an accept consumes. */
  readonly labels?: Readonly<Record<string, string>>;
}

/** Who made a write, as the audit trail shows it: the principal and the token it used (never the secret). */
export interface AuditActor {
  readonly principal: ActingPrincipal | { readonly type: 'SYSTEM'; readonly identifier: string };
  readonly tokenIdentifier?: string;
}

type ActionsByKind = Readonly<Record<ItemChange['kind'], AuditAction>>;

interface EntityAudit {
  readonly resourceType: (item: Readonly<Record<string, unknown>>) => AuditResourceType;
  readonly actions: ActionsByKind;
  readonly identifier: (item: Readonly<Record<string, unknown>>) => string;
}

const CRUD: ActionsByKind = { create: 'CREATE', replace: 'UPDATE', delete: 'DELETE' };
const byIdentifier = (item: Readonly<Record<string, unknown>>) => String(item.identifier ?? '');
const byUserId = (item: Readonly<Record<string, unknown>>) => String(item.userId ?? '');
const fixed = (type: AuditResourceType) => () => type;

/** How each stored entity is audited; entities not listed (index items, the change log, settings) are not. */
const AUDITED_ENTITIES: Readonly<Record<string, EntityAudit>> = {
  Scope: {
    resourceType: (item) => (scopeLevelOf(item) === 'project' ? 'PROJECT' : 'ORGANIZATION'),
    actions: CRUD,
    identifier: (item) => {
      const scope = item.scope as Record<string, unknown> | undefined;
      return String(scope?.projectIdentifier ?? scope?.orgIdentifier ?? scope?.accountIdentifier ?? '');
    },
  },
  Role: { resourceType: fixed('ROLE'), actions: CRUD, identifier: byIdentifier },
  ResourceGroup: { resourceType: fixed('RESOURCE_GROUP'), actions: CRUD, identifier: byIdentifier },
  RoleAssignment: { resourceType: fixed('ROLE_ASSIGNMENT'), actions: CRUD, identifier: byIdentifier },
  UserGroup: { resourceType: fixed('USER_GROUP'), actions: CRUD, identifier: byIdentifier },
  /** A member added to or removed from a group in place (staged and retired members are not audited one by one). */
  UserGroupMember: {
    resourceType: fixed('USER_GROUP'),
    actions: { create: 'ADD_MEMBERSHIP', replace: 'ADD_MEMBERSHIP', delete: 'REMOVE_MEMBERSHIP' },
    identifier: byIdentifier,
  },
  ServiceAccount: { resourceType: fixed('SERVICE_ACCOUNT'), actions: CRUD, identifier: byIdentifier },
  ApiKey: { resourceType: fixed('API_KEY'), actions: CRUD, identifier: byIdentifier },
  Token: {
    resourceType: fixed('TOKEN'),
    actions: { create: 'CREATE_TOKEN', replace: 'UPDATE', delete: 'REVOKE_TOKEN' },
    identifier: byIdentifier,
  },
  User: { resourceType: fixed('USER'), actions: CRUD, identifier: byUserId },
  Membership: {
    resourceType: fixed('USER'),
    actions: { create: 'ADD_MEMBERSHIP', replace: 'ADD_MEMBERSHIP', delete: 'REMOVE_MEMBERSHIP' },
    identifier: byUserId,
  },
  Invite: {
    resourceType: fixed('USER'),
    actions: { create: 'INVITE', replace: 'RESEND_INVITE', delete: 'REVOKE_INVITE' },
    identifier: (item) => String(item.email ?? item.userId ?? ''),
  },
};

/** Attributes never shown in the audit trail: keys, index attributes, TTLs, secrets and their hashes. */
const HIDDEN_ATTRIBUTES: ReadonlySet<string> = new Set([
  'PK',
  'SK',
  'GSI1PK',
  'GSI1SK',
  'entity',
  'expiresAt',
  'secretHash',
  'tokenHash',
  'secret',
  'token',
]);

function scopeLevelOf(item: Readonly<Record<string, unknown>>): string | undefined {
  const scope = item.scope as Record<string, unknown> | undefined;
  return typeof scope?.level === 'string' ? scope.level : undefined;
}

/** A stored item as the audit trail shows it: every attribute but keys, secrets and hashes. */
export function redactedItem(item: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([name]) => !HIDDEN_ATTRIBUTES.has(name)));
}

function isScope(value: unknown): value is Scope {
  const scope = value as Record<string, unknown> | undefined;
  return (
    typeof scope?.accountIdentifier === 'string' &&
    (scope.level === 'account' || scope.level === 'organization' || scope.level === 'project')
  );
}

/** Whether a write activates the user `userId` (an invite being accepted). */
function activates(changes: readonly ItemChange[], userId: unknown): boolean {
  return changes.some(
    (change) =>
      change.after?.entity === 'User' &&
      change.after.userId === userId &&
      change.after.status === 'ACTIVE' &&
      change.before?.status === 'PENDING',
  );
}

/**
 * The audit events of one write to `accountId`: one per changed item of an audited entity, in the
 * write's order; an item without a scope (a user) is at the account. The account's own scope item and
 * unaudited entities give none.
 */
export function auditEventsOf(accountId: string, changes: readonly ItemChange[]): AuditEvent[] {
  const events: AuditEvent[] = [];
  for (const change of changes) {
    const item = change.after ?? change.before;
    if (!item) continue;
    const audit = AUDITED_ENTITIES[String(item.entity)];
    if (!audit) continue;
    const scope = isScope(item.scope)
      ? item.scope
      : ((typeof item.scopePath === 'string' ? parseScopePath(item.scopePath) : undefined) ??
        accountScope(accountId));
    if (item.entity === 'Scope' && scope.level === 'account') continue;
    const accepted = item.entity === 'Invite' && change.kind === 'delete' && activates(changes, item.userId);
    events.push({
      action: audit.actions[change.kind],
      resourceType: audit.resourceType(item),
      identifier: audit.identifier(item),
      scope,
      ...(change.before ? { before: redactedItem(change.before) } : {}),
      ...(change.after ? { after: redactedItem(change.after) } : {}),
      ...(accepted ? { labels: { outcome: 'ACCEPTED' } } : {}),
    });
  }
  return events;
}

/** The audit event of a user's sign-in through OIDC: `LOGIN` of the user, at the account. */
export function signInEvent(accountId: string, userId: string): AuditEvent {
  return { action: 'LOGIN', resourceType: 'USER', identifier: userId, scope: accountScope(accountId) };
}
