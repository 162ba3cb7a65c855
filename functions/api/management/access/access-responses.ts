import type { ResourceGroup, ResourceSelector } from '../../../core/resource-group.js';
import type { Role } from '../../../core/role.js';
import type { RoleAssignment } from '../../../core/role-assignment.js';
import type { Scope } from '../../../core/scope.js';
import type { ItemMeta } from '../../../store/items.js';
import { scopeDto } from './access-request.js';

/**
 * Response mapping of the access-management endpoints (reference §5.3–5.5). Managed roles and
 * resource groups have no stored item, so their `createdAt` and `lastModifiedAt` are `null`.
 */

/** `RoleResponse`: `{role: RoleDTO, scope, harnessManaged, createdAt, lastModifiedAt}`. */
export interface RoleResponse {
  readonly role: {
    identifier: string;
    name: string;
    permissions: string[];
    allowedScopeLevels: string[];
    description?: string;
    tags: Record<string, string>;
  };
  readonly scope: Record<string, string> | null;
  readonly harnessManaged: boolean;
  readonly createdAt: number | null;
  readonly lastModifiedAt: number | null;
}

/** The response of a role: a custom role with its item's times, or a managed one with `scope: null`. */
export function roleResponse(role: Role, meta: ItemMeta | undefined): RoleResponse {
  return {
    role: {
      identifier: role.identifier,
      name: role.name,
      permissions: [...role.permissions],
      allowedScopeLevels: [...role.allowedScopeLevels],
      ...(role.description !== undefined ? { description: role.description } : {}),
      tags: { ...role.tags },
    },
    scope: role.harnessManaged ? null : scopeDto(role.scope),
    harnessManaged: role.harnessManaged,
    createdAt: meta?.createdAt ?? null,
    lastModifiedAt: meta?.lastModifiedAt ?? null,
  };
}

function selectorDto(selector: ResourceSelector): Record<string, unknown> {
  return {
    resourceType: selector.resourceType,
    ...(selector.identifiers ? { identifiers: [...selector.identifiers] } : {}),
    ...(selector.attributeFilter
      ? {
          attributeFilter: {
            attributeName: selector.attributeFilter.attributeName,
            attributeValues: [...selector.attributeFilter.attributeValues],
          },
        }
      : {}),
  };
}

/** `ResourceGroupResponse`: `{resourceGroup: ResourceGroupV2, createdAt, lastModifiedAt, harnessManaged}`. */
export interface ResourceGroupResponse {
  readonly resourceGroup: Record<string, unknown>;
  readonly createdAt: number | null;
  readonly lastModifiedAt: number | null;
  readonly harnessManaged: boolean;
}

/**
 * The response of a resource group as seen from `at`. A custom group carries its own scope; a managed
 * group has none, so it is shown at `at` — its scope fields and its included scopes (which stand for
 * the scope of the assignment using it) are `at`'s.
 */
export function resourceGroupResponse(
  group: ResourceGroup,
  meta: ItemMeta | undefined,
  at: Scope,
): ResourceGroupResponse {
  const home = group.harnessManaged ? at : group.scope;
  return {
    resourceGroup: {
      ...scopeDto(home),
      identifier: group.identifier,
      name: group.name,
      ...(group.description !== undefined ? { description: group.description } : {}),
      ...(group.color !== undefined ? { color: group.color } : {}),
      tags: { ...group.tags },
      allowedScopeLevels: [...group.allowedScopeLevels],
      includedScopes: group.includedScopes.map((selector) => ({
        filter: selector.filter,
        ...scopeDto(selector.scope ?? home),
      })),
      resourceFilter: {
        includeAllResources: group.resourceFilter.includeAllResources,
        resources: group.resourceFilter.resources.map(selectorDto),
      },
    },
    createdAt: meta?.createdAt ?? null,
    lastModifiedAt: meta?.lastModifiedAt ?? null,
    harnessManaged: group.harnessManaged,
  };
}

/** `RoleAssignmentResponse`: `{roleAssignment: RoleAssignmentDTO, scope, createdAt, lastModifiedAt, harnessManaged}`. */
export interface RoleAssignmentResponse {
  readonly roleAssignment: {
    identifier: string;
    resourceGroupIdentifier: string;
    roleIdentifier: string;
    principal: { identifier: string; type: string; scopeLevel?: string };
    disabled: boolean;
    managed: boolean;
  };
  readonly scope: Record<string, string>;
  readonly createdAt: number;
  readonly lastModifiedAt: number;
  readonly harnessManaged: boolean;
}

/** The response of a stored role assignment. */
export function roleAssignmentResponse(assignment: RoleAssignment, meta: ItemMeta): RoleAssignmentResponse {
  const { principal } = assignment;
  return {
    roleAssignment: {
      identifier: assignment.identifier,
      resourceGroupIdentifier: assignment.resourceGroupIdentifier,
      roleIdentifier: assignment.roleIdentifier,
      principal: {
        identifier: principal.identifier,
        type: principal.type,
        ...(principal.scopeLevel !== undefined ? { scopeLevel: principal.scopeLevel } : {}),
      },
      disabled: assignment.disabled,
      managed: assignment.managed,
    },
    scope: scopeDto(assignment.scope),
    createdAt: meta.createdAt,
    lastModifiedAt: meta.lastModifiedAt,
    harnessManaged: assignment.managed,
  };
}
