import * as z from 'zod';
import { parseInput } from '../http/parse.js';
import type { Route } from '../http/router.js';
import { type InviteLocalOptions, inviteLocalRoutes } from './invite-local-routes.js';
import type { OffsetClock } from './offset-clock.js';

const advanceSchema = z.strictObject({
  advanceSeconds: z
    .number()
    .int()
    .min(0)
    .max(10 * 365 * 24 * 3600),
});

/**
 * Local-only routes (never deployed, no auth): `POST /local/clock` moves the server's clock forward;
 * with `invites`, also `GET /local/mail` and `POST /local/jobs/invite-cleanup`.
 */
export function localRoutes(clock: OffsetClock, invites?: InviteLocalOptions): Route[] {
  return [
    ...(invites ? inviteLocalRoutes(invites) : []),
    {
      method: 'POST',
      path: '/local/clock',
      handler: async (request) => {
        const { advanceSeconds } = parseInput(advanceSchema, request.body);
        return { data: { now: new Date(clock.advance(advanceSeconds)).toISOString() } };
      },
    },
  ];
}
