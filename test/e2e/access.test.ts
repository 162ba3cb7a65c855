import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessRoutes } from '../../functions/api/management/access/access-routes.js';
import { PERMISSIONS } from '../../functions/core/permission-catalogue.js';
import type { RoleAssignment } from '../../functions/core/role-assignment.js';
import { accountScope, projectScope } from '../../functions/core/scope.js';
import { formatToken, hashTokenSecret, newTokenId, newTokenSecret } from '../../functions/core/token.js';
import type { ChangeOperation } from '../../functions/store/change-log.js';
import { localClientConfig } from '../../functions/store/dynamodb-local.js';
import { apiKeyItem, tokenItem } from '../../functions/store/entities/credentials.js';
import {
  roleAssignmentItem,
  roleAssignmentKeyItem,
} from '../../functions/store/entities/role-assignments.js';
import { customRoleItem } from '../../functions/store/entities/roles.js';
import { scopeItem } from '../../functions/store/entities/scopes.js';
import { serviceAccountItem } from '../../functions/store/entities/service-accounts.js';
import { userGroupItems } from '../../functions/store/entities/user-groups.js';
import { membershipItem } from '../../functions/store/entities/users.js';
import type { StoredItem } from '../../functions/store/items.js';
import { accountPk, roleSk } from '../../functions/store/keys.js';
import { type SeedableTestServer, startTestServerWithRoutes } from '../support/test-server.js';

const ORG = 'default';
const PROJECT = 'p1';

let server: SeedableTestServer;
let account: string;
/** Token of a service account with no assignment at all. */
let nobodyToken: string;
/** Token of a service account that may only work with pipelines (and edit service accounts). */
let pipelineToken: string;

type Body = Record<string, unknown>;
type Reply = { status: number; body: Body };

function query(scope: 'account' | 'org' | 'project' = 'account', extra = ''): string {
  const parts = [`accountIdentifier=${account}`];
  if (scope !== 'account') parts.push(`orgIdentifier=${ORG}`);
  if (scope === 'project') parts.push(`projectIdentifier=${PROJECT}`);
  return `?${parts.join('&')}${extra}`;
}

function data<T = Body>(reply: Reply): T {
  return reply.body.data as T;
}

function fieldIds(reply: Reply): string[] {
  return ((reply.body.errors as { fieldId: string }[] | undefined) ?? []).map((error) => error.fieldId);
}

function meta() {
  const now = server.now();
  return { createdAt: now, lastModifiedAt: now, version: 1 };
}

/** The items of a service account at the account with a token valid for a day, and that token. */
function mintServiceAccount(identifier: string): { token: string; items: StoredItem[] } {
  const now = server.now();
  const scope = accountScope(account);
  const tokenId = newTokenId();
  const secret = newTokenSecret();
  return {
    token: formatToken('sat', account, tokenId, secret),
    items: [
      serviceAccountItem(
        account,
        { identifier, scope, name: identifier, email: `${identifier}@sa.local` },
        meta(),
      ),
      apiKeyItem(
        account,
        {
          identifier: `${identifier}_key`,
          name: 'key',
          apiKeyType: 'SERVICE_ACCOUNT',
          parentIdentifier: identifier,
          scope,
        },
        meta(),
      ),
      tokenItem(
        account,
        {
          tokenId,
          identifier: `${identifier}_token`,
          name: 'token',
          apiKeyIdentifier: `${identifier}_key`,
          apiKeyType: 'SERVICE_ACCOUNT',
          parentIdentifier: identifier,
          scope,
          secretHash: hashTokenSecret(secret),
          validFrom: now - 60_000,
          validTo: now + 24 * 3600 * 1000,
        },
        meta(),
      ),
    ],
  };
}

function assignmentItems(assignment: RoleAssignment): StoredItem[] {
  return [roleAssignmentItem(account, assignment, meta()), roleAssignmentKeyItem(account, assignment)];
}

function creates(items: readonly StoredItem[]): ChangeOperation[] {
  return items.map((item) => ({ kind: 'create', item }));
}

/** Asks the ACL endpoint, as the admin on behalf of a service account, whether one check is permitted. */
async function permitted(
  serviceAccount: string,
  check: {
    permission: string;
    resourceType: string;
    resourceScope?: Record<string, string>;
    resourceIdentifier?: string;
    resourceAttributes?: Record<string, string>;
  },
): Promise<boolean> {
  const reply = await server.api('POST', `/authz/api/acl?accountIdentifier=${account}`, {
    body: {
      principal: { principalIdentifier: serviceAccount, principalType: 'SERVICE_ACCOUNT' },
      permissions: [{ resourceScope: { accountIdentifier: account }, ...check }],
    },
  });
  expect(reply.status).toBe(200);
  return (
    data<{ accessControlList: { permitted: boolean }[] }>(reply).accessControlList[0]?.permitted ?? false
  );
}

const projectResource = () => ({
  accountIdentifier: account,
  orgIdentifier: ORG,
  projectIdentifier: PROJECT,
});

function role(identifier: string, permissions: string[], extra: Body = {}): Body {
  return { identifier, name: identifier, permissions, allowedScopeLevels: ['account'], ...extra };
}

function resourceGroup(
  identifier: string,
  extra: Body = {},
  scope: Body = { accountIdentifier: account },
): Body {
  return {
    resourceGroup: {
      ...scope,
      identifier,
      name: identifier,
      includedScopes: [{ filter: 'EXCLUDING_CHILD_SCOPES', ...scope }],
      resourceFilter: { includeAllResources: true, resources: [] },
      ...extra,
    },
  };
}

function assignment(
  roleIdentifier: string,
  resourceGroupIdentifier: string,
  principal: Body,
  extra: Body = {},
): Body {
  return { roleIdentifier, resourceGroupIdentifier, principal, disabled: false, ...extra };
}

const sa = (identifier: string) => ({ identifier, type: 'SERVICE_ACCOUNT' });

beforeAll(async () => {
  server = await startTestServerWithRoutes(accessRoutes);
  account = server.accountId;
  const nobody = mintServiceAccount('nobody');
  const pipeline = mintServiceAccount('pipeline_bot');
  const worker = mintServiceAccount('worker');
  nobodyToken = nobody.token;
  pipelineToken = pipeline.token;
  const scope = accountScope(account);
  const project = projectScope(account, ORG, PROJECT);
  const pipelineRole = {
    identifier: 'pipeline_ops',
    name: 'Pipeline ops',
    permissions: [
      'core_pipeline_view',
      'core_pipeline_edit',
      'core_pipeline_execute',
      'core_serviceaccount_view',
      'core_serviceaccount_edit',
    ],
    allowedScopeLevels: ['account' as const],
    harnessManaged: false as const,
    scope,
  };
  await server.seed(
    creates([
      scopeItem(account, project, { name: PROJECT }, meta()),
      ...nobody.items,
      ...pipeline.items,
      ...worker.items,
      customRoleItem(account, pipelineRole, meta()),
      ...assignmentItems({
        identifier: 'pipeline_bot_ops',
        scope,
        roleIdentifier: 'pipeline_ops',
        resourceGroupIdentifier: '_all_account_level_resources',
        principal: { type: 'SERVICE_ACCOUNT', identifier: 'pipeline_bot', scopeLevel: 'account' },
        disabled: false,
        managed: false,
      }),
      membershipItem(account, 'user_in_project', project, meta()),
      ...userGroupItems(
        account,
        { identifier: 'platform', scope, name: 'Platform', users: ['user_in_project'] },
        meta(),
        'platform1',
      ),
    ]),
  );
});

afterAll(async () => server?.close());

describe('roles: /authz/api/roles', () => {
  it('creates a custom role and answers the RoleResponse', async () => {
    // Act
    const reply = await server.api('POST', `/authz/api/roles${query()}`, {
      body: role('deployer', ['core_pipeline_view', 'core_pipeline_execute'], {
        description: 'Runs pipelines',
        tags: { team: 'payments' },
      }),
    });

    // Assess
    expect(reply.status).toBe(200);
    expect(data(reply)).toMatchObject({
      role: {
        identifier: 'deployer',
        name: 'deployer',
        permissions: ['core_pipeline_view', 'core_pipeline_execute'],
        allowedScopeLevels: ['account'],
        description: 'Runs pipelines',
        tags: { team: 'payments' },
      },
      scope: { accountIdentifier: account },
      harnessManaged: false,
      createdAt: expect.any(Number),
      lastModifiedAt: expect.any(Number),
    });
  });

  it('rejects an invalid role with 400 naming the field', async () => {
    // Act
    const unknownPermission = await server.api('POST', `/authz/api/roles${query()}`, {
      body: role('bad_role', ['core_pipeline_view', 'core_nothing_view']),
    });
    const unknownField = await server.api('POST', `/authz/api/roles${query()}`, {
      body: { ...role('bad_role', []), managed: true },
    });
    const managedPrefix = await server.api('POST', `/authz/api/roles${query()}`, {
      body: role('_mine', []),
    });

    // Assess
    expect(unknownPermission.status).toBe(400);
    expect(fieldIds(unknownPermission)).toEqual(['permissions[1]']);
    expect(unknownField.status).toBe(400);
    expect(fieldIds(unknownField)).toEqual(['managed']);
    expect(fieldIds(managedPrefix)).toEqual(['identifier']);
  });

  it('refuses a duplicate identifier with 409', async () => {
    // Prepare
    await server.api('POST', `/authz/api/roles${query()}`, { body: role('twice', []) });

    // Act
    const reply = await server.api('POST', `/authz/api/roles${query()}`, { body: role('twice', []) });

    // Assess
    expect(reply.status).toBe(409);
    expect(reply.body.message).toContain('A role with identifier twice');
  });

  it('answers 401 without a token and 403 to a caller without core_role_edit / core_role_view', async () => {
    // Act
    const anonymous = await server.api('POST', `/authz/api/roles${query()}`, {
      body: role('x', []),
      token: null,
    });
    const create = await server.api('POST', `/authz/api/roles${query()}`, {
      body: role('x', []),
      token: nobodyToken,
    });
    const list = await server.api('GET', `/authz/api/roles${query()}`, { token: nobodyToken });
    const get = await server.api('GET', `/authz/api/roles/deployer${query()}`, { token: nobodyToken });
    const put = await server.api('PUT', `/authz/api/roles/deployer${query()}`, {
      body: role('deployer', []),
      token: nobodyToken,
    });
    const del = await server.api('DELETE', `/authz/api/roles/deployer${query()}`, { token: nobodyToken });

    // Assess
    expect(anonymous.status).toBe(401);
    expect([create, list, get, put, del].map((reply) => reply.status)).toEqual([403, 403, 403, 403, 403]);
    expect(create.body.code).toBe('NG_ACCESS_DENIED');
  });

  it('lists custom roles of exactly the scope and the managed roles of its level, paged', async () => {
    // Act
    const atAccount = data<{ content: { role: { identifier: string } }[]; totalItems: number }>(
      await server.api('GET', `/authz/api/roles${query('account', '&pageSize=100')}`),
    );
    const atProject = data<{ content: { role: { identifier: string } }[] }>(
      await server.api('GET', `/authz/api/roles${query('project', '&pageSize=100')}`),
    );
    const firstPage = data<{ content: unknown[]; pageSize: number; totalItems: number; totalPages: number }>(
      await server.api('GET', `/authz/api/roles${query('account', '&pageSize=2&pageIndex=0')}`),
    );
    const search = data<{ content: { role: { identifier: string } }[] }>(
      await server.api('GET', `/authz/api/roles${query('account', '&searchTerm=DEPLOY')}`),
    );

    // Assess
    const accountIds = atAccount.content.map((entry) => entry.role.identifier);
    expect(accountIds).toEqual(expect.arrayContaining(['deployer', 'pipeline_ops', '_account_admin']));
    expect(accountIds).not.toContain('_account_basic');
    expect(accountIds).not.toContain('_project_admin');
    const projectIds = atProject.content.map((entry) => entry.role.identifier);
    expect(projectIds).toContain('_project_admin');
    expect(projectIds).not.toContain('deployer');
    expect(firstPage.content).toHaveLength(2);
    expect(firstPage.totalItems).toBe(atAccount.totalItems);
    expect(firstPage.totalPages).toBe(Math.ceil(atAccount.totalItems / 2));
    expect(search.content.map((entry) => entry.role.identifier)).toEqual(['deployer']);
  });

  it('gets a custom role, a managed role (scope null), and 404 for an unknown one', async () => {
    // Act
    const custom = await server.api('GET', `/authz/api/roles/deployer${query()}`);
    const managed = await server.api('GET', `/authz/api/roles/_account_admin${query()}`);
    const missing = await server.api('GET', `/authz/api/roles/nope${query()}`);
    const wrongLevel = await server.api('GET', `/authz/api/roles/_project_admin${query()}`);

    // Assess
    expect(data(custom)).toMatchObject({ role: { identifier: 'deployer' }, harnessManaged: false });
    expect(data(managed)).toMatchObject({
      role: { identifier: '_account_admin' },
      scope: null,
      harnessManaged: true,
    });
    expect(missing.status).toBe(404);
    expect(wrongLevel.status).toBe(404);
  });

  it('updates a custom role and refuses managed, mismatched and missing ones', async () => {
    // Act
    const updated = await server.api('PUT', `/authz/api/roles/deployer${query()}`, {
      body: role('deployer', ['core_pipeline_view'], { name: 'Deployer 2' }),
    });
    const mismatch = await server.api('PUT', `/authz/api/roles/deployer${query()}`, {
      body: role('other', []),
    });
    const managed = await server.api('PUT', `/authz/api/roles/_account_admin${query()}`, {
      body: role('_account_admin', []),
    });
    const missing = await server.api('PUT', `/authz/api/roles/nope${query()}`, { body: role('nope', []) });

    // Assess
    expect(updated.status).toBe(200);
    expect(data(updated)).toMatchObject({
      role: { name: 'Deployer 2', permissions: ['core_pipeline_view'] },
    });
    expect(mismatch.status).toBe(400);
    expect(fieldIds(mismatch)).toEqual(['identifier']);
    expect(managed.status).toBe(400);
    expect(missing.status).toBe(404);
  });

  it('deletes a custom role with its assignments at the scope, and refuses managed and missing ones', async () => {
    // Prepare
    await server.api('POST', `/authz/api/roles${query()}`, { body: role('doomed', ['core_pipeline_view']) });
    const created = await server.api('POST', `/authz/api/roleassignments${query()}`, {
      body: assignment('doomed', '_all_account_level_resources', sa('worker'), {
        identifier: 'doomed_worker',
      }),
    });
    expect(created.status).toBe(200);

    // Act
    const deleted = await server.api('DELETE', `/authz/api/roles/doomed${query()}`);
    const managed = await server.api('DELETE', `/authz/api/roles/_account_admin${query()}`);
    const missing = await server.api('DELETE', `/authz/api/roles/doomed${query()}`);

    // Assess
    expect(deleted.status).toBe(200);
    expect((await server.api('GET', `/authz/api/roleassignments/doomed_worker${query()}`)).status).toBe(404);
    expect(await permitted('worker', { permission: 'core_pipeline_view', resourceType: 'PIPELINE' })).toBe(
      false,
    );
    expect(managed.status).toBe(400);
    expect(missing.status).toBe(404);
    // the uniqueness guard went with the assignment: the same content can be assigned again
    await server.api('POST', `/authz/api/roles${query()}`, { body: role('doomed', ['core_pipeline_view']) });
    const again = await server.api('POST', `/authz/api/roleassignments${query()}`, {
      body: assignment('doomed', '_all_account_level_resources', sa('worker')),
    });
    expect(again.status).toBe(200);
    await server.api('DELETE', `/authz/api/roles/doomed${query()}`);
  });

  it('serializes 20 concurrent updates of one role: each succeeds or is refused cleanly, none is lost', async () => {
    // Prepare
    await server.api('POST', `/authz/api/roles${query()}`, {
      body: role('contended', ['core_pipeline_view']),
    });
    const created = data<{ createdAt: number }>(
      await server.api('GET', `/authz/api/roles/contended${query()}`),
    );
    await server.api('POST', '/local/clock', { body: { advanceSeconds: 5 }, token: null });
    const extras = PERMISSIONS.filter(
      (permission) =>
        permission.identifier.startsWith('core_') &&
        permission.status === 'ACTIVE' &&
        permission.allowedScopeLevels.includes('account'),
    )
      .slice(0, 20)
      .map((permission) => permission.identifier);
    expect(extras).toHaveLength(20);
    const bodies = extras.map((extra, index) =>
      role('contended', ['core_pipeline_view', extra], { name: `Contended ${index}` }),
    );

    // Act
    const replies = await Promise.all(
      bodies.map((body) => server.api('PUT', `/authz/api/roles/contended${query()}`, { body })),
    );

    // Assess
    const statuses = replies.map((reply) => reply.status);
    expect(statuses.every((status) => status === 200 || status === 409)).toBe(true);
    const succeeded = bodies.filter((_body, index) => statuses[index] === 200);
    expect(succeeded.length).toBeGreaterThan(0);
    const final = data<{ role: Body; lastModifiedAt: number }>(
      await server.api('GET', `/authz/api/roles/contended${query()}`),
    );
    expect(succeeded.map((body) => ({ name: body.name, permissions: body.permissions }))).toContainEqual({
      name: final.role.name,
      permissions: final.role.permissions,
    });
    expect(final.lastModifiedAt).toBeGreaterThan(created.createdAt);
    const raw = new DynamoDBClient(localClientConfig(server.endpoint));
    const client = DynamoDBDocumentClient.from(raw);
    const { Item } = await client.send(
      new GetCommand({
        TableName: server.tableName,
        Key: { PK: accountPk(account), SK: roleSk(accountScope(account), 'contended') },
        ConsistentRead: true,
      }),
    );
    raw.destroy();
    expect(Item?.version).toBe(1 + succeeded.length);
  });
});

describe('resource groups: /resourcegroup/api/v2/resourcegroup', () => {
  it('creates a group and answers the ResourceGroupResponse', async () => {
    // Act
    const reply = await server.api('POST', `/resourcegroup/api/v2/resourcegroup${query()}`, {
      body: resourceGroup('everything_below', {
        color: '#0063f7',
        includedScopes: [{ filter: 'INCLUDING_CHILD_SCOPES', accountIdentifier: account }],
      }),
    });

    // Assess
    expect(reply.status).toBe(200);
    expect(data(reply)).toEqual({
      resourceGroup: {
        accountIdentifier: account,
        identifier: 'everything_below',
        name: 'everything_below',
        color: '#0063f7',
        tags: {},
        allowedScopeLevels: ['account'],
        includedScopes: [{ filter: 'INCLUDING_CHILD_SCOPES', accountIdentifier: account }],
        resourceFilter: { includeAllResources: true, resources: [] },
      },
      createdAt: expect.any(Number),
      lastModifiedAt: expect.any(Number),
      harnessManaged: false,
    });
  });

  it('rejects a body whose scope differs from the query, or an invalid filter, with 400 naming the field', async () => {
    // Act
    const wrongScope = await server.api('POST', `/resourcegroup/api/v2/resourcegroup${query()}`, {
      body: resourceGroup('rg_x', {}, { accountIdentifier: account, orgIdentifier: ORG }),
    });
    const wrongFilter = await server.api('POST', `/resourcegroup/api/v2/resourcegroup${query()}`, {
      body: resourceGroup('rg_x', { includedScopes: [{ filter: 'SOMETIMES', accountIdentifier: account }] }),
    });
    const allAndSome = await server.api('POST', `/resourcegroup/api/v2/resourcegroup${query()}`, {
      body: resourceGroup('rg_x', {
        resourceFilter: { includeAllResources: true, resources: [{ resourceType: 'PIPELINE' }] },
      }),
    });

    // Assess
    expect(wrongScope.status).toBe(400);
    expect(fieldIds(wrongScope)).toEqual(['resourceGroup.orgIdentifier']);
    expect(fieldIds(wrongFilter)).toEqual(['resourceGroup.includedScopes[0].filter']);
    expect(fieldIds(allAndSome)).toEqual(['resourceGroup.resourceFilter.resources']);
  });

  it('refuses a duplicate with 409, anonymous callers with 401 and callers without permission with 403', async () => {
    // Act
    const duplicate = await server.api('POST', `/resourcegroup/api/v2/resourcegroup${query()}`, {
      body: resourceGroup('everything_below'),
    });
    const anonymous = await server.api('GET', `/resourcegroup/api/v2/resourcegroup${query()}`, {
      token: null,
    });
    const path = `/resourcegroup/api/v2/resourcegroup`;
    const denied = await Promise.all([
      server.api('POST', `${path}${query()}`, { body: resourceGroup('rg_y'), token: nobodyToken }),
      server.api('GET', `${path}/everything_below${query()}`, { token: nobodyToken }),
      server.api('PUT', `${path}/everything_below${query()}`, {
        body: resourceGroup('everything_below'),
        token: nobodyToken,
      }),
      server.api('DELETE', `${path}/everything_below${query()}`, { token: nobodyToken }),
    ]);
    const list = await server.api('GET', `${path}${query()}`, { token: nobodyToken });

    // Assess
    expect(duplicate.status).toBe(409);
    expect(anonymous.status).toBe(401);
    expect(denied.map((reply) => reply.status)).toEqual([403, 403, 403, 403]);
    expect(data<{ content: unknown[] }>(list).content).toEqual([]);
  });

  it('lists custom and managed groups, gets managed ones at their levels only, 404 otherwise', async () => {
    // Act
    const list = data<{ content: { resourceGroup: { identifier: string }; harnessManaged: boolean }[] }>(
      await server.api('GET', `/resourcegroup/api/v2/resourcegroup${query('account', '&pageSize=100')}`),
    );
    const managed = await server.api(
      'GET',
      `/resourcegroup/api/v2/resourcegroup/_all_resources_including_child_scopes${query()}`,
    );
    const managedAtProject = await server.api(
      'GET',
      `/resourcegroup/api/v2/resourcegroup/_all_resources_including_child_scopes${query('project')}`,
    );
    const missing = await server.api('GET', `/resourcegroup/api/v2/resourcegroup/nope${query()}`);

    // Assess
    const ids = list.content.map((entry) => entry.resourceGroup.identifier);
    expect(ids).toEqual(
      expect.arrayContaining([
        'everything_below',
        '_all_account_level_resources',
        '_all_resources_including_child_scopes',
      ]),
    );
    expect(ids).not.toContain('_all_project_level_resources');
    expect(list.content[0]?.harnessManaged).toBe(true);
    expect(data(managed)).toMatchObject({
      resourceGroup: {
        identifier: '_all_resources_including_child_scopes',
        includedScopes: [{ filter: 'INCLUDING_CHILD_SCOPES', accountIdentifier: account }],
      },
      harnessManaged: true,
      createdAt: null,
    });
    expect(managedAtProject.status).toBe(404);
    expect(missing.status).toBe(404);
  });

  it('updates a custom group and refuses to change managed or missing ones', async () => {
    // Act
    const updated = await server.api(
      'PUT',
      `/resourcegroup/api/v2/resourcegroup/everything_below${query()}`,
      {
        body: resourceGroup('everything_below', {
          name: 'Everything below',
          includedScopes: [{ filter: 'INCLUDING_CHILD_SCOPES', accountIdentifier: account }],
        }),
      },
    );
    const managed = await server.api(
      'PUT',
      `/resourcegroup/api/v2/resourcegroup/_all_account_level_resources${query()}`,
      { body: resourceGroup('_all_account_level_resources') },
    );
    const deleteManaged = await server.api(
      'DELETE',
      `/resourcegroup/api/v2/resourcegroup/_all_account_level_resources${query()}`,
    );
    const missing = await server.api('PUT', `/resourcegroup/api/v2/resourcegroup/nope${query()}`, {
      body: resourceGroup('nope'),
    });

    // Assess
    expect(updated.status).toBe(200);
    expect(data(updated)).toMatchObject({ resourceGroup: { name: 'Everything below' } });
    expect(managed.status).toBe(400);
    expect(deleteManaged.status).toBe(400);
    expect(missing.status).toBe(404);
  });

  it('deletes a custom group together with the assignments using it', async () => {
    // Prepare
    await server.api('POST', `/resourcegroup/api/v2/resourcegroup${query()}`, {
      body: resourceGroup('short_lived'),
    });
    await server.api('POST', `/authz/api/roleassignments${query()}`, {
      body: assignment('deployer', 'short_lived', sa('worker'), { identifier: 'short_lived_worker' }),
    });
    expect(await permitted('worker', { permission: 'core_pipeline_view', resourceType: 'PIPELINE' })).toBe(
      true,
    );

    // Act
    const deleted = await server.api('DELETE', `/resourcegroup/api/v2/resourcegroup/short_lived${query()}`);
    const again = await server.api('DELETE', `/resourcegroup/api/v2/resourcegroup/short_lived${query()}`);

    // Assess
    expect(deleted.status).toBe(200);
    expect(data(deleted)).toBe(true);
    expect(again.status).toBe(404);
    expect((await server.api('GET', `/authz/api/roleassignments/short_lived_worker${query()}`)).status).toBe(
      404,
    );
    expect(await permitted('worker', { permission: 'core_pipeline_view', resourceType: 'PIPELINE' })).toBe(
      false,
    );
  });
});

describe('role assignments: /authz/api/roleassignments', () => {
  const path = '/authz/api/roleassignments';

  it('grants on create, denies on the next check after delete, and after disabling via PUT', async () => {
    // Prepare
    await server.api('POST', `/authz/api/roles${query()}`, {
      body: role('runner', ['core_pipeline_execute']),
    });
    await server.api('POST', `/resourcegroup/api/v2/resourcegroup${query()}`, {
      body: resourceGroup('pipelines_here', {
        resourceFilter: { includeAllResources: false, resources: [{ resourceType: 'PIPELINE' }] },
      }),
    });
    const check = {
      permission: 'core_pipeline_execute',
      resourceType: 'PIPELINE',
      resourceIdentifier: 'build',
    };
    expect(await permitted('worker', check)).toBe(false);

    // Act
    const created = await server.api('POST', `${path}${query()}`, {
      body: assignment('runner', 'pipelines_here', sa('worker'), { identifier: 'worker_runs' }),
    });
    const afterCreate = await permitted('worker', check);
    const deleted = await server.api('DELETE', `${path}/worker_runs${query()}`);
    const afterDelete = await permitted('worker', check);
    await server.api('POST', `${path}${query()}`, {
      body: assignment('runner', 'pipelines_here', sa('worker'), { identifier: 'worker_runs' }),
    });
    const disabled = await server.api('PUT', `${path}/worker_runs${query()}`, {
      body: assignment('runner', 'pipelines_here', sa('worker'), {
        identifier: 'worker_runs',
        disabled: true,
      }),
    });
    const afterDisable = await permitted('worker', check);
    const enabled = await server.api('PUT', `${path}/worker_runs${query()}`, {
      body: assignment('runner', 'pipelines_here', sa('worker'), {
        identifier: 'worker_runs',
        disabled: false,
      }),
    });
    const afterEnable = await permitted('worker', check);

    // Assess
    expect(created.status).toBe(200);
    expect(data(created)).toEqual({
      roleAssignment: {
        identifier: 'worker_runs',
        resourceGroupIdentifier: 'pipelines_here',
        roleIdentifier: 'runner',
        principal: { identifier: 'worker', type: 'SERVICE_ACCOUNT', scopeLevel: 'account' },
        disabled: false,
        managed: false,
      },
      scope: { accountIdentifier: account },
      createdAt: expect.any(Number),
      lastModifiedAt: expect.any(Number),
      harnessManaged: false,
    });
    expect(afterCreate).toBe(true);
    expect(deleted.status).toBe(200);
    expect(afterDelete).toBe(false);
    expect(disabled.status).toBe(200);
    expect(data(disabled)).toMatchObject({ roleAssignment: { disabled: true } });
    expect(afterDisable).toBe(false);
    expect(enabled.status).toBe(200);
    expect(afterEnable).toBe(true);
  });

  it('reaches child scopes only through a group that includes them', async () => {
    // Prepare
    await server.api('POST', `/authz/api/roles${query()}`, { body: role('viewer_sa', ['core_secret_view']) });
    await server.api('POST', `/resourcegroup/api/v2/resourcegroup${query()}`, {
      body: resourceGroup('secrets_here', {
        resourceFilter: { includeAllResources: false, resources: [{ resourceType: 'SECRET' }] },
      }),
    });
    await server.api('POST', `/resourcegroup/api/v2/resourcegroup${query()}`, {
      body: resourceGroup('secrets_below', {
        includedScopes: [{ filter: 'INCLUDING_CHILD_SCOPES', accountIdentifier: account }],
        resourceFilter: { includeAllResources: false, resources: [{ resourceType: 'SECRET' }] },
      }),
    });
    const inProject = {
      permission: 'core_secret_view',
      resourceType: 'SECRET',
      resourceIdentifier: 'db',
      resourceScope: projectResource(),
    };
    const atAccount = { permission: 'core_secret_view', resourceType: 'SECRET', resourceIdentifier: 'db' };

    // Act
    await server.api('POST', `${path}${query()}`, {
      body: assignment('viewer_sa', 'secrets_here', sa('worker'), { identifier: 'worker_secrets' }),
    });
    const withoutChildren = [await permitted('worker', atAccount), await permitted('worker', inProject)];
    await server.api('DELETE', `${path}/worker_secrets${query()}`);
    await server.api('POST', `${path}${query()}`, {
      body: assignment('viewer_sa', 'secrets_below', sa('worker'), { identifier: 'worker_secrets' }),
    });
    const withChildren = [await permitted('worker', atAccount), await permitted('worker', inProject)];
    await server.api('DELETE', `${path}/worker_secrets${query()}`);

    // Assess
    expect(withoutChildren).toEqual([true, false]);
    expect(withChildren).toEqual([true, true]);
  });

  it('honours named identifiers and attribute filters of a project group', async () => {
    // Prepare
    const projectRole = { ...role('proj_ops', ['core_pipeline_execute', 'core_environment_access']) };
    projectRole.allowedScopeLevels = ['project'];
    expect(
      (await server.api('POST', `/authz/api/roles${query('project')}`, { body: projectRole })).status,
    ).toBe(200);
    const group = await server.api('POST', `/resourcegroup/api/v2/resourcegroup${query('project')}`, {
      body: resourceGroup(
        'named_and_prod',
        {
          resourceFilter: {
            includeAllResources: false,
            resources: [
              { resourceType: 'PIPELINE', identifiers: ['deploy_prod'] },
              {
                resourceType: 'ENVIRONMENT',
                attributeFilter: { attributeName: 'type', attributeValues: ['Production'] },
              },
            ],
          },
        },
        projectResource(),
      ),
    });
    expect(group.status).toBe(200);

    // Act
    const created = await server.api('POST', `${path}${query('project')}`, {
      body: assignment('proj_ops', 'named_and_prod', sa('worker')),
    });
    const pipeline = (resourceIdentifier?: string) =>
      permitted('worker', {
        permission: 'core_pipeline_execute',
        resourceType: 'PIPELINE',
        resourceScope: projectResource(),
        ...(resourceIdentifier ? { resourceIdentifier } : {}),
      });
    const environment = (type: string) =>
      permitted('worker', {
        permission: 'core_environment_access',
        resourceType: 'ENVIRONMENT',
        resourceScope: projectResource(),
        resourceIdentifier: `env_${type}`,
        resourceAttributes: { type },
      });

    // Assess
    expect(created.status).toBe(200);
    expect(data(created)).toMatchObject({
      roleAssignment: { identifier: expect.stringMatching(/^role_assignment_[A-Za-z0-9]{20}$/) },
      scope: projectResource(),
    });
    expect([await pipeline('deploy_prod'), await pipeline('deploy_dev'), await pipeline()]).toEqual([
      true,
      false,
      false,
    ]);
    expect([await environment('Production'), await environment('PreProduction')]).toEqual([true, false]);
  });

  it('rejects invalid assignments with 400 naming the field, duplicates with 409', async () => {
    // Act
    const badType = await server.api('POST', `${path}${query()}`, {
      body: assignment('deployer', '_all_account_level_resources', { identifier: 'worker', type: 'ROBOT' }),
    });
    const unknownRole = await server.api('POST', `${path}${query()}`, {
      body: assignment('nope', '_all_account_level_resources', sa('worker')),
    });
    const wrongLevelGroup = await server.api('POST', `${path}${query()}`, {
      body: assignment('deployer', '_all_project_level_resources', sa('worker')),
    });
    const missingPrincipal = await server.api('POST', `${path}${query()}`, {
      body: { roleIdentifier: 'deployer', resourceGroupIdentifier: '_all_account_level_resources' },
    });
    const notMember = await server.api('POST', `${path}${query('project')}`, {
      body: assignment('_project_viewer', '_all_project_level_resources', {
        identifier: 'stranger',
        type: 'USER',
      }),
    });
    const first = await server.api('POST', `${path}${query()}`, {
      body: assignment('deployer', '_all_account_level_resources', sa('worker'), { identifier: 'dup_a' }),
    });
    const sameContent = await server.api('POST', `${path}${query()}`, {
      body: assignment('deployer', '_all_account_level_resources', sa('worker'), { identifier: 'dup_b' }),
    });
    const sameIdentifier = await server.api('POST', `${path}${query()}`, {
      body: assignment('deployer', 'everything_below', sa('worker'), { identifier: 'dup_a' }),
    });

    // Assess
    expect(badType.status).toBe(400);
    expect(fieldIds(badType)).toEqual(['principal.type']);
    expect(fieldIds(unknownRole)).toEqual(['roleIdentifier']);
    expect(fieldIds(wrongLevelGroup)).toEqual(['resourceGroupIdentifier']);
    expect(missingPrincipal.status).toBe(400);
    expect(fieldIds(missingPrincipal)).toEqual(['principal']);
    expect(fieldIds(notMember)).toEqual(['principal.identifier']);
    expect(first.status).toBe(200);
    expect(sameContent.status).toBe(409);
    expect(sameIdentifier.status).toBe(409);
  });

  it('creates many with /multi, skipping duplicates and invalid items', async () => {
    // Act
    const reply = await server.api('POST', `${path}/multi${query()}`, {
      body: {
        roleAssignments: [
          assignment('runner', '_all_account_level_resources', sa('worker'), { identifier: 'multi_1' }),
          assignment('runner', '_all_account_level_resources', sa('worker'), { identifier: 'multi_2' }),
          assignment('deployer', '_all_account_level_resources', sa('worker')),
          assignment('nope', '_all_account_level_resources', sa('worker')),
          { roleIdentifier: 'runner' },
          assignment('runner', 'everything_below', sa('nobody'), { identifier: 'multi_3' }),
        ],
      },
    });

    // Assess
    expect(reply.status).toBe(200);
    expect(
      data<{ roleAssignment: { identifier: string } }[]>(reply).map(
        (entry) => entry.roleAssignment.identifier,
      ),
    ).toEqual(['multi_1', 'multi_3']);
  });

  it('lists and filters the assignments of exactly the scope', async () => {
    // Act
    const all = data<{ content: { roleAssignment: { identifier: string } }[]; totalItems: number }>(
      await server.api('GET', `${path}${query('account', '&pageSize=100')}`),
    );
    const filtered = data<{ content: { roleAssignment: { identifier: string } }[] }>(
      await server.api('POST', `${path}/filter${query()}`, {
        body: {
          roleFilter: ['runner'],
          principalFilter: [{ identifier: 'worker', type: 'SERVICE_ACCOUNT' }],
          disabledFilter: [false],
        },
      }),
    );
    const badFilter = await server.api('POST', `${path}/filter${query()}`, {
      body: { roleFilter: 'runner' },
    });
    const atProject = data<{ content: { roleAssignment: { identifier: string } }[] }>(
      await server.api('GET', `${path}${query('project')}`),
    );

    // Assess
    const ids = all.content.map((entry) => entry.roleAssignment.identifier);
    expect(ids).toEqual(expect.arrayContaining(['admin_account_admin', 'multi_1', 'multi_3', 'worker_runs']));
    expect(all.totalItems).toBe(ids.length);
    expect(filtered.content.map((entry) => entry.roleAssignment.identifier).sort()).toEqual([
      'multi_1',
      'worker_runs',
    ]);
    expect(badFilter.status).toBe(400);
    expect(fieldIds(badFilter)).toEqual(['roleFilter']);
    expect(atProject.content.map((entry) => entry.roleAssignment.identifier)).not.toContain('multi_1');
  });

  it('gets one assignment, 404 when missing, and refuses to change anything but disabled', async () => {
    // Act
    const found = await server.api('GET', `${path}/multi_1${query()}`);
    const missing = await server.api('GET', `${path}/nope${query()}`);
    const changeRole = await server.api('PUT', `${path}/multi_1${query()}`, {
      body: assignment('deployer', '_all_account_level_resources', sa('worker'), { identifier: 'multi_1' }),
    });
    const putMissing = await server.api('PUT', `${path}/nope${query()}`, {
      body: assignment('runner', '_all_account_level_resources', sa('worker'), { identifier: 'nope' }),
    });
    const deleteMissing = await server.api('DELETE', `${path}/nope${query()}`);

    // Assess
    expect(data(found)).toMatchObject({
      roleAssignment: { identifier: 'multi_1', roleIdentifier: 'runner' },
    });
    expect(missing.status).toBe(404);
    expect(changeRole.status).toBe(400);
    expect(fieldIds(changeRole)).toEqual(['roleIdentifier']);
    expect(putMissing.status).toBe(404);
    expect(deleteMissing.status).toBe(404);
  });

  it('answers 401 without a token and 403 to a caller without the principal permissions', async () => {
    // Act
    const anonymous = await server.api('GET', `${path}${query()}`, { token: null });
    const denied = await Promise.all([
      server.api('POST', `${path}${query()}`, {
        body: assignment('runner', '_all_account_level_resources', sa('nobody')),
        token: nobodyToken,
      }),
      server.api('GET', `${path}${query()}`, { token: nobodyToken }),
      server.api('POST', `${path}/filter${query()}`, { body: {}, token: nobodyToken }),
      server.api('GET', `${path}/multi_1${query()}`, { token: nobodyToken }),
      server.api('PUT', `${path}/multi_1${query()}`, {
        body: assignment('runner', '_all_account_level_resources', sa('worker'), {
          identifier: 'multi_1',
          disabled: true,
        }),
        token: nobodyToken,
      }),
      server.api('DELETE', `${path}/multi_1${query()}`, { token: nobodyToken }),
    ]);
    const multi = await server.api('POST', `${path}/multi${query()}`, {
      body: { roleAssignments: [assignment('runner', '_all_account_level_resources', sa('nobody'))] },
      token: nobodyToken,
    });

    // Assess
    expect(anonymous.status).toBe(401);
    expect(denied.map((reply) => reply.status)).toEqual([403, 403, 403, 403, 403, 403]);
    expect(data(multi)).toEqual([]);
  });

  it('lets a principal grant only what it holds: pipeline permissions yes, _account_admin no', async () => {
    // Prepare
    await server.api('POST', `/authz/api/roles${query()}`, {
      body: role('pipeline_runner', ['core_pipeline_view', 'core_pipeline_execute']),
    });

    // Act
    const subset = await server.api('POST', `${path}${query()}`, {
      body: assignment('pipeline_runner', '_all_account_level_resources', sa('worker')),
      token: pipelineToken,
    });
    const admin = await server.api('POST', `${path}${query()}`, {
      body: assignment('_account_admin', '_all_account_level_resources', sa('worker')),
      token: pipelineToken,
    });
    const intoChildScopes = await server.api('POST', `${path}${query()}`, {
      body: assignment('pipeline_runner', '_all_resources_including_child_scopes', sa('worker')),
      token: pipelineToken,
    });

    // Assess
    expect(subset.status).toBe(200);
    expect(admin.status).toBe(403);
    expect(admin.body.code).toBe('NG_ACCESS_DENIED');
    expect(admin.body.message).toMatch(
      /would give SERVICE_ACCOUNT worker \w+ on .*which the caller does not hold/,
    );
    expect(intoChildScopes.status).toBe(403);
    expect(await permitted('worker', { permission: 'core_user_manage', resourceType: 'USER' })).toBe(false);
  });

  it('adds the organization viewer binding when an account group is bound at a project', async () => {
    // Act
    const created = await server.api('POST', `${path}${query('project')}`, {
      body: assignment('_project_viewer', '_all_project_level_resources', {
        identifier: 'platform',
        type: 'USER_GROUP',
        scopeLevel: 'account',
      }),
    });
    const atOrg = data<{ content: { roleAssignment: Body }[] }>(
      await server.api('POST', `${path}/filter${query('org')}`, {
        body: { principalFilter: [{ identifier: 'platform', type: 'USER_GROUP', scopeLevel: 'account' }] },
      }),
    );

    // Assess
    expect(created.status).toBe(200);
    expect(atOrg.content.map((entry) => entry.roleAssignment)).toEqual([
      expect.objectContaining({
        roleIdentifier: '_organization_viewer',
        resourceGroupIdentifier: '_all_organization_level_resources',
        principal: { identifier: 'platform', type: 'USER_GROUP', scopeLevel: 'account' },
      }),
    ]);
  });

  it('assigns a user who is a member of the scope', async () => {
    // Act
    const reply = await server.api('POST', `${path}${query('project')}`, {
      body: assignment('_project_viewer', '_all_project_level_resources', {
        identifier: 'user_in_project',
        type: 'USER',
      }),
    });

    // Assess
    expect(reply.status).toBe(200);
    expect(data(reply)).toMatchObject({
      roleAssignment: { principal: { identifier: 'user_in_project', type: 'USER' } },
    });
  });

  it('protects the last account admin from deletion and from being disabled', async () => {
    // Act
    const deleted = await server.api('DELETE', `${path}/admin_account_admin${query()}`);
    const disabled = await server.api('PUT', `${path}/admin_account_admin${query()}`, {
      body: assignment('_account_admin', '_all_resources_including_child_scopes', sa('admin'), {
        identifier: 'admin_account_admin',
        disabled: true,
      }),
    });

    // Assess
    expect(deleted.status).toBe(409);
    expect(deleted.body.message).toBe(
      'There is no account admin present in this account. Please add an Account Admin assigned to [All Resources Including Child Scopes] Resource Group at the account level before deleting this role assignment.',
    );
    expect(disabled.status).toBe(409);
    expect(await permitted('admin', { permission: 'core_role_edit', resourceType: 'ROLE' })).toBe(true);
  });
});
