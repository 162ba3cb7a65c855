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
 * FirstGen's decisions for one user (reference firstgen §4), from the union of the user's groups:
 * account permissions, CRUD per entity, the application-level CREATE flag, and execution of
 * workflows and pipelines (only the Deployments type grants execution; every pipeline stage must
 * pass). The order-dependent cross-permission pipeline rule of §4.7 is read order-independently:
 * a stage environment passes when any environment-based permission holding the action allows it.
 */
export class FirstGenAccess {
  private readonly accountPermissions: ReadonlySet<AccountPermission>;
  private readonly permissionsByApp = new Map<string, EffectivePermission[]>();

  /** Collects the groups' permissions for the given applications. */
  constructor(groups: readonly FgUserGroup[], applications: readonly FgApplication[]) {
    this.accountPermissions = withImplied(groups.flatMap((group) => group.accountPermissions));
    for (const app of applications) {
      const effective = groups.flatMap((group) =>
        group.appPermissions
          .filter((permission) => appFilterCovers(permission.appFilter, app.id))
          .flatMap(effectivePermissions),
      );
      this.permissionsByApp.set(app.id, effective);
    }
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
        app.environments.some((env) => envFilterCovers(permission.filter, env)) &&
        workflowCovered(
          app,
          { kind: 'BY_ENV', ...envFilterAsByEnv(permission.filter), templates: true },
          workflow,
        ),
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
    const allowed = (envId: string) =>
      applicable.some((permission) => envIdAllowed(app, envFilterAsByEnv(permission.filter), envId));
    return pipelineStagesPass(app, pipeline, allowed) && pipelineEnvironments(app, pipeline).every(allowed);
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
        return workflow !== undefined && workflowCovered(app, permission.filter, workflow);
      }
      case 'PIPELINE': {
        if (permission.filter.kind !== 'BY_ENV') return genericCovers(permission.filter, entityId);
        const pipeline = app.pipelines.find((candidate) => candidate.id === entityId);
        if (!pipeline) return false;
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
