import {
  ASSIGNABLE_STATUSES,
  PERMISSIONS,
  type PermissionDefinition,
} from '../../functions/core/permission-catalogue';
import { RESOURCE_TYPES } from '../../functions/core/resource-types';

/**
 * The permission catalogue, bundled from `functions/core` at build time (the API has no catalogue
 * endpoint yet; switch here when `GET /authz/api/permissions` exists).
 */

/** Permissions of one resource type. */
export interface PermissionGroup {
  readonly resourceType: string;
  readonly permissions: readonly PermissionDefinition[];
}

/** Every assignable permission allowed at `level`, grouped by resource type in catalogue order. */
export function permissionGroups(level: 'account' | 'organization' | 'project'): PermissionGroup[] {
  const groups = new Map<string, PermissionDefinition[]>();
  for (const permission of PERMISSIONS) {
    if (!ASSIGNABLE_STATUSES.includes(permission.status)) continue;
    if (!permission.allowedScopeLevels.includes(level)) continue;
    const group = groups.get(permission.resourceType) ?? [];
    group.push(permission);
    groups.set(permission.resourceType, group);
  }
  return [...groups.entries()].map(([resourceType, permissions]) => ({ resourceType, permissions }));
}

/** Every permission identifier, for suggestions. */
export const PERMISSION_IDENTIFIERS: readonly string[] = PERMISSIONS.map(
  (permission) => permission.identifier,
);

/** Every resource type identifier. */
export const RESOURCE_TYPE_IDENTIFIERS: readonly string[] = RESOURCE_TYPES.map((type) => type.identifier);

/** The resource type a permission is about, from the catalogue. */
export function resourceTypeOfPermission(identifier: string): string | undefined {
  return PERMISSIONS.find((permission) => permission.identifier === identifier)?.resourceType;
}
