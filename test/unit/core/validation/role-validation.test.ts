import { describe, expect, it } from 'vitest';
import type { CustomRole } from '../../../../functions/core/role.js';
import {
  accountScope,
  organizationScope,
  projectScope,
  type Scope,
} from '../../../../functions/core/scope.js';
import {
  type CustomRoleInput,
  INVALID_PERMISSIONS_ERROR,
  validateCustomRole,
  validateRoleUpdate,
} from '../../../../functions/core/validation/role-validation.js';

const ACCOUNT = accountScope('acc');
const ORG = organizationScope('acc', 'org');
const PROJECT = projectScope('acc', 'org', 'p');

const BASE: CustomRoleInput = {
  identifier: 'deployer',
  name: 'Deployer',
  permissions: ['core_pipeline_view', 'core_pipeline_execute'],
};

const input = (overrides: Partial<CustomRoleInput> = {}): CustomRoleInput => ({ ...BASE, ...overrides });

describe('validateCustomRole', () => {
  it('defaults allowedScopeLevels to the scope level and marks the role custom at that scope', () => {
    // Act
    const result = validateCustomRole(input(), PROJECT);

    // Assess
    expect(result).toEqual({
      ok: true,
      value: {
        identifier: 'deployer',
        name: 'Deployer',
        permissions: ['core_pipeline_view', 'core_pipeline_execute'],
        allowedScopeLevels: ['project'],
        harnessManaged: false,
        scope: PROJECT,
      },
    });
  });

  it.each<[string, Scope, Partial<CustomRoleInput>]>([
    ['empty allowedScopeLevels', PROJECT, { allowedScopeLevels: [] }],
    ['null allowedScopeLevels', PROJECT, { allowedScopeLevels: null }],
    ['exactly the project level', PROJECT, { allowedScopeLevels: ['project'] }],
    ['exactly the organization level', ORG, { allowedScopeLevels: ['organization'] }],
    ['the level repeated', ACCOUNT, { allowedScopeLevels: ['account', 'account'] }],
    ['an EXPERIMENTAL permission', PROJECT, { permissions: ['sto_ticket_view'] }],
    ['an account-only permission at account', ACCOUNT, { permissions: ['core_account_view'] }],
    ['an AO permission at organization', ORG, { permissions: ['core_organization_view'] }],
    ['no permissions', PROJECT, { permissions: [] }],
    ['description and tags', PROJECT, { description: 'Runs pipelines', tags: { team: 'core' } }],
    ['null description and tags', PROJECT, { description: null, tags: null }],
  ])('accepts %s', (_label, scope, overrides) => {
    // Act
    const result = validateCustomRole(input(overrides), scope);

    // Assess
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.allowedScopeLevels).toEqual([scope.level]);
  });

  it('removes duplicate permissions keeping the first occurrence', () => {
    // Act
    const result = validateCustomRole(
      input({
        permissions: ['core_pipeline_view', 'core_secret_view', 'core_pipeline_view', 'core_secret_view'],
      }),
      PROJECT,
    );

    // Assess
    expect(result.ok && result.value.permissions).toEqual(['core_pipeline_view', 'core_secret_view']);
  });

  it('keeps description and tags', () => {
    // Act
    const result = validateCustomRole(input({ description: 'd', tags: { a: 'b' } }), ORG);

    // Assess
    expect(result.ok && result.value.description).toBe('d');
    expect(result.ok && result.value.tags).toEqual({ a: 'b' });
  });

  it.each<[string, Scope, Partial<CustomRoleInput>, string, string]>([
    [
      'a leading underscore',
      PROJECT,
      { identifier: '_deployer' },
      'identifier',
      'custom roles cannot start with _',
    ],
    ['a malformed identifier', PROJECT, { identifier: '1deployer' }, 'identifier', 'not start with a number'],
    ['a reserved identifier', PROJECT, { identifier: 'class' }, 'identifier', 'reserved word'],
    ['a blank name', PROJECT, { name: ' ' }, 'name', 'cannot be empty'],
    ['a name with @', PROJECT, { name: 'a@b' }, 'name', 'can only contain alphanumeric'],
    ['a long description', PROJECT, { description: 'x'.repeat(1025) }, 'description', 'longer than 1024'],
    [
      'a tag without string value',
      PROJECT,
      { tags: { a: 1 as unknown as string } },
      'tags.a',
      'string value',
    ],
    [
      'another level',
      PROJECT,
      { allowedScopeLevels: ['account'] },
      'allowedScopeLevels',
      "This custom role can be only used at 'project' level. Please set the allowedScopeLevels to contain only the project level.",
    ],
    [
      'an extra level',
      ORG,
      { allowedScopeLevels: ['organization', 'project'] },
      'allowedScopeLevels',
      "only used at 'organization' level",
    ],
    [
      'an unknown level',
      ACCOUNT,
      { allowedScopeLevels: ['ACCOUNT'] },
      'allowedScopeLevels',
      "'account' level",
    ],
    [
      'a permission above the level',
      PROJECT,
      { permissions: ['core_pipeline_view', 'core_organization_view'] },
      'permissions[1]',
      "'core_organization_view' cannot be given at project level",
    ],
    [
      'an account-only permission at organization',
      ORG,
      { permissions: ['core_account_view'] },
      'permissions[0]',
      "'core_account_view' cannot be given at organization level",
    ],
    [
      'a STAGING permission',
      PROJECT,
      { permissions: ['core_notification_view'] },
      'permissions[0]',
      "'core_notification_view' has status STAGING",
    ],
    [
      'an unknown permission',
      ACCOUNT,
      { permissions: ['core_pipeline_view', 'core_spaceship_fly'] },
      'permissions[1]',
      "'core_spaceship_fly' does not exist",
    ],
  ])('rejects %s', (_label, scope, overrides, fieldId, text) => {
    // Act
    const result = validateCustomRole(input(overrides), scope);

    // Assess
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((error) => error.fieldId)).toEqual([fieldId]);
    expect(result.errors[0]?.error).toContain(text);
  });

  it('names every offending permission once, at its first index, with the reference text', () => {
    // Act
    const result = validateCustomRole(
      input({
        permissions: [
          'core_account_view',
          'core_pipeline_view',
          'core_account_view',
          'core_organization_view',
        ],
      }),
      PROJECT,
    );

    // Assess
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((error) => error.fieldId)).toEqual(['permissions[0]', 'permissions[3]']);
    expect(result.errors[0]?.error).toContain(INVALID_PERMISSIONS_ERROR);
    expect(result.errors[0]?.error).toContain('core_account_view');
    expect(result.errors[1]?.error).toContain('core_organization_view');
  });

  it('reports independent problems together', () => {
    // Act
    const result = validateCustomRole(
      input({ identifier: '_x', name: '', permissions: ['nope_nope_nope'] }),
      ORG,
    );

    // Assess
    expect(result.ok || result.errors.map((error) => error.fieldId)).toEqual([
      'identifier',
      'name',
      'permissions[0]',
    ]);
  });
});

describe('validateRoleUpdate', () => {
  const existing: CustomRole = {
    identifier: 'deployer',
    name: 'Deployer',
    permissions: ['core_pipeline_view'],
    allowedScopeLevels: ['project'],
    harnessManaged: false,
    scope: PROJECT,
  };

  it.each<[string, Partial<CustomRoleInput>]>([
    ['a new name and permissions', { name: 'Deployer 2', permissions: ['core_service_view'] }],
    ['the same levels', { allowedScopeLevels: ['project'] }],
    ['omitted levels', { allowedScopeLevels: undefined }],
  ])('accepts %s and keeps the stored scope', (_label, overrides) => {
    // Act
    const result = validateRoleUpdate(existing, input(overrides), 'deployer');

    // Assess
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.scope).toEqual(PROJECT);
    expect(result.value.allowedScopeLevels).toEqual(['project']);
    expect(result.value.name).toBe(overrides.name ?? 'Deployer');
  });

  it.each<[string, Partial<CustomRoleInput>, string, string, string]>([
    [
      'a body identifier differing from the path',
      { identifier: 'other' },
      'deployer',
      'identifier',
      'Role identifier in the request body and the url do not match',
    ],
    [
      'a path identifier differing from the stored role',
      { identifier: 'other' },
      'other',
      'identifier',
      'do not match',
    ],
    [
      'changed levels',
      { allowedScopeLevels: ['account'] },
      'deployer',
      'allowedScopeLevels',
      'Cannot change the scopes at which this role can be used.',
    ],
    [
      'a permission not allowed at the role level',
      { permissions: ['core_organization_view'] },
      'deployer',
      'permissions[0]',
      'core_organization_view',
    ],
  ])('rejects %s', (_label, overrides, pathIdentifier, fieldId, text) => {
    // Act
    const result = validateRoleUpdate(existing, input(overrides), pathIdentifier);

    // Assess
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((error) => error.fieldId)).toEqual([fieldId]);
    expect(result.errors[0]?.error).toContain(text);
  });
});
