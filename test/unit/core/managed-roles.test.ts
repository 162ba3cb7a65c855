import { describe, expect, it } from 'vitest';
import { findManagedRole, MANAGED_ROLES } from '../../../functions/core/managed-roles.js';
import { ASSIGNABLE_STATUSES, findPermission } from '../../../functions/core/permission-catalogue.js';

/** Permission counts from the #perms column of reference §3.2, plus our additions (DESIGN §3.3). */
const EXPECTED_COUNTS: Readonly<Record<string, number>> = {
  _project_admin: 169,
  _project_viewer: 53,
  _organization_admin: 175,
  _organization_viewer: 55,
  _account_admin: 245 + 1,
  _account_viewer: 74,
  _pipeline_executor: 26,
  _feature_flag_manage_role: 8,
  _feature_flag_admin_role: 11,
  _gitops_admin_role: 19,
  _chaos_admin: 21,
  _sto_developer_role: 8,
  _sto_secops_role: 10,
  _account_basic: 2,
  _organization_basic: 1,
  _project_basic: 1,
  _billing_admin: 2,
  _ccm_admin: 35,
  _ccm_viewer: 14,
  _dashboard_viewer: 1,
  _dashboard_admin: 2,
  _code_admin: 5,
  _cet_admin: 7,
  _pipeline_allUsers_access_role: 1,
  _pipeline_allAuthenticatedUsers_access_role: 1,
  _sei_admin: 26,
  _sei_viewer: 2,
  _sei_collections_admin: 3,
  _idp_admin: 21,
  _idp_platform_engineer: 10,
  _access_checker: 1,
};

describe('MANAGED_ROLES', () => {
  it('holds the roles of reference §3.2 plus _access_checker, without the support role', () => {
    // Assess
    expect(MANAGED_ROLES.map((role) => role.identifier)).toEqual(Object.keys(EXPECTED_COUNTS));
    expect(findManagedRole('_super_account_viewer')).toBeUndefined();
  });

  it.each(Object.entries(EXPECTED_COUNTS))('%s has %i distinct permissions', (identifier, count) => {
    // Act
    const role = findManagedRole(identifier);

    // Assess
    expect(role?.permissions).toHaveLength(count);
    expect(new Set(role?.permissions).size).toBe(count);
  });

  it.each(MANAGED_ROLES.map((role) => [role.identifier, role] as const))(
    '%s only holds assignable catalogue permissions usable at all its levels',
    (_identifier, role) => {
      for (const identifier of role.permissions) {
        // Act
        const permission = findPermission(identifier);

        // Assess
        expect(permission, identifier).toBeDefined();
        expect(ASSIGNABLE_STATUSES, identifier).toContain(permission?.status);
        for (const level of role.allowedScopeLevels) {
          expect(permission?.allowedScopeLevels, `${identifier} at ${level}`).toContain(level);
        }
      }
    },
  );

  it('marks every managed role harnessManaged with an identifier starting with _', () => {
    for (const role of MANAGED_ROLES) {
      expect(role.harnessManaged).toBe(true);
      expect(role.identifier.startsWith('_')).toBe(true);
    }
  });

  it('hides exactly the basic roles and the pipeline public-access roles', () => {
    expect(MANAGED_ROLES.filter((role) => role.internal).map((role) => role.identifier)).toEqual([
      '_account_basic',
      '_organization_basic',
      '_project_basic',
      '_pipeline_allUsers_access_role',
      '_pipeline_allAuthenticatedUsers_access_role',
    ]);
  });

  it.each([
    ['_project_admin', 'Project Admin', 'Administrate an existing project.', ['project']],
    ['_organization_admin', 'Organization Admin', 'Administer an existing organizationn', ['organization']],
    ['_account_admin', 'Account Admin', 'Administer an account', ['account']],
    [
      '_feature_flag_admin_role',
      'Feature Flag Admin Role',
      'Can create, edit, toggle and view feature flags',
      ['account', 'organization', 'project'],
    ],
    ['_sei_admin', 'SEI Admin', 'Can create, edit, and view SEI resources', ['account']],
    ['_pipeline_allUsers_access_role', 'Pipeline Public Access Role', undefined, ['project']],
    ['_access_checker', 'Access Checker', 'Check access on behalf of other principals', ['account']],
  ])('%s is named %j, described %j, allowed at %j', (identifier, name, description, levels) => {
    // Act
    const role = findManagedRole(identifier);

    // Assess
    expect(role?.name).toBe(name);
    expect(role?.description).toBe(description);
    expect(role?.allowedScopeLevels).toEqual(levels);
  });

  it('keeps the reference order and appends core_acl_check to _account_admin', () => {
    // Act
    const accountAdmin = findManagedRole('_account_admin')?.permissions ?? [];
    const projectAdmin = findManagedRole('_project_admin')?.permissions ?? [];

    // Assess
    expect(accountAdmin.slice(0, 3)).toEqual([
      'core_user_invite',
      'core_organization_create',
      'core_organization_delete',
    ]);
    expect(accountAdmin.slice(-2)).toEqual(['iac_workspace_view', 'core_acl_check']);
    expect(projectAdmin.slice(0, 2)).toEqual(['core_user_invite', 'core_project_view']);
    expect(projectAdmin.at(-1)).toBe('core_inputset_view');
    expect(findManagedRole('_account_basic')?.permissions).toEqual([
      'core_license_view',
      'core_account_view',
    ]);
    expect(findManagedRole('_access_checker')?.permissions).toEqual(['core_acl_check']);
  });

  it('keeps sei and ssca permissions out of the platform admin roles (reference §3.2)', () => {
    for (const identifier of ['_account_admin', '_organization_admin', '_project_admin']) {
      const permissions = findManagedRole(identifier)?.permissions ?? [];
      expect(permissions.filter((permission) => /^(sei|ssca)_/.test(permission))).toEqual([]);
    }
  });
});
