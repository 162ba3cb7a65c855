import { describe, expect, it } from 'vitest';
import {
  allUsersGroupFor,
  defaultAllUsersAssignmentIdentifier,
  defaultAllUsersAssignments,
} from '../../../functions/core/all-users-groups.js';
import { Evaluator } from '../../../functions/core/evaluator.js';
import { findManagedResourceGroup } from '../../../functions/core/managed-resource-groups.js';
import { findManagedRole } from '../../../functions/core/managed-roles.js';
import type { PolicySnapshot } from '../../../functions/core/policy-snapshot.js';
import type { ActingPrincipal } from '../../../functions/core/principal.js';
import { entityIdentifierProblem } from '../../../functions/core/validation/identifier-rules.js';
import { ACC, O1, on, P1, P2, WorldBuilder } from '../../support/world-builder.js';

const u = (identifier: string): ActingPrincipal => ({ type: 'USER', identifier });

function withDefaults(
  snapshot: PolicySnapshot,
  ...scopes: Parameters<typeof defaultAllUsersAssignments>[0][]
) {
  return {
    ...snapshot,
    roleAssignments: [
      ...snapshot.roleAssignments,
      ...scopes.flatMap((scope) => defaultAllUsersAssignments(scope)),
    ],
  };
}

describe('defaultAllUsersAssignments', () => {
  it.each([
    [ACC, '_account_all_users', '_account_viewer', '_all_account_level_resources'],
    [O1, '_organization_all_users', '_organization_viewer', '_all_organization_level_resources'],
    [P1, '_project_all_users', '_project_viewer', '_all_project_level_resources'],
  ] as const)('binds the all-users group of %j to its level viewer', (scope, group, role, resourceGroup) => {
    expect(defaultAllUsersAssignments(scope)).toEqual([
      {
        identifier: `_default_${scope.level}_viewer`,
        scope,
        roleIdentifier: role,
        resourceGroupIdentifier: resourceGroup,
        principal: { type: 'USER_GROUP', identifier: group, scopeLevel: scope.level },
        disabled: false,
        managed: false,
      },
    ]);
    expect(findManagedRole(role)?.allowedScopeLevels).toContain(scope.level);
    expect(findManagedResourceGroup(resourceGroup)?.allowedScopeLevels).toContain(scope.level);
  });

  it('uses deterministic, valid entity identifiers', () => {
    for (const scope of [ACC, O1, P1]) {
      const identifier = defaultAllUsersAssignmentIdentifier(scope);
      expect(entityIdentifierProblem(identifier)).toBeUndefined();
      expect(defaultAllUsersAssignments(scope)[0]?.identifier).toBe(identifier);
      expect(defaultAllUsersAssignments(scope)).toEqual(defaultAllUsersAssignments(scope));
    }
  });

  it('accepts an identifier factory', () => {
    const [assignment] = defaultAllUsersAssignments(P2, (scope) => `custom_${scope.level}`);
    expect(assignment?.identifier).toBe('custom_project');
    expect(assignment?.scope).toEqual(P2);
  });
});

describe('allUsersGroupFor', () => {
  it.each([
    [ACC, '_account_all_users', 'All Account Users'],
    [O1, '_organization_all_users', 'All Organization Users'],
    [P1, '_project_all_users', 'All Project Users'],
  ] as const)('describes the built-in group of %j', (scope, identifier, name) => {
    const group = allUsersGroupFor(scope);
    expect(group.identifier).toBe(identifier);
    expect(group.name).toBe(name);
    expect(group.description).toContain(scope.level);
  });
});

describe('default assignments with the evaluator', () => {
  it('lets members of a new project view its pipelines, and nobody else', () => {
    const snapshot = withDefaults(
      new WorldBuilder().member('alice', P1).member('bob', P2).member('carol', O1).build(),
      P1,
    );
    const evaluator = new Evaluator(snapshot);
    const viewPipeline = on('core_pipeline_view', 'PIPELINE', P1, 'build');

    const alice = evaluator.check(u('alice'), viewPipeline);
    expect(alice).toMatchObject({
      permitted: true,
      explanation: {
        roleAssignmentIdentifier: '_default_project_viewer',
        roleIdentifier: '_project_viewer',
        resourceGroupIdentifier: '_all_project_level_resources',
        viaUserGroup: '_project_all_users',
      },
    });
    expect(evaluator.check(u('alice'), on('core_pipeline_view', 'PIPELINE', P1)).permitted).toBe(true);
    expect(evaluator.check(u('bob'), viewPipeline).permitted).toBe(false);
    expect(evaluator.check(u('carol'), viewPipeline).permitted).toBe(false);
    expect(evaluator.check(u('mallory'), viewPipeline).permitted).toBe(false);
    // a viewer cannot edit, and the binding stays inside the project
    expect(evaluator.check(u('alice'), on('core_pipeline_edit', 'PIPELINE', P1, 'build')).permitted).toBe(
      false,
    );
    expect(evaluator.check(u('alice'), on('core_pipeline_view', 'PIPELINE', P2, 'build')).permitted).toBe(
      false,
    );
    expect(evaluator.whoCan(viewPipeline).map((allowed) => allowed.principal)).toEqual([u('alice')]);
  });

  it('stops granting once the default assignment is disabled or deleted', () => {
    const base = new WorldBuilder().member('alice', P1).build();
    const [assignment] = defaultAllUsersAssignments(P1);
    if (!assignment) throw new Error('expected a default assignment');
    const viewPipeline = on('core_pipeline_view', 'PIPELINE', P1, 'build');
    const disabled = new Evaluator({ ...base, roleAssignments: [{ ...assignment, disabled: true }] });
    expect(disabled.check(u('alice'), viewPipeline).permitted).toBe(false);
    expect(new Evaluator(base).check(u('alice'), viewPipeline).permitted).toBe(false);
  });

  it('gives members of a new organization and account their level view', () => {
    const snapshot = withDefaults(new WorldBuilder().member('alice', P1).member('dave', P2).build(), ACC, O1);
    const evaluator = new Evaluator(snapshot);
    expect(
      evaluator.check(u('alice'), on('core_organization_view', 'ORGANIZATION', O1, 'o1')).permitted,
    ).toBe(true);
    expect(evaluator.check(u('dave'), on('core_account_view', 'ACCOUNT', ACC, 'acc')).permitted).toBe(true);
    expect(evaluator.check(u('mallory'), on('core_account_view', 'ACCOUNT', ACC, 'acc')).permitted).toBe(
      false,
    );
  });
});
