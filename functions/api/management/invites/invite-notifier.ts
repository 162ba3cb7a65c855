import type { Scope } from '../../../core/scope.js';

/**
 * Delivery of invite messages (DESIGN §7): the API hands each sent invite to an `InviteNotifier` as
 * one `InviteSent` message after the write that sent it has committed. In AWS the notifier puts an
 * `InviteSent` event on EventBridge (a mailer subscribes to it); locally it keeps the message in an
 * in-memory mailbox read by `GET /local/mail`.
 */

/** The detail type of the EventBridge event and the name of the message. */
export const INVITE_SENT = 'InviteSent';

/** One sent invite: the mail fields of `GET /local/mail` plus where the invite lives. */
export interface InviteSentMessage {
  readonly to: string;
  readonly subject: string;
  /** The raw invite token (the only place it ever appears; only its hash is stored). */
  readonly token: string;
  readonly acceptUrl: string;
  /** When it was sent, ISO 8601. */
  readonly sentAt: string;
  readonly inviteId: string;
  readonly scope: Scope;
}

/** Delivers `InviteSent` messages. */
export interface InviteNotifier {
  /** Delivers one message; rejects when it could not be handed over. */
  send(message: InviteSentMessage): Promise<void>;
}

/** How the API delivers invites: the notifier and the base of the accept link put in the mail. */
export interface InviteDelivery {
  readonly notifier: InviteNotifier;
  /** The accept link's base; the mail links to `<base>?token=<token>`. Read at send time. */
  readonly acceptUrlBase: () => string;
}

/** The accept link of a token: `<base>?token=<url-encoded token>`. */
export function acceptUrlFor(base: string, token: string): string {
  return `${base}${base.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
}
