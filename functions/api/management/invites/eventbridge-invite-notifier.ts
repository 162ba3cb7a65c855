import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { scopeToParams } from '../../../core/scope.js';
import {
  INVITE_SENT,
  type InviteDelivery,
  type InviteNotifier,
  type InviteSentMessage,
} from './invite-notifier.js';

/**
 * The AWS notifier: one `PutEvents` entry per sent invite on the bus `EVENT_BUS_NAME`, source
 * {@link INVITE_EVENT_SOURCE}, detail type `InviteSent`, detail = the message (with the raw token,
 * which a mailer subscribed to the bus puts into the mail). A failed entry rejects.
 */

/** The `source` of the events. */
export const INVITE_EVENT_SOURCE = 'nextgen-rbac.invites';

/** The path of the console's acceptance page, used as the link base when `INVITE_ACCEPT_URL` is not set. */
export const DEFAULT_ACCEPT_PATH = '/console/invite';

/** A notifier that puts `InviteSent` events on `eventBusName`. */
export function eventBridgeInviteNotifier(client: EventBridgeClient, eventBusName: string): InviteNotifier {
  return {
    async send(message: InviteSentMessage) {
      const { scope, ...rest } = message;
      const answer = await client.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: eventBusName,
              Source: INVITE_EVENT_SOURCE,
              DetailType: INVITE_SENT,
              Detail: JSON.stringify({ ...rest, ...scopeToParams(scope) }),
            },
          ],
        }),
      );
      if ((answer.FailedEntryCount ?? 0) > 0) {
        throw new Error(
          `InviteSent was not accepted by EventBridge: ${answer.Entries?.[0]?.ErrorCode ?? 'unknown'}`,
        );
      }
    },
  };
}

/**
 * The delivery of the Lambda: EventBridge on `env.EVENT_BUS_NAME` (required), accept links based on
 * `env.INVITE_ACCEPT_URL` (the console's acceptance page, which posts the token; default {@link DEFAULT_ACCEPT_PATH}).
 */
export function eventBridgeInviteDelivery(
  env: Readonly<Record<string, string | undefined>>,
  client: EventBridgeClient = new EventBridgeClient({}),
): InviteDelivery {
  const bus = env.EVENT_BUS_NAME;
  if (!bus) throw new Error('EVENT_BUS_NAME is not set');
  const base = env.INVITE_ACCEPT_URL || DEFAULT_ACCEPT_PATH;
  return { notifier: eventBridgeInviteNotifier(client, bus), acceptUrlBase: () => base };
}
