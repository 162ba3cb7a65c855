import * as z from 'zod';
import { scopeIdField, tagsField } from '../entity-fields.js';

/**
 * Request bodies of the access-management endpoints (roles, resource groups v2, role assignments),
 * in Harness's shapes (reference §5.3–5.5). The schemas check shapes only — unknown fields are
 * rejected — and leave the domain rules to `functions/core/validation`.
 */

/** The most permissions one role may list, and the most entries of any other list in these bodies. */
export const MAX_LIST_ENTRIES = 1_000;

/** The most assignments one `POST /authz/api/roleassignments/multi` may carry. */
export const MAX_MULTI_ASSIGNMENTS = 100;

const text = z.string().max(4096);
const nullableText = text.nullish();
/** A value that becomes part of a DynamoDB key, so it may not hold the key separator `#`. */
const keyText = z
  .string()
  .max(256)
  .regex(/^[^#]*$/, "must not contain '#'");
const optionalScopeId = scopeIdField;
const tags = tagsField;
const strings = z.array(text).max(MAX_LIST_ENTRIES);

/** `RoleDTO` (reference §5.3): the body of role create and update. */
export const roleSchema = z.strictObject({
  identifier: text,
  name: text,
  permissions: strings.nullish(),
  allowedScopeLevels: strings.nullish(),
  description: nullableText,
  tags,
});

/** A parsed `RoleDTO`. */
export type RoleBody = z.infer<typeof roleSchema>;

const includedScopeSchema = z.strictObject({
  filter: text,
  accountIdentifier: optionalScopeId,
  orgIdentifier: optionalScopeId,
  projectIdentifier: optionalScopeId,
});

const resourceSelectorSchema = z.strictObject({
  resourceType: text,
  identifiers: strings.nullish(),
  attributeFilter: z.strictObject({ attributeName: text, attributeValues: strings }).nullish(),
});

/** `ResourceGroupV2` (reference §5.4), scope fields included. */
export const resourceGroupSchema = z.strictObject({
  accountIdentifier: keyText.min(1),
  orgIdentifier: optionalScopeId,
  projectIdentifier: optionalScopeId,
  identifier: text,
  name: text,
  description: nullableText,
  color: nullableText,
  tags,
  allowedScopeLevels: strings.nullish(),
  includedScopes: z.array(includedScopeSchema).max(MAX_LIST_ENTRIES).nullish(),
  resourceFilter: z
    .strictObject({
      includeAllResources: z.boolean().nullish(),
      resources: z.array(resourceSelectorSchema).max(MAX_LIST_ENTRIES).nullish(),
    })
    .nullish(),
});

/** The body of resource-group create and update: `{"resourceGroup": ResourceGroupV2}`. */
export const resourceGroupRequestSchema = z.strictObject({ resourceGroup: resourceGroupSchema });

/** A parsed `ResourceGroupV2`. */
export type ResourceGroupBody = z.infer<typeof resourceGroupSchema>;

/** `PrincipalDTO` (reference §5.5). */
export const principalSchema = z.strictObject({
  identifier: keyText.min(1),
  type: text,
  scopeLevel: nullableText,
});

/**
 * `RoleReference` of the Go SDK and Terraform (`role_reference`): the role and the scope level it is
 * defined at. Roles here are resolved at the assignment's scope (a custom role of that scope, else a
 * managed one), so the reference must name `roleIdentifier` and, for a custom role, that level.
 */
export const roleReferenceSchema = z.strictObject({
  identifier: keyText.min(1),
  scopeLevel: z.enum(['account', 'organization', 'project']),
});

/** `RoleAssignmentDTO` (reference §5.5): `managed` is accepted and ignored. */
export const roleAssignmentSchema = z
  .strictObject({
    identifier: nullableText,
    resourceGroupIdentifier: keyText.min(1),
    roleIdentifier: keyText.min(1),
    roleReference: roleReferenceSchema.nullish(),
    principal: principalSchema,
    disabled: z.boolean().nullish(),
    managed: z.boolean().nullish(),
  })
  .refine((body) => !body.roleReference || body.roleReference.identifier === body.roleIdentifier, {
    path: ['roleReference', 'identifier'],
    message: 'must equal roleIdentifier',
  });

/** A parsed `RoleAssignmentDTO`. */
export type RoleAssignmentBody = z.infer<typeof roleAssignmentSchema>;

/**
 * The body of `POST /authz/api/roleassignments/multi`. Items are parsed one by one later, so that a
 * malformed item is skipped like any other invalid one.
 */
export const multiRoleAssignmentSchema = z.strictObject({
  roleAssignments: z.array(z.unknown()).max(MAX_MULTI_ASSIGNMENTS),
});

/** `RoleAssignmentFilter` (reference §5.5): every list is optional; an empty list filters nothing. */
export const roleAssignmentFilterSchema = z.strictObject({
  resourceGroupFilter: strings.nullish(),
  roleFilter: strings.nullish(),
  principalTypeFilter: strings.nullish(),
  principalScopeLevelFilter: strings.nullish(),
  principalFilter: z.array(principalSchema).max(MAX_LIST_ENTRIES).nullish(),
  harnessManagedFilter: z.array(z.boolean()).max(2).nullish(),
  disabledFilter: z.array(z.boolean()).max(2).nullish(),
});

/** A parsed `RoleAssignmentFilter`. */
export type RoleAssignmentFilterBody = z.infer<typeof roleAssignmentFilterSchema>;
