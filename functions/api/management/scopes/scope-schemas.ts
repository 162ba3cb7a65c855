import * as z from 'zod';
import { descriptionField, identifierField, nameField, tagsField } from '../entity-fields.js';

/**
 * Request bodies of the organization and project endpoints (DESIGN §6.2, reference §8.1). Every object
 * is strict, so an unknown field is a 400 naming it (e.g. `organization.color`).
 */

/** The `organization` object of a create or update body. */
export const organizationSchema = z.strictObject({
  identifier: identifierField,
  name: nameField,
  description: descriptionField,
  tags: tagsField,
});

/** The body of `POST /ng/api/organizations` and `PUT /ng/api/organizations/{identifier}`. */
export const organizationBodySchema = z.strictObject({ organization: organizationSchema });

/** The Harness modules a project may list (v2 client `Project.modules`). */
export const PROJECT_MODULES = [
  'CD',
  'CE',
  'CET',
  'CF',
  'CHAOS',
  'CI',
  'CODE',
  'CORE',
  'CV',
  'DBOPS',
  'DevopsEssentials',
  'FME',
  'GOVERNANCE',
  'HAR',
  'IACM',
  'IDP',
  'PLATFORM',
  'PMS',
  'SEI',
  'SRM',
  'SSCA',
  'STO',
  'TEMPLATESERVICE',
] as const;

/**
 * The `project` object of a create or update body. `color` and `modules` (which the Harness UI always
 * sends) are kept and returned; they change nothing about access.
 */
export const projectSchema = z.strictObject({
  orgIdentifier: identifierField,
  identifier: identifierField,
  name: nameField,
  description: descriptionField,
  tags: tagsField,
  color: z
    .string()
    .max(64, 'cannot be longer than 64 characters')
    .refine((value) => !/\p{Cc}/u.test(value), 'must not contain control characters')
    .nullish(),
  modules: z
    .array(z.enum(PROJECT_MODULES))
    .max(PROJECT_MODULES.length * 2)
    .nullish(),
});

/** The body of `POST /ng/api/projects` and `PUT /ng/api/projects/{identifier}`. */
export const projectBodySchema = z.strictObject({ project: projectSchema });

/** A parsed `organization` object. */
export type OrganizationInput = z.infer<typeof organizationSchema>;

/** A parsed `project` object. */
export type ProjectInput = z.infer<typeof projectSchema>;

/** The query of the scope lists besides paging: `searchTerm` narrows by name or identifier. */
export const searchTermQuerySchema = z.object({ searchTerm: z.string().optional() });
