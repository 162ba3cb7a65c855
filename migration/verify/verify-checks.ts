import type { AccessCheck } from '../../functions/core/access-check.js';
import { accountScope, type Scope } from '../../functions/core/scope.js';
import { findEnvironment, pipelineEnvironments } from '../firstgen/app-permission-scope.js';
import type { FgEntityAction, FgEntityKind, FirstGenAccess } from '../firstgen/firstgen-evaluator.js';
import { ACCOUNT_PERMISSIONS, type FgApplication, type FgExport } from '../firstgen/model.js';
import { ACCOUNT_PERMISSION_TABLE } from '../mapping/account-permission-table.js';
import { NG_ENVIRONMENT_TYPE } from '../mapping/app-grants.js';
import type { AppIdentifiers, MigrationPlan } from '../mapping/migration-plan.js';

/**
 * One comparison of `migrate verify`: a FirstGen action on an entity (or an account permission),
 * FirstGen's decision for a user, and the NextGen checks that must all be permitted for the
 * migrated access to match. An empty `nextGen` list means NextGen has no equivalent (always denied).
 */
export interface VerifyCheck {
  readonly label: string;
  /** What kind of decision this is, without entity names (`READ SERVICE`, `EXECUTE_PIPELINE`…): reasons are aggregated by it. */
  readonly category: string;
  /** The application the check is about; absent for account permissions. */
  readonly appId?: string;
  readonly firstGen: (access: FirstGenAccess) => boolean;
  readonly nextGen: readonly AccessCheck[];
  /** Why NextGen denies when it does by design (the decision table); `undefined` uses the evaluator's reason. */
  readonly narrowedBecause?: string;
  /**
   * Workflow execution only: the run, rollback and abort checks of one workflow in one target
   * environment share this key, since NextGen grants the three together or not at all.
   */
  readonly executionOf?: string;
  /**
   * Why NextGen denies when only the main reading of FirstGen allows (the literal one denies): the
   * cross-permission step of reference firstgen §4.7 for pipelines, which the mapping does not reproduce.
   */
  readonly ambiguousNarrowedBecause?: string;
}

const CROSS_PERMISSION_REASON =
  "a stage passes only through another permission's environment (reference firstgen §4.7, cross-permission step), which the mapping does not reproduce: NextGen grants a pipeline for a permission covering every stage";

/** Why NextGen denies running, rolling back or aborting a workflow where FirstGen allows only some of the three. */
export const PARTIAL_EXECUTION_REASON =
  'NextGen has one execute permission, so FirstGen must allow run, rollback and abort together: here it allows only some of them (PARTIAL_WORKFLOW_EXECUTION)';

/** Why NextGen denies a workflow execution FirstGen allows in full, but only by combining permissions. */
export const COMBINED_EXECUTION_REASON =
  'FirstGen allows run, rollback and abort here only by combining permissions; NextGen grants execution per permission holding all three (PARTIAL_WORKFLOW_EXECUTION)';

const ENTITY_ACTIONS: readonly FgEntityAction[] = ['READ', 'UPDATE', 'DELETE'];
const SUFFIX: Readonly<Record<FgEntityAction, string>> = { READ: 'view', UPDATE: 'edit', DELETE: 'delete' };
const CREATE_REASON =
  'NextGen create is edit on every resource of the type, granted only where FirstGen allows updating all of them';

/**
 * Every comparison over the export: each account permission of the decision table, and for each
 * application every entity × CRUD action, CREATE per type, workflow execution (run, rollback,
 * abort; templatised workflows in every environment of the application) and pipeline execution.
 */
export function verifyChecks(fgExport: FgExport, plan: MigrationPlan): VerifyCheck[] {
  const checks = accountChecks(plan);
  for (const app of fgExport.applications) {
    const project = plan.projects.find((candidate) => candidate.appId === app.id)?.scope;
    const identifiers = plan.appIdentifiers[app.id];
    if (project && identifiers) checks.push(...applicationChecks(app, project, identifiers));
  }
  return checks;
}

/** The comparisons of the account permissions of the decision table (account-scope probes). */
export function accountChecks(plan: Pick<MigrationPlan, 'targetAccountId' | 'organization'>): VerifyCheck[] {
  const checks: VerifyCheck[] = [];
  const account = accountScope(plan.targetAccountId);
  for (const permission of ACCOUNT_PERMISSIONS) {
    const row = ACCOUNT_PERMISSION_TABLE[permission];
    if (row.fidelity === 'not-applicable' || (row.probes.length === 0 && row.fidelity === 'exact')) continue;
    checks.push({
      label: `account permission ${permission}`,
      category: `account permission ${permission}`,
      firstGen: (access) => access.hasAccountPermission(permission),
      nextGen: row.probes.map((probe) => ({
        permission: probe.permission,
        resourceType: probe.resourceType,
        resourceScope: probe.atOrganization ? plan.organization : account,
        ...(probe.resourceType === 'ACCOUNT' ? { resourceIdentifier: plan.targetAccountId } : {}),
        ...(probe.identifier ? { resourceIdentifier: probe.identifier } : {}),
        ...(probe.attributes ? { resourceAttributes: probe.attributes } : {}),
      })),
      ...(row.fidelity !== 'exact' ? { narrowedBecause: row.note } : {}),
    });
  }
  return checks;
}

function applicationChecks(app: FgApplication, project: Scope, ids: AppIdentifiers): VerifyCheck[] {
  const checks: VerifyCheck[] = [];
  const at = (
    permission: string,
    resourceType: string,
    resourceIdentifier?: string,
    attributes?: Record<string, string>,
  ): AccessCheck => ({
    permission,
    resourceType,
    resourceScope: project,
    ...(resourceIdentifier ? { resourceIdentifier } : {}),
    ...(attributes ? { resourceAttributes: attributes } : {}),
  });
  const envAttributes = (envId: string | undefined) => {
    const env = findEnvironment(app, envId);
    return env ? { type: NG_ENVIRONMENT_TYPE[env.environmentType] } : undefined;
  };
  const crud = (
    kind: FgEntityKind,
    entities: readonly { id: string; name: string }[],
    map: Readonly<Record<string, string>> | undefined,
    resourceType: string,
    prefix: string,
  ) => {
    for (const entity of entities) {
      for (const action of ENTITY_ACTIONS) {
        const ngId = map?.[entity.id];
        checks.push({
          label: `${action} ${kind} ${entity.name} in ${app.name}`,
          category: `${action} ${kind}`,
          appId: app.id,
          firstGen: (access) => access.canActOnEntity(app, kind, entity.id, action),
          nextGen:
            map && ngId
              ? [
                  at(
                    `${prefix}_${SUFFIX[action]}`,
                    resourceType,
                    ngId,
                    kind === 'ENV' ? envAttributes(entity.id) : undefined,
                  ),
                ]
              : [],
          ...(map ? {} : { narrowedBecause: 'provisioners have no NextGen entity' }),
          ...(kind === 'PIPELINE' ? { ambiguousNarrowedBecause: CROSS_PERMISSION_REASON } : {}),
        });
      }
    }
    const create = (environmentType?: 'PROD' | 'NON_PROD') =>
      checks.push({
        label: `CREATE ${kind}${environmentType ? ` (${environmentType})` : ''} in ${app.name}`,
        category: `CREATE ${kind}`,
        appId: app.id,
        firstGen: (access) => access.canCreate(app, kind, environmentType),
        nextGen: map ? [at(`${prefix}_edit`, resourceType)] : [],
        narrowedBecause: map ? CREATE_REASON : 'provisioners have no NextGen entity',
      });
    if (kind === 'ENV') {
      create('PROD');
      create('NON_PROD');
    } else create();
  };
  crud('SERVICE', app.services, ids.services, 'SERVICE', 'core_service');
  crud('PROVISIONER', app.provisioners, undefined, 'PROVISIONER', '');
  crud('APP_TEMPLATE', app.templates, ids.templates, 'TEMPLATE', 'core_template');
  crud('ENV', app.environments, ids.environments, 'ENVIRONMENT', 'core_environment');
  crud('WORKFLOW', app.workflows, ids.workflows, 'PIPELINE', 'core_pipeline');
  crud('PIPELINE', app.pipelines, ids.pipelines, 'PIPELINE', 'core_pipeline');
  for (const workflow of app.workflows) {
    const ngId = ids.workflows[workflow.id];
    const targets = workflow.templatized ? app.environments.map((env) => env.id) : [workflow.envId];
    for (const action of ['EXECUTE_WORKFLOW', 'EXECUTE_WORKFLOW_ROLLBACK', 'ABORT_WORKFLOW'] as const) {
      for (const target of targets) {
        const nextGen = ngId ? [at('core_pipeline_execute', 'PIPELINE', ngId)] : [];
        if (target !== undefined && ngId) {
          nextGen.push(
            at(
              'core_environment_access',
              'ENVIRONMENT',
              ids.environments[target] ?? target,
              envAttributes(target),
            ),
          );
        }
        checks.push({
          label: `${action} workflow ${workflow.name}${target ? ` in ${findEnvironment(app, target)?.name ?? target}` : ''} (${app.name})`,
          category: `${action} ${workflow.templatized ? 'templatised ' : target === undefined ? 'environment-less ' : ''}workflow`,
          appId: app.id,
          firstGen: (access) => access.canExecuteWorkflow(app, workflow.id, action, target),
          nextGen,
          executionOf: `${app.id}\u0000${workflow.id}\u0000${target ?? ''}`,
          ...(workflow.templatized
            ? {
                narrowedBecause:
                  'templatised workflows: NextGen cannot tie the run-time environment to the permission',
              }
            : {}),
        });
      }
    }
  }
  for (const pipeline of app.pipelines) {
    const ngId = ids.pipelines[pipeline.id];
    checks.push({
      label: `EXECUTE_PIPELINE ${pipeline.name} (${app.name})`,
      category: 'EXECUTE_PIPELINE',
      appId: app.id,
      ambiguousNarrowedBecause: CROSS_PERMISSION_REASON,
      firstGen: (access) => access.canExecutePipeline(app, pipeline.id),
      nextGen: ngId
        ? [
            at('core_pipeline_execute', 'PIPELINE', ngId),
            ...pipelineEnvironments(app, pipeline).map((envId) =>
              at(
                'core_environment_access',
                'ENVIRONMENT',
                ids.environments[envId] ?? envId,
                envAttributes(envId),
              ),
            ),
          ]
        : [],
    });
  }
  return checks;
}
