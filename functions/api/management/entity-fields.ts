import * as z from 'zod';
import {
  entityIdentifierProblem,
  entityNameProblem,
  MAX_DESCRIPTION_LENGTH,
  MAX_TAGS,
  SCOPE_IDENTIFIER_ERROR,
  SCOPE_IDENTIFIER_PATTERN,
} from '../../core/validation/identifier-rules.js';

/**
 * zod field schemas shared by the management endpoints (scopes, principals, users; reference §8.1,
 * §8.5), built on the rules of `core/validation/identifier-rules.ts` so the messages are the same
 * everywhere.
 */

/** Longest tag key accepted (the reference bounds only the number of tags). */
export const MAX_TAG_KEY_LENGTH = 128;

/** Longest tag value accepted. */
export const MAX_TAG_VALUE_LENGTH = 1024;

/** Longest opaque id (user ids, parent identifiers) accepted. */
export const MAX_OPAQUE_ID_LENGTH = 256;

/** Latest accepted time (epoch ms): the largest valid JavaScript `Date`. */
export const MAX_TIME_MS = 8.64e15;

/** An entity identifier (reference §8.1): pattern, length and reserved words. */
export const identifierField = z
  .string()
  .max(128, 'cannot be longer than 128 characters')
  .superRefine((value, context) => {
    const problem = entityIdentifierProblem(value);
    if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
  });

/** An entity name (reference §8.1): not blank, ≤ 128 characters, restricted characters. */
export const nameField = z.string().superRefine((value, context) => {
  const problem = entityNameProblem(value);
  if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
});

/** An optional description (≤ 1024 characters); null means absent. */
export const descriptionField = z
  .string()
  .max(MAX_DESCRIPTION_LENGTH, `cannot be longer than ${MAX_DESCRIPTION_LENGTH} characters`)
  .nullish();

/** True for a JSON object (not null, not an array). */
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * An optional tag map (≤ 128 entries, keys ≤ 128 and values ≤ 1,024 characters); null means
 * absent. Any key is data — `constructor`, `__proto__`, `toString` included: the map is checked
 * entry by entry and copied with `Object.fromEntries` (own properties only), because `z.record`
 * builds its output by assignment, which drops a `__proto__` key.
 */
export const tagsField = z
  .custom<Record<string, unknown>>(isObject, 'must be an object of string keys and string values')
  .superRefine((tags, context) => {
    const entries = Object.entries(tags);
    if (entries.length > MAX_TAGS) {
      context.addIssue({ code: 'custom', message: `cannot hold more than ${MAX_TAGS} tags` });
    }
    for (const [key, value] of entries) {
      if (key.length > MAX_TAG_KEY_LENGTH) {
        context.addIssue({
          code: 'custom',
          path: [key],
          message: `tag keys cannot be longer than ${MAX_TAG_KEY_LENGTH} characters`,
        });
      } else if (typeof value !== 'string') {
        context.addIssue({ code: 'custom', path: [key], message: `tag '${key}' must have a string value` });
      } else if (value.length > MAX_TAG_VALUE_LENGTH) {
        context.addIssue({
          code: 'custom',
          path: [key],
          message: `tag values cannot be longer than ${MAX_TAG_VALUE_LENGTH} characters`,
        });
      }
    }
  })
  .transform((tags) => Object.fromEntries(Object.entries(tags)) as Record<string, string>)
  .meta({
    type: 'object',
    additionalProperties: { type: 'string', maxLength: MAX_TAG_VALUE_LENGTH },
    propertyNames: { maxLength: MAX_TAG_KEY_LENGTH },
    maxProperties: MAX_TAGS,
  })
  .nullish();

/**
 * An opaque id (a user id or an API key's parent identifier): non-empty, bounded, and without `#`
 * (the store's key separator, so it can always name a stored item).
 */
export const opaqueIdField = z
  .string()
  .min(1, 'cannot be empty')
  .max(MAX_OPAQUE_ID_LENGTH)
  .refine((value) => !value.includes('#'), "must not contain '#'");

/** An e-mail address (service accounts). */
export const emailField = z.email('must be a valid email address').max(254);

/** A point in time in epoch milliseconds. */
export const timeField = z.number().int().min(0).max(MAX_TIME_MS);

/** A scope field of a body (`accountIdentifier`, `orgIdentifier`, `projectIdentifier`); null means absent. */
export const scopeIdField = z.string().regex(SCOPE_IDENTIFIER_PATTERN, SCOPE_IDENTIFIER_ERROR).nullish();

/** The API key type. */
export const apiKeyTypeField = z.enum(['SERVICE_ACCOUNT', 'USER']);
