import { resourceTypeForPermissionKey } from './resource-types.js';
import type { ScopeLevel } from './scope.js';

/** Lifecycle status of a permission (reference §2.1). */
export type PermissionStatus = 'STAGING' | 'EXPERIMENTAL' | 'ACTIVE' | 'DEPRECATED' | 'INACTIVE';

/** A permission of the global catalogue (reference §2.1). */
export interface PermissionDefinition {
  /** `<module>_<resourceKey>_<action>`, e.g. `core_pipeline_execute`. */
  readonly identifier: string;
  /** Display name. */
  readonly name: string;
  /** The resource type derived from the middle segment of the identifier. */
  readonly resourceType: string;
  /** The third segment of the identifier. */
  readonly action: string;
  /** The scope levels at which a role containing this permission may be used. */
  readonly allowedScopeLevels: readonly ScopeLevel[];
  readonly status: PermissionStatus;
}

/** The statuses a permission must have to be put into a role (reference §2.1). */
export const ASSIGNABLE_STATUSES: readonly PermissionStatus[] = ['EXPERIMENTAL', 'ACTIVE', 'DEPRECATED'];

/** Compact scope column of the reference tables: A = account, O = organization, P = project. */
type ScopeCode = 'A' | 'AO' | 'AOP';

const SCOPE_CODES: Readonly<Record<ScopeCode, readonly ScopeLevel[]>> = {
  A: ['account'],
  AO: ['account', 'organization'],
  AOP: ['account', 'organization', 'project'],
};

/** One row of reference §2.3: identifier, display name, scopes, status (ACTIVE when omitted). */
type CorePermissionRow = readonly [
  identifier: string,
  name: string,
  scopes: ScopeCode,
  status?: PermissionStatus,
];

/** Core platform permissions, verbatim from reference §2.3 (S1 v68). */
const CORE_PERMISSION_ROWS: readonly CorePermissionRow[] = [
  ['core_project_delete', 'Delete Project', 'AOP'],
  ['core_project_view', 'View Project', 'AOP'],
  ['core_project_edit', 'Edit a Project', 'AOP'],
  ['core_project_create', 'Create a Project', 'AO'],
  ['core_organization_delete', 'Delete Organization', 'AO'],
  ['core_organization_view', 'View Organization', 'AO'],
  ['core_organization_edit', 'Edit an Organization', 'AO'],
  ['core_organization_create', 'Create an Organization', 'A'],
  ['core_account_edit', 'Edit Account', 'A'],
  ['core_account_view', 'View Account', 'A'],
  ['core_secret_delete', 'Delete Secret', 'AOP'],
  ['core_secret_view', 'View Secret', 'AOP'],
  ['core_secret_edit', 'Create or Edit a Secret', 'AOP'],
  ['core_secret_access', 'Runtime Access on a secret', 'AOP'],
  ['core_connector_access', 'Access a Connector', 'AOP'],
  ['core_connector_view', 'View Connector', 'AOP'],
  ['core_connector_edit', 'Create or Edit a Connector', 'AOP'],
  ['core_connector_delete', 'Delete Connector', 'AOP'],
  ['core_smtp_view', 'View SMTP Config', 'A'],
  ['core_smtp_edit', 'Create or Edit a SMTP Config', 'A'],
  ['core_smtp_delete', 'Delete SMTP Config', 'A'],
  ['core_delegate_view', 'View Delegates', 'AOP'],
  ['core_delegate_edit', 'Create or Edit a Delegate', 'AOP'],
  ['core_delegate_delete', 'Delete Delegate', 'AOP'],
  ['core_delegateconfiguration_view', 'View Delegate Configurations', 'AOP'],
  ['core_delegateconfiguration_edit', 'Create or Edit a Delegate Configuration', 'AOP'],
  ['core_delegateconfiguration_delete', 'Delete Delegate Configuration', 'AOP'],
  ['core_pipeline_view', 'View Pipeline', 'AOP'],
  ['core_pipeline_edit', 'Create or Edit Pipeline', 'AOP'],
  ['core_pipeline_delete', 'Delete Pipeline', 'AOP'],
  ['core_pipeline_execute', 'Run Pipeline', 'AOP'],
  ['core_service_view', 'View Service', 'AOP'],
  ['core_service_edit', 'Create or Edit Service', 'AOP'],
  ['core_service_delete', 'Delete Service', 'AOP'],
  ['core_service_access', 'Runtime Access to Service', 'AOP'],
  ['core_environment_view', 'View Environment', 'AOP'],
  ['core_environment_edit', 'Create or Edit Environment', 'AOP'],
  ['core_environment_delete', 'Delete Environment', 'AOP'],
  ['core_environment_access', 'Runtime Access to Environment', 'AOP'],
  ['core_environmentgroup_view', 'View Environment Group', 'AOP'],
  ['core_environmentgroup_edit', 'Create or Edit Environment Group', 'AOP'],
  ['core_environmentgroup_delete', 'Delete Environment Group', 'AOP'],
  ['core_environmentgroup_access', 'Access Environment Group', 'AOP'],
  ['core_audit_view', 'View Audits', 'AOP'],
  ['core_usergroup_view', 'View User Groups', 'AOP'],
  ['core_usergroup_manage', 'Manage User Groups', 'AOP'],
  ['core_user_view', 'View Users', 'AOP'],
  ['core_user_manage', 'Manage Users', 'AOP'],
  ['core_role_view', 'View Roles', 'AOP'],
  ['core_role_edit', 'Create or Edit Role', 'AOP'],
  ['core_role_delete', 'Delete Role', 'AOP'],
  ['core_resourcegroup_view', 'View Resource Groups', 'AOP'],
  ['core_resourcegroup_edit', 'Create or Edit Resource Group', 'AOP'],
  ['core_resourcegroup_delete', 'Delete Resource Group', 'AOP'],
  ['core_user_invite', 'Invite a user', 'AOP'],
  ['core_license_view', 'View Licenses', 'A'],
  ['core_license_edit', 'Edit Licenses', 'A'],
  ['core_serviceaccount_view', 'View ServiceAccount details', 'AOP'],
  ['core_serviceaccount_list', 'List Service Accounts', 'AOP'],
  ['core_serviceaccount_edit', 'Create or Edit ServiceAccount', 'AOP'],
  ['core_serviceaccount_delete', 'Delete ServiceAccount', 'AOP'],
  ['core_serviceaccount_manageapikey', 'Manage API keys for Service Account', 'AOP'],
  ['core_authsetting_view', 'View Auth setting', 'A'],
  ['core_authsetting_edit', 'Edit Auth setting', 'A'],
  ['core_authsetting_delete', 'Edit Auth setting', 'A'],
  ['core_dashboards_view', 'View Dashboards', 'AO'],
  ['core_dashboards_edit', 'Edit Dashboards', 'AO'],
  ['core_template_view', 'View Templates', 'AOP'],
  ['core_template_copy', 'Copy Templates', 'AOP'],
  ['core_template_edit', 'Edit a Template', 'AOP'],
  ['core_template_delete', 'Delete Template', 'AOP'],
  ['core_template_access', 'Access a Template', 'AOP'],
  ['core_governancePolicy_edit', 'Create or Edit Policies', 'AOP'],
  ['core_governancePolicy_view', 'View Policies', 'AOP'],
  ['core_governancePolicy_delete', 'Delete Policies', 'AOP'],
  ['core_governancePolicySets_edit', 'Create or Edit Policy Sets', 'AOP'],
  ['core_governancePolicySets_view', 'View Policy Sets', 'AOP'],
  ['core_governancePolicySets_delete', 'Delete Policy Sets', 'AOP'],
  ['core_governancePolicySets_evaluate', 'Evaluate Policy Sets', 'AOP'],
  ['core_file_view', 'View Files', 'AOP'],
  ['core_file_edit', 'Edit a File', 'AOP'],
  ['core_file_delete', 'Delete File', 'AOP'],
  ['core_file_access', 'Access a File', 'AOP'],
  ['core_variable_view', 'View a Variable', 'AOP'],
  ['core_variable_edit', 'Edit a Variable', 'AOP'],
  ['core_variable_delete', 'Delete a Variable', 'AOP'],
  ['core_setting_view', 'View Settings', 'AOP'],
  ['core_setting_edit', 'Edit a Setting', 'AOP'],
  ['core_deploymentfreeze_manage', 'Manage deployment freeze', 'AOP'],
  ['core_deploymentfreeze_override', 'Override a deployment freeze', 'AOP'],
  ['core_deploymentfreeze_global', 'Global deployment freeze', 'AOP'],
  ['core_streamingDestination_view', 'View Streaming Destination', 'A'],
  ['core_streamingDestination_edit', 'Create or Edit Streaming Destination', 'A'],
  ['core_streamingDestination_delete', 'Delete Streaming Destination', 'A'],
  ['core_inputset_edit', 'Create or Edit InputSet', 'AOP'],
  ['core_inputset_delete', 'Delete InputSet', 'AOP'],
  ['core_inputset_view', 'View InputSet', 'AOP'],
  ['core_notification_view', 'View notification rules and channels', 'AOP', 'STAGING'],
  ['core_notification_edit', 'Edit notification rules and channels', 'AOP', 'STAGING'],
  ['core_notification_delete', 'Delete notification rules and channels', 'AOP', 'STAGING'],
];

/**
 * One row of reference §2.4: module prefix, permission key, a display label for the resource, the
 * actions (space-separated, in table order), scopes, and the actions whose status is not ACTIVE.
 */
type ModulePermissionRow = readonly [
  module: string,
  permissionKey: string,
  label: string,
  actions: string,
  scopes: ScopeCode,
  statuses?: Readonly<Record<string, PermissionStatus>>,
];

/** Module permissions, expanded one per action from the compact table of reference §2.4 (S1 v68). */
const MODULE_PERMISSION_ROWS: readonly ModulePermissionRow[] = [
  [
    'ff',
    'featureflag',
    'Feature Flag',
    'edit delete view toggle editStaleState',
    'AOP',
    { editStaleState: 'STAGING' },
  ],
  ['ff', 'targetgroup', 'Target Group', 'view edit delete', 'AOP'],
  [
    'ff',
    'environment',
    'Feature Flag Environment',
    'targetGroupEdit apiKeyView apiKeyCreate apiKeyDelete edit view',
    'AOP',
  ],
  ['ff', 'target', 'Target', 'view', 'AOP'],
  ['chi', 'monitoredservice', 'Monitored Service', 'view edit delete toggle', 'AOP'],
  ['chi', 'slo', 'SLO', 'view edit delete', 'AOP'],
  ['chi', 'downtime', 'Downtime', 'view edit delete', 'AOP'],
  ['gitops', 'agent', 'GitOps Agent', 'view edit delete', 'AOP'],
  ['gitops', 'application', 'GitOps Application', 'view edit delete sync', 'AOP'],
  ['gitops', 'repository', 'GitOps Repository', 'view edit delete', 'AOP'],
  ['gitops', 'cluster', 'GitOps Cluster', 'view edit delete', 'AOP'],
  ['gitops', 'gpgkey', 'GitOps GPG Key', 'view edit delete', 'AOP'],
  ['gitops', 'cert', 'GitOps Certificate', 'view edit delete', 'AOP'],
  ['sto', 'testtarget', 'Security Test Target', 'view edit', 'AOP'],
  ['sto', 'exemption', 'Security Exemption', 'view create approve', 'AOP'],
  ['sto', 'issue', 'Security Issue', 'view', 'AOP'],
  ['sto', 'scan', 'Security Scan', 'view', 'AOP'],
  [
    'sto',
    'ticket',
    'Security Ticket',
    'view edit delete',
    'AOP',
    { view: 'EXPERIMENTAL', edit: 'EXPERIMENTAL', delete: 'EXPERIMENTAL' },
  ],
  ['chaos', 'chaoshub', 'Chaos Hub', 'view edit delete', 'AOP'],
  ['chaos', 'chaosinfrastructure', 'Chaos Infrastructure', 'view edit delete', 'AOP'],
  ['chaos', 'chaosexperiment', 'Chaos Experiment', 'view edit delete execute', 'AOP'],
  ['chaos', 'chaosgameday', 'Chaos GameDay', 'view edit delete', 'AOP'],
  ['ccm', 'perspective', 'Perspective', 'view edit delete', 'A'],
  ['ccm', 'budget', 'Budget', 'view edit delete', 'A'],
  ['ccm', 'costCategory', 'Cost Category', 'view edit delete', 'A'],
  ['ccm', 'autoStoppingRule', 'AutoStopping Rule', 'view edit delete', 'A'],
  ['ccm', 'folder', 'Perspective Folder', 'view edit delete', 'A'],
  ['ccm', 'loadBalancer', 'Load Balancer', 'view edit delete', 'A'],
  ['ccm', 'overview', 'Cloud Cost Overview', 'view', 'A'],
  ['ccm', 'currencyPreference', 'Currency Preference', 'view edit', 'A'],
  ['ccm', 'cloudAssetGovernanceRule', 'Cloud Asset Governance Rule', 'edit view delete execute', 'A'],
  ['ccm', 'cloudAssetGovernanceRuleSet', 'Cloud Asset Governance Rule Set', 'edit view delete', 'A'],
  ['ccm', 'cloudAssetGovernanceEnforcement', 'Cloud Asset Governance Enforcement', 'edit view delete', 'A'],
  ['idp', 'idpsettings', 'IDP Settings', 'manage', 'A'],
  ['idp', 'plugin', 'IDP Plugin', 'view edit toggle delete', 'A'],
  ['idp', 'scorecard', 'IDP Scorecard', 'view edit delete', 'A'],
  ['idp', 'layout', 'IDP Layout', 'view edit', 'A'],
  ['idp', 'catalogaccesspolicy', 'IDP Catalog Access Policy', 'view create edit delete', 'A'],
  ['idp', 'integration', 'IDP Integration', 'view create edit delete', 'A'],
  ['idp', 'advancedconfiguration', 'IDP Advanced Configuration', 'view edit delete', 'A'],
  ['code', 'repo', 'Code Repository', 'view edit delete push reportCommitCheck', 'AOP'],
  ['servicediscovery', 'networkmap', 'Network Map', 'create edit delete view', 'AOP'],
  ['chaos', 'chaossecuritygovernance', 'Chaos Security Governance', 'edit delete view', 'AOP'],
  ['cet', 'agents', 'CET Agent', 'view', 'AOP'],
  ['cet', 'token', 'CET Token', 'view create revoke', 'AOP'],
  ['cet', 'criticalevent', 'CET Critical Event', 'view create delete', 'AOP'],
  [
    'iac',
    'workspace',
    'IaC Workspace',
    'view edit delete editvariable deletevariable approve accessstate',
    'AOP',
  ],
  ['sei', 'seiconfigurationsettings', 'SEI Configuration Settings', 'create view edit delete', 'A'],
  ['sei', 'seicollections', 'SEI Collections', 'create view edit delete', 'AOP'],
  ['sei', 'seiinsights', 'SEI Insights', 'create view edit delete', 'AOP'],
  ['ccm', 'anomalies', 'Cost Anomalies', 'view', 'A'],
  ['ccm', 'recommendations', 'Cost Recommendations', 'view', 'A'],
  ['ccm', 'commitmentOrchestrator', 'Commitment Orchestrator', 'edit view', 'A'],
  ['ssca', 'remediationtracker', 'Remediation Tracker', 'edit view close', 'AOP'],
];

/** Display names for module permissions whose action is not a plain verb (the rest read `<Action> <label>`). */
const MODULE_PERMISSION_NAMES: Readonly<Record<string, string>> = {
  ff_featureflag_editStaleState: 'Edit Stale State of Feature Flag',
  ff_environment_targetGroupEdit: 'Edit Target Groups in Feature Flag Environment',
  ff_environment_apiKeyView: 'View API Keys of Feature Flag Environment',
  ff_environment_apiKeyCreate: 'Create API Keys in Feature Flag Environment',
  ff_environment_apiKeyDelete: 'Delete API Keys of Feature Flag Environment',
  code_repo_push: 'Push to Code Repository',
  code_repo_reportCommitCheck: 'Report Commit Check on Code Repository',
  iac_workspace_editvariable: 'Edit IaC Workspace Variables',
  iac_workspace_deletevariable: 'Delete IaC Workspace Variables',
  iac_workspace_accessstate: 'Access IaC Workspace State',
};

/** Our own permission: check access on behalf of other principals (DESIGN §3.3). */
const ACL_CHECK_PERMISSION: PermissionDefinition = {
  identifier: 'core_acl_check',
  name: 'Check access on behalf of other principals',
  resourceType: 'ACCOUNT',
  action: 'check',
  allowedScopeLevels: SCOPE_CODES.A,
  status: 'ACTIVE',
};

/** Builds a catalogue entry, deriving resource type and action from the identifier (reference §2.1). */
function definePermission(
  identifier: string,
  name: string,
  scopes: ScopeCode,
  status: PermissionStatus,
): PermissionDefinition {
  const [, permissionKey = '', action = ''] = identifier.split('_');
  const resourceType = resourceTypeForPermissionKey(permissionKey);
  if (!resourceType) throw new Error(`Permission ${identifier}: unknown permission key '${permissionKey}'`);
  return { identifier, name, resourceType, action, allowedScopeLevels: SCOPE_CODES[scopes], status };
}

/** Capitalises the first letter of a word. */
function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Expands the compact module table into one permission per action. */
function expandModuleRows(rows: readonly ModulePermissionRow[]): PermissionDefinition[] {
  return rows.flatMap(([module, permissionKey, label, actions, scopes, statuses]) =>
    actions.split(' ').map((action) => {
      const identifier = `${module}_${permissionKey}_${action}`;
      const name = MODULE_PERMISSION_NAMES[identifier] ?? `${capitalise(action)} ${label}`;
      return definePermission(identifier, name, scopes, statuses?.[action] ?? 'ACTIVE');
    }),
  );
}

/**
 * The whole permission catalogue: every core permission of reference §2.3, every module permission
 * of §2.4 and our `core_acl_check` (DESIGN §3.3).
 */
export const PERMISSIONS: readonly PermissionDefinition[] = [
  ...CORE_PERMISSION_ROWS.map(([identifier, name, scopes, status]) =>
    definePermission(identifier, name, scopes, status ?? 'ACTIVE'),
  ),
  ...expandModuleRows(MODULE_PERMISSION_ROWS),
  ACL_CHECK_PERMISSION,
];

const PERMISSIONS_BY_IDENTIFIER: ReadonlyMap<string, PermissionDefinition> = new Map(
  PERMISSIONS.map((permission) => [permission.identifier, permission]),
);

/** The catalogue entry for a permission identifier, or `undefined` when there is none. */
export function findPermission(identifier: string): PermissionDefinition | undefined {
  return PERMISSIONS_BY_IDENTIFIER.get(identifier);
}

/**
 * Permissions that also apply to a resource type other than their own (reference §2.5, S5), keyed
 * by resource type.
 */
export const EXTRA_APPLICABLE_PERMISSIONS: Readonly<Record<string, readonly string[]>> = {
  CCM_FOLDER: [
    'ccm_perspective_view',
    'ccm_perspective_edit',
    'ccm_perspective_delete',
    'ccm_budget_view',
    'ccm_budget_edit',
    'ccm_budget_delete',
  ],
  CCM_PERSPECTIVE: ['ccm_overview_view'],
  ENVIRONMENT: [
    'ff_featureflag_edit',
    'ff_featureflag_delete',
    'ff_featureflag_toggle',
    'ff_targetgroup_edit',
    'ff_targetgroup_delete',
    'sto_ticket_view',
  ],
  GOVERNANCEPOLICY: ['core_governancePolicySets_edit'],
  CONNECTOR: ['ccm_cloudAssetGovernanceRule_execute'],
};

/** Builds resource type → applicable permission identifiers: own type plus the §2.5 exceptions. */
function buildApplicability(): ReadonlyMap<string, ReadonlySet<string>> {
  const applicable = new Map<string, Set<string>>();
  const add = (resourceType: string, permission: string): void => {
    const permissions = applicable.get(resourceType) ?? new Set<string>();
    permissions.add(permission);
    applicable.set(resourceType, permissions);
  };
  for (const permission of PERMISSIONS) add(permission.resourceType, permission.identifier);
  for (const [resourceType, permissions] of Object.entries(EXTRA_APPLICABLE_PERMISSIONS)) {
    for (const permission of permissions) {
      if (PERMISSIONS_BY_IDENTIFIER.has(permission)) add(resourceType, permission);
    }
  }
  return applicable;
}

const APPLICABLE_PERMISSIONS_BY_RESOURCE_TYPE = buildApplicability();

/**
 * True when the permission applies to resources of `resourceType`: its own resource type, or an
 * extra type of reference §2.5. Unknown permissions apply to nothing. A `*` selector type is the
 * caller's concern (it matches every permission).
 */
export function isPermissionApplicable(permissionIdentifier: string, resourceType: string): boolean {
  return APPLICABLE_PERMISSIONS_BY_RESOURCE_TYPE.get(resourceType)?.has(permissionIdentifier) ?? false;
}

const APPLICABLE_RESOURCE_TYPES_BY_PERMISSION: ReadonlyMap<string, readonly string[]> = (() => {
  const types = new Map<string, string[]>();
  for (const [resourceType, permissions] of APPLICABLE_PERMISSIONS_BY_RESOURCE_TYPE) {
    for (const permission of permissions)
      types.set(permission, [...(types.get(permission) ?? []), resourceType]);
  }
  return types;
})();

/** The resource types a permission applies to: its own type first, then the §2.5 extra types. */
export function applicableResourceTypes(permissionIdentifier: string): readonly string[] {
  return APPLICABLE_RESOURCE_TYPES_BY_PERMISSION.get(permissionIdentifier) ?? [];
}
