import * as z from 'zod';
import {
  entityIdentifierProblem,
  entityNameProblem,
  MAX_DESCRIPTION_LENGTH,
  MAX_TAGS,
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

/** An optional tag map (≤ 128 string → string entries); null means absent. */
export const tagsField = z
  .record(z.string().max(MAX_TAG_KEY_LENGTH), z.string().max(MAX_TAG_VALUE_LENGTH))
  .refine((tags) => Object.keys(tags).length <= MAX_TAGS, `cannot hold more than ${MAX_TAGS} tags`)
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
export const scopeIdField = z.string().max(128).nullish();

/** The API key type. */
export const apiKeyTypeField = z.enum(['SERVICE_ACCOUNT', 'USER']);
