import { describe, expect, it } from 'vitest';
import {
  ALL_ACCOUNT_LEVEL_RESOURCES,
  ALL_ORGANIZATION_LEVEL_RESOURCES,
  ALL_PROJECT_LEVEL_RESOURCES,
  ALL_RESOURCES_INCLUDING_CHILD_SCOPES,
  DEPRECATED_ALL_RESOURCES,
  findManagedResourceGroup,
  MANAGED_RESOURCE_GROUPS,
} from '../../../functions/core/managed-resource-groups.js';

describe('MANAGED_RESOURCE_GROUPS', () => {
  it('holds exactly the four groups of reference §4', () => {
    expect(MANAGED_RESOURCE_GROUPS.map((group) => group.identifier)).toEqual([
      '_all_account_level_resources',
      '_all_organization_level_resources',
      '_all_project_level_resources',
      '_all_resources_including_child_scopes',
    ]);
  });

  it.each([
    [ALL_ACCOUNT_LEVEL_RESOURCES, ['account'], 'EXCLUDING_CHILD_SCOPES'],
    [ALL_ORGANIZATION_LEVEL_RESOURCES, ['organization'], 'EXCLUDING_CHILD_SCOPES'],
    [ALL_PROJECT_LEVEL_RESOURCES, ['project'], 'EXCLUDING_CHILD_SCOPES'],
    [ALL_RESOURCES_INCLUDING_CHILD_SCOPES, ['account', 'organization'], 'INCLUDING_CHILD_SCOPES'],
  ])('%s is allowed at %j and includes its scope %s', (identifier, levels, filter) => {
    // Act
    const group = findManagedResourceGroup(identifier);

    // Assess
    expect(group?.harnessManaged).toBe(true);
    expect(group?.allowedScopeLevels).toEqual(levels);
    expect(group?.includedScopes).toEqual([{ filter }]);
    expect(group?.resourceFilter).toEqual({ includeAllResources: true, resources: [] });
  });

  it('describes the level-specific and the including-child-scopes groups as reference §4 does', () => {
    expect(findManagedResourceGroup(ALL_ORGANIZATION_LEVEL_RESOURCES)?.description).toBe(
      'All the resources at this organization scope are included in this resource group.',
    );
    expect(findManagedResourceGroup(ALL_RESOURCES_INCLUDING_CHILD_SCOPES)?.description).toBe(
      'All the resources in this scope as well as the child scopes are included in this resource group.',
    );
  });

  it('does not resolve the deprecated _all_resources identifier', () => {
    expect(DEPRECATED_ALL_RESOURCES).toBe('_all_resources');
    expect(findManagedResourceGroup(DEPRECATED_ALL_RESOURCES)).toBeUndefined();
  });
});
