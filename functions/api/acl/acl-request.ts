import * as z from 'zod/mini';

/**
 * The ACL request body (reference §6.1), written with `zod/mini` so the authorize function's bundle
 * does not carry the full zod (DESIGN §11: its bundle stays small).
 */

/** The most checks one ACL request may carry (DESIGN §6.2). */
export const MAX_CHECKS_PER_REQUEST = 1_000;

function boundedText(min: number, max: number) {
  return z.string().check(z.minLength(min), z.maxLength(max));
}

const optionalText = z.nullish(boundedText(1, 128));

/** `resourceScope` of a permission check: Harness scope parameters, absent levels null or omitted. */
export const resourceScopeSchema = z.strictObject({
  accountIdentifier: optionalText,
  orgIdentifier: optionalText,
  projectIdentifier: optionalText,
});

/** One permission check of the ACL request (reference §6.1 `PermissionCheck`). */
export const permissionCheckSchema = z.strictObject({
  resourceScope: z.nullish(resourceScopeSchema),
  resourceType: boundedText(1, 64),
  resourceIdentifier: z.nullish(boundedText(1, 256)),
  resourceAttributes: z.nullish(z.record(boundedText(1, 64), boundedText(0, 256))),
  permission: boundedText(1, 128),
});

/** The principal a check is made for; absent means the caller itself. */
export const aclPrincipalSchema = z.strictObject({
  principalIdentifier: boundedText(1, 256),
  principalType: z.enum(['USER', 'SERVICE_ACCOUNT']),
});

/** The body of `POST /authz/api/acl` (reference §6.1 `AccessCheckRequest`). */
export const aclRequestSchema = z.strictObject({
  principal: z.nullish(aclPrincipalSchema),
  permissions: z.array(permissionCheckSchema).check(z.maxLength(MAX_CHECKS_PER_REQUEST)),
});

/** A parsed ACL request body. */
export type AclRequest = z.infer<typeof aclRequestSchema>;

/** A parsed permission check, as echoed back in the response. */
export type PermissionCheckInput = z.infer<typeof permissionCheckSchema>;
