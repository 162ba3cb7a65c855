import * as z from 'zod';
import { PERMISSIONS, type PermissionDefinition } from '../../../core/permission-catalogue.js';
import { isScopeResourceType, RESOURCE_TYPES } from '../../../core/resource-types.js';
import type { ScopeLevel } from '../../../core/scope.js';
import type { Route } from '../../http/router.js';
import { declareRoutes, endpoint } from '../declared-route.js';
import type { ManagementContext } from '../management-context.js';

/**
 * The permission and resource-type catalogues as Harness serves them (harness-core
 * `PermissionResource.java`, harness-core-ui `services/resourcegroups`): what the UI's role and
 * resource-group editors and Terraform's `harness_platform_permissions` list. Any authenticated caller
 * of the account may read them (they hold no account data).
 */

/** The query of `GET /authz/api/permissions`: `scopeFilterDisabled=true` lists every permission. */
export const permissionsQuerySchema = z.object({
  scopeFilterDisabled: z.enum(['true', 'false']).optional(),
});

/** `PermissionResponseDTO` of Harness: `{permission: PermissionDTO}`. */
export interface PermissionResponse {
  readonly permission: {
    readonly identifier: string;
    readonly name: string;
    readonly status: string;
    readonly includeInAllRoles: boolean;
    readonly allowedScopeLevels: string[];
    readonly resourceType: string;
    readonly action: string;
  };
}

/** The Harness DTO of a catalogue permission (`includeInAllRoles` is false: no role gains permissions implicitly here). */
export function permissionResponse(permission: PermissionDefinition): PermissionResponse {
  return {
    permission: {
      identifier: permission.identifier,
      name: permission.name,
      status: permission.status,
      includeInAllRoles: false,
      allowedScopeLevels: [...permission.allowedScopeLevels],
      resourceType: permission.resourceType,
      action: permission.action,
    },
  };
}

/** The catalogue permissions usable at `level` (all of them when `level` is undefined), by identifier. */
export function permissionsAt(level: ScopeLevel | undefined): PermissionDefinition[] {
  return PERMISSIONS.filter((permission) => !level || permission.allowedScopeLevels.includes(level)).sort(
    (a, b) => a.identifier.localeCompare(b.identifier),
  );
}

/** How a resource group may select resources of a type (Harness `ValidatorType`). */
const VALIDATOR_TYPES = [
  'BY_RESOURCE_IDENTIFIER',
  'BY_RESOURCE_TYPE',
  'BY_RESOURCE_TYPE_INCLUDING_CHILD_SCOPES',
];

/** The resource types a resource group at `level` can select, with how (Harness `ResourceTypeDTO`). */
export function resourceGroupResourceTypes(level: ScopeLevel): { name: string; validatorTypes: string[] }[] {
  const usable = new Set(permissionsAt(level).map((permission) => permission.resourceType));
  return RESOURCE_TYPES.filter((type) => usable.has(type.identifier) && type.identifier !== 'ACCOUNT').map(
    (type) => ({
      name: type.identifier,
      validatorTypes: isScopeResourceType(type.identifier)
        ? VALIDATOR_TYPES.slice(0, 2)
        : [...VALIDATOR_TYPES],
    }),
  );
}

const TAG = 'Catalogues';

const permissions = endpoint({
  method: 'GET',
  path: '/authz/api/permissions',
  summary:
    'The permission catalogue (PermissionResponse list), those usable at the scope unless scopeFilterDisabled=true',
  tag: TAG,
  query: permissionsQuerySchema,
  needs: 'any-caller',
  handle: async ({ scope, query }) =>
    permissionsAt(query.scopeFilterDisabled === 'true' ? undefined : scope.level).map(permissionResponse),
});

const permissionResourceTypes = endpoint({
  method: 'GET',
  path: '/authz/api/permissions/resourcetypes',
  summary: 'The resource types of the permission catalogue',
  tag: TAG,
  needs: 'any-caller',
  handle: async () => [...new Set(PERMISSIONS.map((permission) => permission.resourceType))].sort(),
});

const selectableResourceTypes = endpoint({
  method: 'GET',
  path: '/resourcegroup/api/resourcetype',
  summary: 'The resource types a resource group at the scope can select, with their validator types',
  tag: TAG,
  needs: 'any-caller',
  handle: async ({ scope }) => ({ resourceTypes: resourceGroupResourceTypes(scope.level) }),
});

/** `GET /authz/api/permissions`, `GET /authz/api/permissions/resourcetypes`, `GET /resourcegroup/api/resourcetype`: any caller of the account. */
export function catalogueRoutes(context: ManagementContext): Route[] {
  return declareRoutes(context, [permissions, permissionResourceTypes, selectableResourceTypes]);
}
