import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AccessCheck } from '../../../functions/core/access-check.js';
import { Evaluator } from '../../../functions/core/evaluator.js';
import { snapshotFromItems } from '../../../functions/store/entities/policy-entities.js';
import type { AppPermission, FgApplication, FgExport } from '../../../migration/firstgen/model.js';
import { APP_ACTIONS } from '../../../migration/firstgen/model.js';
import { mapExport } from '../../../migration/mapping/map-export.js';
import type { MigrationPlan } from '../../../migration/mapping/migration-plan.js';
import type { NgGrant, Selection } from '../../../migration/mapping/ng-grant.js';
import { normalizeGrants } from '../../../migration/mapping/normalize-grants.js';
import { appliedItems } from '../../../migration/plan/plan-items.js';
import { parsePlan } from '../../../migration/plan/plan-schema.js';
import { verifyChecks } from '../../../migration/verify/verify-checks.js';
import { verifyMigration } from '../../../migration/verify/verify-migration.js';
import { exportArb } from '../../support/firstgen-export-arbitrary.js';

const OPTIONS = { targetAccountId: 'acc', orgIdentifier: 'default', defaultView: 'keep' as const };
const evaluatorOf = (plan: MigrationPlan) =>
  new Evaluator(snapshotFromItems(plan.targetAccountId, appliedItems(plan)));

/** An application with a production and a non-production environment, three workflows and a pipeline. */
function application(index: number): FgApplication {
  return {
    id: `app${index}`,
    name: `App ${index}`,
    services: [{ id: 's1', name: 'api' }],
    provisioners: [],
    templates: [],
    environments: [
      { id: 'prod', name: 'prod', environmentType: 'PROD' },
      { id: 'qa', name: 'qa', environmentType: 'NON_PROD' },
    ],
    workflows: [
      { id: 'deploy', name: 'deploy', envId: 'prod', templatized: false },
      { id: 'build', name: 'build', templatized: false },
      { id: 'anywhere', name: 'anywhere', templatized: true },
    ],
    pipelines: [{ id: 'release', name: 'release', stages: [{ type: 'DEPLOYMENT', workflowId: 'deploy' }] }],
  };
}

function exportOf(groups: readonly (readonly AppPermission[])[], apps = 3): FgExport {
  return {
    accountId: 'fg',
    users: [{ id: 'u1', email: 'u1@example.com' }],
    applications: Array.from({ length: apps }, (_, index) => application(index)),
    userGroups: groups.map((appPermissions, index) => ({
      id: `g${index}`,
      name: `group ${index}`,
      memberIds: ['u1'],
      accountPermissions: [],
      appPermissions,
    })),
  };
}

const EVERY_ACTION = APP_ACTIONS;
const ALL_APPS = { kind: 'ALL' } as const;

const assignmentsOf = (plan: MigrationPlan, group: string) =>
  plan.assignments.filter((assignment) => assignment.principal.identifier === group);

const resourcesOf = (plan: MigrationPlan, identifier: string) =>
  plan.resourceGroups.find((group) => group.identifier === identifier)?.resourceFilter.resources;

describe('compact mapping: what needs no identifiers is one organization-scope assignment per permission set', () => {
  it('maps ALL_APP_ENTITIES on every application to organization-scope assignments only, with PIPELINE type-wide', () => {
    const plan = mapExport(
      exportOf([[{ type: 'ALL_APP_ENTITIES', appFilter: ALL_APPS, actions: EVERY_ACTION }]]),
      OPTIONS,
    );
    const assignments = assignmentsOf(plan, 'group0');
    expect(assignments.map((assignment) => assignment.scope.level)).toEqual(
      assignments.map(() => 'organization'),
    );
    const included = plan.resourceGroups
      .filter((group) =>
        assignments.some((assignment) => assignment.resourceGroupIdentifier === group.identifier),
      )
      .map((group) =>
        group.includedScopes.map(
          (selector) => selector.scope?.level === 'project' && selector.scope.projectIdentifier,
        ),
      );
    for (const projects of included) expect(projects).toEqual(['app0', 'app1', 'app2']);
    const selectors = assignments.flatMap(
      (assignment) => resourcesOf(plan, assignment.resourceGroupIdentifier) ?? [],
    );
    expect(selectors.filter((selector) => selector.resourceType === 'PIPELINE')).toEqual([
      { resourceType: 'PIPELINE' },
    ]);
    expect(selectors.some((selector) => selector.identifiers !== undefined)).toBe(false);
  });

  it('grows with groups × distinct permission sets, not with groups × projects', () => {
    const permission: AppPermission = { type: 'ALL_APP_ENTITIES', appFilter: ALL_APPS, actions: ['READ'] };
    const three = mapExport(exportOf([[permission], [permission]], 3), OPTIONS);
    const thirty = mapExport(exportOf([[permission], [permission]], 30), OPTIONS);
    expect(thirty.assignments.length).toBe(three.assignments.length);
    expect(thirty.roles.length).toBe(three.roles.length);
    expect(thirty.resourceGroups.length).toBe(three.resourceGroups.length);
  });

  it('shares one role and one resource group between groups of the same permission set; each group has its own assignments', () => {
    const permission: AppPermission = {
      type: 'ALL_APP_ENTITIES',
      appFilter: { kind: 'EXCLUDE_SELECTED', ids: ['app1'] },
      actions: ['READ', 'DELETE'],
    };
    const plan = mapExport(exportOf([[permission], [permission]]), OPTIONS);
    const pairs = (group: string) =>
      assignmentsOf(plan, group).map((assignment) => [
        assignment.roleIdentifier,
        assignment.resourceGroupIdentifier,
      ]);
    expect(pairs('group1')).toEqual(pairs('group0'));
    expect(
      new Set([...assignmentsOf(plan, 'group0'), ...assignmentsOf(plan, 'group1')].map((a) => a.identifier))
        .size,
    ).toBe(2 * pairs('group0').length);
  });

  it('keeps identifiers for all workflows without all pipelines (a NextGen pipeline may be either), per project', () => {
    const plan = mapExport(
      exportOf([[{ type: 'WORKFLOW', appFilter: ALL_APPS, filter: { kind: 'ALL' }, actions: ['READ'] }]]),
      OPTIONS,
    );
    const assignments = assignmentsOf(plan, 'group0');
    expect(assignments.map((assignment) => assignment.scope.level)).toEqual([
      'project',
      'project',
      'project',
    ]);
    expect(resourcesOf(plan, assignments[0]?.resourceGroupIdentifier ?? '')).toEqual([
      { resourceType: 'PIPELINE', identifiers: ['anywhere', 'build', 'deploy'] },
    ]);
  });

  it('lists pipelines for UPDATE on all workflows and pipelines without CREATE (NextGen edit on the type would allow creating)', () => {
    const plan = mapExport(
      exportOf([
        [
          { type: 'WORKFLOW', appFilter: ALL_APPS, filter: { kind: 'ALL' }, actions: ['READ', 'UPDATE'] },
          { type: 'PIPELINE', appFilter: ALL_APPS, filter: { kind: 'ALL' }, actions: ['READ', 'UPDATE'] },
        ],
      ]),
      OPTIONS,
    );
    const roles = new Map(
      plan.roles.map((role) => [`${role.scope.level}:${role.identifier}`, role.permissions]),
    );
    const granted = assignmentsOf(plan, 'group0').map((assignment) => [
      assignment.scope.level,
      roles.get(`${assignment.scope.level}:${assignment.roleIdentifier}`),
      resourcesOf(plan, assignment.resourceGroupIdentifier),
    ]);
    expect(granted).toContainEqual(['organization', ['core_pipeline_view'], [{ resourceType: 'PIPELINE' }]]);
    expect(granted).toContainEqual([
      'project',
      ['core_pipeline_edit'],
      [{ resourceType: 'PIPELINE', identifiers: ['anywhere', 'build', 'deploy', 'release'] }],
    ]);
  });

  it('runs every pipeline type-wide for Deployments on both environment types with every execution action', () => {
    const plan = mapExport(
      exportOf([
        [
          {
            type: 'DEPLOYMENT',
            appFilter: ALL_APPS,
            filter: { kind: 'TYPES', types: ['PROD', 'NON_PROD'] },
            actions: ['EXECUTE_WORKFLOW', 'EXECUTE_PIPELINE', 'EXECUTE_WORKFLOW_ROLLBACK', 'ABORT_WORKFLOW'],
          },
        ],
      ]),
      OPTIONS,
    );
    const evaluator = evaluatorOf(plan);
    const project = plan.projects[2]?.scope;
    const run = (pipeline: string, environment: string, type: string): AccessCheck[] => [
      {
        permission: 'core_pipeline_execute',
        resourceType: 'PIPELINE',
        resourceIdentifier: pipeline,
        ...(project ? { resourceScope: project } : {}),
      },
      {
        permission: 'core_environment_access',
        resourceType: 'ENVIRONMENT',
        resourceIdentifier: environment,
        resourceAttributes: { type },
        ...(project ? { resourceScope: project } : {}),
      },
    ];
    const permitted = (checks: AccessCheck[]) =>
      checks.every((check) => evaluator.check({ type: 'USER', identifier: 'u1' }, check).permitted);
    expect(assignmentsOf(plan, 'group0').map((assignment) => assignment.scope.level)).toEqual([
      'organization',
    ]);
    expect(permitted(run('anywhere', 'qa', 'PreProduction'))).toBe(true);
    expect(permitted(run('release', 'prod', 'Production'))).toBe(true);
  });

  it('keeps a workflow that names a missing environment out of execution grants (FirstGen never runs it)', () => {
    const app = application(0);
    const broken: FgExport = {
      ...exportOf([
        [
          { type: 'ALL_APP_ENTITIES', appFilter: ALL_APPS, actions: ['EXECUTE_PIPELINE'] },
          {
            type: 'DEPLOYMENT',
            appFilter: ALL_APPS,
            filter: { kind: 'SELECTED', ids: ['prod', 'gone'] },
            actions: ['EXECUTE_WORKFLOW', 'EXECUTE_WORKFLOW_ROLLBACK', 'ABORT_WORKFLOW'],
          },
        ],
      ]),
      applications: [
        { ...app, workflows: [{ id: 'lost', name: 'lost', envId: 'gone', templatized: false }] },
      ],
    };
    const plan = mapExport(broken, OPTIONS);
    expect(verifyMigration(broken, plan, snapshotFromItems('acc', appliedItems(plan))).totals.broadened).toBe(
      0,
    );
  });
});

describe('property: the organization-scope folding decides every check of a project as mapping its application alone', () => {
  it('holds for every generated export', () => {
    fc.assert(
      fc.property(exportArb, (fgExport) => {
        const plan = mapExport(fgExport, OPTIONS);
        const evaluator = evaluatorOf(plan);
        const users = [...new Set(fgExport.userGroups.flatMap((group) => group.memberIds))];
        for (const app of fgExport.applications) {
          const alone = mapExport({ ...fgExport, applications: [app] }, OPTIONS);
          const aloneEvaluator = evaluatorOf(alone);
          const checks = verifyChecks(fgExport, plan).filter((check) => check.appId === app.id);
          for (const user of users) {
            for (const check of checks.flatMap((candidate) => candidate.nextGen)) {
              const principal = { type: 'USER' as const, identifier: user };
              expect(evaluator.check(principal, check).permitted).toBe(
                aloneEvaluator.check(principal, check).permitted,
              );
            }
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('property: every plan of a generated export passes the plan file schema and the API validation', () => {
  it('holds for every generated export (type-wide selectors at organization scope included)', () => {
    fc.assert(
      fc.property(exportArb, (fgExport) => {
        const plan = mapExport(fgExport, OPTIONS);
        expect(parsePlan(JSON.parse(JSON.stringify(plan)))).toEqual(plan);
      }),
      { numRuns: 150 },
    );
  });
});

// --- normalizeGrants ------------------------------------------------------------------------------

const TYPES = ['PIPELINE', 'ENVIRONMENT'] as const;
const PERMISSIONS = ['p_view', 'p_edit', 'p_run'] as const;
const IDS = ['a', 'b', 'c', 'd'] as const;
const selectionArb: fc.Arbitrary<Selection> = fc.oneof(
  fc.constant({ kind: 'all' as const }),
  fc
    .subarray(['Production', 'PreProduction'], { minLength: 1 })
    .map((values) => ({ kind: 'attribute' as const, name: 'type', values })),
  fc.subarray([...IDS], { minLength: 1 }).map((ids) => ({ kind: 'ids' as const, ids })),
);
const grantArb: fc.Arbitrary<NgGrant> = fc.record({
  resourceType: fc.constantFrom(...TYPES),
  permission: fc.constantFrom(...PERMISSIONS),
  selection: selectionArb,
});

/** Whether the grants give `permission` on resource `id` of `resourceType` whose `type` attribute is `value`. */
function grants(
  list: readonly NgGrant[],
  resourceType: string,
  permission: string,
  id: string,
  value: string,
) {
  return list.some((grant) => {
    if (grant.resourceType !== resourceType || grant.permission !== permission) return false;
    const { selection } = grant;
    if (selection.kind === 'all') return true;
    if (selection.kind === 'attribute') return selection.values.includes(value);
    return selection.ids.includes(id);
  });
}

describe('normalizeGrants', () => {
  it('property: grants exactly the same (permission, resource) pairs as its input', () => {
    fc.assert(
      fc.property(fc.array(grantArb, { maxLength: 12 }), (input) => {
        const output = normalizeGrants(input);
        for (const resourceType of TYPES)
          for (const permission of PERMISSIONS)
            for (const id of IDS)
              for (const value of ['Production', 'PreProduction'])
                expect(grants(output, resourceType, permission, id, value)).toBe(
                  grants(input, resourceType, permission, id, value),
                );
      }),
      { numRuns: 500 },
    );
  });

  it('drops what a type-wide grant covers and lists identifiers once per permission set', () => {
    const ids = (list: string[]): Selection => ({ kind: 'ids', ids: list });
    expect(
      normalizeGrants([
        { resourceType: 'PIPELINE', permission: 'p_view', selection: ids(['a', 'b']) },
        { resourceType: 'PIPELINE', permission: 'p_view', selection: ids(['c']) },
        { resourceType: 'PIPELINE', permission: 'p_edit', selection: ids(['a', 'b', 'c']) },
        { resourceType: 'PIPELINE', permission: 'p_run', selection: { kind: 'all' } },
        { resourceType: 'PIPELINE', permission: 'p_run', selection: ids(['d']) },
      ]),
    ).toEqual([
      { resourceType: 'PIPELINE', permission: 'p_run', selection: { kind: 'all' } },
      { resourceType: 'PIPELINE', permission: 'p_edit', selection: ids(['a', 'b', 'c']) },
      { resourceType: 'PIPELINE', permission: 'p_view', selection: ids(['a', 'b', 'c']) },
    ]);
  });
});
