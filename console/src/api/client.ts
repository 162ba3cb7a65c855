/**
 * The console's only door to the server: every call of the public API (docs/api.md) the console
 * makes is a method here, so switching to other endpoints (e.g. the Harness list/aggregate ones)
 * touches this module alone. Answers are unwrapped from the `{status, data}` envelope; failures
 * become {@link ApiError} with the envelope's code, message and field errors.
 */

/** One rejected field of a validation failure (`errors[]` of the envelope). */
export interface FieldError {
  readonly fieldId: string;
  readonly error: string;
}

/** A failed API call: the HTTP status, the envelope's `code` and `message`, and its field errors. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fieldErrors: readonly FieldError[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A scope as the API's query parameters name it. */
export interface Scope {
  readonly accountIdentifier: string;
  readonly orgIdentifier?: string;
  readonly projectIdentifier?: string;
}

/** A page of a list endpoint. */
export interface Page<T> {
  readonly content: T[];
  readonly pageIndex: number;
  readonly pageSize: number;
  readonly totalItems: number;
  readonly totalPages: number;
}

/** Paging and search of a list call. */
export interface ListQuery {
  readonly pageIndex?: number;
  readonly pageSize?: number;
  readonly searchTerm?: string;
}

/** OrganizationResponse. */
export interface OrganizationResponse {
  organization: { accountIdentifier: string; identifier: string; name: string; description: string };
  harnessManaged: boolean;
}

/** ProjectResponse. */
export interface ProjectResponse {
  project: {
    accountIdentifier: string;
    orgIdentifier: string;
    identifier: string;
    name: string;
    description: string;
  };
}

/** A user of a scope. */
export interface User {
  userId: string;
  email?: string;
  name?: string;
  status: string;
}

/** A pending (or lapsed) invite. */
export interface Invite {
  id: string;
  email: string;
  userId: string;
  userGroups: string[];
  roleBindings: { roleIdentifier: string; resourceGroupIdentifier: string }[];
  linkExpiresAt: number;
  resendUntil: number;
  state: string;
}

/** A role binding given with an invite. */
export interface RoleBinding {
  roleIdentifier: string;
  resourceGroupIdentifier: string;
}

/** A user group. */
export interface UserGroup {
  identifier: string;
  name: string;
  users: string[];
  description?: string;
  harnessManaged: boolean;
}

/** A service account. */
export interface ServiceAccount {
  identifier: string;
  name: string;
  email: string;
  description?: string;
}

/** The body of an API key. */
export interface ApiKeyInput {
  identifier: string;
  name: string;
  parentIdentifier: string;
  description?: string;
}

/** The body of a token. */
export interface TokenInput {
  identifier: string;
  name: string;
  apiKeyIdentifier: string;
  parentIdentifier: string;
  validTo?: number;
}

/** An API key as `GET /ng/api/apikey` lists it. */
export interface ApiKey {
  identifier: string;
  name: string;
  parentIdentifier: string;
  description?: string;
}

/** A token as `GET /ng/api/token/aggregate` lists it (never its secret). */
export interface TokenAggregate {
  token: { identifier: string; name: string; apiKeyIdentifier: string; validTo?: number };
  expiryAt: number;
}

/** One event of the audit trail (Harness `AuditEventDTO`, the fields the console shows). */
export interface AuditEvent {
  auditId: string;
  timestamp: number;
  action: string;
  resource: { type: string; identifier: string };
  resourceScope: { accountIdentifier: string; orgIdentifier?: string; projectIdentifier?: string };
  authenticationInfo: { principal: { type: string; identifier: string }; labels?: Record<string, string> };
}

/** What the audit trail is narrowed to (`AuditFilterProperties`, the criteria the console offers). */
export interface AuditFilter {
  actions?: string[];
  resources?: { type: string; identifier: string }[];
  principals?: { type: string; identifier: string }[];
}

/** Where a token lives: its service account and API key. */
export interface TokenRef {
  parentIdentifier: string;
  apiKeyIdentifier: string;
}

/** RoleDTO. */
export interface Role {
  identifier: string;
  name: string;
  permissions: string[];
  allowedScopeLevels?: string[];
  description?: string;
}

/** RoleResponse (list entries also carry assignment counts). */
export interface RoleResponse {
  role: Role;
  harnessManaged: boolean;
}

/** One included scope of a resource group. */
export interface IncludedScope {
  filter: 'INCLUDING_CHILD_SCOPES' | 'EXCLUDING_CHILD_SCOPES';
  accountIdentifier: string;
  orgIdentifier?: string;
  projectIdentifier?: string;
}

/** One selector of a resource filter. */
export interface ResourceSelector {
  resourceType: string;
  identifiers?: string[];
  attributeFilter?: { attributeName: string; attributeValues: string[] };
}

/** A resource group (without its scope fields). */
export interface ResourceGroup {
  identifier: string;
  name: string;
  description?: string;
  includedScopes: IncludedScope[];
  resourceFilter: { includeAllResources?: boolean; resources?: ResourceSelector[] };
}

/** ResourceGroupResponse. */
export interface ResourceGroupResponse {
  resourceGroup: ResourceGroup;
  harnessManaged: boolean;
}

/** A principal type of an assignment. */
export type PrincipalType = 'USER' | 'USER_GROUP' | 'SERVICE_ACCOUNT';

/** RoleAssignmentDTO. */
export interface RoleAssignment {
  identifier?: string;
  roleIdentifier: string;
  resourceGroupIdentifier: string;
  principal: { identifier: string; type: PrincipalType; scopeLevel?: string };
  disabled?: boolean;
  managed?: boolean;
}

/** RoleAssignmentResponse. */
export interface RoleAssignmentResponse {
  roleAssignment: Required<Pick<RoleAssignment, 'identifier' | 'disabled' | 'managed'>> & RoleAssignment;
  harnessManaged: boolean;
}

/** A principal an access check may name. */
export interface CheckPrincipal {
  principalIdentifier: string;
  principalType: 'USER' | 'SERVICE_ACCOUNT';
}

/** The explanation of a permitted check. */
export interface Explanation {
  roleAssignmentIdentifier: string;
  roleIdentifier: string;
  resourceGroupIdentifier: string;
  scope: Scope;
  viaUserGroup?: string;
  implicitScopeView?: boolean;
}

/** One access check. */
export interface Check {
  permission: string;
  resourceType: string;
  resourceScope: Scope;
  resourceIdentifier?: string;
}

/** One answered check of the ACL endpoint with `explain=true`. */
export interface CheckResult extends Check {
  permitted: boolean;
  explanation?: Explanation;
  reason?: string;
}

/** "What can P do at S": one permission and what of its type P may touch. */
export interface PermissionReviewEntry {
  permission: string;
  resourceType: string;
  selection: { kind: 'ALL' } | { kind: 'SOME'; identifiers: string[]; attributeFilters: unknown[] };
  grantedBy: Explanation;
}

/** "Who can do X on R": one principal and the assignment that grants it. */
export interface PrincipalReviewEntry {
  principal: CheckPrincipal;
  explanation: Explanation;
}

/** The answer of accepting an invite: the new user's id and a first personal token (shown once). */
export interface AcceptedInvite {
  userId: string;
  token: string;
}

type Query = Record<string, string | number | boolean | undefined>;

function scopeQuery(scope: Scope): Query {
  return {
    accountIdentifier: scope.accountIdentifier,
    orgIdentifier: scope.orgIdentifier,
    projectIdentifier: scope.projectIdentifier,
  };
}

function listQuery(query: ListQuery = {}): Query {
  return {
    pageIndex: query.pageIndex,
    pageSize: query.pageSize,
    searchTerm: query.searchTerm === '' ? undefined : query.searchTerm,
  };
}

function scopeFields(scope: Scope): Scope {
  return {
    accountIdentifier: scope.accountIdentifier,
    ...(scope.orgIdentifier ? { orgIdentifier: scope.orgIdentifier } : {}),
    ...(scope.projectIdentifier ? { projectIdentifier: scope.projectIdentifier } : {}),
  };
}

const segment = encodeURIComponent;

/** The account identifier inside a token `sat.<account>.<tokenId>.<secret>` (or `pat.…`), if well-formed. */
export function accountOfToken(token: string): string | undefined {
  const parts = token.trim().split('.');
  if (parts.length !== 4 || !['sat', 'pat'].includes(parts[0] ?? '')) return undefined;
  return parts.slice(1).every((part) => part !== '') ? parts[1] : undefined;
}

/** Calls the API of `baseUrl` (same origin by default) with the token in `x-api-key` (never in a URL). */
/** How the console authenticates to the API: an API token (`x-api-key`) or an OIDC ID token (`authorization: Bearer`). */
export type Credential =
  | { readonly kind: 'apiToken'; readonly token: string }
  | { readonly kind: 'oidc'; readonly idToken: string };

function authenticationHeaders(credential: Credential | undefined): Record<string, string> {
  if (!credential) return {};
  return credential.kind === 'apiToken'
    ? { 'x-api-key': credential.token }
    : { authorization: `Bearer ${credential.idToken}` };
}

/** The console's one way to the API: each method is one endpoint, answers its `data` or throws {@link ApiError}. */
export class ApiClient {
  constructor(
    private readonly credential: Credential | undefined,
    private readonly baseUrl = '',
  ) {}

  private async call<T>(method: string, path: string, query: Query = {}, body?: unknown): Promise<T> {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') search.set(name, String(value));
    }
    const queryString = search.toString();
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}${queryString ? `?${queryString}` : ''}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...authenticationHeaders(this.credential),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new ApiError(0, 'NETWORK_ERROR', 'The server could not be reached.');
    }
    const text = await response.text();
    let parsed: { status?: string; data?: T; code?: string; message?: string; errors?: FieldError[] } = {};
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = {};
    }
    if (!response.ok || parsed.status === 'ERROR' || parsed.status === 'FAILURE') {
      throw new ApiError(
        response.status,
        parsed.code ?? `HTTP_${response.status}`,
        parsed.message ?? `The server answered ${response.status} ${response.statusText}`.trim(),
        parsed.errors ?? [],
      );
    }
    return parsed.data as T;
  }

  // Organizations and projects

  /** `GET /ng/api/organizations`. */
  listOrganizations(accountIdentifier: string, query?: ListQuery): Promise<Page<OrganizationResponse>> {
    return this.call('GET', '/ng/api/organizations', { accountIdentifier, ...listQuery(query) });
  }

  /** `POST /ng/api/organizations`. */
  createOrganization(
    accountIdentifier: string,
    organization: { identifier: string; name: string; description?: string },
  ): Promise<OrganizationResponse> {
    return this.call('POST', '/ng/api/organizations', { accountIdentifier }, { organization });
  }

  /** `DELETE /ng/api/organizations/{identifier}`. */
  deleteOrganization(accountIdentifier: string, identifier: string): Promise<boolean> {
    return this.call('DELETE', `/ng/api/organizations/${segment(identifier)}`, { accountIdentifier });
  }

  /** `GET /ng/api/projects` (of one organization, or of all). */
  listProjects(
    accountIdentifier: string,
    orgIdentifier: string | undefined,
    query?: ListQuery,
  ): Promise<Page<ProjectResponse>> {
    return this.call('GET', '/ng/api/projects', { accountIdentifier, orgIdentifier, ...listQuery(query) });
  }

  /** `POST /ng/api/projects`. */
  createProject(
    accountIdentifier: string,
    project: { orgIdentifier: string; identifier: string; name: string; description?: string },
  ): Promise<ProjectResponse> {
    return this.call(
      'POST',
      '/ng/api/projects',
      { accountIdentifier, orgIdentifier: project.orgIdentifier },
      { project },
    );
  }

  /** `DELETE /ng/api/projects/{identifier}`. */
  deleteProject(accountIdentifier: string, orgIdentifier: string, identifier: string): Promise<boolean> {
    return this.call('DELETE', `/ng/api/projects/${segment(identifier)}`, {
      accountIdentifier,
      orgIdentifier,
    });
  }

  // Users and invites

  /** `GET /ng/api/user/users`. */
  listUsers(scope: Scope, query?: ListQuery): Promise<Page<User>> {
    return this.call('GET', '/ng/api/user/users', { ...scopeQuery(scope), ...listQuery(query) });
  }

  /** `POST /ng/api/user/users`: adds or invites users by e-mail. */
  addUsers(
    scope: Scope,
    body: { emails: string[]; userGroups?: string[]; roleBindings?: RoleBinding[] },
  ): Promise<{ addUserResponseMap: Record<string, string> }> {
    return this.call('POST', '/ng/api/user/users', scopeQuery(scope), body);
  }

  /** `DELETE /ng/api/user/{userId}`: removes a user from the scope and its descendants. */
  removeUser(scope: Scope, userId: string): Promise<boolean> {
    return this.call('DELETE', `/ng/api/user/${segment(userId)}`, scopeQuery(scope));
  }

  /** `GET /ng/api/invites`. */
  listInvites(scope: Scope, query?: ListQuery): Promise<Page<Invite>> {
    return this.call('GET', '/ng/api/invites', { ...scopeQuery(scope), ...listQuery(query) });
  }

  /** `POST /ng/api/invites/{id}/resend`. */
  resendInvite(scope: Scope, id: string): Promise<Invite> {
    return this.call('POST', `/ng/api/invites/${segment(id)}/resend`, scopeQuery(scope));
  }

  /** `DELETE /ng/api/invites/{id}`. */
  deleteInvite(scope: Scope, id: string): Promise<unknown> {
    return this.call('DELETE', `/ng/api/invites/${segment(id)}`, scopeQuery(scope));
  }

  /** `POST /ng/api/invites/accept` (no token needed). */
  acceptInvite(token: string, name: string): Promise<AcceptedInvite> {
    return this.call('POST', '/ng/api/invites/accept', {}, { token, name });
  }

  // User groups

  /** `GET /ng/api/user-groups`. */
  listUserGroups(scope: Scope, query?: ListQuery): Promise<Page<UserGroup>> {
    return this.call('GET', '/ng/api/user-groups', { ...scopeQuery(scope), ...listQuery(query) });
  }

  /** `GET /ng/api/user-groups/{identifier}`. */
  getUserGroup(scope: Scope, identifier: string): Promise<UserGroup> {
    return this.call('GET', `/ng/api/user-groups/${segment(identifier)}`, scopeQuery(scope));
  }

  /** `POST /ng/api/user-groups`. */
  createUserGroup(
    scope: Scope,
    group: { identifier: string; name: string; description?: string; users?: string[] },
  ): Promise<UserGroup> {
    return this.call('POST', '/ng/api/user-groups', scopeQuery(scope), group);
  }

  /** `DELETE /ng/api/user-groups/{identifier}`. */
  deleteUserGroup(scope: Scope, identifier: string): Promise<UserGroup> {
    return this.call('DELETE', `/ng/api/user-groups/${segment(identifier)}`, scopeQuery(scope));
  }

  /** `PUT /ng/api/user-groups/{identifier}/member/{userId}`. */
  addGroupMember(scope: Scope, identifier: string, userId: string): Promise<UserGroup> {
    return this.call(
      'PUT',
      `/ng/api/user-groups/${segment(identifier)}/member/${segment(userId)}`,
      scopeQuery(scope),
    );
  }

  /** `DELETE /ng/api/user-groups/{identifier}/member/{userId}`. */
  removeGroupMember(scope: Scope, identifier: string, userId: string): Promise<UserGroup> {
    return this.call(
      'DELETE',
      `/ng/api/user-groups/${segment(identifier)}/member/${segment(userId)}`,
      scopeQuery(scope),
    );
  }

  // Service accounts, API keys, tokens

  /** `GET /ng/api/serviceaccount/aggregate` (paged, as the Harness UI lists them), the accounts alone. */
  async listServiceAccounts(scope: Scope, query?: ListQuery): Promise<Page<ServiceAccount>> {
    const page = await this.call<Page<{ serviceAccount: ServiceAccount }>>(
      'GET',
      '/ng/api/serviceaccount/aggregate',
      { ...scopeQuery(scope), ...listQuery(query) },
    );
    return { ...page, content: page.content.map((aggregate) => aggregate.serviceAccount) };
  }

  /** `GET /ng/api/serviceaccount/{identifier}`. */
  getServiceAccount(scope: Scope, identifier: string): Promise<ServiceAccount> {
    return this.call('GET', `/ng/api/serviceaccount/${segment(identifier)}`, scopeQuery(scope));
  }

  /** `POST /ng/api/serviceaccount`. */
  createServiceAccount(
    scope: Scope,
    account: { identifier: string; name: string; email: string; description?: string },
  ): Promise<ServiceAccount> {
    return this.call('POST', '/ng/api/serviceaccount', scopeQuery(scope), {
      ...account,
      ...scopeFields(scope),
    });
  }

  /** `DELETE /ng/api/serviceaccount/{identifier}`. */
  deleteServiceAccount(scope: Scope, identifier: string): Promise<boolean> {
    return this.call('DELETE', `/ng/api/serviceaccount/${segment(identifier)}`, scopeQuery(scope));
  }

  /** `GET /ng/api/apikey`: the API keys of a service account (a plain list, as Harness answers it). */
  listApiKeys(scope: Scope, parentIdentifier: string): Promise<ApiKey[]> {
    return this.call('GET', '/ng/api/apikey', {
      ...scopeQuery(scope),
      apiKeyType: 'SERVICE_ACCOUNT',
      parentIdentifier,
    });
  }

  /** `GET /ng/api/token/aggregate`: one page of a service account's tokens (100 at most). */
  listTokens(scope: Scope, parentIdentifier: string): Promise<Page<TokenAggregate>> {
    return this.call('GET', '/ng/api/token/aggregate', {
      ...scopeQuery(scope),
      apiKeyType: 'SERVICE_ACCOUNT',
      parentIdentifier,
      pageSize: 100,
    });
  }

  /** `POST /ng/api/apikey` for a service account. */
  createApiKey(scope: Scope, key: ApiKeyInput): Promise<ApiKeyInput> {
    return this.call('POST', '/ng/api/apikey', scopeQuery(scope), {
      ...key,
      apiKeyType: 'SERVICE_ACCOUNT',
      ...scopeFields(scope),
    });
  }

  /** `DELETE /ng/api/apikey/{identifier}` (its tokens go with it). */
  deleteApiKey(scope: Scope, parentIdentifier: string, identifier: string): Promise<boolean> {
    return this.call('DELETE', `/ng/api/apikey/${segment(identifier)}`, {
      ...scopeQuery(scope),
      apiKeyType: 'SERVICE_ACCOUNT',
      parentIdentifier,
    });
  }

  /** `POST /ng/api/token`: the raw token, shown once. */
  createToken(scope: Scope, token: TokenInput): Promise<string> {
    return this.call('POST', '/ng/api/token', scopeQuery(scope), {
      ...token,
      apiKeyType: 'SERVICE_ACCOUNT',
      ...scopeFields(scope),
    });
  }

  /** `POST /ng/api/token/rotate/{identifier}`: the new raw token, shown once. */
  rotateToken(scope: Scope, ref: TokenRef, identifier: string): Promise<string> {
    return this.call('POST', `/ng/api/token/rotate/${segment(identifier)}`, {
      ...scopeQuery(scope),
      apiKeyType: 'SERVICE_ACCOUNT',
      ...ref,
    });
  }

  /** `DELETE /ng/api/token/{identifier}`. */
  deleteToken(scope: Scope, ref: TokenRef, identifier: string): Promise<boolean> {
    return this.call('DELETE', `/ng/api/token/${segment(identifier)}`, {
      ...scopeQuery(scope),
      apiKeyType: 'SERVICE_ACCOUNT',
      ...ref,
    });
  }

  // Audit trail

  /** `POST /audit/api/audits/list`: the events at `scope` (and below) matching `filter`, newest first. */
  listAuditEvents(scope: Scope, filter: AuditFilter, query?: ListQuery): Promise<Page<AuditEvent>> {
    return this.call(
      'POST',
      '/audit/api/audits/list',
      { accountIdentifier: scope.accountIdentifier, pageIndex: query?.pageIndex, pageSize: query?.pageSize },
      { scopes: [scopeFields(scope)], ...filter },
    );
  }

  /** `GET /audit/api/auditYaml`: an event's resource before and after (JSON documents). */
  auditChange(accountIdentifier: string, auditId: string): Promise<{ oldYaml?: string; newYaml?: string }> {
    return this.call('GET', '/audit/api/auditYaml', { accountIdentifier, auditId });
  }

  // Roles

  /** `GET /authz/api/roles`. */
  listRoles(scope: Scope, query?: ListQuery): Promise<Page<RoleResponse>> {
    return this.call('GET', '/authz/api/roles', { ...scopeQuery(scope), ...listQuery(query) });
  }

  /** `GET /authz/api/roles/{identifier}`. */
  getRole(scope: Scope, identifier: string): Promise<RoleResponse> {
    return this.call('GET', `/authz/api/roles/${segment(identifier)}`, scopeQuery(scope));
  }

  /** `POST /authz/api/roles`. */
  createRole(scope: Scope, role: Role): Promise<RoleResponse> {
    return this.call('POST', '/authz/api/roles', scopeQuery(scope), role);
  }

  /** `PUT /authz/api/roles/{identifier}`. */
  updateRole(scope: Scope, role: Role): Promise<RoleResponse> {
    return this.call('PUT', `/authz/api/roles/${segment(role.identifier)}`, scopeQuery(scope), role);
  }

  /** `DELETE /authz/api/roles/{identifier}`. */
  deleteRole(scope: Scope, identifier: string): Promise<RoleResponse> {
    return this.call('DELETE', `/authz/api/roles/${segment(identifier)}`, scopeQuery(scope));
  }

  // Resource groups

  /** `GET /resourcegroup/api/v2/resourcegroup`. */
  listResourceGroups(scope: Scope, query?: ListQuery): Promise<Page<ResourceGroupResponse>> {
    return this.call('GET', '/resourcegroup/api/v2/resourcegroup', {
      ...scopeQuery(scope),
      ...listQuery(query),
    });
  }

  /** `GET /resourcegroup/api/v2/resourcegroup/{identifier}`. */
  getResourceGroup(scope: Scope, identifier: string): Promise<ResourceGroupResponse> {
    return this.call('GET', `/resourcegroup/api/v2/resourcegroup/${segment(identifier)}`, scopeQuery(scope));
  }

  /** `POST /resourcegroup/api/v2/resourcegroup`. */
  createResourceGroup(scope: Scope, resourceGroup: ResourceGroup): Promise<ResourceGroupResponse> {
    return this.call('POST', '/resourcegroup/api/v2/resourcegroup', scopeQuery(scope), {
      resourceGroup: { ...scopeFields(scope), ...resourceGroup },
    });
  }

  /** `PUT /resourcegroup/api/v2/resourcegroup/{identifier}`. */
  updateResourceGroup(scope: Scope, resourceGroup: ResourceGroup): Promise<ResourceGroupResponse> {
    return this.call(
      'PUT',
      `/resourcegroup/api/v2/resourcegroup/${segment(resourceGroup.identifier)}`,
      scopeQuery(scope),
      { resourceGroup: { ...scopeFields(scope), ...resourceGroup } },
    );
  }

  /** `DELETE /resourcegroup/api/v2/resourcegroup/{identifier}`. */
  deleteResourceGroup(scope: Scope, identifier: string): Promise<boolean> {
    return this.call(
      'DELETE',
      `/resourcegroup/api/v2/resourcegroup/${segment(identifier)}`,
      scopeQuery(scope),
    );
  }

  // Role assignments

  /** `GET /authz/api/roleassignments`. */
  listRoleAssignments(scope: Scope, query?: ListQuery): Promise<Page<RoleAssignmentResponse>> {
    const { pageIndex, pageSize } = query ?? {};
    return this.call('GET', '/authz/api/roleassignments', { ...scopeQuery(scope), pageIndex, pageSize });
  }

  /** `POST /authz/api/roleassignments`. */
  createRoleAssignment(scope: Scope, assignment: RoleAssignment): Promise<RoleAssignmentResponse> {
    return this.call('POST', '/authz/api/roleassignments', scopeQuery(scope), assignment);
  }

  /** `PUT /authz/api/roleassignments/{identifier}`: only `disabled` may change. */
  setRoleAssignmentDisabled(
    scope: Scope,
    assignment: RoleAssignment & { identifier: string },
    disabled: boolean,
  ): Promise<RoleAssignmentResponse> {
    const { managed: _managed, ...dto } = assignment;
    return this.call(
      'PUT',
      `/authz/api/roleassignments/${segment(assignment.identifier)}`,
      scopeQuery(scope),
      {
        ...dto,
        disabled,
      },
    );
  }

  /** `DELETE /authz/api/roleassignments/{identifier}`. */
  deleteRoleAssignment(scope: Scope, identifier: string): Promise<RoleAssignmentResponse> {
    return this.call('DELETE', `/authz/api/roleassignments/${segment(identifier)}`, scopeQuery(scope));
  }

  // Access checks and review

  /** `POST /authz/api/acl?explain=true`: checks for `principal` (or the caller). */
  checkAccess(
    accountIdentifier: string,
    principal: CheckPrincipal | undefined,
    permissions: Check[],
  ): Promise<{ principal: CheckPrincipal; accessControlList: CheckResult[] }> {
    return this.call(
      'POST',
      '/authz/api/acl',
      { accountIdentifier, explain: true },
      { ...(principal ? { principal } : {}), permissions },
    );
  }

  /** `POST /authz/api/access-review/permissions`: what can the principal do at the scope. */
  reviewPermissions(
    accountIdentifier: string,
    body: { principal?: CheckPrincipal; scope: Scope; resourceType?: string; permission?: string },
  ): Promise<{ permissions: PermissionReviewEntry[] }> {
    return this.call('POST', '/authz/api/access-review/permissions', { accountIdentifier }, body);
  }

  /** `POST /authz/api/access-review/principals`: who can do this on that resource (paged). */
  reviewPrincipals(
    accountIdentifier: string,
    check: Check,
    query?: ListQuery,
  ): Promise<Page<PrincipalReviewEntry>> {
    const { pageIndex, pageSize } = query ?? {};
    return this.call(
      'POST',
      '/authz/api/access-review/principals',
      { accountIdentifier, pageIndex, pageSize },
      check,
    );
  }
}
