import { JsonReader } from './json-reader.js';
import {
  ACCOUNT_PERMISSIONS,
  type AccountPermission,
  APP_ACTIONS,
  APP_PERMISSION_TYPES,
  type AppAction,
  type AppFilter,
  type AppPermission,
  type AppPermissionType,
  type EnvFilter,
  type EnvironmentType,
  type ExecutableFilter,
  type FgApplication,
  type FgEnvironment,
  type FgExport,
  type FgPipeline,
  type FgPipelineStage,
  type FgUser,
  type FgUserGroup,
  type FgWorkflow,
  type GenericFilter,
  type PipelineEnvFilter,
  type WorkflowEnvFilter,
} from './model.js';

/**
 * Reads a FirstGen export (DESIGN §10) into the normalised model. User groups may come in the
 * GraphQL shape (reference firstgen §3.1–3.2, GraphQL enum words, `permissions { … }`) or the REST
 * shape (§3.3, internal words, `appPermissions[].appFilter/entityFilter`); `null` and `[]` are the
 * same. Every invalid value throws an `ExportParseError` naming its JSON path.
 */
export function parseExport(json: unknown): FgExport {
  const root = new JsonReader(json, '');
  root.object();
  const accountId = root.get('accountId').string();
  const applications = root
    .get('applications')
    .list()
    .map((entry) => parseApplication(entry));
  unique(applications, root.get('applications'), 'application');
  const userGroups = root
    .get('userGroups')
    .list()
    .map((entry) => parseUserGroup(entry));
  unique(userGroups, root.get('userGroups'), 'user group');
  return {
    accountId,
    users: collectUsers(root.get('users'), root.get('userGroups')),
    applications,
    userGroups,
  };
}

function unique(entities: readonly { id: string }[], list: JsonReader, what: string): void {
  const seen = new Set<string>();
  entities.forEach((entity, index) => {
    if (seen.has(entity.id))
      new JsonReader(entity.id, `${list.path}[${index}].id`).fail(`duplicate ${what} id`);
    seen.add(entity.id);
  });
}

// ---------------------------------------------------------------------------------------------------
// Users and inventory
// ---------------------------------------------------------------------------------------------------

function parseUser(entry: JsonReader): FgUser {
  if (typeof entry.value === 'string') return { id: entry.string() };
  const email = entry.get('email').optionalString();
  const name = entry.get('name').optionalString();
  return { id: entry.get('id').string(), ...(email ? { email } : {}), ...(name ? { name } : {}) };
}

/** The export's users plus every member named only inside a group, first occurrence wins. */
function collectUsers(users: JsonReader, groups: JsonReader): FgUser[] {
  const byId = new Map<string, FgUser>();
  for (const entry of users.list()) {
    const user = parseUser(entry);
    if (!byId.has(user.id)) byId.set(user.id, user);
  }
  for (const group of groups.list()) {
    for (const member of memberReaders(group)) {
      const user = parseUser(member);
      if (!byId.has(user.id)) byId.set(user.id, user);
    }
  }
  return [...byId.values()];
}

function named(entry: JsonReader): { id: string; name: string } {
  return { id: entry.get('id').string(), name: entry.get('name').string() };
}

function parseEnvironment(entry: JsonReader): FgEnvironment {
  return {
    ...named(entry),
    environmentType: entry.get('environmentType').oneOf<EnvironmentType>(['PROD', 'NON_PROD']),
  };
}

function parseWorkflow(entry: JsonReader): FgWorkflow {
  const envId = entry.get('envId').optionalString();
  return {
    ...named(entry),
    ...(envId ? { envId } : {}),
    templatized: entry.get('templatized').optionalBoolean() ?? false,
  };
}

function parseStage(entry: JsonReader): FgPipelineStage {
  const type = entry.get('type').oneOf(['APPROVAL', 'DEPLOYMENT'] as const);
  if (type === 'APPROVAL') return { type };
  const workflowId = entry.get('workflowId').optionalString();
  const envId = entry.get('envId').optionalString();
  return { type, ...(workflowId ? { workflowId } : {}), ...(envId ? { envId } : {}) };
}

function parsePipeline(entry: JsonReader): FgPipeline {
  return { ...named(entry), stages: entry.get('stages').list().map(parseStage) };
}

function parseApplication(entry: JsonReader): FgApplication {
  const description = entry.get('description').optionalString();
  const application: FgApplication = {
    ...named(entry),
    ...(description ? { description } : {}),
    services: entry.get('services').list().map(named),
    provisioners: entry.get('provisioners').list().map(named),
    templates: entry.get('templates').list().map(named),
    environments: entry.get('environments').list().map(parseEnvironment),
    workflows: entry.get('workflows').list().map(parseWorkflow),
    pipelines: entry.get('pipelines').list().map(parsePipeline),
  };
  for (const key of [
    'services',
    'provisioners',
    'templates',
    'environments',
    'workflows',
    'pipelines',
  ] as const) {
    unique(application[key], entry.get(key), key.slice(0, -1));
  }
  return application;
}

// ---------------------------------------------------------------------------------------------------
// User groups
// ---------------------------------------------------------------------------------------------------

/** Members as GraphQL `users { nodes { id } }`, a `users` list, or REST `memberIds`. */
function memberReaders(group: JsonReader): JsonReader[] {
  const users = group.get('users');
  if (!users.isAbsent() && !Array.isArray(users.value)) return users.get('nodes').list();
  return [...users.list(), ...group.get('memberIds').list()];
}

function parseUserGroup(entry: JsonReader): FgUserGroup {
  const id = (entry.has('id') ? entry.get('id') : entry.get('uuid')).string();
  const ignored: string[] = [];
  const description = lenientDescription(entry.get('description'), ignored);
  const nameReader = entry.get('name');
  const hasName = typeof nameReader.value === 'string' && nameReader.value.trim() !== '';
  if (!hasName) ignored.push(`${nameReader.path}: the group has no name, so it is named after its id`);
  const memberIds = [...new Set(memberReaders(entry).map((member) => parseUser(member).id))];
  const graphql = entry.has('permissions');
  const permissions = graphql ? entry.get('permissions') : entry;
  const accountList = graphql
    ? permissions.get('accountPermissions').get('accountPermissionTypes')
    : permissions.get('accountPermissions').get('permissions');
  const accountPermissions = [
    ...new Set(accountList.list().flatMap((permission) => parseAccountPermission(permission, ignored))),
  ];
  const appPermissions = permissions
    .get('appPermissions')
    .list()
    .flatMap((permission) => {
      const rest = permission.has('appFilter');
      const type = permission
        .get('permissionType')
        .knownOneOf(APP_PERMISSION_TYPES, APP_PERMISSION_TYPE_ALIASES);
      if (type === undefined) {
        ignored.push(unknownValue(permission.get('permissionType'), 'application permission type'));
        return [];
      }
      const actions = parseActions(permission.get('actions'), ignored);
      return [
        rest
          ? parseRestAppPermission(permission, type, actions)
          : parseGraphqlAppPermission(permission, type, actions),
      ];
    });
  return {
    id,
    name: hasName ? nameReader.string() : id,
    ...(description ? { description } : {}),
    memberIds,
    accountPermissions,
    appPermissions,
    ...(ignored.length > 0 ? { ignored } : {}),
  };
}

/** Why a string the reference does not list is left out (it is not migrated, so nobody gains). */
function unknownValue(entry: JsonReader, what: string): string {
  return `${entry.path}: unknown ${what} ${JSON.stringify(entry.value)} is not migrated`;
}

/** A description, or `undefined` (with a note) when it is not a string: it grants nothing. */
function lenientDescription(entry: JsonReader, ignored: string[]): string | undefined {
  if (entry.isAbsent() || typeof entry.value === 'string') return entry.optionalString();
  ignored.push(`${entry.path}: a description that is not text is left out`);
  return undefined;
}

/** GraphQL and legacy spellings of account permissions (reference firstgen §2.2). */
const ACCOUNT_PERMISSION_ALIASES: Readonly<Record<string, AccountPermission>> = {
  CREATE_AND_DELETE_APPLICATION: 'MANAGE_APPLICATIONS',
  READ_USERS_AND_GROUPS: 'USER_PERMISSION_READ',
  MANAGE_USERS_AND_GROUPS: 'USER_PERMISSION_MANAGEMENT',
  MANAGE_TEMPLATE_LIBRARY: 'TEMPLATE_MANAGEMENT',
  ADMINISTER_OTHER_ACCOUNT_FUNCTIONS: 'ACCOUNT_MANAGEMENT',
  VIEW_AUDITS: 'AUDIT_VIEWER',
  ADMINISTER_CE: 'CE_ADMIN',
  VIEW_CE: 'CE_VIEWER',
  APPLICATION_CREATE_DELETE: 'MANAGE_APPLICATIONS',
  TAG_MANAGEMENT: 'MANAGE_TAGS',
  MANAGE_IP_WHITELISTING: 'MANAGE_IP_WHITELIST',
};

/** The account permission, or none (with a note) for a name the reference does not list. */
function parseAccountPermission(entry: JsonReader, ignored: string[]): AccountPermission[] {
  const permission = entry.knownOneOf(ACCOUNT_PERMISSIONS, ACCOUNT_PERMISSION_ALIASES);
  if (permission === undefined) ignored.push(unknownValue(entry, 'account permission'));
  return permission === undefined ? [] : [permission];
}

const APP_PERMISSION_TYPE_ALIASES: Readonly<Record<string, AppPermissionType>> = {
  ALL: 'ALL_APP_ENTITIES',
  TEMPLATE: 'APP_TEMPLATE',
};

const ACTION_ALIASES: Readonly<Record<string, AppAction>> = {
  ROLLBACK_WORKFLOW: 'EXECUTE_WORKFLOW_ROLLBACK',
};

/** What the deprecated EXECUTE action expands to (reference firstgen §2.5). */
const EXECUTE_EXPANSION: readonly AppAction[] = [
  'EXECUTE_PIPELINE',
  'EXECUTE_WORKFLOW',
  'EXECUTE_WORKFLOW_ROLLBACK',
  'ABORT_WORKFLOW',
];

function parseActions(list: JsonReader, ignored: string[]): AppAction[] {
  const actions = new Set<AppAction>();
  for (const entry of list.list()) {
    if (entry.knownOneOf(['EXECUTE'] as const) === 'EXECUTE') {
      for (const action of EXECUTE_EXPANSION) actions.add(action);
      continue;
    }
    const action = entry.knownOneOf(APP_ACTIONS, ACTION_ALIASES);
    if (action === undefined) ignored.push(unknownValue(entry, 'action'));
    else actions.add(action);
  }
  return APP_ACTIONS.filter((action) => actions.has(action));
}

/** An app filter; one whose id list is empty reads as ALL (the GraphQL output quirk of §3.2). */
function parseAppFilter(filter: JsonReader, idsKey: 'appIds' | 'ids'): AppFilter {
  if (filter.isAbsent()) filter.fail('an application filter is required');
  const ids = [...new Set(filter.get(idsKey).strings())];
  const type = filter.get('filterType');
  const kind = type.isAbsent() ? undefined : type.oneOf(['ALL', 'SELECTED', 'EXCLUDE_SELECTED'] as const);
  if (ids.length === 0) return { kind: 'ALL' };
  if (kind === 'ALL') type.fail(`ALL cannot be combined with ${idsKey}`);
  return kind === 'EXCLUDE_SELECTED' ? { kind, ids } : { kind: 'SELECTED', ids };
}

function genericFilter(ids: readonly string[]): GenericFilter {
  return ids.length > 0 ? { kind: 'SELECTED', ids: [...new Set(ids)] } : { kind: 'ALL' };
}

const BOTH_TYPES: readonly EnvironmentType[] = ['PROD', 'NON_PROD'];

function typesOrBoth(types: readonly EnvironmentType[]): readonly EnvironmentType[] {
  return types.length === 0 ? BOTH_TYPES : BOTH_TYPES.filter((type) => types.includes(type));
}

// --- GraphQL shape ---------------------------------------------------------------------------------

const GRAPHQL_ENV_TYPES: Readonly<Record<string, EnvironmentType>> = {
  PRODUCTION_ENVIRONMENTS: 'PROD',
  NON_PRODUCTION_ENVIRONMENTS: 'NON_PROD',
  PRODUCTION_WORKFLOWS: 'PROD',
  NON_PRODUCTION_WORKFLOWS: 'NON_PROD',
  PRODUCTION_PIPELINES: 'PROD',
  NON_PRODUCTION_PIPELINES: 'NON_PROD',
};

function graphqlEnvFilter(filter: JsonReader): EnvFilter {
  const envIds = filter.get('envIds').strings();
  if (envIds.length > 0) return { kind: 'SELECTED', ids: [...new Set(envIds)] };
  const types = filter
    .get('filterTypes')
    .list()
    .map((entry) => entry.oneOf(['PROD', 'NON_PROD'] as const, GRAPHQL_ENV_TYPES));
  return { kind: 'TYPES', types: typesOrBoth(types) };
}

function graphqlWorkflowFilter(filter: JsonReader): GenericFilter | WorkflowEnvFilter {
  if (filter.isAbsent()) return { kind: 'ALL' };
  const workflowIds = filter.get('workflowIds').strings();
  if (workflowIds.length > 0) return genericFilter(workflowIds);
  const words = filter
    .get('filterTypes')
    .list()
    .map((entry) =>
      entry.oneOf(['PROD', 'NON_PROD', 'TEMPLATES', 'ALL'] as const, {
        ...GRAPHQL_ENV_TYPES,
        WORKFLOW_TEMPLATES: 'TEMPLATES',
        ALL_WORKFLOWS: 'ALL',
      }),
    );
  if (words.includes('ALL')) return { kind: 'ALL' };
  const envIds = [...new Set(filter.get('envIds').strings())];
  if (envIds.length > 0) return { kind: 'BY_ENV', types: [], envIds, templates: words.includes('TEMPLATES') };
  if (words.length === 0) return { kind: 'BY_ENV', types: BOTH_TYPES, envIds: [], templates: true };
  const types = words.filter((word): word is EnvironmentType => word !== 'TEMPLATES');
  return {
    kind: 'BY_ENV',
    types: BOTH_TYPES.filter((type) => types.includes(type)),
    envIds: [],
    templates: words.includes('TEMPLATES'),
  };
}

function graphqlPipelineFilter(filter: JsonReader): GenericFilter | PipelineEnvFilter {
  if (filter.isAbsent()) return { kind: 'ALL' };
  const pipelineIds = filter.get('pipelineIds').strings();
  if (pipelineIds.length > 0) return genericFilter(pipelineIds);
  const words = filter
    .get('filterTypes')
    .list()
    .map((entry) =>
      entry.oneOf(['PROD', 'NON_PROD', 'ALL'] as const, { ...GRAPHQL_ENV_TYPES, ALL_PIPELINES: 'ALL' }),
    );
  if (words.includes('ALL')) return { kind: 'ALL' };
  const envIds = [...new Set(filter.get('envIds').strings())];
  if (envIds.length > 0) return { kind: 'BY_ENV', types: [], envIds };
  return {
    kind: 'BY_ENV',
    types: typesOrBoth(words.filter((word): word is EnvironmentType => word !== 'ALL')),
    envIds: [],
  };
}

function graphqlExecutables(filter: JsonReader): ExecutableFilter | undefined {
  if (filter.isAbsent()) return undefined;
  return {
    elementType: filter.get('executableElementType').oneOf(['PIPELINE', 'WORKFLOW'] as const),
    filter: genericFilter(filter.get('ids').strings()),
  };
}

function parseGraphqlAppPermission(
  entry: JsonReader,
  type: AppPermissionType,
  actions: AppAction[],
): AppPermission {
  const base = { appFilter: parseAppFilter(entry.get('applications'), 'appIds'), actions };
  switch (type) {
    case 'ALL_APP_ENTITIES':
      return { type, ...base };
    case 'SERVICE':
      return { type, ...base, filter: genericFilter(entry.get('services').get('serviceIds').strings()) };
    case 'PROVISIONER':
      return {
        type,
        ...base,
        filter: genericFilter(entry.get('provisioners').get('provisionerIds').strings()),
      };
    case 'APP_TEMPLATE':
      return { type, ...base, filter: genericFilter(entry.get('templates').get('templateIds').strings()) };
    case 'ENV':
      return { type, ...base, filter: graphqlEnvFilter(entry.get('environments')) };
    case 'WORKFLOW':
      return { type, ...base, filter: graphqlWorkflowFilter(entry.get('workflows')) };
    case 'PIPELINE':
      return { type, ...base, filter: graphqlPipelineFilter(entry.get('pipelines')) };
    case 'DEPLOYMENT': {
      const deployments = entry.get('deployments');
      const executables = graphqlExecutables(deployments.get('executableElementFilter'));
      return {
        type,
        ...base,
        filter: graphqlEnvFilter(deployments),
        ...(executables ? { executables } : {}),
      };
    }
  }
}

// --- REST shape ------------------------------------------------------------------------------------

type RestWord = 'PROD' | 'NON_PROD' | 'SELECTED' | 'TEMPLATES';

function restWords(filter: JsonReader): RestWord[] {
  return filter
    .get('filterTypes')
    .list()
    .map((entry) => entry.oneOf(['PROD', 'NON_PROD', 'SELECTED', 'TEMPLATES'] as const));
}

function restEnvFilter(filter: JsonReader): EnvFilter {
  if (filter.isAbsent()) return { kind: 'TYPES', types: BOTH_TYPES };
  const words = restWords(filter);
  const ids = filter.get('ids').strings();
  if (words.includes('SELECTED') || (ids.length > 0 && words.length === 0))
    return { kind: 'SELECTED', ids: [...new Set(ids)] };
  return {
    kind: 'TYPES',
    types: typesOrBoth(
      words.filter((word): word is EnvironmentType => word === 'PROD' || word === 'NON_PROD'),
    ),
  };
}

function restGenericFilter(filter: JsonReader): GenericFilter {
  if (filter.isAbsent()) return { kind: 'ALL' };
  const type = filter.get('filterType');
  const kind = type.isAbsent() ? undefined : type.oneOf(['ALL', 'SELECTED'] as const);
  return kind === 'ALL' ? { kind: 'ALL' } : genericFilter(filter.get('ids').strings());
}

function restFilterType(filter: JsonReader): string | undefined {
  return filter.get('type').isAbsent()
    ? undefined
    : filter
        .get('type')
        .oneOf(['GenericEntityFilter', 'EnvFilter', 'WorkflowFilter', 'ExecutableElementsFilter'] as const);
}

function restByEnv(filter: JsonReader): { types: EnvironmentType[]; envIds: string[]; templates: boolean } {
  const words = restWords(filter);
  const envIds =
    words.includes('SELECTED') || words.length === 0 ? [...new Set(filter.get('ids').strings())] : [];
  const types = words.filter((word): word is EnvironmentType => word === 'PROD' || word === 'NON_PROD');
  const empty = words.length === 0 && envIds.length === 0;
  return {
    types: empty ? [...BOTH_TYPES] : BOTH_TYPES.filter((type) => types.includes(type)),
    envIds,
    templates: empty || words.includes('TEMPLATES'),
  };
}

function parseRestAppPermission(
  entry: JsonReader,
  type: AppPermissionType,
  actions: AppAction[],
): AppPermission {
  const base = { appFilter: parseAppFilter(entry.get('appFilter'), 'ids'), actions };
  const filter = entry.get('entityFilter');
  const filterType = restFilterType(filter);
  switch (type) {
    case 'ALL_APP_ENTITIES':
      return { type, ...base };
    case 'SERVICE':
    case 'PROVISIONER':
    case 'APP_TEMPLATE':
      return { type, ...base, filter: restGenericFilter(filter) };
    case 'ENV':
      return { type, ...base, filter: restEnvFilter(filter) };
    case 'WORKFLOW': {
      if (filter.isAbsent() || filterType === 'GenericEntityFilter')
        return { type, ...base, filter: restGenericFilter(filter) };
      return { type, ...base, filter: { kind: 'BY_ENV', ...restByEnv(filter) } };
    }
    case 'PIPELINE': {
      if (filter.isAbsent() || filterType === 'GenericEntityFilter')
        return { type, ...base, filter: restGenericFilter(filter) };
      const { types, envIds } = restByEnv(filter);
      return { type, ...base, filter: { kind: 'BY_ENV', types, envIds } };
    }
    case 'DEPLOYMENT': {
      const executables: ExecutableFilter | undefined =
        filterType === 'ExecutableElementsFilter'
          ? {
              elementType: filter.get('executableElementFilterType').oneOf(['PIPELINE', 'WORKFLOW'] as const),
              filter: restGenericFilter(filter.get('filter')),
            }
          : undefined;
      return { type, ...base, filter: restEnvFilter(filter), ...(executables ? { executables } : {}) };
    }
  }
}
