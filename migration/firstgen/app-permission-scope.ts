import type {
  AppAction,
  AppFilter,
  AppPermission,
  EnvFilter,
  EnvironmentType,
  ExecutableFilter,
  FgApplication,
  FgEnvironment,
  FgPipeline,
  FgWorkflow,
  GenericFilter,
  PipelineEnvFilter,
  WorkflowEnvFilter,
} from './model.js';

/**
 * The pure rules of reference firstgen §4.2–§4.7 that decide which entities one permission covers:
 * application filters, `ALL_APP_ENTITIES` expansion, environment, workflow and pipeline filters.
 * Both the FirstGen evaluator and the mapping use them, so they agree on what a permission means.
 */

/** An application permission after `ALL_APP_ENTITIES` expansion: one entity type, its filter and actions. */
export type EffectivePermission =
  | {
      readonly type: 'SERVICE' | 'PROVISIONER' | 'APP_TEMPLATE';
      readonly filter: GenericFilter;
      readonly actions: readonly AppAction[];
    }
  | { readonly type: 'ENV'; readonly filter: EnvFilter; readonly actions: readonly AppAction[] }
  | {
      readonly type: 'WORKFLOW';
      readonly filter: GenericFilter | WorkflowEnvFilter;
      readonly actions: readonly AppAction[];
    }
  | {
      readonly type: 'PIPELINE';
      readonly filter: GenericFilter | PipelineEnvFilter;
      readonly actions: readonly AppAction[];
    }
  | {
      readonly type: 'DEPLOYMENT';
      readonly filter: EnvFilter;
      readonly executables?: ExecutableFilter;
      readonly actions: readonly AppAction[];
      /**
       * From `ALL_APP_ENTITIES`, whose entity filter is null, i.e. everything (§4.3): it grants every
       * workflow, even in an application without environments.
       */
      readonly unrestricted?: true;
    };

const ALL_ENVS: EnvFilter = { kind: 'TYPES', types: ['PROD', 'NON_PROD'] };

/** True when the application filter covers `appId` (ALL and EXCLUDE_SELECTED are dynamic, §4.2). */
export function appFilterCovers(filter: AppFilter, appId: string): boolean {
  switch (filter.kind) {
    case 'ALL':
      return true;
    case 'SELECTED':
      return filter.ids.includes(appId);
    case 'EXCLUDE_SELECTED':
      return !filter.ids.includes(appId);
  }
}

/**
 * The effective permissions of one application permission (§4.3): `ALL_APP_ENTITIES` becomes one
 * unrestricted permission per entity type; a permission without actions is ignored (§4.4).
 */
export function effectivePermissions(permission: AppPermission): EffectivePermission[] {
  const { actions } = permission;
  if (actions.length === 0) return [];
  switch (permission.type) {
    case 'ALL_APP_ENTITIES':
      return [
        { type: 'SERVICE', filter: { kind: 'ALL' }, actions },
        { type: 'PROVISIONER', filter: { kind: 'ALL' }, actions },
        { type: 'APP_TEMPLATE', filter: { kind: 'ALL' }, actions },
        { type: 'ENV', filter: ALL_ENVS, actions },
        { type: 'WORKFLOW', filter: { kind: 'ALL' }, actions },
        { type: 'PIPELINE', filter: { kind: 'ALL' }, actions },
        { type: 'DEPLOYMENT', filter: ALL_ENVS, actions, unrestricted: true },
      ];
    case 'DEPLOYMENT':
      return [
        {
          type: 'DEPLOYMENT',
          filter: permission.filter,
          actions,
          ...(permission.executables ? { executables: permission.executables } : {}),
        },
      ];
    default:
      return [{ type: permission.type, filter: permission.filter, actions } as EffectivePermission];
  }
}

/** True when a generic filter covers the entity id. */
export function genericCovers(filter: GenericFilter, id: string): boolean {
  return filter.kind === 'ALL' || filter.ids.includes(id);
}

/** True when the environment filter covers the environment (§4.5). */
export function envFilterCovers(filter: EnvFilter, env: FgEnvironment): boolean {
  return filter.kind === 'SELECTED'
    ? filter.ids.includes(env.id)
    : filter.types.includes(env.environmentType);
}

/** The environment of `app` with this id, if the inventory has it. */
export function findEnvironment(app: FgApplication, envId: string | undefined): FgEnvironment | undefined {
  return envId === undefined ? undefined : app.environments.find((env) => env.id === envId);
}

/** True when an environment id lies in the allowed set of a by-environment filter: listed, or of a listed type. */
export function envIdAllowed(
  app: FgApplication,
  filter: { readonly types: readonly EnvironmentType[]; readonly envIds: readonly string[] },
  envId: string,
): boolean {
  if (filter.envIds.includes(envId)) return true;
  const env = findEnvironment(app, envId);
  return env !== undefined && filter.types.includes(env.environmentType);
}

/** The by-environment form of an environment filter (for deployments checked against workflows/pipelines). */
export function envFilterAsByEnv(filter: EnvFilter): {
  types: readonly EnvironmentType[];
  envIds: readonly string[];
} {
  return filter.kind === 'SELECTED' ? { types: [], envIds: filter.ids } : { types: filter.types, envIds: [] };
}

/**
 * The workflow rule of §4.6: a templatised workflow is covered only with `templates`; a workflow
 * without environment (a build workflow) is covered (the code's behaviour, `envless: true`) or not
 * (the literal reading of the documentation sentence quoted in §4.6, `envless: false`); otherwise its
 * environment must be allowed.
 */
export function workflowCovered(
  app: FgApplication,
  filter: GenericFilter | WorkflowEnvFilter,
  workflow: FgWorkflow,
  envless = true,
): boolean {
  if (filter.kind !== 'BY_ENV') return genericCovers(filter, workflow.id);
  if (workflow.templatized) return filter.templates;
  if (workflow.envId === undefined) return envless;
  return envIdAllowed(app, filter, workflow.envId);
}

/**
 * The environment a pipeline stage deploys to, `'pass'` for a stage that passes whatever the filter
 * (approval, unresolvable or templatised environment, environment-less workflow — §4.7), or `'fail'`
 * for a deployment stage without a workflow.
 */
export function stageEnvironment(
  app: FgApplication,
  stage: FgPipeline['stages'][number],
): string | 'pass' | 'fail' {
  if (stage.type === 'APPROVAL') return 'pass';
  if (stage.workflowId === undefined) return 'fail';
  const workflow = app.workflows.find((candidate) => candidate.id === stage.workflowId);
  if (!workflow) return 'pass';
  const envId = stage.envId ?? (workflow.templatized ? undefined : workflow.envId);
  if (envId === undefined || findEnvironment(app, envId) === undefined) return 'pass';
  return envId;
}

/** True when every stage of the pipeline passes with `allowed` deciding the stages that name an environment. */
export function pipelineStagesPass(
  app: FgApplication,
  pipeline: FgPipeline,
  allowed: (envId: string) => boolean,
): boolean {
  return pipeline.stages.every((stage) => {
    const env = stageEnvironment(app, stage);
    return env === 'pass' ? true : env === 'fail' ? false : allowed(env);
  });
}

/** The environments a pipeline's stages deploy to (resolvable ones only). */
export function pipelineEnvironments(app: FgApplication, pipeline: FgPipeline): string[] {
  const envs = new Set<string>();
  for (const stage of pipeline.stages) {
    const env = stageEnvironment(app, stage);
    if (env !== 'pass' && env !== 'fail') envs.add(env);
  }
  return [...envs];
}
