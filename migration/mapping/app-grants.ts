import {
  type EffectivePermission,
  envFilterAsByEnv,
  envFilterCovers,
  envIdAllowed,
  pipelineStagesPass,
  workflowCovered,
} from '../firstgen/app-permission-scope.js';
import type { AppAction, EnvFilter, FgApplication, GenericFilter } from '../firstgen/model.js';
import type { AppIdentifiers } from './migration-plan.js';
import type { NgGrant, Selection } from './ng-grant.js';

/** Receives a warning code and message about the permission being mapped. */
export type Warn = (code: string, message: string) => void;

const WORKFLOW_EXECUTION: readonly AppAction[] = [
  'EXECUTE_WORKFLOW',
  'EXECUTE_WORKFLOW_ROLLBACK',
  'ABORT_WORKFLOW',
];

/** NextGen environment type of a FirstGen one (the migrator's rule). */
export const NG_ENVIRONMENT_TYPE = { PROD: 'Production', NON_PROD: 'PreProduction' } as const;

/**
 * The NextGen grants, inside the application's project, of a user group's effective permissions on
 * that application (the application rows of the decision table in `docs/migration.md`):
 * READ/UPDATE/DELETE → `*_view`/`*_edit`/`*_delete` on the covered entities; CREATE → `*_edit` on the
 * whole type only where FirstGen also allows updating every entity of it; workflows and pipelines →
 * pipelines listed by identifier (computed with FirstGen's rules); Deployments with execute, rollback
 * and abort → `core_pipeline_execute` on the covered workflows, EXECUTE_PIPELINE →
 * `core_pipeline_execute` on the covered pipelines, either with `core_environment_access` on the
 * filter's environments and `core_service_access`. Anything narrowed is reported through `warn`.
 */
export function appGrants(
  app: FgApplication,
  identifiers: AppIdentifiers,
  permissions: readonly EffectivePermission[],
  warn: Warn,
): NgGrant[] {
  const grants: NgGrant[] = [];
  for (const permission of mergeTypeWide(permissions)) {
    switch (permission.type) {
      case 'SERVICE':
        grants.push(
          ...genericCrud(
            app,
            'SERVICE',
            'core_service',
            permission.filter,
            identifiers.services,
            permission.actions,
            warn,
          ),
        );
        break;
      case 'APP_TEMPLATE':
        grants.push(
          ...genericCrud(
            app,
            'TEMPLATE',
            'core_template',
            permission.filter,
            identifiers.templates,
            permission.actions,
            warn,
          ),
        );
        break;
      case 'PROVISIONER':
        warn(
          'PROVISIONER_UNSUPPORTED',
          'provisioner permissions are not migrated: NextGen has no provisioner entity',
        );
        break;
      case 'ENV':
        grants.push(...environmentCrud(app, permission.filter, identifiers, permission.actions, warn));
        break;
      case 'WORKFLOW': {
        const covered = app.workflows.filter((workflow) => workflowCovered(app, permission.filter, workflow));
        grants.push(
          ...pipelineCrud(
            app,
            'workflows',
            covered.map((w) => identifiers.workflows[w.id]),
            permission.actions,
            warn,
          ),
        );
        break;
      }
      case 'PIPELINE': {
        const { filter } = permission;
        const covered = app.pipelines.filter((pipeline) =>
          filter.kind === 'BY_ENV'
            ? pipelineStagesPass(app, pipeline, (envId) => envIdAllowed(app, filter, envId))
            : filter.kind === 'ALL' || filter.ids.includes(pipeline.id),
        );
        grants.push(
          ...pipelineCrud(
            app,
            'pipelines',
            covered.map((p) => identifiers.pipelines[p.id]),
            permission.actions,
            warn,
          ),
        );
        break;
      }
      case 'DEPLOYMENT':
        grants.push(...deploymentGrants(app, identifiers, permission, warn));
        break;
    }
  }
  return grants;
}

/** Permissions on all entities of one type are merged, so CREATE and UPDATE from different permissions meet. */
function mergeTypeWide(permissions: readonly EffectivePermission[]): EffectivePermission[] {
  const merged: EffectivePermission[] = [];
  const typeWide = new Map<string, Set<AppAction>>();
  for (const permission of permissions) {
    const wide =
      ((permission.type === 'SERVICE' || permission.type === 'APP_TEMPLATE') &&
        permission.filter.kind === 'ALL') ||
      (permission.type === 'ENV' &&
        permission.filter.kind === 'TYPES' &&
        permission.filter.types.length === 2);
    if (!wide) {
      merged.push(permission);
      continue;
    }
    const actions = typeWide.get(permission.type) ?? new Set<AppAction>();
    for (const action of permission.actions) actions.add(action);
    typeWide.set(permission.type, actions);
  }
  for (const [type, actions] of typeWide) {
    const filter = type === 'ENV' ? { kind: 'TYPES', types: ['PROD', 'NON_PROD'] } : { kind: 'ALL' };
    merged.push({ type, filter, actions: [...actions] } as EffectivePermission);
  }
  return merged;
}

function grant(resourceType: string, permission: string, selection: Selection): NgGrant[] {
  if (selection.kind === 'ids' && selection.ids.length === 0) return [];
  return [{ resourceType, permission, selection }];
}

function mapped(ids: readonly string[], map: Readonly<Record<string, string>>): string[] {
  return ids.flatMap((id) => (map[id] === undefined ? [] : [map[id]]));
}

/** CRUD on services or templates, selected by a generic filter. */
function genericCrud(
  app: FgApplication,
  resourceType: string,
  prefix: string,
  filter: GenericFilter,
  map: Readonly<Record<string, string>>,
  actions: readonly AppAction[],
  warn: Warn,
): NgGrant[] {
  const all = filter.kind === 'ALL';
  const selection: Selection = all ? { kind: 'all' } : { kind: 'ids', ids: mapped(filter.ids, map) };
  const grants: NgGrant[] = [];
  if (actions.includes('READ')) grants.push(...grant(resourceType, `${prefix}_view`, selection));
  if (actions.includes('DELETE')) grants.push(...grant(resourceType, `${prefix}_delete`, selection));
  if (actions.includes('UPDATE')) {
    if (all && !actions.includes('CREATE')) {
      warn(
        'STATIC_SELECTION',
        `${resourceType} update in ${app.name} lists today's ${resourceType.toLowerCase()}s (NextGen edit on all of them would also allow creating)`,
      );
      grants.push(...grant(resourceType, `${prefix}_edit`, { kind: 'ids', ids: Object.values(map) }));
    } else {
      grants.push(...grant(resourceType, `${prefix}_edit`, selection));
    }
  }
  if (actions.includes('CREATE') && !(all && actions.includes('UPDATE'))) {
    warn(
      'CREATE_NARROWED',
      `CREATE of ${resourceType} in ${app.name} is not granted: NextGen create is edit on every ${resourceType.toLowerCase()}, which FirstGen did not give`,
    );
  }
  return grants;
}

function environmentSelection(filter: EnvFilter, identifiers: AppIdentifiers): Selection {
  if (filter.kind === 'SELECTED') return { kind: 'ids', ids: mapped(filter.ids, identifiers.environments) };
  if (filter.types.length === 2) return { kind: 'all' };
  return { kind: 'attribute', name: 'type', values: filter.types.map((type) => NG_ENVIRONMENT_TYPE[type]) };
}

/** CRUD on environments: by type through the `type` attribute, or by identifier. */
function environmentCrud(
  app: FgApplication,
  filter: EnvFilter,
  identifiers: AppIdentifiers,
  actions: readonly AppAction[],
  warn: Warn,
): NgGrant[] {
  const selection = environmentSelection(filter, identifiers);
  const all = selection.kind === 'all';
  const grants: NgGrant[] = [];
  if (actions.includes('READ')) grants.push(...grant('ENVIRONMENT', 'core_environment_view', selection));
  if (actions.includes('DELETE')) grants.push(...grant('ENVIRONMENT', 'core_environment_delete', selection));
  if (actions.includes('UPDATE')) {
    const editSelection: Selection =
      all && !actions.includes('CREATE')
        ? { kind: 'attribute', name: 'type', values: ['Production', 'PreProduction'] }
        : selection;
    grants.push(...grant('ENVIRONMENT', 'core_environment_edit', editSelection));
  }
  if (actions.includes('CREATE') && !(all && actions.includes('UPDATE'))) {
    warn(
      'CREATE_NARROWED',
      `CREATE of environments in ${app.name} is not granted: NextGen cannot limit creation by environment type`,
    );
  }
  return grants;
}

/** CRUD on the pipelines that workflows or pipelines became, listed by identifier. */
function pipelineCrud(
  app: FgApplication,
  what: 'workflows' | 'pipelines',
  ids: readonly (string | undefined)[],
  actions: readonly AppAction[],
  warn: Warn,
): NgGrant[] {
  const selection: Selection = { kind: 'ids', ids: ids.filter((id): id is string => id !== undefined) };
  const grants: NgGrant[] = [];
  if (actions.includes('READ')) grants.push(...grant('PIPELINE', 'core_pipeline_view', selection));
  if (actions.includes('UPDATE')) grants.push(...grant('PIPELINE', 'core_pipeline_edit', selection));
  if (actions.includes('DELETE')) grants.push(...grant('PIPELINE', 'core_pipeline_delete', selection));
  if (actions.includes('CREATE')) {
    warn(
      'CREATE_NARROWED',
      `CREATE of ${what} in ${app.name} is not granted: NextGen create is edit on every pipeline`,
    );
  }
  if (actions.some((action) => action !== 'CREATE')) {
    warn(
      'STATIC_SELECTION',
      `${what} permissions in ${app.name} list today's ${what}; ${what} added later are not covered`,
    );
  }
  return grants;
}

/** Execution grants of one Deployments permission (§4.8). */
function deploymentGrants(
  app: FgApplication,
  identifiers: AppIdentifiers,
  permission: Extract<EffectivePermission, { type: 'DEPLOYMENT' }>,
  warn: Warn,
): NgGrant[] {
  const { filter, actions, executables } = permission;
  const byEnv = envFilterAsByEnv(filter);
  const executable: string[] = [];
  const workflowActions = WORKFLOW_EXECUTION.filter((action) => actions.includes(action));
  if (workflowActions.length === WORKFLOW_EXECUTION.length && executables?.elementType !== 'PIPELINE') {
    if (permission.unrestricted || app.environments.some((env) => envFilterCovers(filter, env))) {
      for (const workflow of app.workflows) {
        if (
          executables &&
          !(executables.filter.kind === 'ALL' || executables.filter.ids.includes(workflow.id))
        )
          continue;
        if (!workflowCovered(app, { kind: 'BY_ENV', ...byEnv, templates: true }, workflow)) continue;
        if (workflow.templatized) {
          warn(
            'TEMPLATIZED_WORKFLOW',
            `running templatised workflow ${workflow.name} in ${app.name} is not granted: NextGen cannot tie the run-time environment to this permission`,
          );
          continue;
        }
        const id = identifiers.workflows[workflow.id];
        if (id) executable.push(id);
      }
    }
  } else if (workflowActions.length > 0) {
    warn(
      'PARTIAL_WORKFLOW_EXECUTION',
      `workflow execution in ${app.name} is not granted: NextGen has one execute permission, so FirstGen must allow execute, rollback and abort together`,
    );
  }
  if (actions.includes('EXECUTE_PIPELINE') && executables?.elementType !== 'WORKFLOW') {
    for (const pipeline of app.pipelines) {
      if (executables && !(executables.filter.kind === 'ALL' || executables.filter.ids.includes(pipeline.id)))
        continue;
      if (
        !permission.unrestricted &&
        !pipelineStagesPass(app, pipeline, (envId) => envIdAllowed(app, byEnv, envId))
      )
        continue;
      const id = identifiers.pipelines[pipeline.id];
      if (id) executable.push(id);
    }
  }
  if (actions.includes('READ')) {
    warn(
      'DEPLOYMENT_READ',
      `READ on deployments in ${app.name} has no NextGen permission of its own (execution history follows pipeline view)`,
    );
  }
  if (executable.length === 0) return [];
  return [
    ...grant('PIPELINE', 'core_pipeline_execute', { kind: 'ids', ids: executable }),
    ...grant('ENVIRONMENT', 'core_environment_access', environmentSelection(filter, identifiers)),
    ...grant('SERVICE', 'core_service_access', { kind: 'all' }),
  ];
}
