import { z } from 'zod';
import {
  descriptionProblem,
  entityIdentifierProblem,
  entityNameProblem,
  tagsProblem,
} from '../../../core/validation/identifier-rules.js';

/**
 * Request bodies of the organization and project endpoints (DESIGN §6.2, reference §8.1). Every object
 * is strict, so an unknown field is a 400 naming it (e.g. `organization.color`).
 */

/** Longest tag key accepted. */
export const MAX_TAG_KEY_LENGTH = 128;

/** Longest tag value accepted. */
export const MAX_TAG_VALUE_LENGTH = 1024;

/** A string checked by one of the reference §8.1 rules of `identifier-rules.ts`. */
function ruleString(problem: (value: unknown) => string | undefined) {
  return z.string().superRefine((value, context) => {
    const message = problem(value);
    if (message !== undefined) context.addIssue({ code: 'custom', message });
  });
}

/** An entity identifier (reference §8.1): letters, digits, `_`, `$`; not a reserved word. */
const identifierField = ruleString((value) => entityIdentifierProblem(value));

/** An entity name (reference §8.1). */
const nameField = ruleString(entityNameProblem);

/** An optional description (≤ 1024 characters); `null` is the same as absent. */
const descriptionField = ruleString(descriptionProblem).nullish();

/** An optional tag map (≤ 128 entries); `null` is the same as absent. */
const tagsField = z
  .record(z.string().min(1).max(MAX_TAG_KEY_LENGTH), z.string().max(MAX_TAG_VALUE_LENGTH))
  .superRefine((value, context) => {
    const problem = tagsProblem(value);
    if (problem) context.addIssue({ code: 'custom', message: problem.message });
  })
  .nullish();

/** The `organization` object of a create or update body. */
export const organizationSchema = z.strictObject({
  identifier: identifierField,
  name: nameField,
  description: descriptionField,
  tags: tagsField,
});

/** The body of `POST /ng/api/organizations` and `PUT /ng/api/organizations/{identifier}`. */
export const organizationBodySchema = z.strictObject({ organization: organizationSchema });

/** The `project` object of a create or update body. */
export const projectSchema = z.strictObject({
  orgIdentifier: identifierField,
  identifier: identifierField,
  name: nameField,
  description: descriptionField,
  tags: tagsField,
});

/** The body of `POST /ng/api/projects` and `PUT /ng/api/projects/{identifier}`. */
export const projectBodySchema = z.strictObject({ project: projectSchema });

/** A parsed `organization` object. */
export type OrganizationInput = z.infer<typeof organizationSchema>;

/** A parsed `project` object. */
export type ProjectInput = z.infer<typeof projectSchema>;
