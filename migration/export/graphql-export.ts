import { parseExport } from '../firstgen/parse-export.js';

/** The export file as written: user groups in the GraphQL shape, inventory and users (DESIGN §10). */
export interface ExportFile {
  readonly accountId: string;
  readonly users: readonly unknown[];
  readonly applications: readonly unknown[];
  readonly userGroups: readonly unknown[];
}

/** Where and how to export from. */
export interface GraphqlExportOptions {
  readonly url: string;
  readonly apiKey: string;
  readonly accountId: string;
  /** Items per page (the GraphQL `limit`). */
  readonly pageSize?: number;
  /** Attempts per request before giving up on transient failures. */
  readonly maxAttempts?: number;
  /** Base of the exponential backoff between attempts, in milliseconds. */
  readonly backoffMs?: number;
  readonly onPage?: (what: string, countSoFar: number) => void;
}

/** The recommended user-group query of reference firstgen §3.1 (every permission field). */
export const USER_GROUPS_QUERY = `query ExportUserGroups($limit: Int!, $offset: Int) {
  userGroups(limit: $limit, offset: $offset) {
    pageInfo { hasMore total offset limit }
    nodes {
      id name description importedByScim isSSOLinked
      users(limit: 1000, offset: 0) { pageInfo { hasMore total } nodes { id email name } }
      permissions {
        accountPermissions { accountPermissionTypes }
        appPermissions {
          permissionType actions
          applications { filterType appIds }
          services { filterType serviceIds }
          provisioners { filterType provisionerIds }
          templates { filterType templateIds }
          environments { filterTypes envIds }
          workflows { filterTypes envIds workflowIds }
          pipelines { filterTypes envIds pipelineIds }
          deployments { filterTypes envIds executableElementFilter { executableElementType ids executableElementFilterType } }
        }
      }
    }
  }
}`;

/** Applications with the inventory the public GraphQL API exposes. */
export const APPLICATIONS_QUERY = `query ExportApplications($limit: Int!, $offset: Int) {
  applications(limit: $limit, offset: $offset) {
    pageInfo { hasMore total offset limit }
    nodes {
      id name description
      services(limit: 1000) { nodes { id name } }
      environments(limit: 1000) { nodes { id name type } }
      workflows(limit: 1000) { nodes { id name } }
      pipelines(limit: 1000) { nodes { id name } }
    }
  }
}`;

/** Users of the account. */
/** The members of one user group, a page at a time (for groups with more members than the group query returns). */
export const GROUP_MEMBERS_QUERY = `query ExportGroupMembers($userGroupId: String!, $limit: Int!, $offset: Int) {
  userGroup(userGroupId: $userGroupId) { users(limit: $limit, offset: $offset) { pageInfo { hasMore total } nodes { id email name } } }
}`;

/** Members fetched with the group query; a group with more is paged with {@link GROUP_MEMBERS_QUERY}. */
const MEMBERS_IN_GROUP_QUERY = 1000;

export const USERS_QUERY = `query ExportUsers($limit: Int!, $offset: Int) {
  users(limit: $limit, offset: $offset) { pageInfo { hasMore total offset limit } nodes { id name email } }
}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A failure worth retrying: a network error, HTTP 429 or a 5xx. */
class TransientError extends Error {}

async function post(
  options: GraphqlExportOptions,
  query: string,
  variables: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const url = new URL(options.url);
  if (!url.searchParams.has('accountId')) url.searchParams.set('accountId', options.accountId);
  const attempts = options.maxAttempts ?? 6;
  for (let attempt = 1; ; attempt++) {
    try {
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': options.apiKey },
          body: JSON.stringify({ query, variables }),
        });
      } catch (error) {
        throw new TransientError(`network error: ${(error as Error).message}`);
      }
      if (response.status === 429 || response.status >= 500)
        throw new TransientError(`HTTP ${response.status}`);
      if (!response.ok)
        throw new Error(
          `GraphQL endpoint answered HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`,
        );
      const body = (await response.json()) as {
        data?: Record<string, unknown>;
        errors?: { message?: string }[];
      };
      if (body.errors && body.errors.length > 0) {
        throw new Error(`GraphQL errors: ${body.errors.map((error) => error.message).join('; ')}`);
      }
      if (!body.data) throw new Error('GraphQL response has no data');
      return body.data;
    } catch (error) {
      if (!(error instanceof TransientError) || attempt >= attempts) throw error;
      await sleep((options.backoffMs ?? 200) * 2 ** (attempt - 1) * (0.5 + Math.random() / 2));
    }
  }
}

async function pageAll(
  options: GraphqlExportOptions,
  field: string,
  query: string,
): Promise<Record<string, unknown>[]> {
  const limit = options.pageSize ?? 100;
  const nodes: Record<string, unknown>[] = [];
  for (let offset = 0; ; offset += limit) {
    const data = await post(options, query, { limit, offset });
    const connection = data[field] as
      | { nodes?: Record<string, unknown>[]; pageInfo?: { hasMore?: boolean } }
      | undefined;
    const page = connection?.nodes ?? [];
    nodes.push(...page);
    options.onPage?.(field, nodes.length);
    if (!connection?.pageInfo?.hasMore || page.length === 0) return nodes;
  }
}

/**
 * The group with every member: when the group query's first page of members says `hasMore`, pages
 * through the group's members from the start and replaces them.
 */
async function withAllMembers(
  options: GraphqlExportOptions,
  group: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const users = group.users as { pageInfo?: { hasMore?: boolean } } | null | undefined;
  if (!users?.pageInfo?.hasMore) return group;
  const members: Record<string, unknown>[] = [];
  for (let offset = 0; ; offset += MEMBERS_IN_GROUP_QUERY) {
    const data = await post(options, GROUP_MEMBERS_QUERY, {
      userGroupId: group.id,
      limit: MEMBERS_IN_GROUP_QUERY,
      offset,
    });
    const page = (
      data.userGroup as {
        users?: { nodes?: Record<string, unknown>[]; pageInfo?: { hasMore?: boolean } };
      } | null
    )?.users;
    members.push(...(page?.nodes ?? []));
    if (!page?.pageInfo?.hasMore || (page.nodes ?? []).length === 0) break;
  }
  return { ...group, users: { pageInfo: { hasMore: false, total: members.length }, nodes: members } };
}

function connectionNodes(value: unknown): Record<string, unknown>[] {
  return ((value as { nodes?: Record<string, unknown>[] } | null | undefined)?.nodes ?? []).filter(Boolean);
}

/**
 * Pages through a FirstGen GraphQL endpoint (reference firstgen §3.1; header `x-api-key`, query
 * parameter `accountId`) and returns the export file's content: user groups as GraphQL nodes,
 * applications with their services, environments (with type), workflows and pipelines, and users.
 * A group with more than 1,000 members has its members paged separately. Transient failures (network, 429, 5xx) are retried with exponential backoff. The result is
 * checked with the export parser before it is returned.
 */
export async function exportFromGraphql(options: GraphqlExportOptions): Promise<ExportFile> {
  const userGroups: Record<string, unknown>[] = [];
  for (const group of await pageAll(options, 'userGroups', USER_GROUPS_QUERY)) {
    userGroups.push(await withAllMembers(options, group));
  }
  const applications = (await pageAll(options, 'applications', APPLICATIONS_QUERY)).map((app) => ({
    id: app.id,
    name: app.name,
    ...(app.description ? { description: app.description } : {}),
    services: connectionNodes(app.services),
    provisioners: [],
    templates: [],
    environments: connectionNodes(app.environments).map((env) => ({
      id: env.id,
      name: env.name,
      environmentType: env.type,
    })),
    workflows: connectionNodes(app.workflows).map((workflow) => ({ id: workflow.id, name: workflow.name })),
    pipelines: connectionNodes(app.pipelines).map((pipeline) => ({
      id: pipeline.id,
      name: pipeline.name,
      stages: [],
    })),
  }));
  const users = await pageAll(options, 'users', USERS_QUERY);
  const file: ExportFile = { accountId: options.accountId, users, applications, userGroups };
  parseExport(file);
  return file;
}
