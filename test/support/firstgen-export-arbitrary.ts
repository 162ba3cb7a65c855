import fc from 'fast-check';
import type { AppPermission, FgApplication, FgExport } from '../../migration/firstgen/model.js';
import { APP_ACTIONS } from '../../migration/firstgen/model.js';

/**
 * fast-check arbitraries of small FirstGen exports for the migration's property tests: one to three
 * applications (environments of both types, possibly missing ones that workflows still name,
 * build and templatised workflows, pipelines of approvals and deployments), one to three groups
 * mixing account permissions with application permissions of every type over ALL, SELECTED (one or
 * several applications, or one that is gone) and EXCLUDE_SELECTED application filters, half of them
 * of the kinds the compact mapping folds type-wide.
 */

const ENV_IDS = ['e1', 'e2', 'e3'];
/** The application ids of generated exports (filters may also name `gone`, an application not in the export). */
export const APP_IDS = ['app0', 'app1', 'app2'];
/** One application of the generated exports (its entity ids repeat across applications, as filters name them). */
const appArb = (index: number): fc.Arbitrary<FgApplication> =>
  fc
    .record({
      types: fc.tuple(...ENV_IDS.map(() => fc.constantFrom('PROD' as const, 'NON_PROD' as const))),
      environments: fc.integer({ min: 0, max: ENV_IDS.length }),
      workflowEnvs: fc.array(fc.constantFrom<string | 'none' | 'tpl'>('e1', 'e2', 'e3', 'none', 'tpl'), {
        minLength: 1,
        maxLength: 4,
      }),
      pipelines: fc.array(fc.array(fc.oneof(fc.constant(-1), fc.nat(3)), { maxLength: 3 }), {
        maxLength: 3,
      }),
    })
    .map(({ types, environments, workflowEnvs, pipelines }) => ({
      id: APP_IDS[index] ?? `app${index}`,
      name: `App ${index}`,
      services: [
        { id: 's1', name: 'one' },
        { id: 's2', name: 'two' },
      ],
      provisioners: [{ id: 'pr1', name: 'prov' }],
      templates: [{ id: 't1', name: 'tpl' }],
      // The first application has every environment; the others may lack some (or all of them).
      environments: ENV_IDS.slice(0, index === 0 ? ENV_IDS.length : environments).map((id, env) => ({
        id,
        name: `env ${id}`,
        environmentType: types[env] ?? 'PROD',
      })),
      workflows: workflowEnvs.map((env, workflow) => ({
        id: `w${workflow}`,
        name: `workflow ${workflow}`,
        ...(env === 'none' || env === 'tpl' ? {} : { envId: env }),
        templatized: env === 'tpl',
      })),
      pipelines: pipelines.map((stages, pipeline) => ({
        id: `p${pipeline}`,
        name: `pipeline ${pipeline}`,
        stages: stages.map((stage) =>
          stage < 0 || stage >= workflowEnvs.length
            ? { type: 'APPROVAL' as const }
            : { type: 'DEPLOYMENT' as const, workflowId: `w${stage}` },
        ),
      })),
    }));
const appsArb = fc
  .integer({ min: 1, max: APP_IDS.length })
  .chain((count) => fc.tuple(...Array.from({ length: count }, (_, index) => appArb(index))));

const actionsArb = fc.subarray([...APP_ACTIONS]);
const envTypesArb = fc.subarray(['PROD', 'NON_PROD'] as const, { minLength: 1 });
const envFilterArb = fc.oneof(
  envTypesArb.map((types) => ({ kind: 'TYPES' as const, types })),
  fc.subarray(ENV_IDS, { minLength: 1 }).map((ids) => ({ kind: 'SELECTED' as const, ids })),
);
const genericArb = (ids: string[]) =>
  fc.oneof(
    fc.constant({ kind: 'ALL' as const }),
    fc.subarray(ids, { minLength: 1 }).map((selected) => ({ kind: 'SELECTED' as const, ids: selected })),
  );
/** ALL, SELECTED naming one or several applications (maybe one that is gone), or EXCLUDE_SELECTED. */
const appFilterArb = fc.oneof(
  fc.constant({ kind: 'ALL' as const }),
  fc.subarray([...APP_IDS, 'gone'], { minLength: 1 }).map((ids) => ({ kind: 'SELECTED' as const, ids })),
  fc.subarray([...APP_IDS, 'gone']).map((ids) => ({ kind: 'EXCLUDE_SELECTED' as const, ids })),
);
/** Permissions that cover every workflow and pipeline by rule: the compact mapping folds them type-wide. */
const typeWideArb: fc.Arbitrary<AppPermission[]> = fc
  .record({ appFilter: appFilterArb, actions: actionsArb, allEntities: fc.boolean() })
  .map(({ appFilter, actions, allEntities }) =>
    allEntities
      ? [{ type: 'ALL_APP_ENTITIES' as const, appFilter, actions }]
      : [
          { type: 'WORKFLOW' as const, appFilter, filter: { kind: 'ALL' as const }, actions },
          { type: 'PIPELINE' as const, appFilter, filter: { kind: 'ALL' as const }, actions },
        ],
  );
const permissionArb: fc.Arbitrary<AppPermission> = fc.oneof(
  fc.record({ type: fc.constant('ALL_APP_ENTITIES' as const), appFilter: appFilterArb, actions: actionsArb }),
  fc.record({
    type: fc.constantFrom('SERVICE' as const, 'PROVISIONER' as const, 'APP_TEMPLATE' as const),
    appFilter: appFilterArb,
    filter: genericArb(['s1', 's2', 't1', 'pr1']),
    actions: actionsArb,
  }),
  fc.record({
    type: fc.constant('ENV' as const),
    appFilter: appFilterArb,
    filter: envFilterArb,
    actions: actionsArb,
  }),
  fc.record({
    type: fc.constant('WORKFLOW' as const),
    appFilter: appFilterArb,
    filter: fc.oneof(
      genericArb(['w0', 'w1', 'w2']),
      fc.record({
        kind: fc.constant('BY_ENV' as const),
        types: fc.subarray(['PROD', 'NON_PROD'] as const),
        envIds: fc.subarray(ENV_IDS),
        templates: fc.boolean(),
      }),
    ),
    actions: actionsArb,
  }),
  fc.record({
    type: fc.constant('PIPELINE' as const),
    appFilter: appFilterArb,
    filter: fc.oneof(
      genericArb(['p0', 'p1', 'p2']),
      fc.record({
        kind: fc.constant('BY_ENV' as const),
        types: fc.subarray(['PROD', 'NON_PROD'] as const),
        envIds: fc.subarray(ENV_IDS),
      }),
    ),
    actions: actionsArb,
  }),
  fc
    .record({
      type: fc.constant('DEPLOYMENT' as const),
      appFilter: appFilterArb,
      filter: envFilterArb,
      executables: fc.option(
        fc.record({
          elementType: fc.constantFrom('PIPELINE' as const, 'WORKFLOW' as const),
          filter: genericArb(['p0', 'p1', 'w0', 'w1']),
        }),
        { nil: undefined },
      ),
      actions: actionsArb,
    })
    .map(({ executables, ...rest }) => (executables ? { ...rest, executables } : rest)),
);
const ACCOUNT_SAMPLE = [
  'MANAGE_SECRETS',
  'MANAGE_SSH_AND_WINRM',
  'CREATE_CUSTOM_DASHBOARDS',
  'MANAGE_CUSTOM_DASHBOARDS',
  'MANAGE_CLOUD_PROVIDERS',
  'MANAGE_CONNECTORS',
  'USER_PERMISSION_READ',
  'USER_PERMISSION_MANAGEMENT',
  'MANAGE_DEPLOYMENT_FREEZES',
  'ALLOW_DEPLOYMENTS_DURING_FREEZE',
  'CE_VIEWER',
  'CE_ADMIN',
  'MANAGE_IP_WHITELIST',
  'MANAGE_AUTHENTICATION_SETTINGS',
  'MANAGE_APPLICATIONS',
  'TEMPLATE_MANAGEMENT',
] as const;
/** Exports of one to three applications and one to three groups, half of whose permissions fold type-wide. */
export const exportArb: fc.Arbitrary<FgExport> = fc
  .record({
    apps: appsArb,
    groups: fc.array(
      fc.record({
        account: fc.subarray([...ACCOUNT_SAMPLE]),
        app: fc.array(
          fc.oneof(
            permissionArb.map((permission) => [permission]),
            typeWideArb,
          ),
          {
            maxLength: 4,
          },
        ),
        members: fc.subarray(['u1', 'u2', 'u3']),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  })
  .map(({ apps, groups }) => ({
    accountId: 'fg',
    users: [{ id: 'u1', email: 'u1@example.com' }, { id: 'u2' }, { id: 'u3', email: 'u3@example.com' }],
    applications: apps,
    userGroups: groups.map((group, index) => ({
      id: `g${index}`,
      name: `group ${index}`,
      memberIds: group.members,
      accountPermissions: group.account,
      appPermissions: group.app.flat(),
    })),
  }));
