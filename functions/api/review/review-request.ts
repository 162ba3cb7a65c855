import * as z from 'zod/mini';
import { aclPrincipalSchema, permissionCheckSchema, resourceScopeSchema } from '../acl/acl-request.js';

/**
 * Bodies of the access-review endpoints (ours, DESIGN §6.2 "Access review"), built from the ACL
 * request's own pieces (`zod/mini`, like them) so a review is asked exactly like a check.
 */

/** `POST /authz/api/access-review/permissions`: what can `principal` (default: the caller) do at `scope`. */
export const permissionsReviewSchema = z.strictObject({
  principal: z.nullish(aclPrincipalSchema),
  scope: resourceScopeSchema,
  resourceType: z.nullish(z.string().check(z.minLength(1), z.maxLength(64))),
  permission: z.nullish(z.string().check(z.minLength(1), z.maxLength(128))),
});

/** A parsed permissions-review body. */
export type PermissionsReview = z.infer<typeof permissionsReviewSchema>;

/** `POST /authz/api/access-review/principals`: who can do the check's permission on its resource. */
export const principalsReviewSchema = permissionCheckSchema;
