import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scopeRoutes } from '../../functions/api/management/scopes/scope-routes.js';
import { ALL_ACCOUNT_LEVEL_RESOURCES } from '../../functions/core/managed-resource-groups.js';
import type { RoleAssignment } from '../../functions/core/role-assignment.js';
import { accountScope, organizationScope, projectScope, type Scope } from '../../functions/core/scope.js';
import { formatToken, hashTokenSecret, newTokenId, newTokenSecret } from '../../functions/core/token.js';
import type { ChangeOperation } from '../../functions/store/change-log.js';
import { localClientConfig } from '../../functions/store/dynamodb-local.js';
import { apiKeyItem, tokenItem } from '../../functions/store/entities/credentials.js';
import { customResourceGroupItem } from '../../functions/store/entities/resource-groups.js';
import {
  roleAssignmentItem,
  roleAssignmentKeyItem,
} from '../../functions/store/entities/role-assignments.js';
import { customRoleItem } from '../../functions/store/entities/roles.js';
import { serviceAccountItem } from '../../functions/store/entities/service-accounts.js';
import { userGroupItems } from '../../functions/store/entities/user-groups.js';
import { membershipItem } from '../../functions/store/entities/users.js';
import type { StoredItem } from '../../functions/store/items.js';
import { accountPk } from '../../functions/store/keys.js';
import { type SeedableTestServer, startTestServerWithRoutes } from '../support/test-server.js';

type Json = Record<string, unknown>;

interface OrganizationData {
  organization: {
    accountIdentifier: string;
    identifier: string;
    name: string;
    description: string;
    tags: Json;
  };
  createdAt: number;
  lastModifiedAt: number;
  harnessManaged: boolean;
}

interface ProjectData {
  project: {
    accountIdentifier: string;
    orgIdentifier: string;
    identifier: string;
    name: string;
    description: string;
    tags: Json;
    color?: string;
    modules: string[];
  };
  createdAt: number;
  lastModifiedAt: number;
  harnessManaged: boolean;
  isFavorite: boolean;
}

interface PageData<T> {
  content: T[];
  pageIndex: number;
  pageSize: number;
  totalItems: number;
  totalPages: number;
}

const META = { createdAt: 1, lastModifiedAt: 1, version: 1 };

describe('organization and project endpoints', () => {
  let server: SeedableTestServer;
  let client: DynamoDBDocumentClient;
  let raw: DynamoDBClient;
  let account: string;

  beforeAll(async () => {
    server = await startTestServerWithRoutes(scopeRoutes);
    account = server.accountId;
    raw = new DynamoDBClient(localClientConfig(server.endpoint));
    client = DynamoDBDocumentClient.from(raw);
  });
  afterAll(async () => {
    raw.destroy();
    await server.close();
  });

  // ------------------------------------------------------------------------------------------------
  // Helpers
  // ------------------------------------------------------------------------------------------------

  /** Calls the API with `accountIdentifier` (and the given query) appended. */
  function call(
    method: string,
    path: string,
    options: { query?: Record<string, string>; body?: unknown; token?: string | null } = {},
  ) {
    const query = new URLSearchParams({ accountIdentifier: account, ...options.query });
    return server.api(method, `${path}?${query}`, {
      ...(options.body === undefined ? {} : { body: options.body }),
      ...(options.token === undefined ? {} : { token: options.token }),
    });
  }

  /** Commits operations directly to the server's account (as another writer would), 90 per change. */
  async function commit(operations: ChangeOperation[]): Promise<void> {
    for (let start = 0; start < operations.length; start += 90) {
      await server.seed(operations.slice(start, start + 90));
    }
  }

  const create = (items: StoredItem[]): ChangeOperation[] => items.map((item) => ({ kind: 'create', item }));

  /** The items of an assignment: the assignment and its uniqueness guard. */
  const assignmentItems = (assignment: RoleAssignment): StoredItem[] => [
    roleAssignmentItem(account, assignment, META),
    roleAssignmentKeyItem(account, assignment),
  ];

  /** Creates a personal access token for user `userId` (no assignments) and returns the raw token. */
  async function userToken(userId: string): Promise<string> {
    const tokenId = newTokenId();
    const secret = newTokenSecret();
    const now = server.now();
    await commit(
      create([
        apiKeyItem(
          account,
          {
            identifier: `${userId}_key`,
            name: 'key',
            apiKeyType: 'USER',
            parentIdentifier: userId,
            scope: accountScope(account),
          },
          META,
        ),
        tokenItem(
          account,
          {
            tokenId,
            identifier: `${userId}_token`,
            name: 'token',
            apiKeyIdentifier: `${userId}_key`,
            apiKeyType: 'USER',
            parentIdentifier: userId,
            scope: accountScope(account),
            secretHash: hashTokenSecret(secret),
            validFrom: now - 1000,
            validTo: now + 3600_000,
          },
          META,
        ),
      ]),
    );
    return formatToken('pat', account, tokenId, secret);
  }

  /** Makes `userId` a member of `scope`. */
  async function addMember(userId: string, scope: Scope): Promise<void> {
    await commit(create([membershipItem(account, userId, scope, META)]));
  }

  /** The SKs of every item of the account partition whose scopePath is `path` or below it. */
  async function itemsUnder(path: string): Promise<string[]> {
    const found: string[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: server.tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': accountPk(account) },
          ConsistentRead: true,
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const sk = String(item.SK);
        const scopePath = typeof item.scopePath === 'string' ? item.scopePath : sk.split('#')[1];
        if (scopePath === path || scopePath?.startsWith(`${path}/`)) found.push(sk);
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return found;
  }

  /** Whether the ACL endpoint permits `permission` on `resourceType` in `scope` for user `userId`. */
  async function userMay(userId: string, permission: string, resourceType: string, scope: Json) {
    const { status, body } = await call('POST', '/authz/api/acl', {
      body: {
        principal: { principalIdentifier: userId, principalType: 'USER' },
        permissions: [{ resourceScope: scope, resourceType, permission }],
      },
    });
    expect(status).toBe(200);
    return (body.data as { accessControlList: { permitted: boolean }[] }).accessControlList[0]?.permitted;
  }

  const createOrg = (identifier: string, extra: Json = {}, token?: string | null) =>
    call('POST', '/ng/api/organizations', {
      body: { organization: { identifier, name: `Org ${identifier}`, ...extra } },
      ...(token === undefined ? {} : { token }),
    });

  const createProject = (org: string, identifier: string, extra: Json = {}, token?: string | null) =>
    call('POST', '/ng/api/projects', {
      query: { orgIdentifier: org },
      body: { project: { orgIdentifier: org, identifier, name: `Project ${identifier}`, ...extra } },
      ...(token === undefined ? {} : { token }),
    });

  const fieldIds = (body: Json) =>
    ((body.errors as { fieldId: string }[] | undefined) ?? []).map((e) => e.fieldId);

  // ------------------------------------------------------------------------------------------------
  // Organizations
  // ------------------------------------------------------------------------------------------------

  describe('POST /ng/api/organizations', () => {
    it('creates an organization with its default all-users binding', async () => {
      // Act
      const { status, body } = await createOrg('payments', {
        name: 'Payments',
        description: 'Payment services',
        tags: { team: 'pay' },
      });

      // Assess
      expect(status).toBe(200);
      expect(body.status).toBe('SUCCESS');
      const data = body.data as OrganizationData;
      expect(data.organization).toEqual({
        accountIdentifier: account,
        identifier: 'payments',
        name: 'Payments',
        description: 'Payment services',
        tags: { team: 'pay' },
      });
      expect(data.harnessManaged).toBe(false);
      expect(data.createdAt).toBeTypeOf('number');
      expect(data.lastModifiedAt).toBe(data.createdAt);
      const stored = await itemsUnder(`/ACCOUNT/${account}/ORGANIZATION/payments`);
      expect(stored).toEqual(
        expect.arrayContaining([
          `SCOPE#/ACCOUNT/${account}/ORGANIZATION/payments`,
          `RA#/ACCOUNT/${account}/ORGANIZATION/payments#_default_organization_viewer`,
        ]),
      );
    });

    it('rejects a duplicate identifier with 409 DUPLICATE_FIELD naming it', async () => {
      // Prepare
      await createOrg('dup_org');

      // Act
      const { status, body } = await createOrg('dup_org');

      // Assess
      expect(status).toBe(409);
      expect(body.code).toBe('DUPLICATE_FIELD');
      expect(body.message).toContain('dup_org');
    });

    it('rejects the default organization as a duplicate', async () => {
      // Act
      const { status } = await createOrg('default');

      // Assess
      expect(status).toBe(409);
    });

    it.each([
      ['a missing body', undefined, 'body'],
      ['a missing organization', {}, 'organization'],
      ['an unknown top-level field', { organization: { identifier: 'ok1', name: 'n' }, extra: 1 }, 'extra'],
      [
        'an unknown field',
        { organization: { identifier: 'ok2', name: 'n', color: '#fff' } },
        'organization.color',
      ],
      ['a missing identifier', { organization: { name: 'n' } }, 'organization.identifier'],
      [
        'an identifier starting with a digit',
        { organization: { identifier: '1x', name: 'n' } },
        'organization.identifier',
      ],
      [
        'a reserved identifier',
        { organization: { identifier: 'org', name: 'n' } },
        'organization.identifier',
      ],
      [
        'an identifier of the wrong type',
        { organization: { identifier: 7, name: 'n' } },
        'organization.identifier',
      ],
      ['a blank name', { organization: { identifier: 'ok3', name: ' ' } }, 'organization.name'],
      [
        'a name with bad characters',
        { organization: { identifier: 'ok4', name: 'a!b' } },
        'organization.name',
      ],
      [
        'an oversize name',
        { organization: { identifier: 'ok5', name: 'n'.repeat(129) } },
        'organization.name',
      ],
      [
        'an oversize description',
        { organization: { identifier: 'ok6', name: 'n', description: 'd'.repeat(1025) } },
        'organization.description',
      ],
      [
        'a tag of the wrong type',
        { organization: { identifier: 'ok7', name: 'n', tags: { a: 1 } } },
        'organization.tags.a',
      ],
      [
        'tags as a list',
        { organization: { identifier: 'ok8', name: 'n', tags: ['a'] } },
        'organization.tags',
      ],
    ])('rejects %s with 400 naming the field', async (_case, body, fieldId) => {
      // Act
      const response = await call('POST', '/ng/api/organizations', { body });

      // Assess
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('INVALID_REQUEST');
      expect(fieldIds(response.body)).toContain(fieldId);
    });

    it('answers 401 without a token and 403 to a caller without core_organization_create', async () => {
      // Prepare
      const token = await userToken('no_rights_creator');

      // Act
      const anonymous = await createOrg('anon_org', {}, null);
      const denied = await createOrg('denied_org', {}, token);

      // Assess
      expect(anonymous.status).toBe(401);
      expect(denied.status).toBe(403);
      expect(denied.body.code).toBe('NG_ACCESS_DENIED');
      expect(String(denied.body.message)).toContain('core_organization_create');
      expect((await call('GET', '/ng/api/organizations/denied_org')).status).toBe(404);
    });

    it('binds the creator as organization admin, so create-only rights suffice to manage it', async () => {
      // Prepare: a user whose only right is core_organization_create at the account
      const account_ = accountScope(account);
      await commit(
        create([
          customRoleItem(
            account,
            {
              identifier: 'org_creator',
              name: 'Org creator',
              permissions: ['core_organization_create'],
              allowedScopeLevels: ['account'],
              harnessManaged: false,
              scope: account_,
            },
            META,
          ),
          ...assignmentItems({
            identifier: 'creator_can_create',
            scope: account_,
            roleIdentifier: 'org_creator',
            resourceGroupIdentifier: ALL_ACCOUNT_LEVEL_RESOURCES,
            principal: { type: 'USER', identifier: 'creator_user' },
            disabled: false,
            managed: false,
          }),
        ]),
      );
      const token = await userToken('creator_user');

      // Act
      const created = await createOrg('creators_org', {}, token);
      const own = await call('GET', '/ng/api/organizations/creators_org', { token });
      const renamed = await call('PUT', '/ng/api/organizations/creators_org', {
        token,
        body: { organization: { identifier: 'creators_org', name: 'Mine' } },
      });
      const other = await call('GET', '/ng/api/organizations/default', { token });

      // Assess
      expect(created.status).toBe(200);
      expect(own.status).toBe(200);
      expect(renamed.status).toBe(200);
      expect(other.status).toBe(403);
    });
  });

  describe('GET /ng/api/organizations/{identifier}', () => {
    it('returns the default organization as managed', async () => {
      // Act
      const { status, body } = await call('GET', '/ng/api/organizations/default');

      // Assess
      expect(status).toBe(200);
      const data = body.data as OrganizationData;
      expect(data.organization.identifier).toBe('default');
      expect(data.organization.description).toBe('');
      expect(data.organization.tags).toEqual({});
      expect(data.harnessManaged).toBe(true);
    });

    it.each([
      ['an unknown organization', 'nope', undefined, 404],
      ['a malformed identifier', 'bad%23id', undefined, 400],
      ['no token', 'default', null, 401],
    ])('answers %s with the right status', async (_case, identifier, token, status) => {
      // Act
      const response = await call('GET', `/ng/api/organizations/${identifier}`, { token });

      // Assess
      expect(response.status).toBe(status);
    });

    it('answers 403 to a caller who may not view an existing organization', async () => {
      // Prepare
      const token = await userToken('outsider');

      // Act
      const { status, body } = await call('GET', '/ng/api/organizations/default', { token });

      // Assess
      expect(status).toBe(403);
      expect(String(body.message)).toContain('core_organization_view');
    });

    it("lets a member view the organization through its all-users group's default binding", async () => {
      // Prepare
      await createOrg('members_org');
      await addMember('org_member', organizationScope(account, 'members_org'));
      const token = await userToken('org_member');

      // Act
      const own = await call('GET', '/ng/api/organizations/members_org', { token });
      const other = await call('GET', '/ng/api/organizations/default', { token });

      // Assess
      expect(own.status).toBe(200);
      expect(other.status).toBe(403);
      expect(
        await userMay('org_member', 'core_organization_view', 'ORGANIZATION', {
          accountIdentifier: account,
          orgIdentifier: 'members_org',
        }),
      ).toBe(true);
    });
  });

  describe('GET /ng/api/organizations', () => {
    beforeAll(async () => {
      await createOrg('list_alpha', { name: 'Alpha Team' });
      await createOrg('list_beta', { name: 'Beta Team' });
    });

    it('pages the organizations the caller may view', async () => {
      // Act
      const { status, body } = await call('GET', '/ng/api/organizations', {
        query: { searchTerm: 'TEAM', pageSize: '1', pageIndex: '1' },
      });

      // Assess
      expect(status).toBe(200);
      const page = body.data as PageData<OrganizationData>;
      expect(page).toMatchObject({ pageIndex: 1, pageSize: 1, totalItems: 2, totalPages: 2 });
      expect(page.content.map((entry) => entry.organization.identifier)).toEqual(['list_beta']);
    });

    it('matches searchTerm against identifiers too, case-insensitively', async () => {
      // Act
      const { body } = await call('GET', '/ng/api/organizations', { query: { searchTerm: 'LIST_A' } });

      // Assess
      const page = body.data as PageData<OrganizationData>;
      expect(page.content.map((entry) => entry.organization.identifier)).toEqual(['list_alpha']);
    });

    it('lists only what a restricted caller may view', async () => {
      // Prepare
      await addMember('list_member', organizationScope(account, 'list_beta'));
      const token = await userToken('list_member');

      // Act
      const { status, body } = await call('GET', '/ng/api/organizations', { token });

      // Assess
      expect(status).toBe(200);
      const page = body.data as PageData<OrganizationData>;
      expect(page.content.map((entry) => entry.organization.identifier)).toEqual(['list_beta']);
    });

    it.each([
      ['pageSize', { pageSize: '101' }],
      ['pageIndex', { pageIndex: '-1' }],
    ])('rejects a bad %s with 400', async (fieldId, query) => {
      // Act
      const { status, body } = await call('GET', '/ng/api/organizations', { query });

      // Assess
      expect(status).toBe(400);
      expect(fieldIds(body)).toContain(fieldId);
    });

    it('answers 401 without a token', async () => {
      expect((await call('GET', '/ng/api/organizations', { token: null })).status).toBe(401);
    });
  });

  describe('PUT /ng/api/organizations/{identifier}', () => {
    beforeAll(async () => {
      await createOrg('editable', { description: 'old', tags: { a: 'b' } });
    });

    it('replaces name, description and tags', async () => {
      // Act
      const { status, body } = await call('PUT', '/ng/api/organizations/editable', {
        body: { organization: { identifier: 'editable', name: 'Edited', tags: { c: 'd' } } },
      });

      // Assess
      expect(status).toBe(200);
      const data = body.data as OrganizationData;
      expect(data.organization).toMatchObject({ name: 'Edited', description: '', tags: { c: 'd' } });
      expect(data.lastModifiedAt).toBeGreaterThanOrEqual(data.createdAt);
      const read = await call('GET', '/ng/api/organizations/editable');
      expect((read.body.data as OrganizationData).organization.name).toBe('Edited');
    });

    it('applies successive updates (the version moves on)', async () => {
      // Act
      const first = await call('PUT', '/ng/api/organizations/editable', {
        body: { organization: { identifier: 'editable', name: 'One' } },
      });
      const second = await call('PUT', '/ng/api/organizations/editable', {
        body: { organization: { identifier: 'editable', name: 'Two' } },
      });

      // Assess
      expect([first.status, second.status]).toEqual([200, 200]);
      const read = await call('GET', '/ng/api/organizations/editable');
      expect((read.body.data as OrganizationData).organization.name).toBe('Two');
    });

    it('rejects a body identifier that differs from the path with 400', async () => {
      // Act
      const { status, body } = await call('PUT', '/ng/api/organizations/editable', {
        body: { organization: { identifier: 'other', name: 'x' } },
      });

      // Assess
      expect(status).toBe(400);
      expect(fieldIds(body)).toEqual(['organization.identifier']);
    });

    it('rejects an unknown field with 400', async () => {
      // Act
      const { status, body } = await call('PUT', '/ng/api/organizations/editable', {
        body: { organization: { identifier: 'editable', name: 'x', version: 3 } },
      });

      // Assess
      expect(status).toBe(400);
      expect(fieldIds(body)).toEqual(['organization.version']);
    });

    it('answers 404 for an unknown organization and 403 without core_organization_edit', async () => {
      // Prepare
      await addMember('viewer_only', organizationScope(account, 'editable'));
      const token = await userToken('viewer_only');
      const body = { organization: { identifier: 'editable', name: 'Hijacked' } };

      // Act
      const missing = await call('PUT', '/ng/api/organizations/ghost', {
        body: { organization: { identifier: 'ghost', name: 'x' } },
      });
      const denied = await call('PUT', '/ng/api/organizations/editable', { body, token });

      // Assess
      expect(missing.status).toBe(404);
      expect(denied.status).toBe(403);
      expect(String(denied.body.message)).toContain('core_organization_edit');
    });
  });

  describe('DELETE /ng/api/organizations/{identifier}', () => {
    it('deletes an organization and answers true', async () => {
      // Prepare
      await createOrg('short_lived');

      // Act
      const { status, body } = await call('DELETE', '/ng/api/organizations/short_lived');

      // Assess
      expect(status).toBe(200);
      expect(body.data).toBe(true);
      expect((await call('GET', '/ng/api/organizations/short_lived')).status).toBe(404);
      expect(await itemsUnder(`/ACCOUNT/${account}/ORGANIZATION/short_lived`)).toEqual([]);
    });

    it('refuses to delete the default organization', async () => {
      // Act
      const { status, body } = await call('DELETE', '/ng/api/organizations/default');

      // Assess
      expect(status).toBe(400);
      expect(String(body.message)).toContain('default organization');
      expect((await call('GET', '/ng/api/organizations/default')).status).toBe(200);
    });

    it('answers 404 for an unknown organization, 401 without a token and 403 without core_organization_delete', async () => {
      // Prepare
      await createOrg('protected_org');
      await addMember('deleter', organizationScope(account, 'protected_org'));
      const token = await userToken('deleter');

      // Act
      const missing = await call('DELETE', '/ng/api/organizations/ghost');
      const anonymous = await call('DELETE', '/ng/api/organizations/protected_org', { token: null });
      const denied = await call('DELETE', '/ng/api/organizations/protected_org', { token });

      // Assess
      expect(missing.status).toBe(404);
      expect(anonymous.status).toBe(401);
      expect(denied.status).toBe(403);
      expect((await call('GET', '/ng/api/organizations/protected_org')).status).toBe(200);
    });

    it('cascades to everything in the organization and its projects, over several transactions, even for its own admin', async () => {
      // Prepare: projects, groups, roles, resource groups, assignments, members, a service account with a token
      await createOrg('doomed');
      await createProject('doomed', 'p_one');
      await createProject('doomed', 'p_two');
      const org = organizationScope(account, 'doomed');
      const p1 = projectScope(account, 'doomed', 'p_one');
      const tokenId = newTokenId();
      const secret = newTokenSecret();
      const now = server.now();
      const groups = Array.from({ length: 120 }, (_, index) =>
        userGroupItems(
          account,
          { identifier: `g${index}`, scope: p1, name: `g${index}`, users: ['u1'] },
          META,
          `inc${index}`,
        ),
      ).flat();
      await commit(
        create([
          ...groups,
          ...userGroupItems(
            account,
            { identifier: 'org_group', scope: org, name: 'og', users: ['u1'] },
            META,
            'org_group1',
          ),
          customRoleItem(
            account,
            {
              identifier: 'org_role',
              name: 'r',
              permissions: ['core_pipeline_view'],
              allowedScopeLevels: ['organization', 'project'],
              harnessManaged: false,
              scope: org,
            },
            META,
          ),
          customResourceGroupItem(
            account,
            {
              identifier: 'org_rg',
              name: 'rg',
              allowedScopeLevels: ['organization'],
              includedScopes: [{ filter: 'INCLUDING_CHILD_SCOPES' }],
              resourceFilter: { includeAllResources: true, resources: [] },
              harnessManaged: false,
              scope: org,
            },
            META,
          ),
          ...assignmentItems({
            identifier: 'org_group_binding',
            scope: p1,
            roleIdentifier: '_project_viewer',
            resourceGroupIdentifier: '_all_project_level_resources',
            principal: { type: 'USER_GROUP', identifier: 'org_group', scopeLevel: 'organization' },
            disabled: false,
            managed: false,
          }),
          membershipItem(account, 'u1', p1, META),
          serviceAccountItem(
            account,
            { identifier: 'doomed_bot', scope: org, name: 'bot', email: 'b@x.io' },
            META,
          ),
          apiKeyItem(
            account,
            {
              identifier: 'bot_key',
              name: 'k',
              apiKeyType: 'SERVICE_ACCOUNT',
              parentIdentifier: 'doomed_bot',
              scope: org,
            },
            META,
          ),
          tokenItem(
            account,
            {
              tokenId,
              identifier: 'bot_token',
              name: 't',
              apiKeyIdentifier: 'bot_key',
              apiKeyType: 'SERVICE_ACCOUNT',
              parentIdentifier: 'doomed_bot',
              scope: org,
              secretHash: hashTokenSecret(secret),
              validFrom: now - 1000,
              validTo: now + 3600_000,
            },
            META,
          ),
          ...assignmentItems({
            identifier: 'bot_admin',
            scope: org,
            roleIdentifier: '_organization_admin',
            resourceGroupIdentifier: '_all_resources_including_child_scopes',
            principal: { type: 'SERVICE_ACCOUNT', identifier: 'doomed_bot', scopeLevel: 'organization' },
            disabled: false,
            managed: false,
          }),
        ]),
      );
      const botToken = formatToken('sat', account, tokenId, secret);
      const botCanRead = await call('GET', '/ng/api/projects/p_one', {
        query: { orgIdentifier: 'doomed' },
        token: botToken,
      });
      expect(botCanRead.status).toBe(200);
      expect(
        await userMay('u1', 'core_pipeline_view', 'PIPELINE', {
          accountIdentifier: account,
          orgIdentifier: 'doomed',
          projectIdentifier: 'p_one',
        }),
      ).toBe(true);

      // Act
      // (by the organization's own admin, whose binding and token the first transactions delete)
      const { status, body } = await call('DELETE', '/ng/api/organizations/doomed', { token: botToken });

      // Assess
      expect(status).toBe(200);
      expect(body.data).toBe(true);
      expect(await itemsUnder(`/ACCOUNT/${account}/ORGANIZATION/doomed`)).toEqual([]);
      expect((await call('GET', '/ng/api/organizations/doomed')).status).toBe(404);
      expect((await call('GET', '/ng/api/organizations', { token: botToken })).status).toBe(401);
      expect(
        await userMay('u1', 'core_pipeline_view', 'PIPELINE', {
          accountIdentifier: account,
          orgIdentifier: 'doomed',
          projectIdentifier: 'p_one',
        }),
      ).toBe(false);
      // Re-creating the same identifiers starts from scratch (no leftover uniqueness guards).
      expect((await createOrg('doomed')).status).toBe(200);
      expect((await createProject('doomed', 'p_one')).status).toBe(200);
    });
  });

  // ------------------------------------------------------------------------------------------------
  // Projects
  // ------------------------------------------------------------------------------------------------

  describe('POST /ng/api/projects', () => {
    beforeAll(async () => {
      await createOrg('proj_org');
      await createOrg('proj_org2');
    });

    it('creates a project with its default all-users binding', async () => {
      // Act
      const { status, body } = await createProject('proj_org', 'web', {
        name: 'Web',
        description: 'Front end',
        tags: { tier: 'fe' },
      });

      // Assess
      expect(status).toBe(200);
      const data = body.data as ProjectData;
      expect(data.project).toEqual({
        accountIdentifier: account,
        orgIdentifier: 'proj_org',
        identifier: 'web',
        name: 'Web',
        description: 'Front end',
        tags: { tier: 'fe' },
        modules: [],
      });
      expect(data.harnessManaged).toBe(false);
      expect(data.isFavorite).toBe(false);
      expect(data.createdAt).toBeTypeOf('number');
      expect(await itemsUnder(`/ACCOUNT/${account}/ORGANIZATION/proj_org/PROJECT/web`)).toEqual(
        expect.arrayContaining([
          `RA#/ACCOUNT/${account}/ORGANIZATION/proj_org/PROJECT/web#_default_project_viewer`,
        ]),
      );
    });

    it('rejects a duplicate with 409 but allows the same identifier in another organization', async () => {
      // Prepare
      await createProject('proj_org', 'twin');

      // Act
      const duplicate = await createProject('proj_org', 'twin');
      const elsewhere = await createProject('proj_org2', 'twin');

      // Assess
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.code).toBe('DUPLICATE_FIELD');
      expect(duplicate.body.message).toContain('twin');
      expect(elsewhere.status).toBe(200);
    });

    it('requires orgIdentifier as a query parameter', async () => {
      // Act
      const { status, body } = await call('POST', '/ng/api/projects', {
        body: { project: { orgIdentifier: 'proj_org', identifier: 'x1', name: 'x' } },
      });

      // Assess
      expect(status).toBe(400);
      expect(fieldIds(body)).toEqual(['orgIdentifier']);
    });

    it('rejects a body orgIdentifier that differs from the query with 400', async () => {
      // Act
      const { status, body } = await call('POST', '/ng/api/projects', {
        query: { orgIdentifier: 'proj_org' },
        body: { project: { orgIdentifier: 'proj_org2', identifier: 'x2', name: 'x' } },
      });

      // Assess
      expect(status).toBe(400);
      expect(fieldIds(body)).toEqual(['project.orgIdentifier']);
    });

    it.each([
      ['an unknown field', { favourite: true }, 'project.favourite'],
      ['an unknown module', { modules: ['NOPE'] }, 'project.modules[0]'],
      ['a bad identifier', { identifier: 'a-b' }, 'project.identifier'],
      ['a bad name', { name: 'x*y' }, 'project.name'],
      ['a missing orgIdentifier', { orgIdentifier: undefined }, 'project.orgIdentifier'],
    ])('rejects %s with 400 naming the field', async (_case, override, fieldId) => {
      // Act
      const { status, body } = await call('POST', '/ng/api/projects', {
        query: { orgIdentifier: 'proj_org' },
        body: { project: { orgIdentifier: 'proj_org', identifier: 'x3', name: 'x', ...override } },
      });

      // Assess
      expect(status).toBe(400);
      expect(fieldIds(body)).toContain(fieldId);
    });

    it('answers 404 when the organization does not exist', async () => {
      // Act
      const { status, body } = await createProject('no_such_org', 'x4');

      // Assess
      expect(status).toBe(404);
      expect(body.message).toContain('no_such_org');
    });

    it('answers 401 without a token and 403 without core_project_create', async () => {
      // Prepare: an organization member may view the organization but not create projects in it
      await addMember('proj_member', organizationScope(account, 'proj_org'));
      const token = await userToken('proj_member');

      // Act
      const anonymous = await createProject('proj_org', 'x5', {}, null);
      const denied = await createProject('proj_org', 'x6', {}, token);

      // Assess
      expect(anonymous.status).toBe(401);
      expect(denied.status).toBe(403);
      expect(String(denied.body.message)).toContain('core_project_create');
    });
  });

  describe('GET /ng/api/projects and /ng/api/projects/{identifier}', () => {
    beforeAll(async () => {
      await createOrg('read_org');
      await createOrg('read_org2');
      await createProject('read_org', 'api', { name: 'Readable Api' });
      await createProject('read_org', 'batch', { name: 'Readable Batch' });
      await createProject('read_org2', 'ui', { name: 'Readable Ui' });
    });

    it('reads one project', async () => {
      // Act
      const { status, body } = await call('GET', '/ng/api/projects/api', {
        query: { orgIdentifier: 'read_org' },
      });

      // Assess
      expect(status).toBe(200);
      expect((body.data as ProjectData).project).toMatchObject({
        orgIdentifier: 'read_org',
        identifier: 'api',
        name: 'Readable Api',
        description: '',
        tags: {},
      });
    });

    it.each([
      ['an unknown project', { orgIdentifier: 'read_org' }, 'nope', 404],
      ['a project of another organization', { orgIdentifier: 'read_org2' }, 'api', 404],
      ['a missing orgIdentifier', {}, 'api', 400],
    ])('answers %s with the right status', async (_case, query, identifier, status) => {
      // Act
      const response = await call('GET', `/ng/api/projects/${identifier}`, { query });

      // Assess
      expect(response.status).toBe(status);
    });

    it('lists the projects of one organization, or of the whole account', async () => {
      // Act
      const ofOrg = await call('GET', '/ng/api/projects', { query: { orgIdentifier: 'read_org' } });
      const all = await call('GET', '/ng/api/projects', { query: { searchTerm: 'READABLE' } });

      // Assess
      expect(ofOrg.status).toBe(200);
      const orgPage = ofOrg.body.data as PageData<ProjectData>;
      expect(orgPage.content.map((entry) => entry.project.identifier)).toEqual(['api', 'batch']);
      const allPage = all.body.data as PageData<ProjectData>;
      expect(
        allPage.content.map((entry) => `${entry.project.orgIdentifier}/${entry.project.identifier}`),
      ).toEqual(['read_org/api', 'read_org/batch', 'read_org2/ui']);
    });

    it('answers 404 when listing the projects of an unknown organization', async () => {
      expect((await call('GET', '/ng/api/projects', { query: { orgIdentifier: 'ghost' } })).status).toBe(404);
    });

    it('shows a project member its project only, and denies the others with 403', async () => {
      // Prepare
      await addMember('project_member', projectScope(account, 'read_org', 'batch'));
      const token = await userToken('project_member');

      // Act
      const list = await call('GET', '/ng/api/projects', { token });
      const own = await call('GET', '/ng/api/projects/batch', {
        query: { orgIdentifier: 'read_org' },
        token,
      });
      const other = await call('GET', '/ng/api/projects/api', {
        query: { orgIdentifier: 'read_org' },
        token,
      });

      // Assess
      expect(list.status).toBe(200);
      const page = list.body.data as PageData<ProjectData>;
      expect(page.content.map((entry) => entry.project.identifier)).toEqual(['batch']);
      expect(own.status).toBe(200);
      expect(other.status).toBe(403);
      expect(String(other.body.message)).toContain('core_project_view');
    });

    it('answers 401 without a token', async () => {
      expect((await call('GET', '/ng/api/projects', { token: null })).status).toBe(401);
    });
  });

  describe('PUT /ng/api/projects/{identifier}', () => {
    beforeAll(async () => {
      await createOrg('put_org');
      await createProject('put_org', 'svc', { description: 'before' });
    });

    it('replaces name, description and tags', async () => {
      // Act
      const { status, body } = await call('PUT', '/ng/api/projects/svc', {
        query: { orgIdentifier: 'put_org' },
        body: { project: { orgIdentifier: 'put_org', identifier: 'svc', name: 'Service', tags: { k: 'v' } } },
      });

      // Assess
      expect(status).toBe(200);
      expect((body.data as ProjectData).project).toMatchObject({
        name: 'Service',
        description: '',
        tags: { k: 'v' },
      });
    });

    it.each([
      ['a different identifier', { identifier: 'other' }, 'project.identifier'],
      ['a different orgIdentifier', { orgIdentifier: 'default' }, 'project.orgIdentifier'],
      ['an unknown field', { isFavorite: true }, 'project.isFavorite'],
    ])('rejects %s with 400 naming the field', async (_case, override, fieldId) => {
      // Act
      const { status, body } = await call('PUT', '/ng/api/projects/svc', {
        query: { orgIdentifier: 'put_org' },
        body: { project: { orgIdentifier: 'put_org', identifier: 'svc', name: 'x', ...override } },
      });

      // Assess
      expect(status).toBe(400);
      expect(fieldIds(body)).toContain(fieldId);
    });

    it('answers 404 for an unknown project and 403 without core_project_edit', async () => {
      // Prepare
      await addMember('svc_member', projectScope(account, 'put_org', 'svc'));
      const token = await userToken('svc_member');

      // Act
      const missing = await call('PUT', '/ng/api/projects/ghost', {
        query: { orgIdentifier: 'put_org' },
        body: { project: { orgIdentifier: 'put_org', identifier: 'ghost', name: 'x' } },
      });
      const denied = await call('PUT', '/ng/api/projects/svc', {
        query: { orgIdentifier: 'put_org' },
        body: { project: { orgIdentifier: 'put_org', identifier: 'svc', name: 'x' } },
        token,
      });

      // Assess
      expect(missing.status).toBe(404);
      expect(denied.status).toBe(403);
      expect(String(denied.body.message)).toContain('core_project_edit');
    });
  });

  describe('DELETE /ng/api/projects/{identifier}', () => {
    beforeAll(async () => {
      await createOrg('del_org');
    });

    it('deletes a project with what was assigned in it, so the ACL denies afterwards', async () => {
      // Prepare: a project admin binding for a user, made in the project
      await createProject('del_org', 'temp');
      const project = projectScope(account, 'del_org', 'temp');
      await commit(
        create(
          assignmentItems({
            identifier: 'temp_admin',
            scope: project,
            roleIdentifier: '_project_admin',
            resourceGroupIdentifier: '_all_project_level_resources',
            principal: { type: 'USER', identifier: 'temp_user' },
            disabled: false,
            managed: false,
          }),
        ),
      );
      const resourceScope = {
        accountIdentifier: account,
        orgIdentifier: 'del_org',
        projectIdentifier: 'temp',
      };
      expect(await userMay('temp_user', 'core_pipeline_edit', 'PIPELINE', resourceScope)).toBe(true);

      // Act
      const { status, body } = await call('DELETE', '/ng/api/projects/temp', {
        query: { orgIdentifier: 'del_org' },
      });

      // Assess
      expect(status).toBe(200);
      expect(body.data).toBe(true);
      expect(await itemsUnder(`/ACCOUNT/${account}/ORGANIZATION/del_org/PROJECT/temp`)).toEqual([]);
      expect(await userMay('temp_user', 'core_pipeline_edit', 'PIPELINE', resourceScope)).toBe(false);
      expect(
        (await call('GET', '/ng/api/projects/temp', { query: { orgIdentifier: 'del_org' } })).status,
      ).toBe(404);
      expect((await call('GET', '/ng/api/organizations/del_org')).status).toBe(200);
      expect((await createProject('del_org', 'temp')).status).toBe(200);
    });

    it('leaves sibling projects alone', async () => {
      // Prepare
      await createProject('del_org', 'keep');
      await createProject('del_org', 'keep2');

      // Act
      await call('DELETE', '/ng/api/projects/keep2', { query: { orgIdentifier: 'del_org' } });

      // Assess
      expect(
        (await call('GET', '/ng/api/projects/keep', { query: { orgIdentifier: 'del_org' } })).status,
      ).toBe(200);
      expect(await itemsUnder(`/ACCOUNT/${account}/ORGANIZATION/del_org/PROJECT/keep`)).not.toEqual([]);
    });

    it('answers 400 without orgIdentifier, 404 for an unknown project, 401 without a token and 403 without core_project_delete', async () => {
      // Prepare
      await createProject('del_org', 'guarded');
      await addMember('guard_member', projectScope(account, 'del_org', 'guarded'));
      const token = await userToken('guard_member');
      const query = { orgIdentifier: 'del_org' };

      // Act
      const noOrg = await call('DELETE', '/ng/api/projects/guarded');
      const missing = await call('DELETE', '/ng/api/projects/ghost', { query });
      const anonymous = await call('DELETE', '/ng/api/projects/guarded', { query, token: null });
      const denied = await call('DELETE', '/ng/api/projects/guarded', { query, token });

      // Assess
      expect(noOrg.status).toBe(400);
      expect(fieldIds(noOrg.body)).toEqual(['orgIdentifier']);
      expect(missing.status).toBe(404);
      expect(anonymous.status).toBe(401);
      expect(denied.status).toBe(403);
      expect(String(denied.body.message)).toContain('core_project_delete');
      expect((await call('GET', '/ng/api/projects/guarded', { query })).status).toBe(200);
    });
  });
});
