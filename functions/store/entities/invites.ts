import { deletableAt, INVITE_STATES, type InviteState, nextCleanupAt } from '../../core/invite.js';
import { type Scope, scopePath } from '../../core/scope.js';
import type { ChangeOperation } from '../change-log.js';
import { ItemReader } from '../item-reader.js';
import type { ItemMeta, StoredItem, Versioned } from '../items.js';
import { accountPk, ENTITY, INVITES_DUE_GSI1PK, inviteDueGsi1Sk, inviteSk } from '../keys.js';

/**
 * The invite entity (DESIGN §7): its key (SK `INVITE#<inviteId>`), its item, indexed by when the
 * cleanup job next has to act on it, its decoder, and its deletion.
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

/** How long after it became deletable an invite item may be removed by DynamoDB's TTL (a backstop only). */
export const INVITE_TTL_GRACE_SECONDS = 7 * 24 * 3600;

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

function roleBindingsOf(reader: ItemReader): RoleBinding[] {
  return reader.list('roleBindings').map((entry, index) => {
    const name = `roleBindings[${index}]`;
    const binding = reader.map(name, entry);
    return {
      roleIdentifier: reader.string(`${name}.roleIdentifier`, binding.roleIdentifier),
      resourceGroupIdentifier: reader.string(
        `${name}.resourceGroupIdentifier`,
        binding.resourceGroupIdentifier,
      ),
    };
  });
}

/** The invite of an `Invite` item of account `accountId` and its bookkeeping (throws `MalformedItemError`). */
export function inviteFromItem(accountId: string, item: Record<string, unknown>): Versioned<StoredInvite> {
  const reader = new ItemReader(item);
  reader.expectEntity(ENTITY.Invite);
  const state = reader.oneOf('state', INVITE_STATES);
  const userGroups = reader.strings('userGroups');
  return {
    value: {
      inviteId: reader.string('inviteId'),
      email: reader.string('email'),
      userId: reader.string('userId'),
      scope: reader.scopeOfPath(accountId),
      userGroups,
      roleBindings: roleBindingsOf(reader),
      createdAt: reader.number('createdAt'),
      lastSentAt: reader.number('lastSentAt'),
      state,
      tokenHash: reader.string('tokenHash'),
      invitedBy: reader.string('invitedBy'),
    },
    meta: reader.meta(),
  };
}

/** The operation that deletes the invite `inviteId`. */
export function inviteItemDeletion(inviteId: string): ChangeOperation {
  return { kind: 'delete', sk: inviteSk(inviteId) };
}
