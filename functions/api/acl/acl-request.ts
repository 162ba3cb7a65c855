import { z } from 'zod';

/** The most checks one ACL request may carry (DESIGN §6.2). */
export const MAX_CHECKS_PER_REQUEST = 1_000;

const optionalText = z.string().min(1).max(128).nullish();

/** `resourceScope` of a permission check: Harness scope parameters, absent levels null or omitted. */
export const resourceScopeSchema = z.strictObject({
  accountIdentifier: optionalText,
  orgIdentifier: optionalText,
  projectIdentifier: optionalText,
});

/** One permission check of the ACL request (reference §6.1 `PermissionCheck`). */
export const permissionCheckSchema = z.strictObject({
  resourceScope: resourceScopeSchema.nullish(),
  resourceType: z.string().min(1).max(64),
  resourceIdentifier: z.string().min(1).max(256).nullish(),
  resourceAttributes: z.record(z.string().min(1).max(64), z.string().max(256)).nullish(),
  permission: z.string().min(1).max(128),
});

/** The principal a check is made for; absent means the caller itself. */
export const aclPrincipalSchema = z.strictObject({
  principalIdentifier: z.string().min(1).max(256),
  principalType: z.enum(['USER', 'SERVICE_ACCOUNT']),
});

/** The body of `POST /authz/api/acl` (reference §6.1 `AccessCheckRequest`). */
export const aclRequestSchema = z.strictObject({
  principal: aclPrincipalSchema.nullish(),
  permissions: z.array(permissionCheckSchema).max(MAX_CHECKS_PER_REQUEST),
});

/** A parsed ACL request body. */
export type AclRequest = z.infer<typeof aclRequestSchema>;

/** A parsed permission check, as echoed back in the response. */
export type PermissionCheckInput = z.infer<typeof permissionCheckSchema>;
