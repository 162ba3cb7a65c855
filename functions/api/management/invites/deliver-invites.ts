import { formatInviteToken } from '../../../core/invite.js';
import { scopePath } from '../../../core/scope.js';
import type { StoredInvite } from '../../../store/entities/invites.js';
import { UndecidableError } from '../../http/errors.js';
import type { ManagementContext } from '../management-context.js';
import { acceptUrlFor, type InviteDelivery } from './invite-notifier.js';

/** The delivery of the context, or 503 before anything is written when none is configured. */
export function requireDelivery(context: ManagementContext): InviteDelivery {
  if (!context.invites) throw new UndecidableError('Invite delivery is not configured on this server');
  return context.invites;
}

/**
 * Hands each committed invite to the notifier as one `InviteSent` message (raw token, accept link,
 * `sentAt` = the invite's `lastSentAt`). A failed hand-over is a 503 telling the caller the invite is
 * saved and can be resent; the write itself stays committed.
 */
export async function deliverInvites(
  delivery: InviteDelivery,
  sent: readonly { readonly invite: StoredInvite; readonly secret: string }[],
): Promise<void> {
  for (const { invite, secret } of sent) {
    const token = formatInviteToken({
      accountId: invite.scope.accountIdentifier,
      inviteId: invite.inviteId,
      secret,
    });
    try {
      await delivery.notifier.send({
        to: invite.email,
        subject: `You are invited to ${scopePath(invite.scope)} on nextgen-rbac`,
        token,
        acceptUrl: acceptUrlFor(delivery.acceptUrlBase(), token),
        sentAt: new Date(invite.lastSentAt).toISOString(),
        inviteId: invite.inviteId,
        scope: invite.scope,
      });
    } catch (error) {
      throw new UndecidableError(
        `The invite ${invite.inviteId} to ${invite.email} is saved but could not be delivered; resend it`,
        { cause: error },
      );
    }
  }
}
