import {
  type EffectivePermission,
  envFilterAsByEnv,
  envFilterCovers,
  envIdAllowed,
  findEnvironment,
  pipelineStagesPass,
  workflowCovered,
} from '../firstgen/app-permission-scope.js';
import type { AppAction, EnvFilter, FgApplication, FgWorkflow, GenericFilter } from '../firstgen/model.js';
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
 * pipelines listed by identifier (computed with FirstGen's rules), or the whole PIPELINE type for the
 * actions held on every workflow and every pipeline by rule ({@link typeWidePipelineActions});
 * Deployments with execute, rollback and abort → `core_pipeline_execute` on the covered workflows,
 * EXECUTE_PIPELINE → `core_pipeline_execute` on the covered pipelines, either with
 * `core_environment_access` on the filter's environments and `core_service_access` (the whole
 * PIPELINE type when the permission runs everything: {@link runsEverything}). Anything narrowed is
 * reported through `warn`.
 */
export function appGrants(
  app: FgApplication,
  identifiers: AppIdentifiers,
  permissions: readonly EffectivePermission[],
  warn: Warn,
): NgGrant[] {
  const typeWide = typeWidePipelineActions(permissions);
  const grants: NgGrant[] = [...typeWidePipelineGrants(typeWide)];
  const listed = (actions: readonly AppAction[]) => actions.filter((action) => !typeWide.has(action));
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
            listed(permission.actions),
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
            listed(permission.actions),
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

const PIPELINE_CRUD: Readonly<Partial<Record<AppAction, string>>> = {
  READ: 'core_pipeline_view',
  UPDATE: 'core_pipeline_edit',
  DELETE: 'core_pipeline_delete',
};

/**
 * The CRUD actions a group holds on every workflow *and* every pipeline of the application by rule
 * (entity filter ALL on both kinds, e.g. `ALL_APP_ENTITIES`), so that NextGen may grant them on the
 * whole PIPELINE type: exact today and for entities created later. UPDATE counts only together with
 * CREATE on both kinds (NextGen create is edit on every pipeline); CREATE is then in the set too.
 */
export function typeWidePipelineActions(permissions: readonly EffectivePermission[]): ReadonlySet<AppAction> {
  const onAll = (type: 'WORKFLOW' | 'PIPELINE', action: AppAction) =>
    permissions.some(
      (permission) =>
        permission.type === type && permission.filter.kind === 'ALL' && permission.actions.includes(action),
    );
  const creates = (type: 'WORKFLOW' | 'PIPELINE') =>
    permissions.some((permission) => permission.type === type && permission.actions.includes('CREATE'));
  const both = (action: AppAction) => onAll('WORKFLOW', action) && onAll('PIPELINE', action);
  const actions = new Set<AppAction>();
  if (both('READ')) actions.add('READ');
  if (both('DELETE')) actions.add('DELETE');
  if (both('UPDATE') && creates('WORKFLOW') && creates('PIPELINE')) {
    actions.add('UPDATE');
    actions.add('CREATE');
  }
  return actions;
}

function typeWidePipelineGrants(actions: ReadonlySet<AppAction>): NgGrant[] {
  return [...actions].flatMap((action) => {
    const permission = PIPELINE_CRUD[action];
    return permission ? grant('PIPELINE', permission, { kind: 'all' }) : [];
  });
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

/**
 * True when a Deployments permission lets FirstGen run every workflow (templatised ones in every
 * environment, build workflows too) and every pipeline of the application by rule, with all four
 * execution actions and no executable filter: the unrestricted Deployments part of
 * `ALL_APP_ENTITIES` (§4.3), or an environment filter on both types in an application that has
 * environments (§4.8) and no pipeline with a deployment stage lacking its workflow; in either case
 * no workflow may name an environment missing from the inventory (FirstGen refuses to run those).
 * NextGen then grants `core_pipeline_execute` on the whole PIPELINE type with
 * `core_environment_access` on every environment, which decides every run as FirstGen does.
 */
export function runsEverything(
  app: FgApplication,
  permission: Extract<EffectivePermission, { type: 'DEPLOYMENT' }>,
): boolean {
  const { filter, actions } = permission;
  const everyEnvironment =
    filter.kind === 'TYPES' &&
    filter.types.length === 2 &&
    app.environments.length > 0 &&
    app.pipelines.every((pipeline) => pipelineStagesPass(app, pipeline, () => true));
  return (
    (permission.unrestricted === true || everyEnvironment) &&
    permission.executables === undefined &&
    [...WORKFLOW_EXECUTION, 'EXECUTE_PIPELINE' as const].every((action) => actions.includes(action)) &&
    !app.workflows.some((workflow) => deploysToMissingEnvironment(app, workflow))
  );
}

/** True for a workflow bound to an environment the application's inventory does not have. */
function deploysToMissingEnvironment(app: FgApplication, workflow: FgWorkflow): boolean {
  return (
    !workflow.templatized &&
    workflow.envId !== undefined &&
    findEnvironment(app, workflow.envId) === undefined
  );
}

/** Execution grants of one Deployments permission (§4.8). */
function deploymentGrants(
  app: FgApplication,
  identifiers: AppIdentifiers,
  permission: Extract<EffectivePermission, { type: 'DEPLOYMENT' }>,
  warn: Warn,
): NgGrant[] {
  const { filter, actions, executables } = permission;
  if (actions.includes('READ')) {
    warn(
      'DEPLOYMENT_READ',
      `READ on deployments in ${app.name} has no NextGen permission of its own (execution history follows pipeline view)`,
    );
  }
  if (runsEverything(app, permission)) {
    return [
      ...grant('PIPELINE', 'core_pipeline_execute', { kind: 'all' }),
      ...grant('ENVIRONMENT', 'core_environment_access', { kind: 'all' }),
      ...grant('SERVICE', 'core_service_access', { kind: 'all' }),
    ];
  }
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
        // FirstGen runs a workflow only in an environment of the inventory (§4.8): one that names a
        // missing environment never runs, so it is not granted (another permission's environment
        // access would otherwise let it run).
        if (deploysToMissingEnvironment(app, workflow)) continue;
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
  if (executable.length === 0) return [];
  return [
    ...grant('PIPELINE', 'core_pipeline_execute', { kind: 'ids', ids: executable }),
    ...grant('ENVIRONMENT', 'core_environment_access', environmentSelection(filter, identifiers)),
    ...grant('SERVICE', 'core_service_access', { kind: 'all' }),
  ];
}
