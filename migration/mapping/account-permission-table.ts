import type { AccountPermission } from '../firstgen/model.js';

/** How faithfully a FirstGen permission is carried over. */
export type Fidelity = 'exact' | 'narrowed' | 'unsupported' | 'not-applicable';

/** NextGen permissions granted on the account's own resources (optionally only connectors of some categories). */
export interface AccountGrant {
  readonly permissions: readonly string[];
  /** CONNECTOR `category` values the grant is limited to. */
  readonly connectorCategories?: readonly string[];
  /** Grant on every scope of the account (projects live in their own scopes) rather than account-level resources only. */
  readonly includingChildScopes?: boolean;
}

/** A probe check that stands for the FirstGen permission in `migrate verify`, at account scope unless `atOrganization`. */
export interface AccountProbe {
  readonly permission: string;
  readonly resourceType: string;
  readonly identifier?: string;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly atOrganization?: boolean;
}

/** One decided row of the account-permission table (`docs/migration.md`). */
export interface AccountPermissionRow {
  readonly fidelity: Fidelity;
  /** Custom-role grants; empty when nothing is granted. */
  readonly grants: readonly AccountGrant[];
  /** A managed role bound on `_all_account_level_resources` instead of custom grants. */
  readonly managedRole?: string;
  /** Grants apply only when the group also holds these permissions (otherwise the row is narrowed). */
  readonly requires?: readonly AccountPermission[];
  /** NextGen checks that must all pass for the permission to count as carried over. */
  readonly probes: readonly AccountProbe[];
  readonly note: string;
}

const CONNECTOR_PERMISSIONS = [
  'core_connector_view',
  'core_connector_edit',
  'core_connector_delete',
  'core_connector_access',
];

const connectorProbe = (category: string): AccountProbe => ({
  permission: 'core_connector_edit',
  resourceType: 'CONNECTOR',
  identifier: 'migrationProbe',
  attributes: { category },
});

const typeProbe = (permission: string, resourceType: string): AccountProbe => ({ permission, resourceType });

/**
 * The decision for every FirstGen account permission (reference firstgen §2.2, starting from the §8
 * proposal). Grants go to account-level resources; MANAGE_APPLICATIONS reaches the projects.
 */
export const ACCOUNT_PERMISSION_TABLE: Readonly<Record<AccountPermission, AccountPermissionRow>> = {
  MANAGE_APPLICATIONS: {
    fidelity: 'narrowed',
    grants: [
      {
        permissions: ['core_project_view', 'core_project_create', 'core_project_edit', 'core_project_delete'],
        includingChildScopes: true,
      },
    ],
    probes: [{ permission: 'core_project_create', resourceType: 'PROJECT', atOrganization: true }],
    note: 'applications are projects; application defaults (project variables) are not included',
  },
  USER_PERMISSION_READ: {
    fidelity: 'exact',
    grants: [
      { permissions: ['core_user_view', 'core_usergroup_view', 'core_role_view', 'core_resourcegroup_view'] },
    ],
    probes: [typeProbe('core_user_view', 'USER'), typeProbe('core_usergroup_view', 'USERGROUP')],
    note: 'viewing groups includes viewing their permissions, which are roles and resource groups in NextGen',
  },
  USER_PERMISSION_MANAGEMENT: {
    fidelity: 'exact',
    grants: [
      {
        permissions: [
          'core_user_view',
          'core_user_manage',
          'core_user_invite',
          'core_usergroup_view',
          'core_usergroup_manage',
          'core_role_view',
          'core_role_edit',
          'core_role_delete',
          'core_resourcegroup_view',
          'core_resourcegroup_edit',
          'core_resourcegroup_delete',
        ],
      },
    ],
    probes: [typeProbe('core_user_manage', 'USER'), typeProbe('core_usergroup_manage', 'USERGROUP')],
    note: 'managing groups includes editing their permissions, which are roles, resource groups and assignments in NextGen',
  },
  TEMPLATE_MANAGEMENT: {
    fidelity: 'exact',
    grants: [
      {
        permissions: [
          'core_template_view',
          'core_template_edit',
          'core_template_delete',
          'core_template_copy',
          'core_template_access',
        ],
      },
    ],
    probes: [typeProbe('core_template_edit', 'TEMPLATE')],
    note: 'the account template library is the account-level templates',
  },
  ACCOUNT_MANAGEMENT: {
    fidelity: 'narrowed',
    grants: [
      {
        permissions: [
          'core_account_view',
          'core_account_edit',
          'core_setting_view',
          'core_setting_edit',
          'core_smtp_view',
          'core_smtp_edit',
          'core_smtp_delete',
        ],
      },
    ],
    probes: [{ permission: 'core_account_edit', resourceType: 'ACCOUNT' }],
    note: 'catch-all in FirstGen; NextGen keeps account settings and SMTP; delegate scopes, resource constraints and the rest have no single equivalent',
  },
  MANAGE_ACCOUNT_DEFAULTS: {
    fidelity: 'exact',
    grants: [{ permissions: ['core_variable_view', 'core_variable_edit', 'core_variable_delete'] }],
    probes: [typeProbe('core_variable_edit', 'VARIABLE')],
    note: 'account defaults are account-level variables',
  },
  AUDIT_VIEWER: {
    fidelity: 'exact',
    grants: [{ permissions: ['core_audit_view'] }],
    probes: [typeProbe('core_audit_view', 'AUDIT')],
    note: '',
  },
  CREATE_CUSTOM_DASHBOARDS: {
    fidelity: 'narrowed',
    grants: [{ permissions: ['core_dashboards_view'] }],
    probes: [typeProbe('core_dashboards_edit', 'DASHBOARDS')],
    note: 'NextGen has no create-only dashboard permission; edit would also change other dashboards, so only view is granted',
  },
  MANAGE_CUSTOM_DASHBOARDS: {
    fidelity: 'exact',
    grants: [{ permissions: ['core_dashboards_view', 'core_dashboards_edit'] }],
    probes: [typeProbe('core_dashboards_edit', 'DASHBOARDS')],
    note: '',
  },
  MANAGE_TAGS: {
    fidelity: 'unsupported',
    grants: [],
    probes: [],
    note: 'NextGen has no central tag management',
  },
  MANAGE_CONFIG_AS_CODE: {
    fidelity: 'unsupported',
    grants: [],
    probes: [],
    note: 'Git Experience is configured per entity in NextGen; no permission',
  },
  MANAGE_CLOUD_PROVIDERS: {
    fidelity: 'exact',
    grants: [{ permissions: CONNECTOR_PERMISSIONS, connectorCategories: ['CLOUD_PROVIDER'] }],
    probes: [connectorProbe('CLOUD_PROVIDER')],
    note: 'cloud providers are connectors of category CLOUD_PROVIDER',
  },
  MANAGE_CONNECTORS: {
    fidelity: 'exact',
    grants: [
      {
        permissions: CONNECTOR_PERMISSIONS,
        connectorCategories: ['ARTIFACTORY', 'CODE_REPO', 'MONITORING', 'TICKETING'],
      },
    ],
    probes: [connectorProbe('ARTIFACTORY'), connectorProbe('CODE_REPO')],
    note: 'artifact servers, source repositories, verification and collaboration providers are connectors of those categories',
  },
  MANAGE_APPLICATION_STACKS: {
    fidelity: 'unsupported',
    grants: [],
    probes: [],
    note: 'application stacks do not exist in NextGen',
  },
  MANAGE_ALERT_NOTIFICATION_RULES: {
    fidelity: 'unsupported',
    grants: [],
    probes: [],
    note: 'core_notification_* is STAGING in the v68 catalogue and cannot be put into a role',
  },
  MANAGE_SECRET_MANAGERS: {
    fidelity: 'exact',
    grants: [{ permissions: CONNECTOR_PERMISSIONS, connectorCategories: ['SECRET_MANAGER'] }],
    probes: [connectorProbe('SECRET_MANAGER')],
    note: 'secret managers are connectors of category SECRET_MANAGER',
  },
  MANAGE_SECRETS: {
    fidelity: 'narrowed',
    grants: [
      { permissions: ['core_secret_view', 'core_secret_edit', 'core_secret_delete', 'core_secret_access'] },
    ],
    requires: ['MANAGE_SSH_AND_WINRM'],
    probes: [typeProbe('core_secret_edit', 'SECRET')],
    note: 'SSH/WinRM credentials are secrets in NextGen and secrets cannot be filtered by kind, so secret rights are granted only to groups holding both MANAGE_SECRETS and MANAGE_SSH_AND_WINRM',
  },
  MANAGE_SSH_AND_WINRM: {
    fidelity: 'narrowed',
    grants: [
      { permissions: ['core_secret_view', 'core_secret_edit', 'core_secret_delete', 'core_secret_access'] },
    ],
    requires: ['MANAGE_SECRETS'],
    probes: [typeProbe('core_secret_edit', 'SECRET')],
    note: 'granted together with MANAGE_SECRETS only (see that row)',
  },
  MANAGE_AUTHENTICATION_SETTINGS: {
    fidelity: 'exact',
    grants: [{ permissions: ['core_authsetting_view', 'core_authsetting_edit', 'core_authsetting_delete'] }],
    probes: [typeProbe('core_authsetting_edit', 'AUTHSETTING')],
    note: '',
  },
  MANAGE_IP_WHITELIST: {
    fidelity: 'unsupported',
    grants: [],
    probes: [],
    note: 'the v68 catalogue has no IP allow-list permission; granting authentication settings instead would broaden access',
  },
  MANAGE_API_KEYS: {
    fidelity: 'narrowed',
    grants: [
      {
        permissions: [
          'core_serviceaccount_view',
          'core_serviceaccount_list',
          'core_serviceaccount_manageapikey',
        ],
      },
    ],
    probes: [typeProbe('core_serviceaccount_manageapikey', 'SERVICEACCOUNT')],
    note: 'NextGen API keys belong to service accounts; creating service accounts is not granted',
  },
  CE_ADMIN: {
    fidelity: 'exact',
    grants: [],
    managedRole: '_ccm_admin',
    probes: [typeProbe('ccm_perspective_edit', 'CCM_PERSPECTIVE')],
    note: 'managed role _ccm_admin on all account-level resources',
  },
  CE_VIEWER: {
    fidelity: 'exact',
    grants: [],
    managedRole: '_ccm_viewer',
    probes: [typeProbe('ccm_perspective_view', 'CCM_PERSPECTIVE')],
    note: 'managed role _ccm_viewer on all account-level resources (FirstGen adds it to every new group)',
  },
  MANAGE_PIPELINE_GOVERNANCE_STANDARDS: {
    fidelity: 'narrowed',
    grants: [
      {
        permissions: [
          'core_governancePolicy_view',
          'core_governancePolicy_edit',
          'core_governancePolicy_delete',
          'core_governancePolicySets_view',
          'core_governancePolicySets_edit',
          'core_governancePolicySets_delete',
          'core_governancePolicySets_evaluate',
        ],
      },
    ],
    probes: [typeProbe('core_governancePolicy_edit', 'GOVERNANCEPOLICY')],
    note: 'NextGen governance is OPA policies, a different feature with the same purpose',
  },
  MANAGE_DEPLOYMENT_FREEZES: {
    fidelity: 'exact',
    grants: [{ permissions: ['core_deploymentfreeze_manage', 'core_deploymentfreeze_global'] }],
    probes: [typeProbe('core_deploymentfreeze_manage', 'DEPLOYMENTFREEZE')],
    note: 'also implies ALLOW_DEPLOYMENTS_DURING_FREEZE (a freeze manager can lift a freeze)',
  },
  MANAGE_DELEGATES: {
    fidelity: 'exact',
    grants: [{ permissions: ['core_delegate_view', 'core_delegate_edit', 'core_delegate_delete'] }],
    probes: [typeProbe('core_delegate_edit', 'DELEGATE')],
    note: '',
  },
  MANAGE_DELEGATE_PROFILES: {
    fidelity: 'exact',
    grants: [
      {
        permissions: [
          'core_delegateconfiguration_view',
          'core_delegateconfiguration_edit',
          'core_delegateconfiguration_delete',
        ],
      },
    ],
    probes: [typeProbe('core_delegateconfiguration_edit', 'DELEGATECONFIGURATION')],
    note: 'delegate profiles are delegate configurations',
  },
  ALLOW_DEPLOYMENTS_DURING_FREEZE: {
    fidelity: 'exact',
    grants: [{ permissions: ['core_deploymentfreeze_override'] }],
    probes: [typeProbe('core_deploymentfreeze_override', 'DEPLOYMENTFREEZE')],
    note: '',
  },
  MANAGE_RESTRICTED_ACCESS: {
    fidelity: 'unsupported',
    grants: [],
    probes: [],
    note: 'restricted Harness-support access has no NextGen permission',
  },
  HIDE_NEXTGEN_BUTTON: {
    fidelity: 'not-applicable',
    grants: [],
    probes: [],
    note: 'a FirstGen UI toggle; dropped',
  },
  MANAGE_USER_AND_USER_GROUPS_AND_API_KEYS: {
    fidelity: 'exact',
    grants: [],
    probes: [],
    note: 'deprecated; read as USER_PERMISSION_MANAGEMENT + USER_PERMISSION_READ + MANAGE_API_KEYS',
  },
  VIEW_USER_AND_USER_GROUPS_AND_API_KEYS: {
    fidelity: 'exact',
    grants: [],
    probes: [],
    note: 'deprecated; read as USER_PERMISSION_READ',
  },
  ACCESS_NEXTGEN: {
    fidelity: 'not-applicable',
    grants: [],
    probes: [],
    note: 'removed FirstGen permission; dropped',
  },
};
