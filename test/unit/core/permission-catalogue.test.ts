import { describe, expect, it } from 'vitest';
import {
  ASSIGNABLE_STATUSES,
  EXTRA_APPLICABLE_PERMISSIONS,
  findPermission,
  isPermissionApplicable,
  PERMISSIONS,
} from '../../../functions/core/permission-catalogue.js';
import { isKnownResourceType } from '../../../functions/core/resource-types.js';

const AOP = ['account', 'organization', 'project'];

describe('PERMISSIONS', () => {
  it('holds the 100 core permissions of §2.3, the 164 module permissions of §2.4 and core_acl_check', () => {
    expect(PERMISSIONS).toHaveLength(265);
    expect(PERMISSIONS.filter((permission) => permission.identifier.startsWith('core_'))).toHaveLength(101);
  });

  it('has no duplicate identifiers', () => {
    const identifiers = PERMISSIONS.map((permission) => permission.identifier);
    expect(new Set(identifiers).size).toBe(identifiers.length);
  });

  it.each(PERMISSIONS.map((permission) => [permission.identifier, permission] as const))(
    '%s is well formed',
    (identifier, permission) => {
      // Assess
      expect(identifier).toMatch(/^[A-Za-z.]+_[A-Za-z.]+_[A-Za-z.]+$/);
      expect(isKnownResourceType(permission.resourceType)).toBe(true);
      expect(identifier.endsWith(`_${permission.action}`)).toBe(true);
      expect(permission.name.trim()).not.toBe('');
      expect(permission.allowedScopeLevels.length).toBeGreaterThan(0);
      expect(findPermission(identifier)).toBe(permission);
    },
  );

  it('marks only the notification permissions and editStaleState STAGING, only sto tickets EXPERIMENTAL', () => {
    // Act
    const withStatus = (status: string) =>
      PERMISSIONS.filter((permission) => permission.status === status).map(
        (permission) => permission.identifier,
      );

    // Assess
    expect(withStatus('STAGING')).toEqual([
      'core_notification_view',
      'core_notification_edit',
      'core_notification_delete',
      'ff_featureflag_editStaleState',
    ]);
    expect(withStatus('EXPERIMENTAL')).toEqual(['sto_ticket_view', 'sto_ticket_edit', 'sto_ticket_delete']);
    expect(withStatus('DEPRECATED')).toEqual([]);
    expect(withStatus('INACTIVE')).toEqual([]);
  });

  it.each([
    ['core_project_create', 'Create a Project', 'PROJECT', 'create', ['account', 'organization'], 'ACTIVE'],
    ['core_project_view', 'View Project', 'PROJECT', 'view', AOP, 'ACTIVE'],
    ['core_organization_create', 'Create an Organization', 'ORGANIZATION', 'create', ['account'], 'ACTIVE'],
    ['core_authsetting_delete', 'Edit Auth setting', 'AUTHSETTING', 'delete', ['account'], 'ACTIVE'],
    ['core_dashboards_view', 'View Dashboards', 'DASHBOARDS', 'view', ['account', 'organization'], 'ACTIVE'],
    ['core_inputset_view', 'View InputSet', 'INPUT_SET', 'view', AOP, 'ACTIVE'],
    [
      'core_notification_view',
      'View notification rules and channels',
      'NOTIFICATION',
      'view',
      AOP,
      'STAGING',
    ],
    [
      'core_acl_check',
      'Check access on behalf of other principals',
      'ACCOUNT',
      'check',
      ['account'],
      'ACTIVE',
    ],
  ])('%s is "%s" on %s/%s at %j, %s', (identifier, name, resourceType, action, levels, status) => {
    expect(findPermission(identifier)).toEqual({
      identifier,
      name,
      resourceType,
      action,
      allowedScopeLevels: levels,
      status,
    });
  });

  it.each([
    ['ff_featureflag_editStaleState', 'FEATUREFLAG', 'editStaleState', AOP, 'STAGING'],
    ['sto_ticket_view', 'TICKET', 'view', AOP, 'EXPERIMENTAL'],
    ['ff_environment_view', 'ENVIRONMENT', 'view', AOP, 'ACTIVE'],
    ['ff_environment_apiKeyCreate', 'ENVIRONMENT', 'apiKeyCreate', AOP, 'ACTIVE'],
    ['gitops_agent_view', 'GITOPS_AGENT', 'view', AOP, 'ACTIVE'],
    ['gitops_application_sync', 'GITOPS_APP', 'sync', AOP, 'ACTIVE'],
    ['cet_agents_view', 'CET_AGENT', 'view', AOP, 'ACTIVE'],
    ['code_repo_reportCommitCheck', 'CODE_REPOSITORY', 'reportCommitCheck', AOP, 'ACTIVE'],
    [
      'ccm_cloudAssetGovernanceRule_execute',
      'CCM_CLOUD_ASSET_GOVERNANCE_RULE',
      'execute',
      ['account'],
      'ACTIVE',
    ],
    ['idp_idpsettings_manage', 'IDP_SETTINGS', 'manage', ['account'], 'ACTIVE'],
    ['sei_seiconfigurationsettings_view', 'SEI_CONFIGURATION_SETTINGS', 'view', ['account'], 'ACTIVE'],
    ['sei_seicollections_view', 'SEI_COLLECTIONS', 'view', AOP, 'ACTIVE'],
    ['ssca_remediationtracker_close', 'SSCA_REMEDIATION_TRACKER', 'close', AOP, 'ACTIVE'],
  ])('module permission %s is on %s/%s at %j, %s', (identifier, resourceType, action, levels, status) => {
    // Act
    const permission = findPermission(identifier);

    // Assess
    expect(permission).toMatchObject({ identifier, resourceType, action, status });
    expect(permission?.allowedScopeLevels).toEqual(levels);
  });

  it.each(['core_pipeline_abort', 'core_user_manager', 'CORE_PIPELINE_VIEW', ''])(
    'does not know %j',
    (identifier) => {
      expect(findPermission(identifier)).toBeUndefined();
    },
  );

  it('lets roles contain EXPERIMENTAL, ACTIVE and DEPRECATED permissions only', () => {
    expect([...ASSIGNABLE_STATUSES].sort()).toEqual(['ACTIVE', 'DEPRECATED', 'EXPERIMENTAL']);
  });
});

describe('isPermissionApplicable', () => {
  it.each([
    ['core_pipeline_view', 'PIPELINE', true],
    ['core_pipeline_view', 'SECRET', false],
    ['core_pipeline_view', '*', false],
    ['ff_featureflag_edit', 'FEATUREFLAG', true],
    ['ff_featureflag_edit', 'ENVIRONMENT', true],
    ['ff_featureflag_view', 'ENVIRONMENT', false],
    ['ff_environment_view', 'ENVIRONMENT', true],
    ['sto_ticket_view', 'ENVIRONMENT', true],
    ['sto_ticket_edit', 'ENVIRONMENT', false],
    ['ccm_perspective_view', 'CCM_FOLDER', true],
    ['ccm_budget_delete', 'CCM_FOLDER', true],
    ['ccm_costCategory_view', 'CCM_FOLDER', false],
    ['ccm_overview_view', 'CCM_PERSPECTIVE', true],
    ['core_governancePolicySets_edit', 'GOVERNANCEPOLICY', true],
    ['core_governancePolicySets_view', 'GOVERNANCEPOLICY', false],
    ['ccm_cloudAssetGovernanceRule_execute', 'CONNECTOR', true],
    ['core_acl_check', 'ACCOUNT', true],
    ['core_project_view', 'PROJECT', true],
    ['core_project_view', 'ORGANIZATION', false],
    ['no_such_permission', 'PIPELINE', false],
    ['core_pipeline_abort', 'PIPELINE', false],
  ])('%s applies to %s: %s', (permission, resourceType, expected) => {
    expect(isPermissionApplicable(permission, resourceType)).toBe(expected);
  });

  it('lists only catalogue permissions as exceptions, each on a type other than its own', () => {
    for (const [resourceType, permissions] of Object.entries(EXTRA_APPLICABLE_PERMISSIONS)) {
      for (const identifier of permissions) {
        expect(findPermission(identifier)?.resourceType).not.toBe(resourceType);
        expect(isPermissionApplicable(identifier, resourceType)).toBe(true);
      }
    }
  });
});
