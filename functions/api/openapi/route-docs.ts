import { aclRequestSchema } from '../acl/acl-request.js';
import { healthQuerySchema } from '../health-route.js';
import type { RouteDoc } from '../http/route-doc.js';
import { userFilterSchema } from '../management/principals/user-group-harness-routes.js';
import {
  aclAggregateFilterSchema,
  addUserToGroupsSchema,
  lastAdminQuerySchema,
} from '../management/users/user-harness-routes.js';
import {
  acceptInviteBodySchema,
  addUsersBodySchema,
  inviteBodySchema,
} from '../management/users/user-schemas.js';

export type { RouteDoc } from '../http/route-doc.js';

/** The key of a route in {@link ROUTE_DOCS}: method and path template, e.g. `GET /authz/api/roles/{identifier}`. */
export function routeKey(method: string, path: string): string {
  return `${method} ${path}`;
}

const unscoped = { authenticated: false, scoped: false } as const;

/** The description of every route of the API, keyed by {@link routeKey}. A test proves no route is missing. */
export const ROUTE_DOCS: Readonly<Record<string, RouteDoc>> = {
  'GET /health': {
    summary:
      'Liveness: answers {"status":"ok"} without the envelope; deep=true also reads the store (503 when it does not answer)',
    tag: 'Health',
    query: healthQuerySchema,
    ...unscoped,
  },
  'GET /openapi.json': { summary: 'This OpenAPI 3.1 document', tag: 'Health', ...unscoped },
  'POST /authz/api/acl': {
    summary: 'Batch access check (≤ 1,000 checks); explain=true adds the granting assignment or the reason',
    tag: 'Access checks',
    body: aclRequestSchema,
    accountOptional: true,
  },
  'POST /ng/api/user/users': {
    summary: 'Add users to the scope; unknown e-mails are invited (data.addUserResponseMap)',
    tag: 'Users and invites',
    body: addUsersBodySchema,
  },
  'GET /ng/api/user/users': {
    summary: 'List the members of the scope (ours; Harness lists with POST /ng/api/user/aggregate)',
    tag: 'Users and invites',
    paged: true,
  },
  'GET /ng/api/user/{userId}': {
    summary: 'Get a member of the scope (ours; Harness reads GET /ng/api/user/aggregate/{userId})',
    tag: 'Users and invites',
  },
  'DELETE /ng/api/user/{userId}': {
    summary: 'Remove a user from the scope (from the account: with its groups, assignments and tokens)',
    tag: 'Users and invites',
  },
  'GET /ng/api/invites': {
    summary: 'List the invites of the scope with their link and resend deadlines',
    tag: 'Users and invites',
    paged: true,
  },
  'POST /ng/api/invites/{id}/resend': {
    summary: 'Resend an invite (our earlier path, an alias of PUT /ng/api/invites/{inviteId})',
    tag: 'Users and invites',
  },
  'DELETE /ng/api/invites/{id}': {
    summary: 'Delete an invite (the account from the query or the token)',
    tag: 'Users and invites',
    accountOptional: true,
  },
  'POST /ng/api/invites/accept': {
    summary: 'Accept an invite with its token (no x-api-key); data.userId and a first personal token',
    tag: 'Users and invites',
    body: acceptInviteBodySchema,
    ...unscoped,
  },
  'POST /ng/api/user/aggregate': {
    summary: 'Members of the scope with their role assignments (ACLAggregateFilter, searchTerm)',
    tag: 'Users and invites',
    body: aclAggregateFilterSchema,
    paged: true,
  },
  'GET /ng/api/user/aggregate/{userId}': {
    summary: 'A member of the scope with its role assignments',
    tag: 'Users and invites',
  },
  'POST /ng/api/user/batch': {
    summary: 'Members of the scope matching a UserFilter',
    tag: 'Users and invites',
    body: userFilterSchema,
    paged: true,
  },
  'PUT /ng/api/user/add-user-to-groups/{userId}': {
    summary: 'Add a member of the scope to user groups of the scope',
    tag: 'Users and invites',
    body: addUserToGroupsSchema,
  },
  'GET /ng/api/user/currentUser': {
    summary: 'The calling user (400 for a service-account token)',
    tag: 'Users and invites',
  },
  'GET /ng/api/user/last-admin': {
    summary: 'Whether the user (default: the caller) holds the last effective account-admin assignment',
    tag: 'Users and invites',
    query: lastAdminQuerySchema,
  },
  'GET /ng/api/invites/invite': {
    summary: 'One invite by inviteId',
    tag: 'Users and invites',
    accountOptional: true,
  },
  'POST /ng/api/invites/aggregate': {
    summary: 'The pending invites of the scope (ACLAggregateFilter, searchTerm)',
    tag: 'Users and invites',
    body: aclAggregateFilterSchema,
    paged: true,
  },
  'PUT /ng/api/invites/{inviteId}': {
    summary: 'Resend an invite (new link valid 7 days; 409 after 30 days from the first send)',
    tag: 'Users and invites',
    body: inviteBodySchema,
    accountOptional: true,
  },
};
