import { withImplied } from './account-permission-implications.js';
import {
  appFilterCovers,
  type EffectivePermission,
  effectivePermissions,
  envFilterAsByEnv,
  envFilterCovers,
  envIdAllowed,
  findEnvironment,
  genericCovers,
  pipelineEnvironments,
  pipelineStagesPass,
  workflowCovered,
} from './app-permission-scope.js';
import type { AccountPermission, AppAction, EnvironmentType, FgApplication, FgUserGroup } from './model.js';

/** Entity kinds whose CRUD FirstGen authorises per entity. */
export type FgEntityKind = 'SERVICE' | 'PROVISIONER' | 'APP_TEMPLATE' | 'ENV' | 'WORKFLOW' | 'PIPELINE';

/** The per-entity CRUD actions (CREATE is an application-level flag, §4.4). */
export type FgEntityAction = 'READ' | 'UPDATE' | 'DELETE';

/** The workflow execution actions of §4.8. */
export type FgWorkflowExecution = 'EXECUTE_WORKFLOW' | 'EXECUTE_WORKFLOW_ROLLBACK' | 'ABORT_WORKFLOW';

type DeploymentPermission = Extract<EffectivePermission, { type: 'DEPLOYMENT' }>;

/**
 * Which reading of the reference's rules decides (`docs/migration.md`, "Two readings"):
 * - `main`: the code's behaviour as the reference reports it, order-independent, with every
 *   implication of `ACCOUNT_PERMISSION_IMPLICATIONS`;
 * - `literal`: the reference's sentences taken word for word — only stated implications; §4.8's
 *   "only if at least one env matches F in that app" also for `ALL_APP_ENTITIES`; §4.6's
 *   documentation sentence that environment permissions do not apply to build workflows; §4.7 without
 *   the cross-permission step (one permission must pass every stage).
 * Decisions on which the two disagree are reported as ambiguous.
 */
export type FirstGenReading = 'main' | 'literal';

/**
 * FirstGen's decisions for one user (reference firstgen §4), from the union of the user's groups:
 * account permissions, CRUD per entity, the application-level CREATE flag, and execution of
 * workflows and pipelines (only the Deployments type grants execution; every pipeline stage must
 * pass). The order-dependent cross-permission pipeline rule of §4.7 is read order-independently:
 * a stage environment passes when any environment-based permission holding the action allows it.
 */
export class FirstGenAccess {
  private readonly accountPermissions: ReadonlySet<AccountPermission>;
  private readonly permissionsByApp = new Map<string, EffectivePermission[]>();

  private readonly literal: boolean;

  /** Collects the groups' permissions for the given applications, to be decided under `reading`. */
  constructor(
    groups: readonly FgUserGroup[],
    applications: readonly FgApplication[],
    reading: FirstGenReading = 'main',
  ) {
    this.literal = reading === 'literal';
    this.accountPermissions = withImplied(
      groups.flatMap((group) => group.accountPermissions),
      this.literal ? 'stated' : 'all',
    );
    for (const app of applications) {
      const effective = groups.flatMap((group) =>
        group.appPermissions
          .filter((permission) => appFilterCovers(permission.appFilter, app.id))
          .flatMap(effectivePermissions),
      );
      this.permissionsByApp.set(app.id, effective);
    }
  }

  /** Whether any application permission of the user's groups covers the application (else every app decision is a denial). */
  hasPermissionsIn(appId: string): boolean {
    return (this.permissionsByApp.get(appId)?.length ?? 0) > 0;
  }

  /** Whether the user holds the account permission (directly or by implication). */
  hasAccountPermission(permission: AccountPermission): boolean {
    return this.accountPermissions.has(permission);
  }

  /** Whether the user may READ, UPDATE or DELETE one entity of the application. */
  canActOnEntity(app: FgApplication, kind: FgEntityKind, entityId: string, action: FgEntityAction): boolean {
    return this.permissions(app).some((permission) => {
      if (permission.type !== kind || !permission.actions.includes(action)) return false;
      return this.entityCovered(app, permission, entityId, action);
    });
  }

  /**
   * Whether the user may create entities of `kind` in the application (§4.4): some permission of
   * that type holds CREATE; for environments its filter must admit `environmentType`.
   */
  canCreate(app: FgApplication, kind: FgEntityKind, environmentType?: EnvironmentType): boolean {
    return this.permissions(app).some((permission) => {
      if (permission.type !== kind || !permission.actions.includes('CREATE')) return false;
      if (permission.type !== 'ENV' || environmentType === undefined) return true;
      return permission.filter.kind === 'TYPES' && permission.filter.types.includes(environmentType);
    });
  }

  /**
   * Whether the user may run (or roll back, or abort) the workflow in `targetEnvId` (§4.8): a
   * Deployments permission with the action must cover the workflow, and the target environment must
   * be in the user's environments for that action. A workflow without environment needs no target.
   */
  canExecuteWorkflow(
    app: FgApplication,
    workflowId: string,
    action: FgWorkflowExecution,
    targetEnvId?: string,
  ): boolean {
    const workflow = app.workflows.find((candidate) => candidate.id === workflowId);
    if (!workflow) return false;
    const deployments = this.deployments(app, action).filter(
      (permission) => permission.executables?.elementType !== 'PIPELINE',
    );
    const carries = deployments.some(
      (permission) =>
        (!permission.executables || genericCovers(permission.executables.filter, workflowId)) &&
        ((permission.unrestricted && !this.literal) ||
          (app.environments.some((env) => envFilterCovers(permission.filter, env)) &&
            workflowCovered(
              app,
              { kind: 'BY_ENV', ...envFilterAsByEnv(permission.filter), templates: true },
              workflow,
              !this.literal,
            ))),
    );
    if (!carries) return false;
    if (targetEnvId === undefined) return !workflow.templatized;
    const env = findEnvironment(app, targetEnvId);
    return env !== undefined && deployments.some((permission) => envFilterCovers(permission.filter, env));
  }

  /**
   * Whether the user may run the pipeline (§4.7–4.8): some applicable Deployments permission holds
   * EXECUTE_PIPELINE, and every stage environment is among the environments of the applicable ones.
   */
  canExecutePipeline(app: FgApplication, pipelineId: string): boolean {
    const pipeline = app.pipelines.find((candidate) => candidate.id === pipelineId);
    if (!pipeline) return false;
    const applicable = this.deployments(app, 'EXECUTE_PIPELINE').filter(
      (permission) =>
        permission.executables?.elementType !== 'WORKFLOW' &&
        (!permission.executables || genericCovers(permission.executables.filter, pipelineId)),
    );
    if (applicable.length === 0) return false;
    const allowedBy = (permission: DeploymentPermission) => (envId: string) =>
      envIdAllowed(app, envFilterAsByEnv(permission.filter), envId);
    const allowed = (envId: string) => applicable.some((permission) => allowedBy(permission)(envId));
    const carried = this.literal
      ? applicable.some((permission) => pipelineStagesPass(app, pipeline, allowedBy(permission)))
      : applicable.some((permission) => permission.unrestricted) ||
        pipelineStagesPass(app, pipeline, allowed);
    return carried && pipelineEnvironments(app, pipeline).every(allowed);
  }

  private permissions(app: FgApplication): readonly EffectivePermission[] {
    return this.permissionsByApp.get(app.id) ?? [];
  }

  private deployments(app: FgApplication, action: AppAction): DeploymentPermission[] {
    return this.permissions(app).filter(
      (permission): permission is DeploymentPermission =>
        permission.type === 'DEPLOYMENT' && permission.actions.includes(action),
    );
  }

  private entityCovered(
    app: FgApplication,
    permission: EffectivePermission,
    entityId: string,
    action: AppAction,
  ): boolean {
    switch (permission.type) {
      case 'SERVICE':
      case 'PROVISIONER':
      case 'APP_TEMPLATE':
        return genericCovers(permission.filter, entityId);
      case 'ENV': {
        const env = findEnvironment(app, entityId);
        return env !== undefined && envFilterCovers(permission.filter, env);
      }
      case 'WORKFLOW': {
        const workflow = app.workflows.find((candidate) => candidate.id === entityId);
        return workflow !== undefined && workflowCovered(app, permission.filter, workflow, !this.literal);
      }
      case 'PIPELINE': {
        if (permission.filter.kind !== 'BY_ENV') return genericCovers(permission.filter, entityId);
        const pipeline = app.pipelines.find((candidate) => candidate.id === entityId);
        if (!pipeline) return false;
        const own = permission.filter;
        if (this.literal) return pipelineStagesPass(app, pipeline, (envId) => envIdAllowed(app, own, envId));
        const byEnv = this.permissions(app).filter(
          (other) =>
            other.type === 'PIPELINE' && other.filter.kind === 'BY_ENV' && other.actions.includes(action),
        );
        return pipelineStagesPass(app, pipeline, (envId) =>
          byEnv.some(
            (other) =>
              other.type === 'PIPELINE' &&
              other.filter.kind === 'BY_ENV' &&
              envIdAllowed(app, other.filter, envId),
          ),
        );
      }
      case 'DEPLOYMENT':
        return false;
    }
  }
}
