import type { InviteNotifier, InviteSentMessage } from '../management/invites/invite-notifier.js';

/** One message as `GET /local/mail` shows it (DESIGN §7). */
export interface LocalMail {
  readonly to: string;
  readonly subject: string;
  readonly token: string;
  readonly acceptUrl: string;
  readonly sentAt: string;
}

/** The local notifier: keeps every sent invite in memory, oldest first (local server and tests only). */
export interface LocalMailbox extends InviteNotifier {
  /** Every message sent so far, oldest first. */
  messages(): LocalMail[];
}

/** The most messages kept; older ones are dropped first. */
export const MAX_LOCAL_MAIL = 10_000;

/** Creates an empty mailbox. */
export function createLocalMailbox(): LocalMailbox {
  const sent: LocalMail[] = [];
  return {
    async send(message: InviteSentMessage) {
      sent.push({
        to: message.to,
        subject: message.subject,
        token: message.token,
        acceptUrl: message.acceptUrl,
        sentAt: message.sentAt,
      });
      if (sent.length > MAX_LOCAL_MAIL) sent.splice(0, sent.length - MAX_LOCAL_MAIL);
    },
    messages: () => sent.map((mail) => ({ ...mail })),
  };
}
