import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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

// --- The messy export of issue 14 -----------------------------------------------------------------

/** Size and mix of a messy FirstGen export. */
export interface MessyExportSize {
  readonly applications: number;
  readonly groups: number;
  /** Share of groups written in the REST shape (reference firstgen §3.3) instead of GraphQL (§3.1). */
  readonly restShare: number;
  readonly users: number;
  /** Share of application permissions whose application filter is ALL or EXCLUDE_SELECTED. */
  readonly dynamicShare: number;
  /** Member counts of the few very large groups. */
  readonly bigGroups: readonly number[];
  /** How many users are members of dozens of groups. */
  readonly heavyUsers: number;
  /** The chance that a heavy user is a member of any one group. */
  readonly heavyShare: number;
}

/** The export of issue 14: 150 applications, 400 groups (74 REST-shaped), 3,000 users, 39 % dynamic filters. */
export const MESSY_EXPORT: MessyExportSize = {
  applications: 150,
  groups: 400,
  restShare: 0.2,
  users: 3_000,
  dynamicShare: 0.39,
  bigGroups: [2_400, 1_200],
  heavyUsers: 40,
  heavyShare: 0.1,
};

/** The messy test fixture (`test/fixtures/migration/messy-export.json`): the same mix, smaller. */
export const MESSY_FIXTURE: MessyExportSize = {
  applications: 24,
  groups: 60,
  restShare: 0.2,
  users: 2_200,
  dynamicShare: 0.39,
  bigGroups: [2_050],
  heavyUsers: 12,
  heavyShare: 0.5,
};

const GRAPHQL_ACCOUNT = [
  'CREATE_AND_DELETE_APPLICATION',
  'READ_USERS_AND_GROUPS',
  'MANAGE_TEMPLATE_LIBRARY',
  'VIEW_AUDITS',
  'CREATE_CUSTOM_DASHBOARDS',
  'MANAGE_CUSTOM_DASHBOARDS',
  'MANAGE_TAGS',
  'MANAGE_CONNECTORS',
  'MANAGE_CLOUD_PROVIDERS',
  'MANAGE_SECRETS',
  'MANAGE_SSH_AND_WINRM',
  'MANAGE_DEPLOYMENT_FREEZES',
  'ALLOW_DEPLOYMENTS_DURING_FREEZE',
  'MANAGE_DELEGATES',
  'VIEW_CE',
  'ADMINISTER_CE',
  'MANAGE_API_KEYS',
  'VIEW_USER_AND_USER_GROUPS_AND_API_KEYS',
  'MANAGE_USER_AND_USER_GROUPS_AND_API_KEYS',
];
const REST_ACCOUNT = [
  'MANAGE_APPLICATIONS',
  'USER_PERMISSION_READ',
  'AUDIT_VIEWER',
  'MANAGE_DEPLOYMENT_FREEZES',
  'APPLICATION_CREATE_DELETE',
  'TAG_MANAGEMENT',
  'MANAGE_IP_WHITELISTING',
  'MANAGE_DELEGATE_PROFILES',
  'CE_VIEWER',
  'MANAGE_SECRET_MANAGERS',
];
const ADMIN_ACCOUNT = [
  'USER_PERMISSION_MANAGEMENT',
  'ACCOUNT_MANAGEMENT',
  'MANAGE_APPLICATIONS',
  'TEMPLATE_MANAGEMENT',
  'USER_PERMISSION_READ',
  'AUDIT_VIEWER',
  'MANAGE_TAGS',
  'MANAGE_ACCOUNT_DEFAULTS',
  'CE_ADMIN',
  'CE_VIEWER',
  'MANAGE_CLOUD_PROVIDERS',
  'MANAGE_CONNECTORS',
  'MANAGE_APPLICATION_STACKS',
  'MANAGE_DELEGATES',
  'MANAGE_ALERT_NOTIFICATION_RULES',
  'MANAGE_DELEGATE_PROFILES',
  'MANAGE_CONFIG_AS_CODE',
  'MANAGE_SECRETS',
  'MANAGE_SECRET_MANAGERS',
  'MANAGE_AUTHENTICATION_SETTINGS',
  'MANAGE_IP_WHITELIST',
  'MANAGE_DEPLOYMENT_FREEZES',
  'MANAGE_PIPELINE_GOVERNANCE_STANDARDS',
  'MANAGE_API_KEYS',
  'MANAGE_CUSTOM_DASHBOARDS',
  'CREATE_CUSTOM_DASHBOARDS',
  'MANAGE_SSH_AND_WINRM',
  'MANAGE_RESTRICTED_ACCESS',
];
const APP_NAMES = ['Payments App', 'payments-app', '2nd Team', 'Café déploiement', 'Checkout', 'Data Lake'];

type Rnd = () => number;
type Json = Record<string, unknown>;

interface App {
  id: string;
  services: string[];
  envs: { id: string; type: 'PROD' | 'NON_PROD' }[];
  workflows: string[];
  pipelines: string[];
  json: Json;
}

const pick = <T>(rnd: Rnd, values: readonly T[]): T => values[Math.floor(rnd() * values.length)] as T;
const some = <T>(rnd: Rnd, values: readonly T[], max: number): T[] => [
  ...new Set(Array.from({ length: 1 + Math.floor(rnd() * max) }, () => pick(rnd, values))),
];
/** `null` or `[]`, the two spellings of nothing (§3.2). */
const nothing = (rnd: Rnd): null | [] => (rnd() < 0.5 ? null : []);

function application(rnd: Rnd, a: number): App {
  const id = `app${a}_${Math.floor(rnd() * 1e6).toString(36)}`;
  const services = Array.from({ length: 1 + Math.floor(rnd() * 5) }, (_, s) => `${id}_svc${s}`);
  const envCount = rnd() < 0.16 ? 0 : 1 + Math.floor(rnd() * 4);
  const envs = Array.from({ length: envCount }, (_, e) => ({
    id: `${id}_env${e}`,
    type: (e === 0 ? 'PROD' : rnd() < 0.3 ? 'PROD' : 'NON_PROD') as 'PROD' | 'NON_PROD',
  }));
  const workflows: Json[] = [];
  for (const env of envs) {
    for (let w = 0; w < 1 + Math.floor(rnd() * 2); w++)
      workflows.push({
        id: `${env.id}_wf${w}`,
        name: `deploy ${env.id.slice(-4)} ${w}`,
        envId: env.id,
        templatized: false,
      });
  }
  for (let b = 0; b < Math.floor(rnd() * 3); b++)
    workflows.push({ id: `${id}_build${b}`, name: `build ${b}`, envId: null, templatized: false });
  if (envs.length > 0 && rnd() < 0.4)
    workflows.push({ id: `${id}_tpl`, name: 'deploy anywhere', templatized: true });
  const deployable = workflows.filter((workflow) => workflow.envId);
  const pipelines = Array.from({ length: Math.floor(rnd() * 4) }, (_, p) => {
    const stages: Json[] = [];
    for (let s = 0; s < 1 + Math.floor(rnd() * 3); s++) {
      const roll = rnd();
      if (roll < 0.2) stages.push({ type: 'APPROVAL' });
      else if (roll < 0.23) stages.push({ type: 'DEPLOYMENT', workflowId: null });
      else if (workflows.length > 0) {
        const workflow = pick(rnd, deployable.length > 0 && roll < 0.85 ? deployable : workflows);
        const override = envs.length > 0 && roll > 0.95 ? { envId: pick(rnd, envs).id } : {};
        stages.push({ type: 'DEPLOYMENT', workflowId: workflow.id, ...override });
      }
    }
    return { id: `${id}_pl${p}`, name: p === 0 ? 'release' : `pipeline ${p}`, stages };
  });
  return {
    id,
    services,
    envs,
    workflows: workflows.map((workflow) => String(workflow.id)),
    pipelines: pipelines.map((pipeline) => pipeline.id),
    json: {
      id,
      name: a < APP_NAMES.length ? APP_NAMES[a] : `App ${a}`,
      description: rnd() < 0.5 ? null : `Application ${a}`,
      services: services.map((service, s) => ({ id: service, name: s === 0 ? 'api' : `svc ${s}` })),
      provisioners: rnd() < 0.3 ? [{ id: `${id}_tf`, name: 'tf' }] : nothing(rnd),
      templates: rnd() < 0.4 ? [{ id: `${id}_t0`, name: 'canary' }] : nothing(rnd),
      environments:
        envCount === 0
          ? nothing(rnd)
          : envs.map((env, e) => ({ id: env.id, name: `env ${e}`, environmentType: env.type })),
      workflows: workflows.length === 0 ? nothing(rnd) : workflows,
      pipelines: pipelines.length === 0 ? nothing(rnd) : pipelines,
    },
  };
}

interface PermissionDraft {
  type: 'SERVICE' | 'PROVISIONER' | 'ENV' | 'WORKFLOW' | 'PIPELINE' | 'DEPLOYMENT' | 'APP_TEMPLATE' | 'ALL';
  apps: { kind: 'ALL' | 'SELECTED' | 'EXCLUDE_SELECTED'; ids: string[] };
  /** By type (PROD/NON_PROD/TEMPLATES/ALL) or by the ids of entities of the first selected app. */
  words: string[];
  ids: string[];
  actions: string[];
  executable?: { type: 'PIPELINE' | 'WORKFLOW'; ids: string[] };
}

function permission(rnd: Rnd, apps: readonly App[], dynamicShare: number): PermissionDraft {
  const type = pick(rnd, [
    'SERVICE',
    'ENV',
    'WORKFLOW',
    'WORKFLOW',
    'PIPELINE',
    'DEPLOYMENT',
    'DEPLOYMENT',
    'APP_TEMPLATE',
    'PROVISIONER',
    'ALL',
  ] as const);
  const roll = rnd();
  const dynamic = roll < dynamicShare;
  const gone = () => `deletedApp${Math.floor(rnd() * 1e4)}`;
  const selected = some(rnd, apps, 4).map((app) => app.id);
  if (rnd() < 0.1) selected.push(gone());
  const appsFilter: PermissionDraft['apps'] = dynamic
    ? roll < dynamicShare * 0.62
      ? { kind: 'ALL', ids: [] }
      : { kind: 'EXCLUDE_SELECTED', ids: rnd() < 0.2 ? [gone()] : some(rnd, apps, 3).map((app) => app.id) }
    : { kind: 'SELECTED', ids: selected };
  const first = apps.find((app) => app.id === appsFilter.ids[0]);
  const byIds = !dynamic && first !== undefined && rnd() < 0.35;
  const crud = () => (rnd() < 0.05 ? [] : CRUD.filter(() => rnd() < 0.6).concat('READ'));
  const draft = (words: string[], ids: string[], actions: string[]): PermissionDraft => ({
    type,
    apps: appsFilter,
    words,
    ids,
    actions: [...new Set(actions)],
  });
  switch (type) {
    case 'SERVICE':
    case 'APP_TEMPLATE':
    case 'PROVISIONER':
      return draft([], byIds && type === 'SERVICE' ? some(rnd, first?.services ?? [], 2) : [], crud());
    case 'ENV':
      return byIds && first && first.envs.length > 0
        ? draft(
            [],
            some(rnd, first.envs, 2).map((env) => env.id),
            crud(),
          )
        : draft(rnd() < 0.2 ? [] : some(rnd, ['PROD', 'NON_PROD'], 2), [], crud());
    case 'WORKFLOW':
      if (byIds && first && first.workflows.length > 0)
        return draft([], some(rnd, first.workflows, 2), crud());
      return draft(rnd() < 0.15 ? ['ALL'] : some(rnd, ['PROD', 'NON_PROD', 'TEMPLATES'], 2), [], crud());
    case 'PIPELINE':
      if (byIds && first && first.pipelines.length > 0)
        return draft([], some(rnd, first.pipelines, 2), crud());
      return draft(rnd() < 0.15 ? ['ALL'] : some(rnd, ['PROD', 'NON_PROD'], 2), [], crud());
    case 'DEPLOYMENT': {
      const actions =
        rnd() < 0.15
          ? ['READ', 'EXECUTE']
          : [
              'READ',
              ...[
                'EXECUTE_WORKFLOW',
                'EXECUTE_PIPELINE',
                'EXECUTE_WORKFLOW_ROLLBACK',
                'ABORT_WORKFLOW',
              ].filter(() => rnd() < 0.75),
            ];
      const result =
        byIds && first && first.envs.length > 0
          ? draft(
              [],
              some(rnd, first.envs, 2).map((env) => env.id),
              actions,
            )
          : draft(rnd() < 0.2 ? [] : some(rnd, ['PROD', 'NON_PROD'], 2), [], actions);
      if (byIds && first && first.pipelines.length > 0 && rnd() < 0.25)
        result.executable = { type: 'PIPELINE', ids: some(rnd, first.pipelines, 2) };
      return result;
    }
    default:
      return draft([], [], rnd() < 0.5 ? [...CRUD, 'EXECUTE'] : ['READ']);
  }
}

const GRAPHQL_WORDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  ENV: { PROD: 'PRODUCTION_ENVIRONMENTS', NON_PROD: 'NON_PRODUCTION_ENVIRONMENTS' },
  DEPLOYMENT: { PROD: 'PRODUCTION_ENVIRONMENTS', NON_PROD: 'NON_PRODUCTION_ENVIRONMENTS' },
  WORKFLOW: {
    PROD: 'PRODUCTION_WORKFLOWS',
    NON_PROD: 'NON_PRODUCTION_WORKFLOWS',
    TEMPLATES: 'WORKFLOW_TEMPLATES',
    ALL: 'ALL_WORKFLOWS',
  },
  PIPELINE: { PROD: 'PRODUCTION_PIPELINES', NON_PROD: 'NON_PRODUCTION_PIPELINES', ALL: 'ALL_PIPELINES' },
};

function graphqlPermission(rnd: Rnd, draft: PermissionDraft): Json {
  const words = (type: string) => draft.words.map((word) => GRAPHQL_WORDS[type]?.[word] ?? word);
  const ids = (present: boolean) => (present ? draft.ids : nothing(rnd));
  const generic = (key: string) => ({
    filterType: draft.ids.length > 0 ? null : 'ALL',
    [key]: ids(draft.ids.length > 0),
  });
  const actions = draft.actions.map((action) =>
    action === 'EXECUTE_WORKFLOW_ROLLBACK' ? 'ROLLBACK_WORKFLOW' : action,
  );
  const base: Json = {
    permissionType: draft.type === 'APP_TEMPLATE' ? 'TEMPLATE' : draft.type,
    applications: {
      filterType: draft.apps.kind,
      appIds: draft.apps.ids.length > 0 ? draft.apps.ids : nothing(rnd),
    },
    actions: actions.length > 0 ? actions : nothing(rnd),
  };
  const none = {
    services: null,
    provisioners: null,
    templates: null,
    environments: null,
    workflows: null,
    pipelines: null,
    deployments: null,
  };
  switch (draft.type) {
    case 'SERVICE':
      return { ...base, ...none, services: generic('serviceIds') };
    case 'PROVISIONER':
      return { ...base, ...none, provisioners: generic('provisionerIds') };
    case 'APP_TEMPLATE':
      return { ...base, ...none, templates: generic('templateIds') };
    case 'ENV':
      return {
        ...base,
        ...none,
        environments:
          draft.ids.length > 0
            ? { filterTypes: null, envIds: draft.ids }
            : { filterTypes: words('ENV'), envIds: nothing(rnd) },
      };
    case 'WORKFLOW':
      return {
        ...base,
        ...none,
        workflows:
          draft.ids.length > 0
            ? { filterTypes: null, envIds: null, workflowIds: draft.ids }
            : { filterTypes: words('WORKFLOW'), envIds: null, workflowIds: nothing(rnd) },
      };
    case 'PIPELINE':
      return {
        ...base,
        ...none,
        pipelines:
          draft.ids.length > 0
            ? { filterTypes: null, envIds: null, pipelineIds: draft.ids }
            : { filterTypes: words('PIPELINE'), envIds: null, pipelineIds: nothing(rnd) },
      };
    case 'DEPLOYMENT':
      return {
        ...base,
        ...none,
        deployments: {
          ...(draft.ids.length > 0
            ? { filterTypes: null, envIds: draft.ids }
            : { filterTypes: words('DEPLOYMENT'), envIds: nothing(rnd) }),
          executableElementFilter: draft.executable
            ? {
                executableElementType: draft.executable.type,
                ids: draft.executable.ids,
                executableElementFilterType: null,
              }
            : null,
        },
      };
    default:
      return rnd() < 0.5 ? base : { ...base, ...none };
  }
}

function restPermission(rnd: Rnd, draft: PermissionDraft): Json {
  const appFilter = {
    type: 'AppFilter',
    filterType: draft.apps.kind,
    ids: draft.apps.ids.length > 0 ? draft.apps.ids : null,
  };
  const generic = {
    type: 'GenericEntityFilter',
    filterType: draft.ids.length > 0 ? 'SELECTED' : 'ALL',
    ids: draft.ids.length > 0 ? draft.ids : nothing(rnd),
  };
  const byEnv = (type: string) =>
    draft.ids.length > 0
      ? { type, filterTypes: ['SELECTED'], ids: draft.ids }
      : { type, filterTypes: draft.words, ids: nothing(rnd) };
  const types: Readonly<Record<PermissionDraft['type'], string>> = {
    SERVICE: 'SERVICE',
    PROVISIONER: 'PROVISIONER',
    APP_TEMPLATE: 'APP_TEMPLATE',
    ENV: 'ENV',
    WORKFLOW: 'WORKFLOW',
    PIPELINE: 'PIPELINE',
    DEPLOYMENT: 'DEPLOYMENT',
    ALL: 'ALL_APP_ENTITIES',
  };
  let entityFilter: Json | null = null;
  switch (draft.type) {
    case 'SERVICE':
    case 'PROVISIONER':
    case 'APP_TEMPLATE':
      entityFilter = generic;
      break;
    case 'ENV':
      entityFilter = byEnv('EnvFilter');
      break;
    case 'WORKFLOW':
      entityFilter = draft.words.includes('ALL')
        ? { type: 'GenericEntityFilter', filterType: 'ALL', ids: null }
        : draft.ids.length > 0
          ? generic
          : byEnv('WorkflowFilter');
      break;
    case 'PIPELINE':
      entityFilter = draft.words.includes('ALL')
        ? { type: 'GenericEntityFilter', filterType: 'ALL', ids: null }
        : draft.ids.length > 0
          ? generic
          : byEnv('EnvFilter');
      break;
    case 'DEPLOYMENT':
      entityFilter = draft.executable
        ? {
            ...byEnv('ExecutableElementsFilter'),
            executableElementFilterType: draft.executable.type,
            filter: { type: 'GenericEntityFilter', filterType: 'SELECTED', ids: draft.executable.ids },
          }
        : byEnv('EnvFilter');
      break;
    default:
      entityFilter = rnd() < 0.5 ? null : { type: 'GenericEntityFilter', filterType: 'ALL', ids: null };
  }
  return {
    permissionType: types[draft.type],
    appFilter,
    entityFilter,
    actions: draft.actions.length > 0 ? draft.actions : nothing(rnd),
  };
}

function defaultGroups(rnd: Rnd, admins: readonly string[], support: readonly string[]): Json[] {
  const all = { filterType: 'ALL', appIds: null };
  const supportGroup = (prod: boolean, id: string, name: string) => {
    const env = prod ? 'PRODUCTION' : 'NON_PRODUCTION';
    return {
      id,
      name,
      description: `${name} members have access to override configuration, setup infrastructure and setup/execute deployment workflows within ${prod ? 'PROD' : 'NON_PROD'} environments`,
      users: { nodes: support.filter(() => rnd() < 0.5).map((user) => ({ id: user })) },
      permissions: {
        accountPermissions: { accountPermissionTypes: ['VIEW_AUDITS', 'VIEW_CE'] },
        appPermissions: [
          {
            permissionType: 'SERVICE',
            applications: all,
            services: { filterType: 'ALL', serviceIds: null },
            actions: CRUD,
          },
          {
            permissionType: 'PROVISIONER',
            applications: all,
            provisioners: { filterType: 'ALL', provisionerIds: null },
            actions: CRUD,
          },
          {
            permissionType: 'ENV',
            applications: all,
            environments: { filterTypes: [`${env}_ENVIRONMENTS`], envIds: null },
            actions: CRUD,
          },
          {
            permissionType: 'WORKFLOW',
            applications: all,
            workflows: {
              filterTypes: [`${env}_WORKFLOWS`, 'WORKFLOW_TEMPLATES'],
              envIds: null,
              workflowIds: null,
            },
            actions: CRUD,
          },
          {
            permissionType: 'PIPELINE',
            applications: all,
            pipelines: { filterTypes: [`${env}_PIPELINES`], envIds: null, pipelineIds: null },
            actions: CRUD,
          },
          {
            permissionType: 'DEPLOYMENT',
            applications: all,
            deployments: {
              filterTypes: [`${env}_ENVIRONMENTS`],
              envIds: null,
              executableElementFilter: null,
            },
            actions: ['READ', 'EXECUTE_WORKFLOW', 'EXECUTE_PIPELINE', 'ROLLBACK_WORKFLOW', 'ABORT_WORKFLOW'],
          },
          {
            permissionType: 'TEMPLATE',
            applications: all,
            templates: { filterType: 'ALL', templateIds: null },
            actions: CRUD,
          },
        ],
      },
    };
  };
  return [
    {
      uuid: 'defaultAccountAdministrator',
      name: 'Account Administrator',
      description: 'Default account admin user group',
      isDefault: true,
      memberIds: admins,
      accountPermissions: { permissions: ADMIN_ACCOUNT },
      appPermissions: [
        {
          permissionType: 'ALL_APP_ENTITIES',
          appFilter: { type: 'AppFilter', filterType: 'ALL', ids: null },
          entityFilter: null,
          actions: [
            'CREATE',
            'READ',
            'UPDATE',
            'DELETE',
            'EXECUTE_WORKFLOW',
            'EXECUTE_WORKFLOW_ROLLBACK',
            'ABORT_WORKFLOW',
            'EXECUTE_PIPELINE',
          ],
        },
      ],
    },
    supportGroup(true, 'defaultProductionSupport', 'Production Support'),
    supportGroup(false, 'defaultNonProductionSupport', 'Non-Production Support'),
  ];
}

/**
 * A deterministic messy FirstGen export of the kind issue 14 describes: GraphQL-shaped groups beside
 * REST-shaped ones, `null` beside `[]`, deprecated permission names and the deprecated EXECUTE
 * action, SELECTED ids of applications that no longer exist, applications without environments,
 * build (environment-less) and templatised workflows, pipelines with approvals, environment
 * overrides and a stage without workflow, a few groups of thousands of members, users in dozens of
 * groups, users without e-mail, an e-mail twice, members missing from the users, and the three
 * default groups (reference firstgen §4.10).
 */
export function generateMessyExport(size: MessyExportSize, seed = 14): Record<string, unknown> {
  const rnd = random(seed);
  const apps = Array.from({ length: size.applications }, (_, a) => application(rnd, a));
  const userIds = Array.from(
    { length: size.users },
    (_, u) => `u${u}_${Math.floor(rnd() * 1e8).toString(36)}`,
  );
  const users = userIds.map((id, u) => ({
    id,
    email: u % 97 === 5 ? null : u === 7 ? `USER6@example.com` : `user${u}@example.com`,
    name: u % 13 === 0 ? null : `User ${u}`,
  }));
  const admins = userIds.slice(0, 14);
  const heavy = userIds.slice(14, 14 + size.heavyUsers);
  const groups: Json[] = defaultGroups(rnd, admins, userIds.slice(14, 60));
  for (let g = groups.length; g < size.groups; g++) {
    const big = size.bigGroups[g - 3];
    const count = big ?? Math.floor(rnd() * 40);
    const members = new Set<string>();
    while (members.size < Math.min(count, userIds.length)) members.add(pick(rnd, userIds));
    for (const user of heavy) if (rnd() < size.heavyShare) members.add(user);
    if (rnd() < 0.05) members.add(`deletedUser${g}`);
    const drafts = Array.from({ length: Math.floor(rnd() * 7.86) }, () =>
      permission(rnd, apps, size.dynamicShare),
    );
    const name = g % 50 === 7 ? `Team ${g} / ops` : `Group ${g}`;
    if (rnd() < size.restShare) {
      groups.push({
        uuid: `grp${g}_${Math.floor(rnd() * 1e6).toString(36)}`,
        name,
        accountId: 'messyFirstGenAccount',
        description: rnd() < 0.5 ? null : `REST group ${g}`,
        memberIds: members.size > 0 ? [...members] : nothing(rnd),
        accountPermissions: rnd() < 0.2 ? null : { permissions: REST_ACCOUNT.filter(() => rnd() < 0.15) },
        appPermissions: drafts.length > 0 ? drafts.map((draft) => restPermission(rnd, draft)) : nothing(rnd),
      });
    } else {
      const nodes = [...members].map((id) => ({ id }));
      groups.push({
        id: `grp${g}_${Math.floor(rnd() * 1e6).toString(36)}`,
        name,
        description: rnd() < 0.5 ? null : `Group ${g}`,
        ...(rnd() < 0.15
          ? { memberIds: [...members] }
          : { users: { pageInfo: { hasMore: false, total: nodes.length }, nodes } }),
        permissions: {
          accountPermissions:
            rnd() < 0.1 ? null : { accountPermissionTypes: GRAPHQL_ACCOUNT.filter(() => rnd() < 0.12) },
          appPermissions:
            drafts.length > 0 ? drafts.map((draft) => graphqlPermission(rnd, draft)) : nothing(rnd),
        },
      });
    }
  }
  return {
    accountId: 'messyFirstGenAccount',
    users,
    applications: apps.map((app) => app.json),
    userGroups: groups,
  };
}

/** Where the messy test fixture lives (rewritten by `npx tsx bench/firstgen-export-generator.ts --write-fixture`). */
export const MESSY_FIXTURE_PATH = fileURLToPath(
  new URL('../test/fixtures/migration/messy-export.json', import.meta.url),
);

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--write-fixture')) {
  writeFileSync(MESSY_FIXTURE_PATH, `${JSON.stringify(generateMessyExport(MESSY_FIXTURE))}\n`);
  process.stdout.write(`wrote ${MESSY_FIXTURE_PATH}\n`);
}
