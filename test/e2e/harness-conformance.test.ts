import {
  addUsers,
  addUserToUserGroups,
  checkIfLastAdmin,
  createApiKey,
  createServiceAccount,
  createToken,
  getAggregatedApiKey,
  getAggregatedServiceAccount,
  getAggregatedUser,
  getAggregatedUsers,
  getBatchUsersGroupList,
  getCurrentUserInfo,
  getInvites,
  getMember,
  getPendingUsersAggregated,
  getProject,
  getProjectListWithMultiOrgFilter,
  getUserGroupV2,
  getUserListInUserGroup,
  getUsers,
  listAggregatedServiceAccounts,
  listAggregatedTokens,
  listApiKeys_1,
  listServiceAccount,
  NGManagerServiceAPIClient,
  postProject,
  postUserGroup,
  postUserGroupV2,
  putUserGroup,
  updateApiKey,
  updateInvite,
  updateToken,
  validateToken,
} from '@harnessio/react-ng-manager-v2-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  ApiKey,
  ApiKeyAggregate,
  conforms,
  Invite,
  PageOf,
  PermissionResponse,
  ProjectResponse,
  ResourceTypeDto,
  ResponseDto,
  ServiceAccount,
  ServiceAccountAggregate,
  Token,
  TokenAggregate,
  UserAggregate,
  UserGroup,
  UserGroupResponseV2,
  UserInfo,
  UserMetadata,
} from '../support/harness/harness-dtos.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * Conformance with Harness's own clients (reference/harness-client-conformance.md): calls shaped as
 * the Harness UI and the Terraform provider send them, each answer checked against the DTO the client
 * declares.
 */

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

type AclAnswer = {
  principal: { principalIdentifier: string; principalType: string };
  accessControlList: Record<string, unknown>[];
};

describe('POST /authz/api/acl as the Harness UI sends it (PermissionsContext.tsx: body only)', () => {
  const uiCheck = () => ({
    resourceScope: { accountIdentifier: server.accountId, orgIdentifier: 'default' },
    resourceType: 'ORGANIZATION',
    resourceIdentifier: 'default',
    permission: 'core_organization_view',
  });

  it('answers a body without accountIdentifier in the query, echoing each check as sent', async () => {
    // Act
    const reply = await server.api('POST', '/authz/api/acl?routingId=ignored', {
      body: { permissions: [uiCheck(), { ...uiCheck(), resourceScope: { orgIdentifier: 'default' } }] },
    });
    // Assess
    expect(reply.status).toBe(200);
    const data = reply.body.data as AclAnswer;
    expect(data.principal).toEqual({ principalIdentifier: 'admin', principalType: 'SERVICE_ACCOUNT' });
    expect(data.accessControlList).toEqual([
      { ...uiCheck(), permitted: true },
      { ...uiCheck(), resourceScope: { orgIdentifier: 'default' }, permitted: true },
    ]);
  });

  it('answers 403 when a check names another account, and 401 without a token', async () => {
    // Act
    const foreign = await server.api('POST', '/authz/api/acl', {
      body: {
        permissions: [uiCheck(), { ...uiCheck(), resourceScope: { accountIdentifier: 'someone_else' } }],
      },
    });
    const anonymous = await server.api('POST', '/authz/api/acl', {
      body: { permissions: [uiCheck()] },
      token: null,
    });
    // Assess
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('NG_ACCESS_DENIED');
    expect(foreign.body.message).toContain('permissions[1].resourceScope.accountIdentifier');
    expect(anonymous.status).toBe(401);
  });

  it('still accepts the accountIdentifier query parameter', async () => {
    // Act
    const reply = await server.api('POST', `/authz/api/acl?accountIdentifier=${server.accountId}`, {
      body: { permissions: [uiCheck()] },
    });
    // Assess
    expect(reply.status).toBe(200);
    expect((reply.body.data as AclAnswer).accessControlList).toEqual([{ ...uiCheck(), permitted: true }]);
  });
});

/** The ng-manager v2 client, set up as a Harness UI or script does: a URL prefix and the x-api-key header. */
function useClient(url: string, token: string): void {
  new NGManagerServiceAPIClient({
    urlInterceptor: (path: string) => `${url}/ng/api${path}`,
    getRequestHeaders: () => ({ 'x-api-key': token }),
  });
}

describe("Harness's ng-manager v2 client against the local server", () => {
  const account = () => server.accountId;
  const ORG = 'default';
  let userEmail: string;
  let userToken: string;
  let userId: string;
  let rawToken: string;

  beforeAll(() => {
    useClient(server.url, server.adminToken);
  });

  it('creates, reads and lists a project with the color and modules the UI always sends', async () => {
    // Act
    const created = await postProject({
      queryParams: { accountIdentifier: account(), orgIdentifier: ORG },
      body: {
        project: {
          orgIdentifier: ORG,
          identifier: 'web',
          name: 'Web',
          color: '#0063F7',
          modules: ['CD', 'CI'],
        },
      },
    });
    const read = await getProject({
      identifier: 'web',
      queryParams: { accountIdentifier: account(), orgIdentifier: ORG },
    });
    const listed = await getProjectListWithMultiOrgFilter({
      queryParams: { accountIdentifier: account(), orgIdentifiers: [ORG], moduleType: 'CD' },
    });
    // Assess
    const project = conforms(ResponseDto(ProjectResponse), created.body).data;
    expect(project).toMatchObject({
      isFavorite: false,
      project: { color: '#0063F7', modules: ['CD', 'CI'] },
    });
    expect(conforms(ResponseDto(ProjectResponse), read.body).data.project.identifier).toBe('web');
    const page = conforms(ResponseDto(PageOf(ProjectResponse)), listed.body).data;
    expect(page.content?.map((entry) => entry.project.identifier)).toEqual(['web']);
  });

  it('creates a service account and reads it back as Terraform does (aggregate), lists it as a plain list', async () => {
    // Prepare
    await createServiceAccount({
      queryParams: { accountIdentifier: account() },
      body: {
        identifier: 'ci_bot',
        name: 'CI bot',
        email: 'ci_bot@sa.example.com',
        accountIdentifier: account(),
      },
    });
    // Act
    const aggregate = await getAggregatedServiceAccount({
      identifier: 'ci_bot',
      queryParams: { accountIdentifier: account() },
    });
    const listed = await listServiceAccount({
      queryParams: { accountIdentifier: account(), identifiers: ['ci_bot'] },
    });
    const page = await listAggregatedServiceAccounts({
      queryParams: { accountIdentifier: account(), searchTerm: 'CI' },
    });
    // Assess
    expect(conforms(ResponseDto(ServiceAccountAggregate), aggregate.body).data).toMatchObject({
      serviceAccount: { identifier: 'ci_bot' },
      tokensCount: 0,
      roleAssignmentsMetadataDTO: [],
    });
    expect(
      conforms(ResponseDto(z.array(ServiceAccount)), listed.body).data.map((sa) => sa.identifier),
    ).toEqual(['ci_bot']);
    expect(conforms(ResponseDto(PageOf(ServiceAccountAggregate)), page.body).data.content).toHaveLength(1);
  });

  it('creates an API key and a token, then reads, lists and updates them through the aggregates', async () => {
    // Prepare
    const key = {
      accountIdentifier: account(),
      apiKeyType: 'SERVICE_ACCOUNT' as const,
      parentIdentifier: 'ci_bot',
    };
    await createApiKey({
      queryParams: { accountIdentifier: account() },
      body: { ...key, identifier: 'deploy', name: 'Deploy' },
    });
    const token = await createToken({
      queryParams: { accountIdentifier: account() },
      body: { ...key, apiKeyIdentifier: 'deploy', identifier: 'tf', name: 'Terraform', valid: true },
    });
    rawToken = String(token.body.data);
    // Act
    const keyAggregate = await getAggregatedApiKey({ identifier: 'deploy', queryParams: key });
    const keys = await listApiKeys_1({ queryParams: key });
    const renamedKey = await updateApiKey({
      identifier: 'deploy',
      body: { ...key, identifier: 'deploy', name: 'Deploy keys' },
    });
    const tokens = await listAggregatedTokens({
      queryParams: { ...key, apiKeyIdentifier: 'deploy', identifiers: ['tf'] },
    });
    const renamedToken = await updateToken({
      identifier: 'tf',
      queryParams: { accountIdentifier: account() },
      body: { ...key, apiKeyIdentifier: 'deploy', identifier: 'tf', name: 'Terraform token' },
    });
    const validated = await validateToken({ queryParams: { accountIdentifier: account() }, body: rawToken });
    // Assess
    expect(conforms(ResponseDto(ApiKeyAggregate), keyAggregate.body).data.tokensCount).toBe(1);
    expect(conforms(ResponseDto(z.array(ApiKey)), keys.body).data.map((entry) => entry.identifier)).toEqual([
      'deploy',
    ]);
    expect(conforms(ResponseDto(ApiKey), renamedKey.body).data.name).toBe('Deploy keys');
    const tokenPage = conforms(ResponseDto(PageOf(TokenAggregate)), tokens.body).data;
    expect(tokenPage.content?.map((entry) => [entry.token.identifier, entry.token.valid])).toEqual([
      ['tf', true],
    ]);
    expect(conforms(ResponseDto(Token), renamedToken.body).data.name).toBe('Terraform token');
    expect(conforms(ResponseDto(Token), validated.body).data.identifier).toBe('tf');
  });

  it('invites a user, lists and resends the invite, then reads the accepted user through the aggregates', async () => {
    // Prepare
    userEmail = 'dana@example.com';
    await addUsers({
      queryParams: { accountIdentifier: account() },
      body: { emails: [userEmail], roleBindings: [], userGroups: [] },
    });
    // Act
    const invites = await getInvites({ queryParams: { accountIdentifier: account() } });
    const invite = conforms(ResponseDto(PageOf(Invite)), invites.body).data.content?.[0];
    const resent = await updateInvite({
      inviteId: String(invite?.id),
      queryParams: { accountIdentifier: account() },
      body: { email: userEmail, inviteType: 'ADMIN_INITIATED_INVITE', id: String(invite?.id) },
    });
    const pending = await getPendingUsersAggregated({
      queryParams: { accountIdentifier: account() },
      body: {},
    });
    const mail = (await server.api('GET', '/local/mail', { token: null })).body as unknown as {
      to: string;
      token: string;
    }[];
    const accepted = await server.api('POST', '/ng/api/invites/accept', {
      token: null,
      body: { token: mail.filter((entry) => entry.to === userEmail).at(-1)?.token, name: 'Dana' },
    });
    ({ userId, token: userToken } = accepted.body.data as { userId: string; token: string });
    const users = await getAggregatedUsers({
      queryParams: { accountIdentifier: account(), searchTerm: userEmail },
      body: {},
    });
    const user = await getAggregatedUser({ userId, queryParams: { accountIdentifier: account() } });
    const batch = await getUsers({
      queryParams: { accountIdentifier: account() },
      body: { emails: [userEmail] },
    });
    // Assess
    expect(invite).toMatchObject({ email: userEmail, inviteType: 'ADMIN_INITIATED_INVITE' });
    expect(conforms(ResponseDto(Invite), resent.body).data.email).toBe(userEmail);
    expect(conforms(ResponseDto(PageOf(Invite)), pending.body).data.content).toHaveLength(1);
    const aggregates = conforms(ResponseDto(PageOf(UserAggregate)), users.body).data.content ?? [];
    expect(aggregates.map((entry) => entry.user?.email)).toEqual([userEmail]);
    expect(conforms(ResponseDto(UserAggregate), user.body).data.user).toMatchObject({
      uuid: userId,
      name: 'Dana',
    });
    expect(
      conforms(ResponseDto(PageOf(UserMetadata)), batch.body).data.content?.map((entry) => entry.uuid),
    ).toEqual([userId]);
  });

  it('creates a user group with v2 (members as e-mails), updates it with PUT on the collection, adds members', async () => {
    // Act
    const created = await postUserGroupV2({
      queryParams: { accountIdentifier: account() },
      body: {
        identifier: 'ops',
        name: 'Ops',
        users: [userEmail],
        externallyManaged: false,
        ssoLinked: false,
      },
    });
    const renamed = await putUserGroup({
      queryParams: { accountIdentifier: account() },
      body: { identifier: 'ops', name: 'Operations', users: [userId], linkedSsoDisplayName: 'corp' },
    });
    const member = await getMember({
      identifier: 'ops',
      userIdentifier: userId,
      queryParams: { accountIdentifier: account() },
    });
    const members = await getUserListInUserGroup({
      identifier: 'ops',
      queryParams: { accountIdentifier: account() },
      body: {},
    });
    await postUserGroup({
      queryParams: { accountIdentifier: account() },
      body: { identifier: 'oncall', name: 'On call' },
    });
    const added = await addUserToUserGroups({
      userId,
      queryParams: { accountIdentifier: account() },
      body: { userGroupIdsToAdd: ['oncall'] },
    });
    const batch = await getBatchUsersGroupList({
      queryParams: { accountIdentifier: account() },
      body: { accountIdentifier: account(), identifierFilter: ['ops', 'oncall'] },
    });
    const v2 = await getUserGroupV2({ identifier: 'ops', queryParams: { accountIdentifier: account() } });
    // Assess
    const group = conforms(ResponseDto(UserGroupResponseV2), created.body).data;
    expect(group.users?.map((user) => user.email)).toEqual([userEmail]);
    expect(conforms(ResponseDto(UserGroup), renamed.body).data).toMatchObject({
      name: 'Operations',
      linkedSsoDisplayName: 'corp',
    });
    expect(member.body.data).toBe(true);
    expect(
      conforms(ResponseDto(PageOf(UserMetadata)), members.body).data.content?.map((user) => user.uuid),
    ).toEqual([userId]);
    expect(added.body.data).toBe(true);
    const groups = conforms(ResponseDto(z.array(UserGroup)), batch.body).data;
    expect(groups.map((entry) => [entry.identifier, entry.users])).toEqual([
      ['oncall', [userId]],
      ['ops', [userId]],
    ]);
    expect(conforms(ResponseDto(UserGroupResponseV2), v2.body).data.name).toBe('Operations');
  });

  it("answers the current user for a user's token and the last-admin check", async () => {
    // Prepare
    useClient(server.url, userToken);
    try {
      // Act
      const current = await getCurrentUserInfo({ queryParams: { accountIdentifier: account() } });
      // Assess
      expect(conforms(ResponseDto(UserInfo), current.body).data).toMatchObject({
        uuid: userId,
        email: userEmail,
      });
    } finally {
      useClient(server.url, server.adminToken);
    }
    const lastAdmin = await checkIfLastAdmin({ queryParams: { accountIdentifier: account(), userId } });
    expect(lastAdmin.body.data).toBe(false);
  });
});

describe('access control as the Harness UI (restful-react clients, routingId) and the Terraform provider call it', () => {
  const q = () => `accountIdentifier=${server.accountId}&routingId=${server.accountId}`;

  it('serves the permission and resource-type catalogues of the role and resource-group editors', async () => {
    // Act
    const permissions = await server.api('GET', `/authz/api/permissions?${q()}`);
    const everything = await server.api('GET', `/authz/api/permissions?${q()}&scopeFilterDisabled=true`);
    const types = await server.api('GET', `/authz/api/permissions/resourcetypes?${q()}`);
    const selectable = await server.api('GET', `/resourcegroup/api/resourcetype?${q()}`);
    // Assess
    const listed = conforms(ResponseDto(z.array(PermissionResponse)), permissions.body).data;
    expect(listed.map((entry) => entry.permission.identifier)).toContain('core_pipeline_execute');
    expect(listed.every((entry) => entry.permission.allowedScopeLevels.includes('account'))).toBe(true);
    expect((everything.body.data as unknown[]).length).toBeGreaterThanOrEqual(listed.length);
    expect(conforms(ResponseDto(z.array(z.string())), types.body).data).toContain('PIPELINE');
    const resourceTypes = conforms(ResponseDto(ResourceTypeDto), selectable.body).data.resourceTypes;
    expect(resourceTypes.map((type) => type.name)).toContain('SECRET');
  });

  it('lists resource groups for the picker (v1 filter) and the v2 filter', async () => {
    // Act
    const v1 = await server.api('POST', `/resourcegroup/api/resourcegroup/filter?${q()}&pageSize=50`, {
      body: { accountIdentifier: server.accountId, searchTerm: 'Account', managedFilter: 'ONLY_MANAGED' },
    });
    const v2 = await server.api('POST', `/resourcegroup/api/v2/resourcegroup/filter?${q()}`, {
      body: { identifierFilter: ['_all_account_level_resources'] },
    });
    // Assess
    expect(v1.status).toBe(200);
    const names = (v1.body.data as { content: { resourceGroup: { name: string } }[] }).content.map(
      (entry) => entry.resourceGroup.name,
    );
    expect(names).toContain('All Account Level Resources');
    expect(
      (v2.body.data as { content: { resourceGroup: { identifier: string } }[] }).content.map(
        (entry) => entry.resourceGroup.identifier,
      ),
    ).toEqual(['_all_account_level_resources']);
  });

  it("runs Terraform's role-assignment lifecycle with roleReference, then aggregate, validate and delete/batch", async () => {
    // Prepare
    await server.api('POST', `/ng/api/serviceaccount?accountIdentifier=${server.accountId}`, {
      body: {
        identifier: 'tf_bot',
        name: 'TF bot',
        email: 'tf_bot@sa.example.com',
        accountIdentifier: server.accountId,
      },
    });
    const assignment = {
      identifier: 'tf_viewer',
      resourceGroupIdentifier: '_all_account_level_resources',
      roleIdentifier: '_account_viewer',
      roleReference: { identifier: '_account_viewer', scopeLevel: 'account' },
      principal: { identifier: 'tf_bot', type: 'SERVICE_ACCOUNT', scopeLevel: 'account' },
      disabled: false,
      managed: false,
    };
    // Act
    const created = await server.api(
      'POST',
      `/authz/api/roleassignments?accountIdentifier=${server.accountId}`,
      {
        body: assignment,
      },
    );
    const mismatched = await server.api(
      'POST',
      `/authz/api/roleassignments?accountIdentifier=${server.accountId}`,
      {
        body: {
          ...assignment,
          identifier: 'other',
          roleReference: { identifier: 'x', scopeLevel: 'account' },
        },
      },
    );
    const read = await server.api(
      'GET',
      `/authz/api/roleassignments/tf_viewer?accountIdentifier=${server.accountId}`,
    );
    const aggregate = await server.api('POST', `/authz/api/roleassignments/aggregate?${q()}`, {
      body: { principalTypeFilter: ['SERVICE_ACCOUNT'], roleFilter: ['_account_viewer'] },
    });
    const validated = await server.api('POST', `/authz/api/roleassignments/validate?${q()}`, {
      body: {
        roleAssignment: { ...assignment, roleIdentifier: 'no_such_role', roleReference: null },
        validatePrincipal: true,
        validateRole: true,
        validateResourceGroup: true,
      },
    });
    const deleted = await server.api('POST', `/authz/api/roleassignments/delete/batch?${q()}`, {
      body: ['tf_viewer', 'never_made'],
    });
    const gone = await server.api(
      'GET',
      `/authz/api/roleassignments/tf_viewer?accountIdentifier=${server.accountId}`,
    );
    // Assess
    expect(created.status).toBe(200);
    expect(mismatched.status).toBe(400);
    expect(mismatched.body.errors).toEqual([
      { fieldId: 'roleReference.identifier', error: 'must equal roleIdentifier' },
    ]);
    expect(read.body.data).toMatchObject({
      roleAssignment: { identifier: 'tf_viewer', roleIdentifier: '_account_viewer' },
    });
    expect(aggregate.body.data).toMatchObject({
      roleAssignments: [{ identifier: 'tf_viewer' }],
      roles: [{ role: { identifier: '_account_viewer' } }],
      resourceGroups: [{ resourceGroup: { identifier: '_all_account_level_resources' } }],
      scope: { accountIdentifier: server.accountId },
    });
    expect(validated.body.data).toMatchObject({
      principalValidationResult: { valid: true },
      roleValidationResult: { valid: false },
      resourceGroupValidationResult: { valid: true },
    });
    expect(deleted.body.data).toMatchObject({ successfullyDeleted: 1, failedToDelete: 1 });
    expect(gone.status).toBe(404);
  });

  it("routes Harness's literal paths to their own endpoints, never to an {identifier} lookup", async () => {
    // Act
    const currentUser = await server.api('GET', `/ng/api/user/currentUser?${q()}`);
    const lastAdmin = await server.api('GET', `/ng/api/user/last-admin?${q()}&userId=nobody`);
    const aggregate = await server.api('GET', `/ng/api/serviceaccount/aggregate?${q()}`);
    const projects = await server.api('GET', `/ng/api/projects/list?${q()}`);
    const copy = await server.api('PUT', `/ng/api/user-groups/copy?${q()}&groupIdentifier=missing`, {
      body: [{ accountIdentifier: server.accountId, orgIdentifier: 'default' }],
    });
    // Assess: a service-account token has no current user (400 naming x-api-key), not "user currentUser not found"
    expect(currentUser.status).toBe(400);
    expect(currentUser.body.errors).toEqual([expect.objectContaining({ fieldId: 'x-api-key' })]);
    expect(lastAdmin.body.data).toBe(false);
    expect(aggregate.status).toBe(200);
    expect(projects.status).toBe(200);
    expect(copy.status).toBe(404);
    expect(copy.body.message).toBe('The user group does not exist at this scope');
  });
});
