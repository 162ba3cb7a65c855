import type * as z from 'zod';
import { aclRequestSchema } from '../acl/acl-request.js';
import { auditFilterSchema } from '../audit/audit-filter.js';
import { auditSettingsSchema, auditYamlQuerySchema } from '../audit/audit-routes.js';
import { changeFeedQuerySchema } from '../changes/change-feed-route.js';
import { healthQuerySchema } from '../health-route.js';
import {
  multiRoleAssignmentSchema,
  resourceGroupRequestSchema,
  roleAssignmentFilterSchema,
  roleAssignmentSchema,
  roleSchema,
} from '../management/access/access-schemas.js';
import { apiKeyParentQuerySchema, tokenKeyQuerySchema } from '../management/principals/api-key-owner.js';
import { apiKeyBodySchema } from '../management/principals/api-key-routes.js';
import { serviceAccountBodySchema } from '../management/principals/service-account-routes.js';
import { rotateQuerySchema, tokenBodySchema } from '../management/principals/token-routes.js';
import { userGroupBodySchema } from '../management/principals/user-group-routes.js';
import { organizationBodySchema, projectBodySchema } from '../management/scopes/scope-schemas.js';
import { acceptInviteBodySchema, addUsersBodySchema } from '../management/users/user-schemas.js';
import { permissionsReviewSchema, principalsReviewSchema } from '../review/review-request.js';

/** How one route is described in the OpenAPI document; the schemas are the very ones its handler parses with. */
export interface RouteDoc {
  /** One line saying what the route does. */
  readonly summary: string;
  /** The group the route is listed under. */
  readonly tag: string;
  /** The zod schema of the JSON body, when the route takes one. */
  readonly body?: z.core.$ZodType;
  /** The zod schema of route-specific query parameters, besides the scope and paging ones. */
  readonly query?: z.core.$ZodType;
  /** False for routes that need no `x-api-key` (default true). */
  readonly authenticated?: boolean;
  /** False for routes without the `accountIdentifier`/`orgIdentifier`/`projectIdentifier` scope query (default true). */
  readonly scoped?: boolean;
  /** True when `accountIdentifier` may be left out of the query (the account is then found in the token or the body). */
  readonly accountOptional?: boolean;
  /** True for list routes that take `pageIndex`, `pageSize` and `searchTerm`. */
  readonly paged?: boolean;
}

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
  'POST /ng/api/organizations': {
    summary: 'Create an organization',
    tag: 'Organizations',
    body: organizationBodySchema,
  },
  'GET /ng/api/organizations': { summary: 'List organizations', tag: 'Organizations', paged: true },
  'GET /ng/api/organizations/{identifier}': { summary: 'Get an organization', tag: 'Organizations' },
  'PUT /ng/api/organizations/{identifier}': {
    summary: 'Update an organization',
    tag: 'Organizations',
    body: organizationBodySchema,
  },
  'DELETE /ng/api/organizations/{identifier}': {
    summary: 'Delete an organization and everything in it',
    tag: 'Organizations',
  },
  'POST /ng/api/projects': { summary: 'Create a project', tag: 'Projects', body: projectBodySchema },
  'GET /ng/api/projects': { summary: 'List projects', tag: 'Projects', paged: true },
  'GET /ng/api/projects/{identifier}': { summary: 'Get a project', tag: 'Projects' },
  'PUT /ng/api/projects/{identifier}': {
    summary: 'Update a project',
    tag: 'Projects',
    body: projectBodySchema,
  },
  'DELETE /ng/api/projects/{identifier}': {
    summary: 'Delete a project and everything in it',
    tag: 'Projects',
  },
  'POST /authz/api/roles': { summary: 'Create a custom role', tag: 'Roles', body: roleSchema },
  'GET /authz/api/roles': {
    summary: 'List managed and custom roles visible at the scope',
    tag: 'Roles',
    paged: true,
  },
  'GET /authz/api/roles/{identifier}': { summary: 'Get a role', tag: 'Roles' },
  'PUT /authz/api/roles/{identifier}': { summary: 'Update a custom role', tag: 'Roles', body: roleSchema },
  'DELETE /authz/api/roles/{identifier}': {
    summary: 'Delete a custom role and its role assignments',
    tag: 'Roles',
  },
  'POST /resourcegroup/api/v2/resourcegroup': {
    summary: 'Create a custom resource group',
    tag: 'Resource groups',
    body: resourceGroupRequestSchema,
  },
  'GET /resourcegroup/api/v2/resourcegroup': {
    summary: 'List managed and custom resource groups visible at the scope',
    tag: 'Resource groups',
    paged: true,
  },
  'GET /resourcegroup/api/v2/resourcegroup/{identifier}': {
    summary: 'Get a resource group',
    tag: 'Resource groups',
  },
  'PUT /resourcegroup/api/v2/resourcegroup/{identifier}': {
    summary: 'Update a custom resource group',
    tag: 'Resource groups',
    body: resourceGroupRequestSchema,
  },
  'DELETE /resourcegroup/api/v2/resourcegroup/{identifier}': {
    summary: 'Delete a custom resource group and its role assignments',
    tag: 'Resource groups',
  },
  'POST /authz/api/roleassignments': {
    summary: 'Create a role assignment (nobody may grant more than they hold)',
    tag: 'Role assignments',
    body: roleAssignmentSchema,
  },
  'POST /authz/api/roleassignments/multi': {
    summary: 'Create several role assignments, all or nothing',
    tag: 'Role assignments',
    body: multiRoleAssignmentSchema,
  },
  'GET /authz/api/roleassignments': {
    summary: 'List role assignments at the scope',
    tag: 'Role assignments',
    paged: true,
  },
  'POST /authz/api/roleassignments/filter': {
    summary: 'List role assignments matching a filter',
    tag: 'Role assignments',
    body: roleAssignmentFilterSchema,
    paged: true,
  },
  'GET /authz/api/roleassignments/{identifier}': {
    summary: 'Get a role assignment',
    tag: 'Role assignments',
  },
  'PUT /authz/api/roleassignments/{identifier}': {
    summary: 'Enable or disable a role assignment (only `disabled` may change)',
    tag: 'Role assignments',
    body: roleAssignmentSchema,
  },
  'DELETE /authz/api/roleassignments/{identifier}': {
    summary: 'Delete a role assignment (never the last account admin)',
    tag: 'Role assignments',
  },
  'POST /ng/api/user-groups': {
    summary: 'Create a user group',
    tag: 'User groups',
    body: userGroupBodySchema,
  },
  'GET /ng/api/user-groups': { summary: 'List user groups at the scope', tag: 'User groups', paged: true },
  'GET /ng/api/user-groups/{identifier}': { summary: 'Get a user group', tag: 'User groups' },
  'PUT /ng/api/user-groups/{identifier}': {
    summary: 'Update a user group',
    tag: 'User groups',
    body: userGroupBodySchema,
  },
  'DELETE /ng/api/user-groups/{identifier}': {
    summary: 'Delete a user group and its role assignments',
    tag: 'User groups',
  },
  'PUT /ng/api/user-groups/{identifier}/member/{userId}': {
    summary: 'Add a member to a user group',
    tag: 'User groups',
  },
  'DELETE /ng/api/user-groups/{identifier}/member/{userId}': {
    summary: 'Remove a member from a user group',
    tag: 'User groups',
  },
  'POST /ng/api/serviceaccount': {
    summary: 'Create a service account',
    tag: 'Service accounts',
    body: serviceAccountBodySchema,
  },
  'GET /ng/api/serviceaccount': {
    summary: 'List service accounts at the scope',
    tag: 'Service accounts',
    paged: true,
  },
  'GET /ng/api/serviceaccount/{identifier}': { summary: 'Get a service account', tag: 'Service accounts' },
  'PUT /ng/api/serviceaccount/{identifier}': {
    summary: 'Update a service account',
    tag: 'Service accounts',
    body: serviceAccountBodySchema,
  },
  'DELETE /ng/api/serviceaccount/{identifier}': {
    summary: 'Delete a service account with its keys, tokens and role assignments',
    tag: 'Service accounts',
  },
  'POST /ng/api/apikey': { summary: 'Create an API key', tag: 'API keys and tokens', body: apiKeyBodySchema },
  'DELETE /ng/api/apikey/{identifier}': {
    summary: 'Delete an API key and its tokens',
    tag: 'API keys and tokens',
    query: apiKeyParentQuerySchema,
  },
  'POST /ng/api/token': {
    summary: 'Create a token; data is the raw token, shown once',
    tag: 'API keys and tokens',
    body: tokenBodySchema,
  },
  'DELETE /ng/api/token/{identifier}': {
    summary: 'Delete a token (rejected on the very next request)',
    tag: 'API keys and tokens',
    query: tokenKeyQuerySchema,
  },
  'POST /ng/api/token/rotate/{identifier}': {
    summary: 'Rotate a token; data is the new raw token, shown once',
    tag: 'API keys and tokens',
    query: rotateQuerySchema,
  },
  'POST /ng/api/user/users': {
    summary: 'Add users to the scope; unknown e-mails are invited (data.addUserResponseMap)',
    tag: 'Users and invites',
    body: addUsersBodySchema,
  },
  'GET /ng/api/user/users': {
    summary: 'List the members of the scope',
    tag: 'Users and invites',
    paged: true,
  },
  'GET /ng/api/user/{userId}': { summary: 'Get a member of the scope', tag: 'Users and invites' },
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
    summary: 'Resend an invite (new link valid 7 days; 409 after 30 days from the first send)',
    tag: 'Users and invites',
  },
  'DELETE /ng/api/invites/{id}': { summary: 'Delete an invite', tag: 'Users and invites' },
  'POST /ng/api/invites/accept': {
    summary: 'Accept an invite with its token (no x-api-key); data.userId and a first personal token',
    tag: 'Users and invites',
    body: acceptInviteBodySchema,
    ...unscoped,
  },
  'POST /audit/api/audits/list': {
    summary:
      'The audit trail, newest first: AuditEventDTOs matching AuditFilterProperties at scopes where the caller holds core_audit_view',
    tag: 'Audit',
    body: auditFilterSchema,
    paged: true,
  },
  'GET /audit/api/auditYaml': {
    summary: 'The before and after of one audit event ({oldYaml, newYaml}, JSON documents)',
    tag: 'Audit',
    query: auditYamlQuerySchema,
  },
  'GET /audit/api/auditSettings': {
    summary: 'How many months audit records are kept (core_audit_view)',
    tag: 'Audit',
  },
  'PUT /audit/api/auditSettings': {
    summary: 'Set how many months audit records written from now on are kept (core_account_edit)',
    tag: 'Audit',
    body: auditSettingsSchema,
  },
  'POST /authz/api/access-review/permissions': {
    summary: 'What a principal (default: the caller) can do at a scope, with the granting assignments',
    tag: 'Access review',
    body: permissionsReviewSchema,
  },
  'POST /authz/api/access-review/principals': {
    summary: 'Who (users and service accounts) is permitted a check, with the granting assignments',
    tag: 'Access review',
    body: principalsReviewSchema,
    paged: true,
  },
  'GET /authz/api/changes': {
    summary:
      'Change feed: what changed after version since, oldest first, one entry per version (needs core_acl_check)',
    tag: 'Change feed',
    query: changeFeedQuerySchema,
  },
};
