import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { runInviteCleanup } from '../../jobs/invite-cleanup.js';
import type { Route } from '../http/router.js';
import type { LocalMailbox } from './local-mailbox.js';

/** What the local invite routes need: the mailbox, and the table and clock the cleanup job runs with. */
export interface InviteLocalOptions {
  readonly mailbox: LocalMailbox;
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly now: () => number;
}

/**
 * Local-only invite routes (DESIGN §7, §8; never deployed, no auth): `GET /local/mail` answers the
 * sent messages `[{"to","subject","token","acceptUrl","sentAt"}]` (oldest first, without the
 * envelope), and `POST /local/jobs/invite-cleanup` runs the cleanup job now with the server's clock,
 * answering `{"expired":N,"deleted":M}`.
 */
export function inviteLocalRoutes(options: InviteLocalOptions): Route[] {
  return [
    {
      method: 'GET',
      path: '/local/mail',
      raw: true,
      handler: async () => ({ data: options.mailbox.messages() }),
    },
    {
      method: 'POST',
      path: '/local/jobs/invite-cleanup',
      raw: true,
      handler: async () => {
        const { expired, deleted } = await runInviteCleanup({
          client: options.client,
          tableName: options.tableName,
          now: options.now,
        });
        return { data: { expired, deleted } };
      },
    },
  ];
}
