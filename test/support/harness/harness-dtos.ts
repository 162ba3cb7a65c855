import * as z from 'zod';

/**
 * Runtime checks of the DTOs Harness's ng-manager v2 client declares
 * (`@harnessio/react-ng-manager-v2-client` `dist/ng-manager-v2/src/services/schemas/*.d.ts`, 1.1.0),
 * written from those declarations: required fields must be present with their declared types, optional
 * ones may be absent or null, extra fields are ignored (as a TypeScript or Go consumer would).
 */

const optional = <T extends z.ZodType>(schema: T) => schema.nullish();
const tags = optional(z.record(z.string(), z.string()));
const scopeFields = {
  accountIdentifier: optional(z.string()),
  orgIdentifier: optional(z.string()),
  projectIdentifier: optional(z.string()),
};

/** `Project`. */
export const Project = z.object({
  color: optional(z.string()),
  description: optional(z.string()),
  identifier: optional(z.string()),
  modules: optional(z.array(z.string())),
  name: optional(z.string()),
  orgIdentifier: optional(z.string()),
  tags,
});

/** `ProjectResponse`: `isFavorite` is required. */
export const ProjectResponse = z.object({
  createdAt: optional(z.number()),
  isFavorite: z.boolean(),
  lastModifiedAt: optional(z.number()),
  project: Project,
});

/** `ServiceAccount`. */
export const ServiceAccount = z.object({
  accountIdentifier: z.string(),
  description: optional(z.string()),
  email: z.string(),
  identifier: z.string(),
  name: z.string(),
  orgIdentifier: optional(z.string()),
  projectIdentifier: optional(z.string()),
  tags,
});

/** `RoleAssignmentMetadata`. */
export const RoleAssignmentMetadata = z.object({
  identifier: optional(z.string()),
  managedRole: optional(z.boolean()),
  managedRoleAssignment: optional(z.boolean()),
  resourceGroupIdentifier: optional(z.string()),
  resourceGroupName: optional(z.string()),
  roleIdentifier: optional(z.string()),
  roleName: optional(z.string()),
  roleScopeLevel: optional(z.string()),
});

/** `ServiceAccountAggregate`. */
export const ServiceAccountAggregate = z.object({
  createdAt: z.number(),
  lastModifiedAt: z.number(),
  roleAssignmentsMetadataDTO: optional(z.array(RoleAssignmentMetadata)),
  serviceAccount: ServiceAccount,
  tokensCount: optional(z.number()),
});

const apiKeyType = z.enum(['SERVICE_ACCOUNT', 'SSH_KEY', 'USER']);

/** `ApiKey`. */
export const ApiKey = z.object({
  accountIdentifier: z.string(),
  apiKeyType: optional(apiKeyType),
  defaultTimeToExpireToken: optional(z.number()),
  description: optional(z.string()),
  identifier: z.string(),
  name: z.string(),
  orgIdentifier: optional(z.string()),
  parentIdentifier: z.string(),
  projectIdentifier: optional(z.string()),
  tags,
});

/** `ApiKeyAggregate`. */
export const ApiKeyAggregate = z.object({
  apiKey: ApiKey,
  createdAt: z.number(),
  lastModifiedAt: z.number(),
  tokensCount: optional(z.number()),
});

/** `Token`. */
export const Token = z.object({
  ...scopeFields,
  apiKeyIdentifier: z.string(),
  apiKeyType: optional(apiKeyType),
  description: optional(z.string()),
  identifier: z.string(),
  name: z.string(),
  parentIdentifier: optional(z.string()),
  scheduledExpireTime: optional(z.number()),
  tags,
  valid: optional(z.boolean()),
  validFrom: optional(z.number()),
  validTo: optional(z.number()),
});

/** `TokenAggregate`. */
export const TokenAggregate = z.object({
  createdAt: z.number(),
  expiryAt: z.number(),
  lastModifiedAt: z.number(),
  token: Token,
});

/** `UserMetadata`. */
export const UserMetadata = z.object({
  disabled: z.boolean(),
  email: z.string(),
  externallyManaged: z.boolean(),
  locked: z.boolean(),
  name: optional(z.string()),
  twoFactorAuthenticationEnabled: optional(z.boolean()),
  uuid: z.string(),
});

/** `OrganizationDTO` as the aggregates carry it. */
export const Organization = z.object({
  ...scopeFields,
  identifier: z.string(),
  name: z.string(),
  description: optional(z.string()),
  tags,
});

/** `OrganizationResponse`. */
export const OrganizationResponse = z.object({
  createdAt: optional(z.number()),
  harnessManaged: optional(z.boolean()),
  lastModifiedAt: optional(z.number()),
  organization: Organization,
});

/** `ProjectAggregateDTO` (harness-core `ProjectAggregateDTO.java`: `projectResponse` is required). */
export const ProjectAggregate = z.object({
  projectResponse: ProjectResponse,
  organization: optional(Organization),
  harnessManagedOrg: z.boolean(),
  admins: optional(z.array(UserMetadata)),
  collaborators: optional(z.array(UserMetadata)),
});

/** `OrganizationAggregateDTO` (`organizationResponse` is required). */
export const OrganizationAggregate = z.object({
  organizationResponse: OrganizationResponse,
  projectsCount: z.number().int(),
  admins: optional(z.array(UserMetadata)),
  collaborators: optional(z.array(UserMetadata)),
});

/** `UserAggregate`. */
export const UserAggregate = z.object({
  roleAssignmentMetadata: optional(z.array(RoleAssignmentMetadata)),
  user: optional(UserMetadata),
});

/** `RoleBinding`. */
export const RoleBinding = z.object({
  managedRole: optional(z.boolean()),
  resourceGroupIdentifier: optional(z.string()),
  resourceGroupName: optional(z.string()),
  roleIdentifier: optional(z.string()),
  roleName: optional(z.string()),
});

/** `Invite`: `email` and `inviteType` are required. */
export const Invite = z.object({
  ...scopeFields,
  approved: optional(z.boolean()),
  email: z.string(),
  id: optional(z.string()),
  inviteType: z.enum(['ADMIN_INITIATED_INVITE', 'SCIM_INITIATED_INVITE', 'USER_INITIATED_INVITE']),
  name: optional(z.string()),
  roleBindings: optional(z.array(RoleBinding)),
  userGroups: optional(z.array(z.string())),
});

const userGroupFields = {
  ...scopeFields,
  description: optional(z.string()),
  externallyManaged: optional(z.boolean()),
  harnessManaged: optional(z.boolean()),
  identifier: z.string(),
  isSsoLinked: optional(z.boolean()),
  linkedSsoDisplayName: optional(z.string()),
  linkedSsoId: optional(z.string()),
  linkedSsoType: optional(z.string()),
  name: z.string(),
  notificationConfigs: optional(z.array(z.unknown())),
  ssoGroupId: optional(z.string()),
  ssoGroupName: optional(z.string()),
  ssoLinked: optional(z.boolean()),
  tags,
};

/** `UserGroup`. */
export const UserGroup = z.object({ ...userGroupFields, users: optional(z.array(z.string())) });

/** `UserInfo`. */
export const UserInfo = z.object({
  email: optional(z.string()),
  name: optional(z.string()),
  uuid: optional(z.string()),
  locked: optional(z.boolean()),
  disabled: optional(z.boolean()),
  externallyManaged: optional(z.boolean()),
  defaultAccountId: optional(z.string()),
});

/** `UserGroupResponseV2`: members as user records. */
export const UserGroupResponseV2 = z.object({ ...userGroupFields, users: optional(z.array(UserInfo)) });

/** A `PageResponse<T>` (every field optional in the v2 client). */
export function PageOf<T extends z.ZodType>(item: T) {
  return z.object({
    content: optional(z.array(item)),
    pageIndex: optional(z.number()),
    pageSize: optional(z.number()),
    totalItems: optional(z.number()),
    totalPages: optional(z.number()),
  });
}

/** A `ResponseDto<T>` envelope. */
export function ResponseDto<T extends z.ZodType>(data: T) {
  return z.object({
    correlationId: optional(z.string()),
    data,
    metaData: optional(z.record(z.string(), z.unknown())),
    status: optional(z.enum(['ERROR', 'FAILURE', 'SUCCESS'])),
  });
}

/**
 * The UI's `PermissionResponseDTO` (harness-core-ui `services/rbac`): `{permission: PermissionDTO}`.
 */
export const PermissionResponse = z.object({
  permission: z.object({
    identifier: z.string(),
    name: z.string(),
    status: z.enum(['STAGING', 'EXPERIMENTAL', 'ACTIVE', 'DEPRECATED', 'INACTIVE']),
    includeInAllRoles: z.boolean(),
    allowedScopeLevels: z.array(z.string()),
    resourceType: z.string(),
    action: z.string(),
  }),
});

/** The UI's `ResourceTypeDTO` (harness-core-ui `services/resourcegroups`). */
export const ResourceTypeDto = z.object({
  resourceTypes: z.array(z.object({ name: z.string(), validatorTypes: z.array(z.string()) })),
});

/** Parses `value` with `schema`, failing the test with the issues (and the value) when it does not conform. */
export function conforms<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new Error(
      `Does not conform to the Harness DTO: ${z.prettifyError(result.error)}\n${JSON.stringify(value)}`,
    );
  }
  return result.data;
}
