import { deletableAt, type InviteState, nextCleanupAt } from '../core/invite.js';
import { type Scope, scopePath } from '../core/scope.js';
import type { User } from '../core/user.js';
import type { ItemMeta, StoredItem } from './items.js';
import {
  ACCOUNT_SETTINGS_SK,
  accountPk,
  ENTITY,
  INVITES_DUE_GSI1PK,
  inviteDueGsi1Sk,
  inviteSk,
  userSk,
} from './keys.js';

/**
 * Items of users, invites and the account settings (DESIGN §7, `docs/data-model.md`). They live in
 * the account partition beside the policy items, so they flow through the change log and the policy
 * cache like everything else: a write is visible to the very next request, and the accept of an
 * invite commits the user, memberships, group memberships and assignments in one transaction.
 */

/** A role binding an invite applies on acceptance (reference §5, `roleBindings`). */
export interface RoleBinding {
  readonly roleIdentifier: string;
  readonly resourceGroupIdentifier: string;
}

/**
 * A stored invite of `email` (the pending or active user `userId`) to `scope`. `createdAt` is the
 * first send and `lastSentAt` the latest (epoch ms); `tokenHash` is the hash of the current link's
 * secret (earlier links no longer match). `userGroups` are identifiers of groups at `scope`.
 */
export interface StoredInvite {
  readonly inviteId: string;
  readonly email: string;
  readonly userId: string;
  readonly scope: Scope;
  readonly userGroups: readonly string[];
  readonly roleBindings: readonly RoleBinding[];
  readonly createdAt: number;
  readonly lastSentAt: number;
  readonly state: InviteState;
  readonly tokenHash: string;
  /** Who sent the invite (`<type>:<identifier>` of the caller). */
  readonly invitedBy: string;
}

/**
 * Account-wide settings: the optional seat limit (active plus pending users; absent = unlimited) and
 * how many months audit records are kept (absent = the deployment's default).
 */
export interface AccountSettings {
  readonly maxUsers?: number;
  readonly auditRetentionMonths?: number;
}

/** How long after it became deletable an invite item may be removed by DynamoDB's TTL (a backstop only). */
export const INVITE_TTL_GRACE_SECONDS = 7 * 24 * 3600;

/** The item of a user (SK `USER#<userId>`). */
export function userItem(accountId: string, user: User, meta: ItemMeta): StoredItem {
  return {
    PK: accountPk(accountId),
    SK: userSk(user.userId),
    entity: ENTITY.User,
    userId: user.userId,
    email: user.email,
    status: user.status,
    ...(user.name === undefined ? {} : { name: user.name }),
    version: meta.version,
    createdAt: meta.createdAt,
    lastModifiedAt: meta.lastModifiedAt,
  };
}

/**
 * The item of an invite (SK `INVITE#<inviteId>`), indexed in GSI1 under {@link INVITES_DUE_GSI1PK} by
 * the time the cleanup job next has to act on it, and carrying the TTL backstop `expiresAt`.
 * `meta.createdAt` must equal the invite's first send.
 */
export function inviteItem(accountId: string, invite: StoredInvite, meta: ItemMeta): StoredItem {
  if (invite.scope.accountIdentifier !== accountId) {
    throw new Error(`Invite ${invite.inviteId} does not belong to account ${JSON.stringify(accountId)}`);
  }
  return {
    PK: accountPk(accountId),
    SK: inviteSk(invite.inviteId),
    entity: ENTITY.Invite,
    GSI1PK: INVITES_DUE_GSI1PK,
    GSI1SK: inviteDueGsi1Sk(nextCleanupAt(invite, invite.state), accountId, invite.inviteId),
    inviteId: invite.inviteId,
    email: invite.email,
    userId: invite.userId,
    scope: { ...invite.scope },
    scopePath: scopePath(invite.scope),
    userGroups: [...invite.userGroups],
    roleBindings: invite.roleBindings.map((binding) => ({
      roleIdentifier: binding.roleIdentifier,
      resourceGroupIdentifier: binding.resourceGroupIdentifier,
    })),
    lastSentAt: invite.lastSentAt,
    state: invite.state,
    tokenHash: invite.tokenHash,
    invitedBy: invite.invitedBy,
    expiresAt: Math.floor(deletableAt(invite) / 1000) + INVITE_TTL_GRACE_SECONDS,
    version: meta.version,
    createdAt: invite.createdAt,
    lastModifiedAt: meta.lastModifiedAt,
  };
}

/** The account settings item (SK `SETTINGS`); `maxUsers` is omitted when unlimited. */
export function accountSettingsItem(
  accountId: string,
  settings: AccountSettings,
  meta: ItemMeta,
): StoredItem {
  if (
    settings.maxUsers !== undefined &&
    !(Number.isSafeInteger(settings.maxUsers) && settings.maxUsers >= 0)
  ) {
    throw new Error(`maxUsers must be a non-negative integer: ${settings.maxUsers}`);
  }
  if (
    settings.auditRetentionMonths !== undefined &&
    !(Number.isSafeInteger(settings.auditRetentionMonths) && settings.auditRetentionMonths >= 1)
  ) {
    throw new Error(`auditRetentionMonths must be a positive integer: ${settings.auditRetentionMonths}`);
  }
  return {
    PK: accountPk(accountId),
    SK: ACCOUNT_SETTINGS_SK,
    entity: ENTITY.AccountSettings,
    ...(settings.maxUsers === undefined ? {} : { maxUsers: settings.maxUsers }),
    ...(settings.auditRetentionMonths === undefined
      ? {}
      : { auditRetentionMonths: settings.auditRetentionMonths }),
    version: meta.version,
    createdAt: meta.createdAt,
    lastModifiedAt: meta.lastModifiedAt,
  };
}
