import { describe, expect, it } from 'vitest';
import type { CustomResourceGroup } from '../../../../functions/core/resource-group.js';
import {
  accountScope,
  organizationScope,
  projectScope,
  type Scope,
} from '../../../../functions/core/scope.js';
import {
  allowsSpecificIdentifiers,
  type CustomResourceGroupInput,
  type IncludedScopeInput,
  type ResourceSelectorInput,
  validateCustomResourceGroup,
  validateResourceGroupUpdate,
} from '../../../../functions/core/validation/resource-group-validation.js';

const ACCOUNT = accountScope('acc');
const ORG = organizationScope('acc', 'org');
const PROJECT = projectScope('acc', 'org', 'p');

const INCLUDING = 'INCLUDING_CHILD_SCOPES';
const EXCLUDING = 'EXCLUDING_CHILD_SCOPES';

const included = (filter: string, ids: Omit<IncludedScopeInput, 'filter'>): IncludedScopeInput => ({
  filter,
  ...ids,
});
const accountIds = { accountIdentifier: 'acc' };
const orgIds = { accountIdentifier: 'acc', orgIdentifier: 'org' };
const projectIds = { accountIdentifier: 'acc', orgIdentifier: 'org', projectIdentifier: 'p' };

const input = (overrides: Partial<CustomResourceGroupInput> = {}): CustomResourceGroupInput => ({
  identifier: 'prod_rg',
  name: 'Prod RG',
  ...overrides,
});

const withResources = (
  resources: readonly ResourceSelectorInput[],
  includedScopes?: readonly IncludedScopeInput[],
): Partial<CustomResourceGroupInput> => ({
  resourceFilter: { includeAllResources: false, resources },
  ...(includedScopes ? { includedScopes } : {}),
});

describe('validateCustomResourceGroup', () => {
  it('defaults included scopes to the own scope only, forces allowedScopeLevels and selects nothing', () => {
    // Act
    const result = validateCustomResourceGroup(input({ allowedScopeLevels: ['project'] }), ACCOUNT);

    // Assess
    expect(result).toEqual({
      ok: true,
      value: {
        identifier: 'prod_rg',
        name: 'Prod RG',
        allowedScopeLevels: ['account'],
        includedScopes: [{ filter: EXCLUDING, scope: ACCOUNT }],
        resourceFilter: { includeAllResources: false, resources: [] },
        harnessManaged: false,
        scope: ACCOUNT,
      },
    });
  });

  it.each<[string, Scope, Partial<CustomResourceGroupInput>]>([
    ['empty included scopes', ORG, { includedScopes: [] }],
    ['description, color and tags', ORG, { description: 'd', color: '#0063f7', tags: { a: 'b' } }],
    [
      'account RG including the whole account',
      ACCOUNT,
      { includedScopes: [included(INCLUDING, accountIds)] },
    ],
    ['account RG including one org', ACCOUNT, { includedScopes: [included(INCLUDING, orgIds)] }],
    ['account RG including one project', ACCOUNT, { includedScopes: [included(EXCLUDING, projectIds)] }],
    [
      'account RG with itself and an org',
      ACCOUNT,
      { includedScopes: [included(EXCLUDING, accountIds), included(INCLUDING, orgIds)] },
    ],
    ['org RG including itself and children', ORG, { includedScopes: [included(INCLUDING, orgIds)] }],
    ['org RG including one of its projects', ORG, { includedScopes: [included(EXCLUDING, projectIds)] }],
    ['project RG including itself', PROJECT, { includedScopes: [included(EXCLUDING, projectIds)] }],
    ['project RG with INCLUDING of itself', PROJECT, { includedScopes: [included(INCLUDING, projectIds)] }],
    ['all resources', ORG, { resourceFilter: { includeAllResources: true, resources: [] } }],
    [
      'all resources with null resources',
      ORG,
      { resourceFilter: { includeAllResources: true, resources: null } },
    ],
    [
      'a type-wide selector',
      ACCOUNT,
      withResources([{ resourceType: 'PIPELINE' }], [included(INCLUDING, accountIds)]),
    ],
    ['an empty identifier list', ORG, withResources([{ resourceType: 'SECRET', identifiers: [] }])],
    [
      'identifiers at the own scope with EXCLUDING',
      ACCOUNT,
      withResources(
        [{ resourceType: 'SECRET', identifiers: ['db_password'] }],
        [included(EXCLUDING, accountIds)],
      ),
    ],
    [
      'identifiers with the default included scope',
      ORG,
      withResources([{ resourceType: 'CONNECTOR', identifiers: ['github'] }]),
    ],
    [
      'identifiers in a project RG including itself with INCLUDING',
      PROJECT,
      withResources(
        [{ resourceType: 'PIPELINE', identifiers: ['build'] }],
        [included(INCLUDING, projectIds)],
      ),
    ],
    [
      'an ENVIRONMENT type filter',
      ORG,
      withResources(
        [
          {
            resourceType: 'ENVIRONMENT',
            attributeFilter: { attributeName: 'type', attributeValues: ['Production', 'PreProduction'] },
          },
        ],
        [included(INCLUDING, orgIds)],
      ),
    ],
    [
      'a CONNECTOR category filter',
      ACCOUNT,
      withResources([
        {
          resourceType: 'CONNECTOR',
          attributeFilter: { attributeName: 'category', attributeValues: ['CLOUD_PROVIDER', 'TICKETING'] },
        },
      ]),
    ],
    [
      'a FEATUREFLAG tag filter',
      PROJECT,
      withResources([
        { resourceType: 'FEATUREFLAG', attributeFilter: { attributeName: 'tag', attributeValues: ['beta'] } },
      ]),
    ],
  ])('accepts %s', (_label, scope, overrides) => {
    // Act
    const result = validateCustomResourceGroup(input(overrides), scope);

    // Assess
    expect(result.ok ? [] : result.errors).toEqual([]);
    if (result.ok) expect(result.value.allowedScopeLevels).toEqual([scope.level]);
  });

  it('reads included scopes into scopes and keeps their filters', () => {
    // Act
    const result = validateCustomResourceGroup(
      input({ includedScopes: [included(EXCLUDING, accountIds), included(INCLUDING, orgIds)] }),
      ACCOUNT,
    );

    // Assess
    expect(result.ok && result.value.includedScopes).toEqual([
      { filter: EXCLUDING, scope: ACCOUNT },
      { filter: INCLUDING, scope: ORG },
    ]);
  });

  it('normalises selectors: drops empty identifier lists and duplicate identifiers and values', () => {
    // Act
    const result = validateCustomResourceGroup(
      input(
        withResources([
          { resourceType: 'SECRET', identifiers: ['a', 'b', 'a'] },
          { resourceType: 'PIPELINE', identifiers: [], attributeFilter: null },
          {
            resourceType: 'ENVIRONMENT',
            attributeFilter: { attributeName: 'type', attributeValues: ['Production', 'Production'] },
          },
        ]),
      ),
      PROJECT,
    );

    // Assess
    expect(result.ok && result.value.resourceFilter.resources).toEqual([
      { resourceType: 'SECRET', identifiers: ['a', 'b'] },
      { resourceType: 'PIPELINE' },
      {
        resourceType: 'ENVIRONMENT',
        attributeFilter: { attributeName: 'type', attributeValues: ['Production'] },
      },
    ]);
  });

  const resources = 'resourceGroup.resourceFilter.resources';

  it.each<[string, Scope, Partial<CustomResourceGroupInput>, string, string]>([
    [
      'a managed identifier',
      ACCOUNT,
      { identifier: '_all_account_level_resources' },
      'resourceGroup.identifier',
      'cannot start with _',
    ],
    [
      'the deprecated _all_resources',
      ACCOUNT,
      { identifier: '_all_resources' },
      'resourceGroup.identifier',
      'managed',
    ],
    [
      'a malformed identifier',
      ACCOUNT,
      { identifier: 'prod-rg' },
      'resourceGroup.identifier',
      'alphanumeric',
    ],
    ['a blank name', ORG, { name: '' }, 'resourceGroup.name', 'cannot be empty'],
    ['a long description', ORG, { description: 'x'.repeat(1025) }, 'resourceGroup.description', '1024'],
    [
      'too many tags',
      ORG,
      { tags: Object.fromEntries(Array.from({ length: 129 }, (_, i) => [`k${i}`, 'v'])) },
      'resourceGroup.tags',
      'more than 128',
    ],
    ['a long color', ORG, { color: '#'.repeat(129) }, 'resourceGroup.color', 'longer than 128'],
    [
      'another account',
      ACCOUNT,
      { includedScopes: [included(INCLUDING, { accountIdentifier: 'other' })] },
      'resourceGroup.includedScopes[0]',
      'Scope of included scopes does not match with the scope of resource group',
    ],
    [
      'an org RG including the account',
      ORG,
      { includedScopes: [included(EXCLUDING, accountIds)] },
      'resourceGroup.includedScopes[0]',
      'does not match',
    ],
    [
      'an org RG including another org',
      ORG,
      { includedScopes: [included(INCLUDING, { accountIdentifier: 'acc', orgIdentifier: 'org2' })] },
      'resourceGroup.includedScopes[0]',
      'does not match',
    ],
    [
      "an org RG including another org's project",
      ORG,
      {
        includedScopes: [
          included(EXCLUDING, orgIds),
          included(EXCLUDING, { accountIdentifier: 'acc', orgIdentifier: 'org2', projectIdentifier: 'p' }),
        ],
      },
      'resourceGroup.includedScopes[1]',
      'does not match',
    ],
    [
      'a project RG including its org',
      PROJECT,
      { includedScopes: [included(INCLUDING, orgIds)] },
      'resourceGroup.includedScopes[0]',
      'does not match',
    ],
    [
      'a project RG including a sibling project',
      PROJECT,
      { includedScopes: [included(EXCLUDING, { ...orgIds, projectIdentifier: 'p2' })] },
      'resourceGroup.includedScopes[0]',
      'does not match',
    ],
    [
      'an included scope without account',
      ORG,
      { includedScopes: [included(EXCLUDING, { orgIdentifier: 'org' })] },
      'resourceGroup.includedScopes[0]',
      'does not match',
    ],
    [
      'an unknown filter',
      ORG,
      { includedScopes: [included('ALL', orgIds)] },
      'resourceGroup.includedScopes[0].filter',
      'INCLUDING_CHILD_SCOPES or EXCLUDING_CHILD_SCOPES',
    ],
    [
      'all resources plus specific resources',
      ORG,
      { resourceFilter: { includeAllResources: true, resources: [{ resourceType: 'PIPELINE' }] } },
      resources,
      'Cannot provide specific resources when you include all resources',
    ],
    [
      'identifiers with INCLUDING at the own scope',
      ACCOUNT,
      withResources([{ resourceType: 'SECRET', identifiers: ['s'] }], [included(INCLUDING, accountIds)]),
      `${resources}[0].identifiers`,
      'Cannot provide specific identifiers in resource filter for a dynamic scope',
    ],
    [
      'identifiers in an org RG including one project',
      ORG,
      withResources([{ resourceType: 'SECRET', identifiers: ['s'] }], [included(EXCLUDING, projectIds)]),
      `${resources}[0].identifiers`,
      'dynamic scope',
    ],
    [
      'identifiers when only the last included scope is static (Harness would accept)',
      ACCOUNT,
      withResources(
        [{ resourceType: 'PIPELINE' }, { resourceType: 'SECRET', identifiers: ['s'] }],
        [included(INCLUDING, orgIds), included(EXCLUDING, accountIds)],
      ),
      `${resources}[1].identifiers`,
      'dynamic scope',
    ],
    [
      'an attribute filter with identifiers',
      PROJECT,
      withResources([
        {
          resourceType: 'ENVIRONMENT',
          identifiers: ['prod'],
          attributeFilter: { attributeName: 'type', attributeValues: ['Production'] },
        },
      ]),
      `${resources}[0].attributeFilter`,
      'Cannot provide specific resources when you include attribute filter',
    ],
    [
      'a wrong attribute name for ENVIRONMENT',
      PROJECT,
      withResources([
        {
          resourceType: 'ENVIRONMENT',
          attributeFilter: { attributeName: 'category', attributeValues: ['x'] },
        },
      ]),
      `${resources}[0].attributeFilter.attributeName`,
      'Invalid attribute filter',
    ],
    [
      'an attribute filter on a type without one',
      PROJECT,
      withResources([
        { resourceType: 'SECRET' },
        {
          resourceType: 'PIPELINE',
          attributeFilter: { attributeName: 'type', attributeValues: ['Production'] },
        },
      ]),
      `${resources}[1].attributeFilter.attributeName`,
      'Invalid attribute filter: PIPELINE cannot be filtered by attribute',
    ],
    [
      'empty attribute values',
      ORG,
      withResources([
        { resourceType: 'CONNECTOR', attributeFilter: { attributeName: 'category', attributeValues: [] } },
      ]),
      `${resources}[0].attributeFilter.attributeValues`,
      'Invalid attribute filter',
    ],
    [
      'an unknown environment type',
      PROJECT,
      withResources([
        {
          resourceType: 'ENVIRONMENT',
          attributeFilter: { attributeName: 'type', attributeValues: ['Prod'] },
        },
      ]),
      `${resources}[0].attributeFilter.attributeValues[0]`,
      "Invalid attribute filter: 'Prod' is not a valid type",
    ],
    [
      'an unknown connector category',
      ACCOUNT,
      withResources([
        {
          resourceType: 'CONNECTOR',
          attributeFilter: { attributeName: 'category', attributeValues: ['CLOUD_PROVIDER', 'SPACESHIP'] },
        },
      ]),
      `${resources}[0].attributeFilter.attributeValues[1]`,
      "'SPACESHIP' is not a valid category",
    ],
    [
      'a blank feature flag tag',
      PROJECT,
      withResources([
        { resourceType: 'FEATUREFLAG', attributeFilter: { attributeName: 'tag', attributeValues: [' '] } },
      ]),
      `${resources}[0].attributeFilter.attributeValues[0]`,
      'Invalid attribute filter',
    ],
    [
      'an unknown resource type',
      ORG,
      withResources([{ resourceType: 'PIPELINE' }, { resourceType: 'SPACESHIP' }]),
      `${resources}[1].resourceType`,
      "Unknown resource type 'SPACESHIP'",
    ],
    [
      'a lower-case resource type',
      ORG,
      withResources([{ resourceType: 'pipeline' }]),
      `${resources}[0].resourceType`,
      'Unknown resource type',
    ],
    [
      'the ACCOUNT resource type',
      ACCOUNT,
      withResources([{ resourceType: 'ACCOUNT' }]),
      `${resources}[0].resourceType`,
      'ACCOUNT cannot be selected',
    ],
    [
      'a blank identifier',
      PROJECT,
      withResources([{ resourceType: 'SECRET', identifiers: ['ok', ''] }]),
      `${resources}[0].identifiers[1]`,
      'cannot be empty',
    ],
  ])('rejects %s', (_label, scope, overrides, fieldId, text) => {
    // Act
    const result = validateCustomResourceGroup(input(overrides), scope);

    // Assess
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((error) => error.fieldId)).toEqual([fieldId]);
    expect(result.errors[0]?.error).toContain(text);
  });
});

describe('allowsSpecificIdentifiers', () => {
  it.each<
    [string, Scope, { filter: 'INCLUDING_CHILD_SCOPES' | 'EXCLUDING_CHILD_SCOPES'; scope: Scope }[], boolean]
  >([
    ['own scope excluding children → allowed', ORG, [{ filter: EXCLUDING, scope: ORG }], true],
    ['own scope including children → not allowed', ORG, [{ filter: INCLUDING, scope: ORG }], false],
    ['a project including itself → allowed', PROJECT, [{ filter: INCLUDING, scope: PROJECT }], true],
    ['a child scope → not allowed', ORG, [{ filter: EXCLUDING, scope: PROJECT }], false],
    [
      'static last, dynamic first → not allowed',
      ACCOUNT,
      [
        { filter: INCLUDING, scope: ORG },
        { filter: EXCLUDING, scope: ACCOUNT },
      ],
      false,
    ],
  ])('%s', (_label, scope, selectors, expected) => {
    expect(allowsSpecificIdentifiers(selectors, scope)).toBe(expected);
  });
});

describe('validateResourceGroupUpdate', () => {
  const existing: CustomResourceGroup = {
    identifier: 'prod_rg',
    name: 'Prod RG',
    allowedScopeLevels: ['organization'],
    includedScopes: [{ filter: EXCLUDING, scope: ORG }],
    resourceFilter: { includeAllResources: true, resources: [] },
    harnessManaged: false,
    scope: ORG,
  };

  it('accepts a replacement at the stored scope', () => {
    // Act
    const result = validateResourceGroupUpdate(existing, input({ name: 'Renamed' }), 'prod_rg');

    // Assess
    expect(result.ok && result.value).toMatchObject({
      name: 'Renamed',
      scope: ORG,
      allowedScopeLevels: ['organization'],
    });
  });

  it.each<[string, Partial<CustomResourceGroupInput>, string, string, string]>([
    [
      'a body identifier differing from the path',
      { identifier: 'x' },
      'prod_rg',
      'resourceGroup.identifier',
      'do not match',
    ],
    ['a path differing from the stored group', {}, 'other', 'resourceGroup.identifier', 'do not match'],
    [
      'an included scope outside the stored scope',
      { includedScopes: [included(EXCLUDING, accountIds)] },
      'prod_rg',
      'resourceGroup.includedScopes[0]',
      'does not match',
    ],
  ])('rejects %s', (_label, overrides, pathIdentifier, fieldId, text) => {
    // Act
    const result = validateResourceGroupUpdate(existing, input(overrides), pathIdentifier);

    // Assess
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((error) => error.fieldId)).toEqual([fieldId]);
    expect(result.errors[0]?.error).toContain(text);
  });
});
