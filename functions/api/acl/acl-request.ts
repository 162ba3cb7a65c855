import * as z from 'zod/mini';
import { SCOPE_IDENTIFIER_ERROR, SCOPE_IDENTIFIER_PATTERN } from '../../core/validation/identifier-rules.js';

/**
 * The ACL request body (reference §6.1), written with `zod/mini` so the authorize function's bundle
 * does not carry the full zod (DESIGN §11: its bundle stays small).
 */

/** The most checks one ACL request may carry (DESIGN §6.2). */
export const MAX_CHECKS_PER_REQUEST = 1_000;

function boundedText(min: number, max: number) {
  return z.string().check(z.minLength(min), z.maxLength(max));
}

/** True for a JSON object (not null, not an array). */
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A map of string keys (`keyMax` characters at most, none empty) to strings (`valueMax` at most).
 * Any key is data (`constructor`, `__proto__`, `toString`): the map is checked entry by entry and
 * copied with `Object.fromEntries`, because `z.record` builds its output by assignment, which
 * drops a `__proto__` key.
 */
function stringMap(keyMax: number, valueMax: number) {
  const checked = z
    .custom<Record<string, unknown>>(isObject, { error: 'must be an object of string values' })
    .check(
      z.superRefine((map, context) => {
        for (const [key, value] of Object.entries(map)) {
          if (key.length === 0 || key.length > keyMax) {
            context.addIssue({
              code: 'custom',
              path: [key],
              message: `keys must be 1 to ${keyMax} characters`,
            });
          } else if (typeof value !== 'string' || value.length > valueMax) {
            context.addIssue({
              code: 'custom',
              path: [key],
              message: `must be a string of at most ${valueMax} characters`,
            });
          }
        }
      }),
    );
  return z
    .pipe(
      checked,
      z.transform((map) => Object.fromEntries(Object.entries(map)) as Record<string, string>),
    )
    .register(z.globalRegistry, {
      type: 'object',
      additionalProperties: { type: 'string', maxLength: valueMax },
      propertyNames: { minLength: 1, maxLength: keyMax },
    });
}

/** A scope identifier, validated as everywhere (`core/validation/identifier-rules.ts`); null or omitted when absent. */
const scopeIdentifier = z.nullish(
  z.string().check(z.regex(SCOPE_IDENTIFIER_PATTERN, SCOPE_IDENTIFIER_ERROR)),
);

/**
 * `resourceScope` of a permission check: Harness scope parameters, absent levels null or omitted.
 * `orgIdentifier: "x/PROJECT/p1"` is a 400 naming the field, never another scope's answer.
 */
export const resourceScopeSchema = z.strictObject({
  accountIdentifier: scopeIdentifier,
  orgIdentifier: scopeIdentifier,
  projectIdentifier: scopeIdentifier,
});

/** One permission check of the ACL request (reference §6.1 `PermissionCheck`). */
export const permissionCheckSchema = z.strictObject({
  resourceScope: z.nullish(resourceScopeSchema),
  resourceType: boundedText(1, 64),
  resourceIdentifier: z.nullish(boundedText(1, 256)),
  resourceAttributes: z.nullish(stringMap(64, 256)),
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
