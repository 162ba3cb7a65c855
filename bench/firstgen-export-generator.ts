import { random } from './world.js';

/** Size of a generated FirstGen export. */
export interface ExportSize {
  readonly groups: number;
  readonly applications: number;
  readonly users: number;
}

/** The export of the benchmark issue: 2,000 user groups over 300 applications. */
export const BENCH_EXPORT: ExportSize = { groups: 2_000, applications: 300, users: 5_000 };

const ACCOUNT_PERMISSIONS = [
  'VIEW_AUDITS',
  'MANAGE_TAGS',
  'MANAGE_TEMPLATE_LIBRARY',
  'CREATE_AND_DELETE_APPLICATION',
];
const CRUD = ['CREATE', 'READ', 'UPDATE', 'DELETE'];

/**
 * A deterministic FirstGen export in the GraphQL shape (reference firstgen §3.1): applications with
 * services, a production and a non-production environment, env-bound workflows and a two-stage
 * pipeline; groups mixing account permissions with app permissions over ALL, SELECTED and
 * EXCLUDE_SELECTED applications and production/non-production filters.
 */
export function generateExport(size: ExportSize, seed = 11): Record<string, unknown> {
  const rnd = random(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(rnd() * values.length)] as T;
  const applications = Array.from({ length: size.applications }, (_, a) => ({
    id: `app${a}`,
    name: `App ${a}`,
    services: [0, 1].map((s) => ({ id: `app${a}svc${s}`, name: `svc ${s}` })),
    provisioners: [],
    templates: [],
    environments: [
      { id: `app${a}prod`, name: 'prod', environmentType: 'PROD' },
      { id: `app${a}qa`, name: 'qa', environmentType: 'NON_PROD' },
    ],
    workflows: [
      { id: `app${a}wfprod`, name: 'deploy prod', envId: `app${a}prod`, templatized: false },
      { id: `app${a}wfqa`, name: 'deploy qa', envId: `app${a}qa`, templatized: false },
    ],
    pipelines: [
      {
        id: `app${a}pl`,
        name: 'release',
        stages: [
          { type: 'DEPLOYMENT', workflowId: `app${a}wfqa`, envId: `app${a}qa` },
          { type: 'DEPLOYMENT', workflowId: `app${a}wfprod`, envId: `app${a}prod` },
        ],
      },
    ],
  }));
  const appFilter = () => {
    const roll = rnd();
    if (roll < 0.03) return { filterType: 'ALL', appIds: null };
    const ids = Array.from(
      { length: 1 + Math.floor(rnd() * 4) },
      () => `app${Math.floor(rnd() * size.applications)}`,
    );
    return { filterType: roll < 0.98 ? 'SELECTED' : 'EXCLUDE_SELECTED', appIds: [...new Set(ids)] };
  };
  const envFilter = () => [pick(['PRODUCTION_ENVIRONMENTS', 'NON_PRODUCTION_ENVIRONMENTS'])];
  const appPermission = () => {
    const kind = pick(['SERVICE', 'ENV', 'WORKFLOW', 'PIPELINE', 'DEPLOYMENT']);
    const applicationsFilter = appFilter();
    switch (kind) {
      case 'SERVICE':
        return {
          permissionType: kind,
          applications: applicationsFilter,
          services: { filterType: 'ALL', serviceIds: null },
          actions: CRUD,
        };
      case 'ENV':
        return {
          permissionType: kind,
          applications: applicationsFilter,
          environments: { filterTypes: envFilter(), envIds: null },
          actions: ['READ', 'UPDATE'],
        };
      case 'WORKFLOW':
        return {
          permissionType: kind,
          applications: applicationsFilter,
          workflows: {
            filterTypes: [pick(['PRODUCTION_WORKFLOWS', 'NON_PRODUCTION_WORKFLOWS'])],
            envIds: null,
            workflowIds: null,
          },
          actions: ['READ', 'UPDATE'],
        };
      case 'PIPELINE':
        return {
          permissionType: kind,
          applications: applicationsFilter,
          pipelines: {
            filterTypes: [pick(['PRODUCTION_PIPELINES', 'NON_PRODUCTION_PIPELINES'])],
            envIds: null,
            pipelineIds: null,
          },
          actions: ['READ'],
        };
      default:
        return {
          permissionType: kind,
          applications: applicationsFilter,
          deployments: { filterTypes: envFilter(), envIds: null, executableElementFilter: null },
          actions: ['READ', 'EXECUTE_WORKFLOW', 'EXECUTE_PIPELINE', 'ROLLBACK_WORKFLOW', 'ABORT_WORKFLOW'],
        };
    }
  };
  const userGroups = Array.from({ length: size.groups }, (_, g) => {
    const members = Array.from({ length: 1 + Math.floor(rnd() * 8) }, () => ({
      id: `user${Math.floor(rnd() * size.users)}`,
    }));
    return {
      id: `group${g}`,
      name: `Group ${g}`,
      users: { nodes: [...new Map(members.map((member) => [member.id, member])).values()] },
      permissions: {
        accountPermissions: { accountPermissionTypes: ACCOUNT_PERMISSIONS.filter(() => rnd() < 0.2) },
        appPermissions: Array.from({ length: 1 + Math.floor(rnd() * 3) }, appPermission),
      },
    };
  });
  return {
    accountId: 'benchFirstGenAccount',
    users: Array.from({ length: size.users }, (_, u) => ({
      id: `user${u}`,
      email: `user${u}@example.com`,
      name: `User ${u}`,
    })),
    applications,
    userGroups,
  };
}
