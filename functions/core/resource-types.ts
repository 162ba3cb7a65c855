import type { ScopeLevel } from './scope.js';

/** A resource type and the permission key (middle segment of permission identifiers) that maps to it. */
export interface ResourceTypeDefinition {
  readonly identifier: string;
  readonly permissionKey: string;
}

/**
 * Every resource type of the catalogue with its permission key (reference §2.2). Note the
 * non-obvious keys: GitOps agent is `agent` but CET agent is `agents`; GitOps repository is
 * `repository` but Code repository is `repo`.
 */
export const RESOURCE_TYPES = [
  { identifier: 'ACCOUNT', permissionKey: 'account' },
  { identifier: 'ORGANIZATION', permissionKey: 'organization' },
  { identifier: 'PROJECT', permissionKey: 'project' },
  { identifier: 'CONNECTOR', permissionKey: 'connector' },
  { identifier: 'DELEGATE', permissionKey: 'delegate' },
  { identifier: 'DELEGATECONFIGURATION', permissionKey: 'delegateconfiguration' },
  { identifier: 'SECRET', permissionKey: 'secret' },
  { identifier: 'PIPELINE', permissionKey: 'pipeline' },
  { identifier: 'SERVICE', permissionKey: 'service' },
  { identifier: 'ENVIRONMENT', permissionKey: 'environment' },
  { identifier: 'ENVIRONMENT_GROUP', permissionKey: 'environmentgroup' },
  { identifier: 'AUDIT', permissionKey: 'audit' },
  { identifier: 'USER', permissionKey: 'user' },
  { identifier: 'SERVICEACCOUNT', permissionKey: 'serviceaccount' },
  { identifier: 'USERGROUP', permissionKey: 'usergroup' },
  { identifier: 'ROLE', permissionKey: 'role' },
  { identifier: 'RESOURCEGROUP', permissionKey: 'resourcegroup' },
  { identifier: 'LICENSE', permissionKey: 'license' },
  { identifier: 'AUTHSETTING', permissionKey: 'authsetting' },
  { identifier: 'FEATUREFLAG', permissionKey: 'featureflag' },
  { identifier: 'TARGET', permissionKey: 'target' },
  { identifier: 'TARGETGROUP', permissionKey: 'targetgroup' },
  { identifier: 'DASHBOARDS', permissionKey: 'dashboards' },
  { identifier: 'TEMPLATE', permissionKey: 'template' },
  { identifier: 'GOVERNANCEPOLICY', permissionKey: 'governancePolicy' },
  { identifier: 'GOVERNANCEPOLICYSETS', permissionKey: 'governancePolicySets' },
  { identifier: 'MONITOREDSERVICE', permissionKey: 'monitoredservice' },
  { identifier: 'SLO', permissionKey: 'slo' },
  { identifier: 'GITOPS_AGENT', permissionKey: 'agent' },
  { identifier: 'GITOPS_APP', permissionKey: 'application' },
  { identifier: 'GITOPS_REPOSITORY', permissionKey: 'repository' },
  { identifier: 'GITOPS_CLUSTER', permissionKey: 'cluster' },
  { identifier: 'GITOPS_GPGKEY', permissionKey: 'gpgkey' },
  { identifier: 'GITOPS_CERT', permissionKey: 'cert' },
  { identifier: 'STO_TESTTARGET', permissionKey: 'testtarget' },
  { identifier: 'STO_EXEMPTION', permissionKey: 'exemption' },
  { identifier: 'STO_ISSUE', permissionKey: 'issue' },
  { identifier: 'STO_SCAN', permissionKey: 'scan' },
  { identifier: 'TICKET', permissionKey: 'ticket' },
  { identifier: 'FILE', permissionKey: 'file' },
  { identifier: 'VARIABLE', permissionKey: 'variable' },
  { identifier: 'CHAOS_HUB', permissionKey: 'chaoshub' },
  { identifier: 'CHAOS_INFRASTRUCTURE', permissionKey: 'chaosinfrastructure' },
  { identifier: 'CHAOS_EXPERIMENT', permissionKey: 'chaosexperiment' },
  { identifier: 'CHAOS_GAMEDAY', permissionKey: 'chaosgameday' },
  { identifier: 'CCM_OVERVIEW', permissionKey: 'overview' },
  { identifier: 'CCM_PERSPECTIVE', permissionKey: 'perspective' },
  { identifier: 'CCM_FOLDER', permissionKey: 'folder' },
  { identifier: 'CCM_BUDGET', permissionKey: 'budget' },
  { identifier: 'CCM_COSTCATEGORY', permissionKey: 'costCategory' },
  { identifier: 'CCM_AUTOSTOPPINGRULE', permissionKey: 'autoStoppingRule' },
  { identifier: 'CCM_LOADBALANCER', permissionKey: 'loadBalancer' },
  { identifier: 'CCM_CURRENCYPREFERENCE', permissionKey: 'currencyPreference' },
  { identifier: 'CCM_CLOUD_ASSET_GOVERNANCE_RULE', permissionKey: 'cloudAssetGovernanceRule' },
  { identifier: 'CCM_CLOUD_ASSET_GOVERNANCE_RULE_SET', permissionKey: 'cloudAssetGovernanceRuleSet' },
  {
    identifier: 'CCM_CLOUD_ASSET_GOVERNANCE_RULE_ENFORCEMENT',
    permissionKey: 'cloudAssetGovernanceEnforcement',
  },
  { identifier: 'SMTP', permissionKey: 'smtp' },
  { identifier: 'SETTING', permissionKey: 'setting' },
  { identifier: 'DEPLOYMENTFREEZE', permissionKey: 'deploymentfreeze' },
  { identifier: 'STREAMING_DESTINATION', permissionKey: 'streamingDestination' },
  { identifier: 'DOWNTIME', permissionKey: 'downtime' },
  { identifier: 'IDP_SETTINGS', permissionKey: 'idpsettings' },
  { identifier: 'IDP_PLUGIN', permissionKey: 'plugin' },
  { identifier: 'IDP_SCORECARD', permissionKey: 'scorecard' },
  { identifier: 'IDP_LAYOUT', permissionKey: 'layout' },
  { identifier: 'IDP_CATALOG_ACCESS_POLICY', permissionKey: 'catalogaccesspolicy' },
  { identifier: 'IDP_INTEGRATION', permissionKey: 'integration' },
  { identifier: 'IDP_ADVANCED_CONFIGURATION', permissionKey: 'advancedconfiguration' },
  { identifier: 'CODE_REPOSITORY', permissionKey: 'repo' },
  { identifier: 'NETWORK_MAP', permissionKey: 'networkmap' },
  { identifier: 'CHAOS_SECURITY_GOVERNANCE', permissionKey: 'chaossecuritygovernance' },
  { identifier: 'CET_AGENT', permissionKey: 'agents' },
  { identifier: 'CET_TOKEN', permissionKey: 'token' },
  { identifier: 'CET_CRITICAL_EVENT', permissionKey: 'criticalevent' },
  { identifier: 'IAC_WORKSPACE', permissionKey: 'workspace' },
  { identifier: 'SEI_CONFIGURATION_SETTINGS', permissionKey: 'seiconfigurationsettings' },
  { identifier: 'SEI_COLLECTIONS', permissionKey: 'seicollections' },
  { identifier: 'SEI_INSIGHTS', permissionKey: 'seiinsights' },
  { identifier: 'CCM_ANOMALIES', permissionKey: 'anomalies' },
  { identifier: 'CCM_RECOMMENDATIONS', permissionKey: 'recommendations' },
  { identifier: 'CCM_COMMITMENT_ORCHESTRATOR', permissionKey: 'commitmentOrchestrator' },
  { identifier: 'INPUT_SET', permissionKey: 'inputset' },
  { identifier: 'NOTIFICATION', permissionKey: 'notification' },
  { identifier: 'SSCA_REMEDIATION_TRACKER', permissionKey: 'remediationtracker' },
] as const satisfies readonly ResourceTypeDefinition[];

/** A resource type identifier of the catalogue, such as `PIPELINE` or `GITOPS_AGENT`. */
export type ResourceTypeIdentifier = (typeof RESOURCE_TYPES)[number]['identifier'];

/** The resource types of the scope entities themselves, from the root down. */
export const SCOPE_RESOURCE_TYPES = ['ACCOUNT', 'ORGANIZATION', 'PROJECT'] as const;

/** A resource type that names a scope entity (account, organization or project). */
export type ScopeResourceType = (typeof SCOPE_RESOURCE_TYPES)[number];

const SCOPE_LEVEL_BY_RESOURCE_TYPE: ReadonlyMap<string, ScopeLevel> = new Map<string, ScopeLevel>([
  ['ACCOUNT', 'account'],
  ['ORGANIZATION', 'organization'],
  ['PROJECT', 'project'],
]);

const RESOURCE_TYPE_BY_PERMISSION_KEY: ReadonlyMap<string, string> = new Map(
  RESOURCE_TYPES.map((type) => [type.permissionKey, type.identifier]),
);

const KNOWN_RESOURCE_TYPES: ReadonlySet<string> = new Set(RESOURCE_TYPES.map((type) => type.identifier));

/** True when `resourceType` is `ACCOUNT`, `ORGANIZATION` or `PROJECT`. */
export function isScopeResourceType(resourceType: string): resourceType is ScopeResourceType {
  return SCOPE_LEVEL_BY_RESOURCE_TYPE.has(resourceType);
}

/** The scope level named by a scope resource type; `undefined` for every other resource type. */
export function scopeLevelOfResourceType(resourceType: string): ScopeLevel | undefined {
  return SCOPE_LEVEL_BY_RESOURCE_TYPE.get(resourceType);
}

/** The resource type a permission key maps to (e.g. `environmentgroup` → `ENVIRONMENT_GROUP`). */
export function resourceTypeForPermissionKey(permissionKey: string): string | undefined {
  return RESOURCE_TYPE_BY_PERMISSION_KEY.get(permissionKey);
}

/** True when `resourceType` is one of the catalogue's resource type identifiers (case-sensitive). */
export function isKnownResourceType(resourceType: string): boolean {
  return KNOWN_RESOURCE_TYPES.has(resourceType);
}
