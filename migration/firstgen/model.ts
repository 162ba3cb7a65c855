/**
 * The FirstGen (CurrentGen) model the toolkit reads, normalised from either export shape
 * (reference firstgen §2–§3): account permissions and actions use the internal enum names, filters
 * are discriminated unions, and `null` / `[]` are the same thing.
 */

/** Account permissions (reference firstgen §2.2), internal names, including the deprecated combined ones. */
export const ACCOUNT_PERMISSIONS = [
  'MANAGE_APPLICATIONS',
  'USER_PERMISSION_READ',
  'USER_PERMISSION_MANAGEMENT',
  'TEMPLATE_MANAGEMENT',
  'ACCOUNT_MANAGEMENT',
  'MANAGE_ACCOUNT_DEFAULTS',
  'AUDIT_VIEWER',
  'CREATE_CUSTOM_DASHBOARDS',
  'MANAGE_CUSTOM_DASHBOARDS',
  'MANAGE_TAGS',
  'MANAGE_CONFIG_AS_CODE',
  'MANAGE_CLOUD_PROVIDERS',
  'MANAGE_CONNECTORS',
  'MANAGE_APPLICATION_STACKS',
  'MANAGE_ALERT_NOTIFICATION_RULES',
  'MANAGE_SECRET_MANAGERS',
  'MANAGE_SECRETS',
  'MANAGE_AUTHENTICATION_SETTINGS',
  'MANAGE_IP_WHITELIST',
  'MANAGE_API_KEYS',
  'CE_ADMIN',
  'CE_VIEWER',
  'MANAGE_PIPELINE_GOVERNANCE_STANDARDS',
  'MANAGE_DEPLOYMENT_FREEZES',
  'MANAGE_DELEGATES',
  'MANAGE_DELEGATE_PROFILES',
  'MANAGE_SSH_AND_WINRM',
  'ALLOW_DEPLOYMENTS_DURING_FREEZE',
  'MANAGE_RESTRICTED_ACCESS',
  'HIDE_NEXTGEN_BUTTON',
  'MANAGE_USER_AND_USER_GROUPS_AND_API_KEYS',
  'VIEW_USER_AND_USER_GROUPS_AND_API_KEYS',
  'ACCESS_NEXTGEN',
] as const;

/** One FirstGen account permission (internal name). */
export type AccountPermission = (typeof ACCOUNT_PERMISSIONS)[number];

/** Application permission types (reference firstgen §2.3), internal names. */
export const APP_PERMISSION_TYPES = [
  'ALL_APP_ENTITIES',
  'SERVICE',
  'PROVISIONER',
  'ENV',
  'WORKFLOW',
  'PIPELINE',
  'DEPLOYMENT',
  'APP_TEMPLATE',
] as const;

/** One application permission type. */
export type AppPermissionType = (typeof APP_PERMISSION_TYPES)[number];

/** Actions of application permissions (reference firstgen §2.5), internal names; deprecated EXECUTE is expanded. */
export const APP_ACTIONS = [
  'CREATE',
  'READ',
  'UPDATE',
  'DELETE',
  'EXECUTE_WORKFLOW',
  'EXECUTE_PIPELINE',
  'EXECUTE_WORKFLOW_ROLLBACK',
  'ABORT_WORKFLOW',
] as const;

/** One application action. */
export type AppAction = (typeof APP_ACTIONS)[number];

/** The FirstGen environment types. */
export type EnvironmentType = 'PROD' | 'NON_PROD';

/** Which applications a permission covers; ALL and EXCLUDE_SELECTED are evaluated against the current apps. */
export type AppFilter =
  | { readonly kind: 'ALL' }
  | { readonly kind: 'SELECTED'; readonly ids: readonly string[] }
  | { readonly kind: 'EXCLUDE_SELECTED'; readonly ids: readonly string[] };

/** Services, provisioners, templates, and workflows/pipelines by entity: all of them or the listed ids. */
export type GenericFilter =
  | { readonly kind: 'ALL' }
  | { readonly kind: 'SELECTED'; readonly ids: readonly string[] };

/** Environments by type (an empty type set never occurs: it is normalised to both) or by id. */
export type EnvFilter =
  | { readonly kind: 'TYPES'; readonly types: readonly EnvironmentType[] }
  | { readonly kind: 'SELECTED'; readonly ids: readonly string[] };

/** Workflows by the environment they deploy to; `templates` admits workflows with a templatised environment. */
export interface WorkflowEnvFilter {
  readonly kind: 'BY_ENV';
  readonly types: readonly EnvironmentType[];
  readonly envIds: readonly string[];
  readonly templates: boolean;
}

/** Pipelines by the environments of their stages. */
export interface PipelineEnvFilter {
  readonly kind: 'BY_ENV';
  readonly types: readonly EnvironmentType[];
  readonly envIds: readonly string[];
}

/** A deployment permission's optional restriction to named executables (feature PIPELINE_PER_ENV_DEPLOYMENT_PERMISSION). */
export interface ExecutableFilter {
  readonly elementType: 'PIPELINE' | 'WORKFLOW';
  readonly filter: GenericFilter;
}

/** Fields every application permission has. */
interface AppPermissionBase {
  readonly appFilter: AppFilter;
  readonly actions: readonly AppAction[];
}

/** An application permission: the type decides which entity filter it carries. */
export type AppPermission = AppPermissionBase &
  (
    | { readonly type: 'ALL_APP_ENTITIES' }
    | { readonly type: 'SERVICE' | 'PROVISIONER' | 'APP_TEMPLATE'; readonly filter: GenericFilter }
    | { readonly type: 'ENV'; readonly filter: EnvFilter }
    | { readonly type: 'WORKFLOW'; readonly filter: GenericFilter | WorkflowEnvFilter }
    | { readonly type: 'PIPELINE'; readonly filter: GenericFilter | PipelineEnvFilter }
    | { readonly type: 'DEPLOYMENT'; readonly filter: EnvFilter; readonly executables?: ExecutableFilter }
  );

/** A FirstGen user group with its members and permissions. */
export interface FgUserGroup {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly memberIds: readonly string[];
  readonly accountPermissions: readonly AccountPermission[];
  readonly appPermissions: readonly AppPermission[];
  /**
   * Values of the export's group that were read leniently, each naming its JSON path: unknown
   * permission names, permission types and actions (not migrated, so nobody gains), a missing name.
   */
  readonly ignored?: readonly string[];
}

/** A FirstGen user (the id becomes the NextGen user id). */
export interface FgUser {
  readonly id: string;
  readonly email?: string;
  readonly name?: string;
}

/** A named entity of an application (service, provisioner, template). */
export interface FgEntity {
  readonly id: string;
  readonly name: string;
}

/** An environment with its type. */
export interface FgEnvironment extends FgEntity {
  readonly environmentType: EnvironmentType;
}

/** A workflow: deploys to `envId`, to a templatised environment, or to none (a build workflow). */
export interface FgWorkflow extends FgEntity {
  readonly envId?: string;
  readonly templatized: boolean;
}

/** A pipeline stage: an approval, or a deployment of a workflow (to `envId` when the stage overrides it). */
export type FgPipelineStage =
  | { readonly type: 'APPROVAL' }
  | { readonly type: 'DEPLOYMENT'; readonly workflowId?: string; readonly envId?: string };

/** A pipeline and its stages. */
export interface FgPipeline extends FgEntity {
  readonly stages: readonly FgPipelineStage[];
}

/** An application and its inventory. */
export interface FgApplication extends FgEntity {
  readonly description?: string;
  readonly services: readonly FgEntity[];
  readonly provisioners: readonly FgEntity[];
  readonly templates: readonly FgEntity[];
  readonly environments: readonly FgEnvironment[];
  readonly workflows: readonly FgWorkflow[];
  readonly pipelines: readonly FgPipeline[];
}

/** A whole FirstGen export (DESIGN §10): the account, its users, applications and user groups. */
export interface FgExport {
  readonly accountId: string;
  readonly users: readonly FgUser[];
  readonly applications: readonly FgApplication[];
  readonly userGroups: readonly FgUserGroup[];
}
