import { type InviteState, inviteStateAt, linkExpiresAt, resendUntil } from '../../../core/invite.js';
import type { RoleBinding, StoredInvite } from '../../../store/entities/invites.js';
import { scopeFieldsOf } from '../principals/principal-request.js';

/** An invite as the API shows it (DESIGN §6.2): times in epoch ms, `state` as of the request's time. */
export interface InviteDto {
  readonly id: string;
  readonly email: string;
  readonly userId: string;
  readonly accountIdentifier: string;
  readonly orgIdentifier?: string;
  readonly projectIdentifier?: string;
  readonly userGroups: readonly string[];
  readonly roleBindings: readonly RoleBinding[];
  readonly createdAt: number;
  readonly lastSentAt: number;
  readonly linkExpiresAt: number;
  readonly resendUntil: number;
  readonly state: InviteState;
  readonly invitedBy: string;
  /** Harness's `inviteType`: every invite here is sent by an administrator through the API. */
  readonly inviteType: 'ADMIN_INITIATED_INVITE';
  /** Harness's approval flag of user-initiated invites; always false here. */
  readonly approved: false;
}

/** The DTO of a stored invite at `now` (`state` is `EXPIRED` once the link lapsed, even before the job marks it). */
export function inviteDto(invite: StoredInvite, now: number): InviteDto {
  return {
    id: invite.inviteId,
    email: invite.email,
    userId: invite.userId,
    ...scopeFieldsOf(invite.scope),
    userGroups: [...invite.userGroups],
    roleBindings: invite.roleBindings.map((binding) => ({ ...binding })),
    createdAt: invite.createdAt,
    lastSentAt: invite.lastSentAt,
    linkExpiresAt: linkExpiresAt(invite),
    resendUntil: resendUntil(invite),
    state: invite.state === 'EXPIRED' ? 'EXPIRED' : inviteStateAt(invite, now),
    invitedBy: invite.invitedBy,
    inviteType: 'ADMIN_INITIATED_INVITE',
    approved: false,
  };
}
