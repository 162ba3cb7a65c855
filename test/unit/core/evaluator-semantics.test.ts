import { describe, expect, it } from 'vitest';
import type { AccessCheck } from '../../../functions/core/access-check.js';
import { Evaluator } from '../../../functions/core/evaluator.js';
import type { ActingPrincipal } from '../../../functions/core/principal.js';
import { accountScope, organizationScope } from '../../../functions/core/scope.js';
import {
  ACC,
  O1,
  O2,
  O2P1,
  on,
  P1,
  P2,
  serviceAccount,
  user,
  userGroup,
  WorldBuilder,
} from '../../support/world-builder.js';

const U1: ActingPrincipal = { type: 'USER', identifier: 'u1' };
const U2: ActingPrincipal = { type: 'USER', identifier: 'u2' };
const S1: ActingPrincipal = { type: 'SERVICE_ACCOUNT', identifier: 's1' };

function decide(world: WorldBuilder, check: AccessCheck, principal: ActingPrincipal = U1): boolean {
  return new Evaluator(world.build()).check(principal, check).permitted;
}

describe('Evaluator: scope matching (DESIGN §3.4)', () => {
  it.each([
    ['a project pipeline', on('core_pipeline_view', 'PIPELINE', P1, 'deploy'), true, false],
    ['an org secret', on('core_secret_view', 'SECRET', O1, 'db'), true, false],
    ['an account secret', on('core_secret_view', 'SECRET', ACC, 'db'), true, true],
  ])(
    'reaches %s with child scopes and only the account with account-level resources',
    (_name, check, withChildren, accountOnly) => {
      // Prepare
      const including = new WorldBuilder().assign(
        ACC,
        user('u1'),
        '_account_viewer',
        '_all_resources_including_child_scopes',
      );
      const accountLevel = new WorldBuilder().assign(
        ACC,
        user('u1'),
        '_account_viewer',
        '_all_account_level_resources',
      );

      // Act / Assess
      expect(decide(including, check)).toBe(withChildren);
      expect(decide(accountLevel, check)).toBe(accountOnly);
    },
  );

  it('keeps an organization’s projects out of All Organization Level Resources', () => {
    // Prepare
    const world = new WorldBuilder().assign(
      O1,
      user('u1'),
      '_organization_admin',
      '_all_organization_level_resources',
    );

    // Act / Assess
    expect(decide(world, on('core_project_view', 'PROJECT', O1, 'p1'))).toBe(false);
    expect(decide(world, on('core_pipeline_view', 'PIPELINE', P1, 'deploy'))).toBe(false);
    expect(decide(world, on('core_secret_edit', 'SECRET', O1, 'db'))).toBe(true);
    expect(decide(world, on('core_organization_edit', 'ORGANIZATION', ACC, 'o1'))).toBe(true);
  });

  it('includes the projects when the organization binding includes child scopes', () => {
    // Prepare
    const world = new WorldBuilder().assign(
      O1,
      user('u1'),
      '_organization_admin',
      '_all_resources_including_child_scopes',
    );

    // Act / Assess
    expect(decide(world, on('core_project_view', 'PROJECT', O1, 'p1'))).toBe(true);
    expect(decide(world, on('core_pipeline_execute', 'PIPELINE', P2, 'deploy'))).toBe(true);
    expect(decide(world, on('core_pipeline_execute', 'PIPELINE', O2P1, 'deploy'))).toBe(false);
  });

  it('treats the same project identifier in two organizations as two scopes', () => {
    // Prepare
    const world = new WorldBuilder().assign(P1, user('u1'), '_project_admin', '_all_project_level_resources');

    // Act / Assess
    expect(decide(world, on('core_pipeline_edit', 'PIPELINE', P1, 'a'))).toBe(true);
    expect(decide(world, on('core_pipeline_edit', 'PIPELINE', O2P1, 'a'))).toBe(false);
  });
});

describe('Evaluator: resource filters', () => {
  const named = () =>
    new WorldBuilder()
      .role(P1, 'runner', ['core_pipeline_execute', 'core_pipeline_view'])
      .resourceGroup(P1, 'deploy_only', {
        includeAllResources: false,
        resources: [{ resourceType: 'PIPELINE', identifiers: ['deploy'] }],
      })
      .assign(P1, user('u1'), 'runner', 'deploy_only');

  it.each([
    ['the named pipeline', on('core_pipeline_execute', 'PIPELINE', P1, 'deploy'), true],
    ['another pipeline', on('core_pipeline_execute', 'PIPELINE', P1, 'other'), false],
    ['a type-level check', on('core_pipeline_execute', 'PIPELINE', P1), false],
  ])('an identifier selector permits %s: %s', (_name, check, expected) => {
    expect(decide(named(), check)).toBe(expected);
  });

  it('satisfies a type-level check with a type-wide selector', () => {
    // Prepare
    const world = new WorldBuilder()
      .role(P1, 'runner', ['core_pipeline_execute'])
      .resourceGroup(P1, 'pipelines', {
        includeAllResources: false,
        resources: [{ resourceType: 'PIPELINE' }],
      })
      .assign(P1, user('u1'), 'runner', 'pipelines');

    // Act / Assess
    expect(decide(world, on('core_pipeline_execute', 'PIPELINE', P1))).toBe(true);
    expect(decide(world, on('core_pipeline_execute', 'PIPELINE', P1, 'any'))).toBe(true);
  });

  const production = () =>
    new WorldBuilder()
      .role(P1, 'deployer', ['core_environment_access'])
      .resourceGroup(P1, 'prod_envs', {
        includeAllResources: false,
        resources: [
          {
            resourceType: 'ENVIRONMENT',
            attributeFilter: { attributeName: 'type', attributeValues: ['Production'] },
          },
        ],
      })
      .assign(P1, user('u1'), 'deployer', 'prod_envs');

  it.each([
    [
      'matching attributes',
      on('core_environment_access', 'ENVIRONMENT', P1, undefined, { type: 'Production' }),
      true,
    ],
    [
      'identifier and matching attributes',
      on('core_environment_access', 'ENVIRONMENT', P1, 'e1', { type: 'Production' }),
      true,
    ],
    [
      'other attribute values',
      on('core_environment_access', 'ENVIRONMENT', P1, 'e1', { type: 'PreProduction' }),
      false,
    ],
    ['an identifier without attributes', on('core_environment_access', 'ENVIRONMENT', P1, 'e1'), false],
    ['a type-level check', on('core_environment_access', 'ENVIRONMENT', P1), false],
  ])('an attribute selector decides %s', (_name, check, expected) => {
    expect(decide(production(), check)).toBe(expected);
  });
});

describe('Evaluator: permission applicability and unknown permissions', () => {
  const admin = () =>
    new WorldBuilder().assign(ACC, user('u1'), '_account_admin', '_all_resources_including_child_scopes');

  it.each([
    [
      'a pipeline permission on a secret',
      on('core_pipeline_view', 'SECRET', P1, 's'),
      'PERMISSION_NOT_APPLICABLE',
    ],
    ['an unknown permission', on('core_pipeline_fly', 'PIPELINE', P1, 'p'), 'UNKNOWN_PERMISSION'],
    [
      'a STAGING permission no role may hold',
      on('core_notification_view', 'NOTIFICATION', P1),
      'NO_MATCHING_ASSIGNMENT',
    ],
    [
      'a project outside its organization',
      on('core_project_view', 'PROJECT', ACC, 'p1'),
      'INVALID_RESOURCE_SCOPE',
    ],
    [
      'a resource of another account',
      on('core_secret_view', 'SECRET', accountScope('other'), 's'),
      'INVALID_RESOURCE_SCOPE',
    ],
  ])('denies %s even to an account admin', (_name, check, code) => {
    // Act
    const decision = new Evaluator(admin().build()).check(U1, check);

    // Assess
    expect(decision).toMatchObject({ permitted: false, code });
  });

  it('applies feature-flag edit to environments (reference §2.5 exception)', () => {
    // Prepare
    const world = new WorldBuilder().assign(
      P1,
      user('u1'),
      '_feature_flag_manage_role',
      '_all_project_level_resources',
    );

    // Act / Assess
    expect(decide(world, on('ff_featureflag_edit', 'ENVIRONMENT', P1, 'e1'))).toBe(true);
    expect(decide(world, on('ff_featureflag_edit', 'FEATUREFLAG', P1, 'f1'))).toBe(true);
    expect(decide(world, on('ff_featureflag_toggle', 'FEATUREFLAG', P1, 'f1'))).toBe(false);
  });
});

describe('Evaluator: implicit scope view (reference §7.3)', () => {
  it('lets a binding on some project resources view the project and its organization', () => {
    // Prepare
    const world = new WorldBuilder()
      .resourceGroup(
        O1,
        'p1_pipelines',
        { includeAllResources: false, resources: [{ resourceType: 'PIPELINE' }] },
        [{ filter: 'EXCLUDING_CHILD_SCOPES', scope: P1 }],
      )
      .assign(O1, user('u1'), '_organization_viewer', 'p1_pipelines');

    // Act / Assess
    expect(decide(world, on('core_pipeline_view', 'PIPELINE', P1, 'deploy'))).toBe(true);
    expect(decide(world, on('core_project_view', 'PROJECT', O1, 'p1'))).toBe(true);
    expect(decide(world, on('core_organization_view', 'ORGANIZATION', ACC, 'o1'))).toBe(true);
    expect(decide(world, on('core_project_view', 'PROJECT', O1, 'p2'))).toBe(false);
    expect(decide(world, on('core_secret_view', 'SECRET', P1, 's'))).toBe(false);
  });

  it('grants no implicit view the role does not contain', () => {
    // Prepare
    const world = new WorldBuilder()
      .role(O1, 'runner', ['core_pipeline_execute'])
      .resourceGroup(O1, 'everything', { includeAllResources: true, resources: [] }, [
        { filter: 'INCLUDING_CHILD_SCOPES', scope: O1 },
      ])
      .assign(O1, user('u1'), 'runner', 'everything');

    // Act / Assess
    expect(decide(world, on('core_pipeline_execute', 'PIPELINE', P1, 'deploy'))).toBe(true);
    expect(decide(world, on('core_organization_view', 'ORGANIZATION', ACC, 'o1'))).toBe(false);
  });

  it('explains an implicit grant as such', () => {
    // Prepare
    const world = new WorldBuilder()
      .resourceGroup(P1, 'pipelines', {
        includeAllResources: false,
        resources: [{ resourceType: 'PIPELINE' }],
      })
      .assign(P1, user('u1'), '_project_viewer', 'pipelines', { identifier: 'viewers' });

    // Act
    const decision = new Evaluator(world.build()).check(U1, on('core_project_view', 'PROJECT', O1, 'p1'));

    // Assess
    expect(decision).toEqual({
      permitted: true,
      explanation: {
        roleAssignmentIdentifier: 'viewers',
        roleIdentifier: '_project_viewer',
        resourceGroupIdentifier: 'pipelines',
        scope: P1,
        implicitScopeView: true,
      },
    });
  });
});

describe('Evaluator: disabled assignments, principals and groups', () => {
  it('grants nothing through a disabled assignment', () => {
    // Prepare
    const disabled = new WorldBuilder().assign(
      P1,
      user('u1'),
      '_project_admin',
      '_all_project_level_resources',
      {
        disabled: true,
      },
    );
    const enabled = new WorldBuilder().assign(
      P1,
      user('u1'),
      '_project_admin',
      '_all_project_level_resources',
    );
    const check = on('core_pipeline_edit', 'PIPELINE', P1, 'deploy');

    // Act / Assess
    expect(decide(disabled, check)).toBe(false);
    expect(decide(enabled, check)).toBe(true);
  });

  it('reaches an account group bound at a project, and tells which group', () => {
    // Prepare
    const world = new WorldBuilder()
      .group(ACC, 'platform', ['u1'])
      .assign(P1, userGroup('platform', 'account'), '_pipeline_executor', '_all_project_level_resources', {
        identifier: 'exec',
      });

    // Act
    const evaluator = new Evaluator(world.build());
    const decision = evaluator.check(U1, on('core_pipeline_execute', 'PIPELINE', P1, 'deploy'));

    // Assess
    expect(decision).toMatchObject({
      permitted: true,
      explanation: { roleAssignmentIdentifier: 'exec', viaUserGroup: 'platform' },
    });
    expect(evaluator.check(U2, on('core_pipeline_execute', 'PIPELINE', P1, 'deploy')).permitted).toBe(false);
  });

  it('resolves a group at the level the binding names: same identifier, different scopes, different members', () => {
    // Prepare
    const world = new WorldBuilder()
      .group(ACC, 'team', ['u1'])
      .group(P1, 'team', ['u2'])
      .assign(P1, userGroup('team', 'project'), '_project_viewer', '_all_project_level_resources');
    const check = on('core_pipeline_view', 'PIPELINE', P1, 'deploy');

    // Act / Assess
    expect(decide(world, check, U2)).toBe(true);
    expect(decide(world, check, U1)).toBe(false);
  });

  it('ignores a binding whose group level is below the assignment scope', () => {
    // Prepare
    const world = new WorldBuilder()
      .group(P1, 'team', ['u1'])
      .assign(
        O1,
        userGroup('team', 'project'),
        '_organization_viewer',
        '_all_resources_including_child_scopes',
      );

    // Act / Assess
    expect(decide(world, on('core_pipeline_view', 'PIPELINE', P1, 'deploy'))).toBe(false);
  });

  it('derives all-users groups from scope membership', () => {
    // Prepare
    const world = new WorldBuilder()
      .member('u1', P1)
      .assign(
        P1,
        userGroup('_project_all_users', 'project'),
        '_project_viewer',
        '_all_project_level_resources',
      )
      .assign(
        O1,
        userGroup('_organization_all_users', 'organization'),
        '_organization_viewer',
        '_all_organization_level_resources',
      );

    // Act / Assess
    expect(decide(world, on('core_pipeline_view', 'PIPELINE', P1, 'x'), U1)).toBe(true);
    expect(decide(world, on('core_secret_view', 'SECRET', O1, 'x'), U1)).toBe(true);
    expect(decide(world, on('core_pipeline_view', 'PIPELINE', P1, 'x'), U2)).toBe(false);
  });

  it('decides for service accounts by their own assignments only', () => {
    // Prepare
    const world = new WorldBuilder()
      .serviceAccount(ACC, 's1')
      .assign(O1, serviceAccount('s1'), '_organization_viewer', '_all_resources_including_child_scopes');

    // Act / Assess
    expect(decide(world, on('core_pipeline_view', 'PIPELINE', P2, 'x'), S1)).toBe(true);
    expect(decide(world, on('core_pipeline_edit', 'PIPELINE', P2, 'x'), S1)).toBe(false);
    expect(decide(world, on('core_pipeline_view', 'PIPELINE', P2, 'x'), U1)).toBe(false);
  });
});

describe('Evaluator: union without cross-combination', () => {
  it('never combines one assignment’s role with another’s resource group', () => {
    // Prepare
    const world = new WorldBuilder()
      .role(P1, 'pipeline_and_secret_viewer', ['core_pipeline_view', 'core_secret_view'])
      .role(P1, 'connector_viewer', ['core_connector_view'])
      .resourceGroup(P1, 'pipelines', {
        includeAllResources: false,
        resources: [{ resourceType: 'PIPELINE' }],
      })
      .resourceGroup(P1, 'everything', { includeAllResources: true, resources: [] })
      .assign(P1, user('u1'), 'pipeline_and_secret_viewer', 'pipelines')
      .assign(P1, user('u1'), 'connector_viewer', 'everything');

    // Act / Assess
    expect(decide(world, on('core_pipeline_view', 'PIPELINE', P1, 'a'))).toBe(true);
    expect(decide(world, on('core_connector_view', 'CONNECTOR', P1, 'c'))).toBe(true);
    expect(decide(world, on('core_secret_view', 'SECRET', P1, 's'))).toBe(false);
  });
});

describe('Evaluator: worked example (reference §6.11)', () => {
  const world = new WorldBuilder()
    .group(ACC, 'platform_team', ['u1'])
    .assign(ACC, userGroup('platform_team', 'account'), '_account_viewer', '_all_account_level_resources')
    .assign(P1, userGroup('platform_team', 'account'), '_pipeline_executor', '_all_project_level_resources')
    .assign(
      O1,
      userGroup('platform_team', 'account'),
      '_organization_viewer',
      '_all_organization_level_resources',
    );

  it.each([
    ['execute a pipeline in the project', on('core_pipeline_execute', 'PIPELINE', P1, 'deploy'), true],
    ['edit the same pipeline', on('core_pipeline_edit', 'PIPELINE', P1, 'deploy'), false],
    ['view an account secret', on('core_secret_view', 'SECRET', ACC, 's'), true],
    ['view a secret in the project', on('core_secret_view', 'SECRET', P1, 's'), true],
    ['view a connector in another project', on('core_connector_view', 'CONNECTOR', P2, 'c'), false],
    ['view the project', on('core_project_view', 'PROJECT', O1, 'p1'), true],
    ['view the organization', on('core_organization_view', 'ORGANIZATION', ACC, 'o1'), true],
  ])('may %s: %s', (_name, check, expected) => {
    expect(decide(world, check)).toBe(expected);
  });
});

describe('Evaluator: the role-assignment table of the product description', () => {
  type Row = [role: string, group: string, at: 'ACC' | 'O1' | 'P1', check: AccessCheck, permitted: boolean];
  const scopes = { ACC, O1, P1 };
  const rows: Row[] = [
    [
      '_account_admin',
      '_all_resources_including_child_scopes',
      'ACC',
      on('core_account_edit', 'ACCOUNT', ACC, 'acc'),
      true,
    ],
    [
      '_account_admin',
      '_all_resources_including_child_scopes',
      'ACC',
      on('core_secret_delete', 'SECRET', O2, 's'),
      true,
    ],
    [
      '_account_admin',
      '_all_resources_including_child_scopes',
      'ACC',
      on('core_pipeline_edit', 'PIPELINE', P1, 'p'),
      true,
    ],
    [
      '_account_admin',
      '_all_account_level_resources',
      'ACC',
      on('core_secret_edit', 'SECRET', ACC, 's'),
      true,
    ],
    [
      '_account_admin',
      '_all_account_level_resources',
      'ACC',
      on('core_secret_edit', 'SECRET', O1, 's'),
      false,
    ],
    [
      '_account_admin',
      '_all_account_level_resources',
      'ACC',
      on('core_pipeline_edit', 'PIPELINE', P1, 'p'),
      false,
    ],
    [
      '_account_viewer',
      '_all_resources_including_child_scopes',
      'ACC',
      on('core_pipeline_view', 'PIPELINE', P1, 'p'),
      true,
    ],
    [
      '_account_viewer',
      '_all_resources_including_child_scopes',
      'ACC',
      on('core_pipeline_edit', 'PIPELINE', P1, 'p'),
      false,
    ],
    [
      '_account_viewer',
      '_all_account_level_resources',
      'ACC',
      on('core_secret_view', 'SECRET', ACC, 's'),
      true,
    ],
    [
      '_account_viewer',
      '_all_account_level_resources',
      'ACC',
      on('core_secret_view', 'SECRET', O1, 's'),
      false,
    ],
    [
      '_feature_flag_manage_role',
      '_all_resources_including_child_scopes',
      'ACC',
      on('ff_featureflag_edit', 'FEATUREFLAG', P1, 'f'),
      true,
    ],
    [
      '_feature_flag_manage_role',
      '_all_resources_including_child_scopes',
      'ACC',
      on('core_pipeline_view', 'PIPELINE', P1, 'p'),
      false,
    ],
    [
      '_feature_flag_manage_role',
      '_all_account_level_resources',
      'ACC',
      on('ff_featureflag_edit', 'FEATUREFLAG', ACC, 'f'),
      true,
    ],
    [
      '_feature_flag_manage_role',
      '_all_account_level_resources',
      'ACC',
      on('ff_featureflag_edit', 'FEATUREFLAG', O1, 'f'),
      false,
    ],
    [
      '_organization_admin',
      '_all_resources_including_child_scopes',
      'O1',
      on('core_pipeline_execute', 'PIPELINE', P1, 'p'),
      true,
    ],
    [
      '_organization_admin',
      '_all_resources_including_child_scopes',
      'O1',
      on('core_secret_edit', 'SECRET', O2, 's'),
      false,
    ],
    [
      '_organization_admin',
      '_all_resources_including_child_scopes',
      'O1',
      on('core_secret_edit', 'SECRET', ACC, 's'),
      false,
    ],
    [
      '_organization_admin',
      '_all_organization_level_resources',
      'O1',
      on('core_secret_edit', 'SECRET', O1, 's'),
      true,
    ],
    [
      '_organization_admin',
      '_all_organization_level_resources',
      'O1',
      on('core_pipeline_execute', 'PIPELINE', P1, 'p'),
      false,
    ],
    [
      '_organization_viewer',
      '_all_resources_including_child_scopes',
      'O1',
      on('core_pipeline_view', 'PIPELINE', P1, 'p'),
      true,
    ],
    [
      '_organization_viewer',
      '_all_resources_including_child_scopes',
      'O1',
      on('core_pipeline_edit', 'PIPELINE', P1, 'p'),
      false,
    ],
    [
      '_organization_viewer',
      '_all_organization_level_resources',
      'O1',
      on('core_secret_view', 'SECRET', O1, 's'),
      true,
    ],
    [
      '_organization_viewer',
      '_all_organization_level_resources',
      'O1',
      on('core_secret_view', 'SECRET', P1, 's'),
      false,
    ],
    [
      '_feature_flag_manage_role',
      '_all_resources_including_child_scopes',
      'O1',
      on('ff_featureflag_edit', 'FEATUREFLAG', P2, 'f'),
      true,
    ],
    [
      '_feature_flag_manage_role',
      '_all_resources_including_child_scopes',
      'O1',
      on('ff_featureflag_edit', 'FEATUREFLAG', O2P1, 'f'),
      false,
    ],
    [
      '_feature_flag_manage_role',
      '_all_organization_level_resources',
      'O1',
      on('ff_featureflag_edit', 'FEATUREFLAG', O1, 'f'),
      true,
    ],
    [
      '_feature_flag_manage_role',
      '_all_organization_level_resources',
      'O1',
      on('ff_featureflag_edit', 'FEATUREFLAG', P1, 'f'),
      false,
    ],
    [
      '_project_admin',
      '_all_project_level_resources',
      'P1',
      on('core_pipeline_edit', 'PIPELINE', P1, 'p'),
      true,
    ],
    [
      '_project_admin',
      '_all_project_level_resources',
      'P1',
      on('core_pipeline_edit', 'PIPELINE', P2, 'p'),
      false,
    ],
    [
      '_project_admin',
      '_all_project_level_resources',
      'P1',
      on('core_secret_view', 'SECRET', O1, 's'),
      false,
    ],
    [
      '_project_viewer',
      '_all_project_level_resources',
      'P1',
      on('core_connector_view', 'CONNECTOR', P1, 'c'),
      true,
    ],
    [
      '_project_viewer',
      '_all_project_level_resources',
      'P1',
      on('core_connector_edit', 'CONNECTOR', P1, 'c'),
      false,
    ],
    [
      '_feature_flag_manage_role',
      '_all_project_level_resources',
      'P1',
      on('ff_featureflag_edit', 'FEATUREFLAG', P1, 'f'),
      true,
    ],
    [
      '_feature_flag_manage_role',
      '_all_project_level_resources',
      'P1',
      on('ff_featureflag_delete', 'FEATUREFLAG', P1, 'f'),
      false,
    ],
    ...(
      [
        ['core_resourcegroup_view', 'RESOURCEGROUP'],
        ['core_project_view', 'PROJECT'],
        ['core_user_view', 'USER'],
        ['core_usergroup_view', 'USERGROUP'],
        ['core_role_view', 'ROLE'],
        ['core_secret_view', 'SECRET'],
        ['core_secret_access', 'SECRET'],
        ['core_connector_access', 'CONNECTOR'],
        ['core_environment_access', 'ENVIRONMENT'],
        ['core_service_access', 'SERVICE'],
        ['core_pipeline_view', 'PIPELINE'],
        ['core_pipeline_execute', 'PIPELINE'],
      ] as const
    ).map(
      ([permission, type]): Row => [
        '_pipeline_executor',
        '_all_project_level_resources',
        'P1',
        type === 'PROJECT' ? on(permission, type, O1, 'p1') : on(permission, type, P1, 'r'),
        true,
      ],
    ),
    [
      '_pipeline_executor',
      '_all_project_level_resources',
      'P1',
      on('core_pipeline_edit', 'PIPELINE', P1, 'p'),
      false,
    ],
    [
      '_pipeline_executor',
      '_all_project_level_resources',
      'P1',
      on('core_secret_edit', 'SECRET', P1, 's'),
      false,
    ],
  ];

  it.each(rows)('%s on %s at %s decides %j → %s', (role, group, at, check, expected) => {
    // Prepare
    const world = new WorldBuilder().assign(scopes[at], user('u1'), role, group);

    // Act / Assess
    expect(decide(world, check)).toBe(expected);
  });

  it('treats Account Admin plus Organization Viewer exactly as Account Admin', () => {
    // Prepare
    const adminOnly = new Evaluator(
      new WorldBuilder()
        .assign(ACC, user('u1'), '_account_admin', '_all_resources_including_child_scopes')
        .build(),
    );
    const both = new Evaluator(
      new WorldBuilder()
        .assign(ACC, user('u1'), '_account_admin', '_all_resources_including_child_scopes')
        .assign(O1, user('u1'), '_organization_viewer', '_all_resources_including_child_scopes')
        .build(),
    );
    const checks = rows
      .map(([, , , check]) => check)
      .concat([
        on('core_organization_delete', 'ORGANIZATION', accountScope('acc'), 'o1'),
        on('core_project_create', 'PROJECT', organizationScope('acc', 'o1')),
      ]);

    // Act / Assess
    for (const check of checks) {
      expect(both.check(U1, check).permitted, JSON.stringify(check)).toBe(
        adminOnly.check(U1, check).permitted,
      );
    }
    expect(checks.filter((check) => adminOnly.check(U1, check).permitted).length).toBeGreaterThan(20);
  });
});
