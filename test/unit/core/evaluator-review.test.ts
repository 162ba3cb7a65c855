import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AccessCheck } from '../../../functions/core/access-check.js';
import { type EffectivePermission, Evaluator } from '../../../functions/core/evaluator.js';
import type { PolicySnapshot } from '../../../functions/core/policy-snapshot.js';
import type { ActingPrincipal } from '../../../functions/core/principal.js';
import { scopePath } from '../../../functions/core/scope.js';
import { checkArb, WORLD_PERMISSIONS, WORLD_SCOPES, worldArb } from '../../support/world-arbitrary.js';
import {
  ACC,
  O1,
  on,
  P1,
  P2,
  serviceAccount,
  user,
  userGroup,
  WorldBuilder,
} from '../../support/world-builder.js';

const u = (identifier: string): ActingPrincipal => ({ type: 'USER', identifier });
const sa = (identifier: string): ActingPrincipal => ({ type: 'SERVICE_ACCOUNT', identifier });
const key = (principal: ActingPrincipal) => `${principal.type}#${principal.identifier}`;

/** Every principal a generated world can name (world-arbitrary's USERS and SERVICE_ACCOUNTS). */
const WORLD_PRINCIPALS: readonly ActingPrincipal[] = [
  ...['u1', 'u2', 'u3', 'u4', 'u5'].map(u),
  ...['s1', 's2'].map(sa),
];

/** Resource types that do not denote a scope, so a check's home is exactly its `resourceScope`. */
const NON_SCOPE_TYPES = ['PIPELINE', 'SECRET', 'ENVIRONMENT', 'CONNECTOR', 'FEATUREFLAG'];

function entry(
  entries: readonly EffectivePermission[],
  permission: string,
  resourceType: string,
): EffectivePermission | undefined {
  return entries.find((item) => item.permission === permission && item.resourceType === resourceType);
}

describe('Evaluator.effectivePermissions', () => {
  it('lists a project viewer’s pipeline view at its project only', () => {
    const evaluator = new Evaluator(
      new WorldBuilder()
        .assign(P1, user('u1'), '_project_viewer', '_all_project_level_resources', { identifier: 'view' })
        .build(),
    );
    const atP1 = evaluator.effectivePermissions(u('u1'), P1);
    expect(entry(atP1, 'core_pipeline_view', 'PIPELINE')).toEqual({
      permission: 'core_pipeline_view',
      resourceType: 'PIPELINE',
      selection: { kind: 'ALL' },
      grantedBy: {
        roleAssignmentIdentifier: 'view',
        roleIdentifier: '_project_viewer',
        resourceGroupIdentifier: '_all_project_level_resources',
        scope: P1,
      },
    });
    expect(entry(atP1, 'core_pipeline_edit', 'PIPELINE')).toBeUndefined();
    expect(evaluator.effectivePermissions(u('u1'), P2)).toEqual([]);
    expect(
      entry(evaluator.effectivePermissions(u('u1'), O1), 'core_pipeline_view', 'PIPELINE'),
    ).toBeUndefined();
    expect(evaluator.effectivePermissions(u('u2'), P1)).toEqual([]);
  });

  it('returns entries sorted by permission, then resource type', () => {
    const evaluator = new Evaluator(
      new WorldBuilder().assign(P1, user('u1'), '_project_viewer', '_all_project_level_resources').build(),
    );
    const entries = evaluator.effectivePermissions(u('u1'), P1);
    const sorted = [...entries].sort(
      (a, b) => a.permission.localeCompare(b.permission) || a.resourceType.localeCompare(b.resourceType),
    );
    expect(entries).toEqual(sorted);
  });

  it('reports a named-identifier resource group as SOME with its identifiers', () => {
    const evaluator = new Evaluator(
      new WorldBuilder()
        .role(P1, 'runner', ['core_pipeline_view', 'core_pipeline_execute'])
        .resourceGroup(P1, 'named', {
          includeAllResources: false,
          resources: [{ resourceType: 'PIPELINE', identifiers: ['deploy', 'build'] }],
        })
        .assign(P1, user('u1'), 'runner', 'named', { identifier: 'named-run' })
        .build(),
    );
    const entries = evaluator.effectivePermissions(u('u1'), P1);
    for (const permission of ['core_pipeline_execute', 'core_pipeline_view']) {
      expect(entry(entries, permission, 'PIPELINE')).toMatchObject({
        selection: { kind: 'SOME', identifiers: ['build', 'deploy'], attributeFilters: [] },
        grantedBy: { roleAssignmentIdentifier: 'named-run', roleIdentifier: 'runner' },
      });
    }
    expect(entry(entries, 'core_pipeline_view', 'SECRET')).toBeUndefined();
    expect(evaluator.effectivePermissions(u('u1'), P2)).toEqual([]);
  });

  it('reports attribute filters, and ALL once any assignment selects the whole type', () => {
    const builder = new WorldBuilder()
      .role(P1, 'envs', ['core_environment_access'])
      .resourceGroup(P1, 'prod', {
        includeAllResources: false,
        resources: [
          {
            resourceType: 'ENVIRONMENT',
            attributeFilter: { attributeName: 'type', attributeValues: ['Production'] },
          },
        ],
      })
      .assign(P1, user('u1'), 'envs', 'prod');
    const someOnly = new Evaluator(builder.build()).effectivePermissions(u('u1'), P1);
    expect(entry(someOnly, 'core_environment_access', 'ENVIRONMENT')?.selection).toEqual({
      kind: 'SOME',
      identifiers: [],
      attributeFilters: [{ attributeName: 'type', attributeValues: ['Production'] }],
    });
    const withAll = new Evaluator(
      builder.assign(P1, user('u1'), '_project_admin', '_all_project_level_resources').build(),
    ).effectivePermissions(u('u1'), P1);
    expect(entry(withAll, 'core_environment_access', 'ENVIRONMENT')?.selection).toEqual({ kind: 'ALL' });
  });
});

describe('Evaluator.whoCan', () => {
  const world = new WorldBuilder()
    .group(O1, 'devs', ['gina', 'gus'])
    .serviceAccount(ACC, 'ci')
    .serviceAccount(ACC, 'old-ci')
    .member('mia', P1)
    .member('nobody', P1)
    .assign(P1, user('dan'), '_project_viewer', '_all_project_level_resources', { identifier: 'direct' })
    .assign(P1, userGroup('devs', 'organization'), '_project_admin', '_all_project_level_resources', {
      identifier: 'via-devs',
    })
    .assign(P1, serviceAccount('ci'), '_pipeline_executor', '_all_project_level_resources', {
      identifier: 'ci-run',
    })
    .assign(P1, serviceAccount('old-ci'), '_project_admin', '_all_project_level_resources', {
      identifier: 'old',
      disabled: true,
    })
    .assign(P1, user('dis'), '_project_admin', '_all_project_level_resources', { disabled: true })
    .assign(
      P1,
      userGroup('_project_all_users', 'project'),
      '_pipeline_executor',
      '_all_project_level_resources',
      {
        identifier: 'members-run',
      },
    )
    .assign(P2, user('elsewhere'), '_project_admin', '_all_project_level_resources')
    .build();
  const evaluator = new Evaluator(world);

  it('lists direct users, group members and service accounts, without disabled assignments', () => {
    const allowed = evaluator.whoCan(on('core_pipeline_view', 'PIPELINE', P1, 'build'));
    expect(allowed.map((item) => key(item.principal))).toEqual([
      'SERVICE_ACCOUNT#ci',
      'USER#dan',
      'USER#gina',
      'USER#gus',
      'USER#mia',
      'USER#nobody',
    ]);
    const byKey = new Map(allowed.map((item) => [key(item.principal), item.explanation]));
    expect(byKey.get('USER#dan')).toEqual({
      roleAssignmentIdentifier: 'direct',
      roleIdentifier: '_project_viewer',
      resourceGroupIdentifier: '_all_project_level_resources',
      scope: P1,
    });
    expect(byKey.get('USER#gina')).toMatchObject({
      roleAssignmentIdentifier: 'via-devs',
      viaUserGroup: 'devs',
    });
    expect(byKey.get('USER#mia')).toMatchObject({
      roleAssignmentIdentifier: 'members-run',
      viaUserGroup: '_project_all_users',
    });
    expect(byKey.get('SERVICE_ACCOUNT#ci')).toMatchObject({ roleAssignmentIdentifier: 'ci-run' });
    expect(byKey.get('SERVICE_ACCOUNT#ci')?.viaUserGroup).toBeUndefined();
  });

  it('narrows to the principals whose role holds the permission', () => {
    const editors = evaluator.whoCan(on('core_pipeline_edit', 'PIPELINE', P1, 'build'));
    expect(editors.map((item) => key(item.principal))).toEqual(['USER#gina', 'USER#gus']);
    expect(
      evaluator.whoCan(on('core_pipeline_view', 'PIPELINE', P2)).map((item) => key(item.principal)),
    ).toEqual(['USER#elsewhere']);
  });

  it('is empty for checks that cannot be located', () => {
    expect(evaluator.whoCan(on('nope_bogus_permission', 'PIPELINE', P1))).toEqual([]);
    expect(evaluator.whoCan(on('core_secret_view', 'PIPELINE', P1))).toEqual([]);
  });
});

/** Describes the first disagreement between `check` and `effectivePermissions` in a world, if any. */
function effectiveMismatch(snapshot: PolicySnapshot): string | undefined {
  const evaluator = new Evaluator(snapshot);
  for (const principal of WORLD_PRINCIPALS) {
    for (const scope of WORLD_SCOPES) {
      const entries = evaluator.effectivePermissions(principal, scope);
      for (const permission of WORLD_PERMISSIONS) {
        for (const resourceType of NON_SCOPE_TYPES) {
          const found = entry(entries, permission, resourceType);
          const all = found?.selection.kind === 'ALL';
          const typeLevel = evaluator.check(principal, { permission, resourceType, resourceScope: scope });
          if (typeLevel.permitted !== all) {
            return `type-level ${key(principal)} ${permission} ${resourceType} at ${scopePath(scope)}: check=${typeLevel.permitted}, effective=${JSON.stringify(found)}`;
          }
          const named = evaluator.check(principal, {
            permission,
            resourceType,
            resourceScope: scope,
            resourceIdentifier: 'x',
          });
          const listed =
            all || (found?.selection.kind === 'SOME' && found.selection.identifiers.includes('x'));
          if (named.permitted !== listed) {
            return `identifier x ${key(principal)} ${permission} ${resourceType} at ${scopePath(scope)}: check=${named.permitted}, effective=${JSON.stringify(found)}`;
          }
        }
      }
    }
  }
  return undefined;
}

/** Describes the first check on which `whoCan` and per-principal `check` disagree, if any. */
function whoCanMismatch(snapshot: PolicySnapshot, checks: readonly AccessCheck[]): string | undefined {
  const evaluator = new Evaluator(snapshot);
  for (const check of checks) {
    const listed = evaluator.whoCan(check).map((item) => key(item.principal));
    const expected = WORLD_PRINCIPALS.filter((principal) => evaluator.check(principal, check).permitted).map(
      key,
    );
    if (new Set(listed).size !== listed.length || [...listed].sort().join() !== [...expected].sort().join()) {
      return `${JSON.stringify(check)}: whoCan=[${listed.join(', ')}], check=[${expected.join(', ')}]`;
    }
  }
  return undefined;
}

describe('Evaluator consistency properties', () => {
  it('effectivePermissions agrees with check on type-level and identifier checks', () => {
    fc.assert(
      fc.property(worldArb, (snapshot) => {
        expect(effectiveMismatch(snapshot)).toBeUndefined();
      }),
      { numRuns: 100 },
    );
  });

  it('whoCan returns exactly the principals that check permits', () => {
    fc.assert(
      fc.property(worldArb, fc.array(checkArb, { minLength: 1, maxLength: 20 }), (snapshot, checks) => {
        expect(whoCanMismatch(snapshot, checks)).toBeUndefined();
      }),
      { numRuns: 100 },
    );
  });
});
