import type { ManagedResourceGroup, ResourceFilter } from './resource-group.js';
import type { ScopeLevel } from './scope.js';

/** Identifier of the group of every resource at the account itself. */
export const ALL_ACCOUNT_LEVEL_RESOURCES = '_all_account_level_resources';

/** Identifier of the group of every resource at the organization itself. */
export const ALL_ORGANIZATION_LEVEL_RESOURCES = '_all_organization_level_resources';

/** Identifier of the group of every resource at the project itself. */
export const ALL_PROJECT_LEVEL_RESOURCES = '_all_project_level_resources';

/** Identifier of the group of every resource at the scope and all its descendant scopes. */
export const ALL_RESOURCES_INCLUDING_CHILD_SCOPES = '_all_resources_including_child_scopes';

/** Deprecated legacy identifier, rejected by the public create APIs (reference §4). */
export const DEPRECATED_ALL_RESOURCES = '_all_resources';

const ALL_RESOURCES: ResourceFilter = { includeAllResources: true, resources: [] };

/** The description of a group selecting every resource at one scope level (reference §4, S7). */
function levelDescription(level: ScopeLevel): string {
  return `All the resources at this ${level} scope are included in this resource group.`;
}

/**
 * The four managed resource groups of reference §4 (S7 v6). Their included scopes carry no scope:
 * the scope of the role assignment using the group stands in for it.
 */
export const MANAGED_RESOURCE_GROUPS: readonly ManagedResourceGroup[] = [
  {
    identifier: ALL_ACCOUNT_LEVEL_RESOURCES,
    name: 'All Account Level Resources',
    description: levelDescription('account'),
    allowedScopeLevels: ['account'],
    includedScopes: [{ filter: 'EXCLUDING_CHILD_SCOPES' }],
    resourceFilter: ALL_RESOURCES,
    harnessManaged: true,
  },
  {
    identifier: ALL_ORGANIZATION_LEVEL_RESOURCES,
    name: 'All Organization Level Resources',
    description: levelDescription('organization'),
    allowedScopeLevels: ['organization'],
    includedScopes: [{ filter: 'EXCLUDING_CHILD_SCOPES' }],
    resourceFilter: ALL_RESOURCES,
    harnessManaged: true,
  },
  {
    identifier: ALL_PROJECT_LEVEL_RESOURCES,
    name: 'All Project Level Resources',
    description: levelDescription('project'),
    allowedScopeLevels: ['project'],
    includedScopes: [{ filter: 'EXCLUDING_CHILD_SCOPES' }],
    resourceFilter: ALL_RESOURCES,
    harnessManaged: true,
  },
  {
    identifier: ALL_RESOURCES_INCLUDING_CHILD_SCOPES,
    name: 'All Resources Including Child Scopes',
    description:
      'All the resources in this scope as well as the child scopes are included in this resource group.',
    allowedScopeLevels: ['account', 'organization'],
    includedScopes: [{ filter: 'INCLUDING_CHILD_SCOPES' }],
    resourceFilter: ALL_RESOURCES,
    harnessManaged: true,
  },
];

const MANAGED_RESOURCE_GROUPS_BY_IDENTIFIER: ReadonlyMap<string, ManagedResourceGroup> = new Map(
  MANAGED_RESOURCE_GROUPS.map((group) => [group.identifier, group]),
);

/** The managed resource group with this identifier, or `undefined` (also for `_all_resources`). */
export function findManagedResourceGroup(identifier: string): ManagedResourceGroup | undefined {
  return MANAGED_RESOURCE_GROUPS_BY_IDENTIFIER.get(identifier);
}
