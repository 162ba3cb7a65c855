import { createHttpHandler } from '../http/router.js';
import { eventBridgeInviteDelivery } from '../management/invites/eventbridge-invite-notifier.js';
import { apiRoutes } from '../routes.js';
import { lambdaContext, lambdaHttpOptions } from './lambda-context.js';

const context = { ...(await lambdaContext(process.env)), invites: eventBridgeInviteDelivery(process.env) };

/**
 * Lambda entry of the management API: every route of {@link apiRoutes} (the authorize function
 * serves `POST /authz/api/acl` in AWS; this one answers it too, so a route table mistake cannot
 * leave it unserved). Invites are delivered as `InviteSent` events on `EVENT_BUS_NAME`.
 */
export const handler = createHttpHandler(apiRoutes(context), lambdaHttpOptions(process.env, context.target));
