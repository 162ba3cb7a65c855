import { findManagedResourceGroup } from './managed-resource-groups.js';
import { findManagedRole } from './managed-roles.js';
import type { CustomResourceGroup, ResourceGroup } from './resource-group.js';
import type { CustomRole, Role } from './role.js';
import type { Scope, ScopeLevel } from './scope.js';

/** Finds the custom role or resource group with an identifier defined exactly at a scope. */
export type CustomLookup<T> = (scope: Scope, identifier: string) => T | undefined;

function managedAtLevel<T extends { readonly allowedScopeLevels: readonly ScopeLevel[] }>(
  managed: T | undefined,
  level: ScopeLevel,
): T | undefined {
  return managed?.allowedScopeLevels.includes(level) ? managed : undefined;
}

/**
 * The role an assignment at `scope` refers to (reference §8.4 step 6): the custom role defined exactly
 * at that scope, else a managed role allowed at its level; `undefined` when neither exists.
 */
export function resolveRoleAt(
  scope: Scope,
  identifier: string,
  customAt: CustomLookup<CustomRole>,
): Role | undefined {
  return customAt(scope, identifier) ?? managedAtLevel(findManagedRole(identifier), scope.level);
}

/** The resource group an assignment at `scope` refers to, resolved like {@link resolveRoleAt} (step 5). */
export function resolveResourceGroupAt(
  scope: Scope,
  identifier: string,
  customAt: CustomLookup<CustomResourceGroup>,
): ResourceGroup | undefined {
  return customAt(scope, identifier) ?? managedAtLevel(findManagedResourceGroup(identifier), scope.level);
}
