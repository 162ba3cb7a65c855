import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Evaluator } from '../../../functions/core/evaluator.js';
import { findManagedRole } from '../../../functions/core/managed-roles.js';
import { validateCustomResourceGroup } from '../../../functions/core/validation/resource-group-validation.js';
import { validateCustomRole } from '../../../functions/core/validation/role-validation.js';
import { snapshotFromItems } from '../../../functions/store/entities/policy-entities.js';
import { newIncarnation } from '../../../functions/store/user-group-writes.js';
import { parseExport } from '../../../migration/firstgen/parse-export.js';
import { camelCaseIdentifier } from '../../../migration/mapping/identifiers.js';
import { mapExport } from '../../../migration/mapping/map-export.js';
import type { MigrationPlan } from '../../../migration/mapping/migration-plan.js';
import {
  appliedItems,
  isMigrationIncarnation,
  migrationIncarnation,
} from '../../../migration/plan/plan-items.js';
import { type SubjectReport, verifyMigration } from '../../../migration/verify/verify-migration.js';
import { exportArb } from '../../support/firstgen-export-arbitrary.js';

const OPTIONS = { targetAccountId: 'acc', orgIdentifier: 'default' };
const readJson = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
const snapshotOf = (plan: MigrationPlan) => snapshotFromItems(plan.targetAccountId, appliedItems(plan));

describe('identifiers (reference firstgen §6.3)', () => {
  it.each([
    ['Account Administrator', 'accountAdministrator'],
    ['Non-Production Support', 'nonProductionSupport'],
    ['ReadOnlyUserGroup', 'readonlyusergroup'],
    ['2nd Team', '_2ndTeam'],
    ['Payments App', 'paymentsApp'],
    ['Café déploiement', 'cafeDeploiement'],
    ['!!!', undefined],
  ])('%s → %s', (name, identifier) => {
    expect(camelCaseIdentifier(name)).toBe(identifier);
  });
});

describe('the three default groups of reference firstgen §4.10', () => {
  const fgExport = parseExport(readJson('../../fixtures/migration/default-groups-export.json'));
  const plan = mapExport(fgExport, OPTIONS);
  const evaluator = new Evaluator(snapshotOf(plan));
  const project = plan.projects[0]?.scope;
  const ids = plan.appIdentifiers[fgExport.applications[0]?.id ?? ''];
  const can = (
    user: string,
    permission: string,
    resourceType: string,
    resourceIdentifier?: string,
    attributes?: Record<string, string>,
  ) =>
    evaluator.check(
      { type: 'USER', identifier: user },
      {
        permission,
        resourceType,
        ...(project ? { resourceScope: project } : {}),
        ...(resourceIdentifier ? { resourceIdentifier } : {}),
        ...(attributes ? { resourceAttributes: attributes } : {}),
      },
    ).permitted;

  it('creates the groups with the migrator identifiers and the same members, at account scope', () => {
    expect(plan.userGroups.map((group) => [group.identifier, group.users, group.scope.level])).toEqual([
      ['accountAdministrator', ['uAdmin'], 'account'],
      ['productionSupport', ['uProd'], 'account'],
      ['nonProductionSupport', ['uNonProd'], 'account'],
    ]);
  });

  it('binds Account Administrator on _all_resources_including_child_scopes to exactly _account_admin without the freeze override', () => {
    const assignments = plan.assignments.filter(
      (assignment) => assignment.principal.identifier === 'accountAdministrator',
    );
    const role = plan.roles.find((candidate) => candidate.identifier === assignments[0]?.roleIdentifier);
    const accountAdmin = findManagedRole('_account_admin')?.permissions ?? [];
    expect(assignments).toEqual([
      expect.objectContaining({
        resourceGroupIdentifier: '_all_resources_including_child_scopes',
        scope: { level: 'account', accountIdentifier: 'acc' },
      }),
    ]);
    expect(role?.permissions).toEqual(
      accountAdmin.filter((permission) => permission !== 'core_deploymentfreeze_override').sort(),
    );
    expect(accountAdmin).toContain('core_deploymentfreeze_override');
    expect(can('uAdmin', 'core_deploymentfreeze_override', 'DEPLOYMENTFREEZE')).toBe(false);
    expect(can('uAdmin', 'core_pipeline_execute', 'PIPELINE', ids?.pipelines.plPayRelease)).toBe(true);
  });

  it('lets Production Support run production pipelines and edit production environments only', () => {
    expect(can('uProd', 'core_pipeline_execute', 'PIPELINE', ids?.pipelines.plPayHotfix)).toBe(true);
    expect(
      can('uProd', 'core_environment_access', 'ENVIRONMENT', ids?.environments.envPayProdEast, {
        type: 'Production',
      }),
    ).toBe(true);
    expect(
      can('uProd', 'core_environment_edit', 'ENVIRONMENT', ids?.environments.envPayProdEast, {
        type: 'Production',
      }),
    ).toBe(true);
    expect(
      can('uProd', 'core_environment_edit', 'ENVIRONMENT', ids?.environments.envPayQa, {
        type: 'PreProduction',
      }),
    ).toBe(false);
    expect(can('uProd', 'core_pipeline_execute', 'PIPELINE', ids?.pipelines.plPayNightly)).toBe(false);
    expect(can('uProd', 'core_pipeline_execute', 'PIPELINE', ids?.pipelines.plPayRelease)).toBe(false);
  });

  it('lets Non-Production Support run non-production pipelines and not production ones', () => {
    expect(can('uNonProd', 'core_pipeline_execute', 'PIPELINE', ids?.pipelines.plPayNightly)).toBe(true);
    expect(can('uNonProd', 'core_pipeline_execute', 'PIPELINE', ids?.pipelines.plPayHotfix)).toBe(false);
    expect(can('uNonProd', 'core_service_edit', 'SERVICE', ids?.services.svcPayApi)).toBe(true);
    expect(can('uNonProd', 'core_audit_view', 'AUDIT')).toBe(false);
  });

  it('verifies with zero broadened access for every group and user', () => {
    const subjects: SubjectReport[] = [];
    const summary = verifyMigration(fgExport, plan, snapshotOf(plan), (report) => subjects.push(report));
    expect(summary.totals.broadened).toBe(0);
    expect(summary.totals.defaultView).toBe(0);
    expect(subjects.filter((s) => s.kind === 'group').map((group) => group.identifier)).toEqual([
      'accountAdministrator',
      'productionSupport',
      'nonProductionSupport',
    ]);
    expect(summary.totals.equal).toBeGreaterThan(summary.totals.narrowed);
  });
});

describe('the example export', () => {
  const fgExport = parseExport(readJson('../../../examples/firstgen-export.json'));
  const plan = mapExport(fgExport, OPTIONS);

  it('is deterministic', () => {
    expect(mapExport(fgExport, OPTIONS)).toEqual(plan);
  });

  it('generates only roles and resource groups that pass NextGen validation', () => {
    for (const role of plan.roles) expect(validateCustomRole(role, role.scope)).toMatchObject({ ok: true });
    for (const group of plan.resourceGroups) {
      const input = {
        ...group,
        includedScopes: group.includedScopes.map((selector) => ({
          filter: selector.filter,
          accountIdentifier: selector.scope?.accountIdentifier,
          ...(selector.scope && selector.scope.level !== 'account'
            ? { orgIdentifier: selector.scope.orgIdentifier }
            : {}),
          ...(selector.scope?.level === 'project'
            ? { projectIdentifier: selector.scope.projectIdentifier }
            : {}),
        })),
      };
      expect(validateCustomResourceGroup(input, group.scope)).toMatchObject({ ok: true });
    }
  });

  it('applies identifier overrides by FirstGen id', () => {
    const overridden = mapExport(fgExport, {
      ...OPTIONS,
      identifierOverrides: { A0M4nZJJTQekFfp4lX71Zw: 'payments', QaT3amGr0upAAAAAAAAAAA: 'quality' },
    });
    expect(overridden.projects[0]?.scope).toMatchObject({ projectIdentifier: 'payments' });
    expect(overridden.userGroups.map((group) => group.identifier)).toContain('quality');
  });

  it('reports unsupported and narrowed mappings as warnings', () => {
    const codes = new Set(plan.warnings.map((warning) => warning.code));
    expect(codes).toEqual(expect.objectContaining({}));
    expect([...codes]).toEqual(
      expect.arrayContaining([
        'ACCOUNT_ADMIN',
        'PROVISIONER_UNSUPPORTED',
        'DYNAMIC_APPLICATIONS',
        'ACCOUNT_PERMISSION_NARROWED',
      ]),
    );
  });
});

// --- property test over generated exports ----------------------------------------------------------

describe('property: combining each user from its groups decides exactly as deciding the user directly', () => {
  it('holds for every generated export', () => {
    fc.assert(
      fc.property(exportArb, (fgExport) => {
        const plan = mapExport(fgExport, { ...OPTIONS, defaultView: 'keep' });
        const snapshot = snapshotOf(plan);
        const combined: SubjectReport[] = [];
        const direct: SubjectReport[] = [];
        verifyMigration(fgExport, plan, snapshot, (report) => combined.push(report));
        verifyMigration(fgExport, plan, snapshot, (report) => direct.push(report), {
          decideUsersDirectly: true,
        });
        expect(combined).toEqual(direct);
      }),
      { numRuns: 150 },
    );
  });
});

describe('property: verify finds no broadened access on generated exports', () => {
  it('holds for every generated export', () => {
    fc.assert(
      fc.property(exportArb, (fgExport) => {
        const plan = mapExport(fgExport, OPTIONS);
        const summary = verifyMigration(fgExport, plan, snapshotOf(plan));
        const broadened = summary.reasons
          .filter((reason) => reason.outcome === 'broadened' || reason.outcome === 'defaultView')
          .map((reason) => `${reason.reason}: ${reason.examples.join('; ')}`);
        expect(broadened).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

/** The part of a GraphQL-shaped group of the raw export the test changes. */
interface RawGraphqlGroup {
  permissions: {
    accountPermissions?: { accountPermissionTypes?: string[] } | null;
    appPermissions: Record<string, unknown>[];
  };
}

describe('values of an export that the reference does not list', () => {
  it('grant nothing: the plan is the one of the export without them, with a warning naming each', () => {
    // Arrange
    const raw = readJson('../../fixtures/migration/messy-export.json');
    const withUnknown = structuredClone(raw);
    const graphqlGroups = (withUnknown.userGroups as Partial<RawGraphqlGroup>[]).filter(
      (group): group is RawGraphqlGroup => (group.permissions?.appPermissions?.length ?? 0) > 0,
    );
    for (const group of graphqlGroups.slice(0, 5)) {
      const held = group.permissions.accountPermissions?.accountPermissionTypes ?? [];
      group.permissions.accountPermissions = { accountPermissionTypes: [...held, 'MANAGE_EVERYTHING_NEW'] };
      const first = group.permissions.appPermissions[0] as { actions: string[] };
      first.actions = [...first.actions, 'TELEPORT'];
      group.permissions.appPermissions.push({
        permissionType: 'QUANTUM',
        applications: { filterType: 'ALL', appIds: null },
        actions: ['CREATE', 'READ', 'UPDATE', 'DELETE'],
      });
    }
    // Act
    const base = mapExport(parseExport(raw), OPTIONS);
    const plan = mapExport(parseExport(withUnknown), OPTIONS);
    // Assess
    expect(plan.roles).toEqual(base.roles);
    expect(plan.resourceGroups).toEqual(base.resourceGroups);
    expect(plan.assignments).toEqual(base.assignments);
    const ignored = plan.warnings.filter((warning) => warning.code === 'EXPORT_VALUE_IGNORED');
    expect(ignored).toHaveLength(15);
    expect(ignored.map((warning) => warning.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /accountPermissionTypes\[\d+\]: unknown account permission "MANAGE_EVERYTHING_NEW"/,
        ),
        expect.stringMatching(/actions\[\d+\]: unknown action "TELEPORT"/),
        expect.stringMatching(/permissionType: unknown application permission type "QUANTUM"/),
      ]),
    );
  });
});

describe('the incarnations a re-apply may sweep', () => {
  it("are the migration's own, never one the API gives a group", () => {
    // Act
    const plan = mapExport(
      parseExport(readJson('../../fixtures/migration/default-groups-export.json')),
      OPTIONS,
    );
    const migrated = plan.userGroups.map((group) => migrationIncarnation(group));
    const throughApi = Array.from({ length: 200 }, () => newIncarnation());
    // Assess
    expect(migrated.length).toBeGreaterThan(0);
    expect(migrated.every(isMigrationIncarnation)).toBe(true);
    expect(throughApi.filter(isMigrationIncarnation)).toEqual([]);
  });
});
