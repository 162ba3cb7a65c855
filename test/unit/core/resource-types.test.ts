import { describe, expect, it } from 'vitest';
import {
  isKnownResourceType,
  isScopeResourceType,
  RESOURCE_TYPES,
  resourceTypeForPermissionKey,
  SCOPE_RESOURCE_TYPES,
  scopeLevelOfResourceType,
} from '../../../functions/core/resource-types.js';

describe('RESOURCE_TYPES', () => {
  it('holds every row of reference §2.2 exactly once', () => {
    // Assess
    expect(RESOURCE_TYPES).toHaveLength(84);
    expect(new Set(RESOURCE_TYPES.map((type) => type.identifier)).size).toBe(84);
    expect(new Set(RESOURCE_TYPES.map((type) => type.permissionKey)).size).toBe(84);
  });

  it.each([
    ['pipeline', 'PIPELINE'],
    ['environmentgroup', 'ENVIRONMENT_GROUP'],
    ['agent', 'GITOPS_AGENT'],
    ['agents', 'CET_AGENT'],
    ['repository', 'GITOPS_REPOSITORY'],
    ['repo', 'CODE_REPOSITORY'],
    ['governancePolicySets', 'GOVERNANCEPOLICYSETS'],
    ['cloudAssetGovernanceEnforcement', 'CCM_CLOUD_ASSET_GOVERNANCE_RULE_ENFORCEMENT'],
    ['remediationtracker', 'SSCA_REMEDIATION_TRACKER'],
  ])('maps permission key %s to %s', (key, type) => {
    expect(resourceTypeForPermissionKey(key)).toBe(type);
  });

  it.each(['nope', 'Pipeline', 'acl', ''])('has no resource type for permission key %j', (key) => {
    expect(resourceTypeForPermissionKey(key)).toBeUndefined();
  });

  it.each([
    ['SECRET', true],
    ['NOTIFICATION', true],
    ['IAC_WORKSPACE', true],
    ['secret', false],
    ['*', false],
    ['GITOPS_APPLICATION', false],
  ])('isKnownResourceType(%s) is %s', (type, known) => {
    expect(isKnownResourceType(type)).toBe(known);
  });
});

describe('scope resource types', () => {
  it('lists the three scope entity types from the root down', () => {
    expect(SCOPE_RESOURCE_TYPES).toEqual(['ACCOUNT', 'ORGANIZATION', 'PROJECT']);
  });

  it.each([
    ['ACCOUNT', 'account'],
    ['ORGANIZATION', 'organization'],
    ['PROJECT', 'project'],
    ['PIPELINE', undefined],
    ['account', undefined],
  ] as const)('%s is at scope level %s', (type, level) => {
    // Act
    const actual = scopeLevelOfResourceType(type);

    // Assess
    expect(actual).toBe(level);
    expect(isScopeResourceType(type)).toBe(level !== undefined);
  });
});
