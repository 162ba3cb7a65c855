import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { principalRoutes } from '../../functions/api/management/principals/principal-routes.js';
import { ALL_RESOURCES_INCLUDING_CHILD_SCOPES } from '../../functions/core/managed-resource-groups.js';
import type { RoleAssignment } from '../../functions/core/role-assignment.js';
import { accountScope, organizationScope, type Scope } from '../../functions/core/scope.js';
import { formatToken, hashTokenSecret, newTokenId, newTokenSecret } from '../../functions/core/token.js';
import type { ChangeOperation } from '../../functions/store/change-log.js';
import { apiKeyItem, tokenItem } from '../../functions/store/entities/credentials.js';
import {
  roleAssignmentItem,
  roleAssignmentKeyItem,
} from '../../functions/store/entities/role-assignments.js';
import { membershipItem } from '../../functions/store/entities/users.js';
import { roleAssignmentSk, roleAssignmentUniqueSk } from '../../functions/store/keys.js';
import { type SeedableTestServer, startTestServerWithRoutes } from '../support/test-server.js';

type Body = Record<string, unknown>;
type FieldErrors = { fieldId: string; error: string }[];

const META = { createdAt: 1, lastModifiedAt: 1, version: 1 };
const DAY_MS = 24 * 3600 * 1000;

/** The fieldIds of a 400 FAILURE body. */
function fieldIds(body: Body): string[] {
  return ((body.errors as FieldErrors | undefined) ?? []).map((error) => error.fieldId);
}

/** Helpers bound to one server. */
function client(server: SeedableTestServer) {
  const account = server.accountId;
  const q = (extra = '') => `accountIdentifier=${account}${extra}`;

  const seedMember = (userId: string, scope: Scope): ChangeOperation => ({
    kind: 'create',
    item: membershipItem(account, userId, scope, META),
  });

  /** Seeds a personal API key and token for `userId` (no endpoint creates users yet); returns the raw `pat.` token. */
  const seedPersonalToken = async (userId: string): Promise<string> => {
    const secret = newTokenSecret();
    const tokenId = newTokenId();
    await server.seed([
      {
        kind: 'create',
        item: apiKeyItem(
          account,
          {
            identifier: `${userId}_seed_key`,
            name: 'seed',
            apiKeyType: 'USER',
            parentIdentifier: userId,
            scope: accountScope(account),
          },
          META,
        ),
      },
      {
        kind: 'create',
        item: tokenItem(
          account,
          {
            tokenId,
            identifier: `${userId}_seed_token`,
            name: 'seed',
            apiKeyIdentifier: `${userId}_seed_key`,
            apiKeyType: 'USER',
            parentIdentifier: userId,
            scope: accountScope(account),
            secretHash: hashTokenSecret(secret),
            validFrom: server.now() - 1000,
            validTo: server.now() + DAY_MS,
          },
          META,
        ),
      },
    ]);
    return formatToken('pat', account, tokenId, secret);
  };

  const assignment = (
    identifier: string,
    roleIdentifier: string,
    resourceGroupIdentifier: string,
    principal: RoleAssignment['principal'],
    scope: Scope = accountScope(account),
  ): RoleAssignment => ({
    identifier,
    scope,
    roleIdentifier,
    resourceGroupIdentifier,
    principal,
    disabled: false,
    managed: false,
  });

  const seedAssignment = (value: RoleAssignment): ChangeOperation[] => [
    { kind: 'create', item: roleAssignmentItem(account, value, META) },
    { kind: 'create', item: roleAssignmentKeyItem(account, value) },
  ];

  const createServiceAccount = (identifier: string, query = q()) =>
    server.api('POST', `/ng/api/serviceaccount?${query}`, {
      body: { identifier, name: identifier, email: `${identifier}@example.com`, accountIdentifier: account },
    });

  const createKey = (parentIdentifier: string, identifier: string, extra: Body = {}, token?: string | null) =>
    server.api('POST', `/ng/api/apikey?${q()}`, {
      body: {
        identifier,
        name: identifier,
        apiKeyType: 'SERVICE_ACCOUNT',
        parentIdentifier,
        accountIdentifier: account,
        ...extra,
      },
      ...(token === undefined ? {} : { token }),
    });

  const createToken = (
    parentIdentifier: string,
    apiKeyIdentifier: string,
    identifier: string,
    extra: Body = {},
    token?: string | null,
  ) =>
    server.api('POST', `/ng/api/token?${q()}`, {
      body: {
        identifier,
        name: identifier,
        apiKeyIdentifier,
        parentIdentifier,
        apiKeyType: 'SERVICE_ACCOUNT',
        accountIdentifier: account,
        ...extra,
      },
      ...(token === undefined ? {} : { token }),
    });

  /** Creates a service account with one key and one token; returns the raw token. */
  const serviceAccountWithToken = async (identifier: string): Promise<string> => {
    expect((await createServiceAccount(identifier)).status).toBe(200);
    expect((await createKey(identifier, `${identifier}_key`)).status).toBe(200);
    const created = await createToken(identifier, `${identifier}_key`, `${identifier}_token`);
    expect(created.status).toBe(200);
    return created.body.data as string;
  };

  /** One ACL check with `token`: its HTTP status and, when 200, whether the check was permitted. */
  const acl = async (
    token: string,
    permission = 'core_usergroup_view',
    principal?: { principalIdentifier: string; principalType: 'USER' | 'SERVICE_ACCOUNT' },
  ) => {
    const { status, body } = await server.api('POST', `/authz/api/acl?${q()}`, {
      token,
      body: {
        ...(principal ? { principal } : {}),
        permissions: [
          { resourceScope: { accountIdentifier: account }, resourceType: 'USERGROUP', permission },
        ],
      },
    });
    const data = body.data as { accessControlList: { permitted: boolean }[] } | undefined;
    return { status, permitted: data?.accessControlList[0]?.permitted };
  };

  return {
    account,
    q,
    seedMember,
    seedPersonalToken,
    assignment,
    seedAssignment,
    createServiceAccount,
    createKey,
    createToken,
    serviceAccountWithToken,
    acl,
  };
}

describe('principal management: user groups, service accounts, API keys and tokens', () => {
  let server: SeedableTestServer;
  let c: ReturnType<typeof client>;
  let nobodyToken: string;

  beforeAll(async () => {
    server = await startTestServerWithRoutes(principalRoutes);
    c = client(server);
    await server.seed([
      c.seedMember('u1', accountScope(c.account)),
      c.seedMember('u2', organizationScope(c.account, 'default')),
      c.seedMember('u5', accountScope(c.account)),
    ]);
    nobodyToken = await c.serviceAccountWithToken('nobody');
  });
  afterAll(async () => server?.close());

  describe('user groups', () => {
    it('creates a group whose members belong to the scope or a descendant, and reads it back', async () => {
      // Act
      const created = await server.api('POST', `/ng/api/user-groups?${c.q()}`, {
        body: {
          identifier: 'platform',
          name: 'Platform Team',
          users: ['u1', 'u2', 'u1'],
          description: 'the platform team',
          tags: { team: 'core' },
          accountIdentifier: c.account,
          notificationConfigs: [{ type: 'EMAIL', groupEmail: 'team@example.com' }],
        },
      });
      const read = await server.api('GET', `/ng/api/user-groups/platform?${c.q()}`);

      // Assess
      const expected = {
        accountIdentifier: c.account,
        identifier: 'platform',
        name: 'Platform Team',
        users: ['u1', 'u2'],
        description: 'the platform team',
        tags: { team: 'core' },
        harnessManaged: false,
      };
      expect(created).toMatchObject({ status: 200, body: { status: 'SUCCESS', data: expected } });
      expect(read).toMatchObject({ status: 200, body: { data: expected } });
    });

    it('lists the built-in all-users group with its derived members beside the stored groups', async () => {
      // Act
      const { status, body } = await server.api('GET', `/ng/api/user-groups?${c.q('&pageSize=10')}`);

      // Assess
      expect(status).toBe(200);
      const data = body.data as { content: Body[]; totalItems: number; pageSize: number };
      expect(data.pageSize).toBe(10);
      expect(data.content[0]).toMatchObject({
        identifier: '_account_all_users',
        harnessManaged: true,
        users: ['u1', 'u2', 'u5'],
      });
      expect(data.content.map((group) => group.identifier)).toContain('platform');
    });

    it('reads the all-users group of an organization with the organization members only', async () => {
      // Act
      const { status, body } = await server.api(
        'GET',
        `/ng/api/user-groups/_organization_all_users?${c.q('&orgIdentifier=default')}`,
      );

      // Assess
      expect(status).toBe(200);
      expect(body.data).toMatchObject({ orgIdentifier: 'default', users: ['u2'], harnessManaged: true });
    });

    it.each([
      ['a user outside the scope', { users: ['u1', 'stranger'] }, 'users[1]'],
      ['a malformed identifier', { identifier: '1bad' }, 'identifier'],
      ['a reserved identifier', { identifier: 'account' }, 'identifier'],
      ['a malformed name', { name: 'bad*name' }, 'name'],
      ['an unknown field', { color: 'red' }, 'color'],
      ['another scope in the body', { orgIdentifier: 'elsewhere' }, 'orgIdentifier'],
      ['a wrongly typed users list', { users: 'u1' }, 'users'],
      ['a built-in identifier', { identifier: '_account_all_users' }, 'identifier'],
    ])('rejects a group with %s: 400 naming the field', async (_label, override, fieldId) => {
      // Act
      const { status, body } = await server.api('POST', `/ng/api/user-groups?${c.q()}`, {
        body: { identifier: 'rejected', name: 'Rejected', users: [], ...override },
      });

      // Assess
      expect(status).toBe(400);
      expect(body).toMatchObject({ status: 'FAILURE', code: 'INVALID_REQUEST' });
      expect(fieldIds(body)).toContain(fieldId);
    });

    it('refuses an organization group with an account-only member, naming users[0]', async () => {
      // Act
      const { status, body } = await server.api(
        'POST',
        `/ng/api/user-groups?${c.q('&orgIdentifier=default')}`,
        {
          body: { identifier: 'org_team', name: 'Org Team', users: ['u1'] },
        },
      );

      // Assess
      expect(status).toBe(400);
      expect(fieldIds(body)).toEqual(['users[0]']);
    });

    it('refuses a duplicate identifier in the same scope with 409 naming it', async () => {
      // Act
      const { status, body } = await server.api('POST', `/ng/api/user-groups?${c.q()}`, {
        body: { identifier: 'platform', name: 'Again', users: [] },
      });

      // Assess
      expect(status).toBe(409);
      expect(body.message).toContain('platform');
    });

    it('treats the same identifier in another scope as another group', async () => {
      // Act
      const { status, body } = await server.api(
        'POST',
        `/ng/api/user-groups?${c.q('&orgIdentifier=default')}`,
        {
          body: { identifier: 'platform', name: 'Org Platform', users: ['u2'], orgIdentifier: 'default' },
        },
      );

      // Assess
      expect(status).toBe(200);
      expect(body.data).toMatchObject({ orgIdentifier: 'default', identifier: 'platform', users: ['u2'] });
    });

    it('updates name, description and members; the path and body identifiers must agree', async () => {
      // Act
      const updated = await server.api('PUT', `/ng/api/user-groups/platform?${c.q()}`, {
        body: { identifier: 'platform', name: 'Platform', users: ['u1'], description: 'renamed' },
      });
      const mismatch = await server.api('PUT', `/ng/api/user-groups/platform?${c.q()}`, {
        body: { identifier: 'other', name: 'Platform', users: [] },
      });
      const missing = await server.api('PUT', `/ng/api/user-groups/ghost?${c.q()}`, {
        body: { identifier: 'ghost', name: 'Ghost', users: [] },
      });

      // Assess
      expect(updated).toMatchObject({
        status: 200,
        body: { data: { name: 'Platform', users: ['u1'], description: 'renamed', tags: {} } },
      });
      expect(mismatch.status).toBe(400);
      expect(fieldIds(mismatch.body)).toEqual(['identifier']);
      expect(missing.status).toBe(404);
    });

    it('adds and removes members one at a time', async () => {
      // Act
      const added = await server.api('PUT', `/ng/api/user-groups/platform/member/u2?${c.q()}`);
      const again = await server.api('PUT', `/ng/api/user-groups/platform/member/u2?${c.q()}`);
      const outsider = await server.api('PUT', `/ng/api/user-groups/platform/member/stranger?${c.q()}`);
      const removed = await server.api('DELETE', `/ng/api/user-groups/platform/member/u1?${c.q()}`);
      const notMember = await server.api('DELETE', `/ng/api/user-groups/platform/member/u1?${c.q()}`);

      // Assess
      expect(added).toMatchObject({ status: 200, body: { data: { users: ['u1', 'u2'] } } });
      expect(again).toMatchObject({ status: 200, body: { data: { users: ['u1', 'u2'] } } });
      expect(outsider.status).toBe(400);
      expect(fieldIds(outsider.body)).toEqual(['userId']);
      expect(removed).toMatchObject({ status: 200, body: { data: { users: ['u2'] } } });
      expect(notMember.status).toBe(404);
    });

    it.each([
      [
        'PUT',
        '/ng/api/user-groups/_account_all_users',
        { identifier: '_account_all_users', name: 'x', users: [] },
      ],
      ['DELETE', '/ng/api/user-groups/_account_all_users', undefined],
      ['PUT', '/ng/api/user-groups/_account_all_users/member/u1', undefined],
      ['DELETE', '/ng/api/user-groups/_account_all_users/member/u1', undefined],
    ])('refuses %s %s on a built-in group with 400', async (method, path, body) => {
      // Act
      const response = await server.api(method, `${path}?${c.q()}`, body === undefined ? {} : { body });

      // Assess
      expect(response.status).toBe(400);
      expect(fieldIds(response.body)).toEqual(['identifier']);
    });

    it('answers 404 for an unknown group and for a scope that does not exist', async () => {
      // Act
      const unknown = await server.api('GET', `/ng/api/user-groups/ghost?${c.q()}`);
      const wrongLevel = await server.api('GET', `/ng/api/user-groups/_project_all_users?${c.q()}`);
      const noScope = await server.api('GET', `/ng/api/user-groups?${c.q('&orgIdentifier=nowhere')}`);

      // Assess
      expect(unknown).toMatchObject({ status: 404, body: { code: 'RESOURCE_NOT_FOUND' } });
      expect(wrongLevel.status).toBe(404);
      expect(noScope.status).toBe(404);
    });

    it('answers 401 without a valid token and 403 without the permission', async () => {
      // Act
      const anonymous = await server.api('GET', `/ng/api/user-groups?${c.q()}`, { token: null });
      const forged = await server.api('GET', `/ng/api/user-groups?${c.q()}`, {
        token: `sat.${c.account}.nope.nope`,
      });
      const list = await server.api('GET', `/ng/api/user-groups?${c.q()}`, { token: nobodyToken });
      const create = await server.api('POST', `/ng/api/user-groups?${c.q()}`, {
        token: nobodyToken,
        body: { identifier: 'sneaky', name: 'Sneaky', users: [] },
      });
      const member = await server.api('PUT', `/ng/api/user-groups/platform/member/u1?${c.q()}`, {
        token: nobodyToken,
      });

      // Assess
      expect(anonymous.status).toBe(401);
      expect(forged.status).toBe(401);
      for (const response of [list, create, member]) {
        expect(response).toMatchObject({ status: 403, body: { code: 'NG_ACCESS_DENIED' } });
      }
    });

    it('deletes a group with every assignment that names it, in its scope and below', async () => {
      // Prepare: the group "ops" (member u5) is account admin and bound at the default org too
      await server.api('POST', `/ng/api/user-groups?${c.q()}`, {
        body: { identifier: 'ops', name: 'Ops', users: ['u5'] },
      });
      const group = { type: 'USER_GROUP' as const, identifier: 'ops', scopeLevel: 'account' as const };
      await server.seed([
        ...c.seedAssignment(
          c.assignment('ops_admin', '_account_admin', ALL_RESOURCES_INCLUDING_CHILD_SCOPES, group),
        ),
        ...c.seedAssignment(
          c.assignment(
            'ops_org_viewer',
            '_organization_viewer',
            '_all_organization_level_resources',
            group,
            organizationScope(c.account, 'default'),
          ),
        ),
      ]);
      const asU5 = { principalIdentifier: 'u5', principalType: 'USER' as const };
      const before = await c.acl(server.adminToken, 'core_usergroup_manage', asU5);

      // Act
      const deleted = await server.api('DELETE', `/ng/api/user-groups/ops?${c.q()}`);
      const recreated = await server.api('POST', `/ng/api/user-groups?${c.q()}`, {
        body: { identifier: 'ops', name: 'Ops', users: ['u5'] },
      });
      const after = await c.acl(server.adminToken, 'core_usergroup_manage', asU5);
      const gone = await server.api('GET', `/ng/api/user-groups/ops?${c.q('&orgIdentifier=default')}`);

      // Assess
      expect(before.permitted).toBe(true);
      expect(deleted).toMatchObject({ status: 200, body: { data: { identifier: 'ops' } } });
      expect(recreated.status).toBe(200);
      expect(after.permitted).toBe(false);
      expect(gone.status).toBe(404);
    });
  });

  describe('service accounts', () => {
    it('creates, reads, lists and updates a service account', async () => {
      // Act
      const created = await server.api('POST', `/ng/api/serviceaccount?${c.q()}`, {
        body: {
          identifier: 'ci',
          name: 'CI',
          email: 'ci@example.com',
          description: 'builds',
          tags: { kind: 'bot' },
          accountIdentifier: c.account,
        },
      });
      const read = await server.api('GET', `/ng/api/serviceaccount/ci?${c.q()}`);
      const list = await server.api('GET', `/ng/api/serviceaccount?${c.q('&searchTerm=C')}`);
      const updated = await server.api('PUT', `/ng/api/serviceaccount/ci?${c.q()}`, {
        body: { identifier: 'ci', name: 'CI bot', email: 'ci@example.com', accountIdentifier: c.account },
      });

      // Assess
      const expected = {
        identifier: 'ci',
        name: 'CI',
        email: 'ci@example.com',
        description: 'builds',
        tags: { kind: 'bot' },
        accountIdentifier: c.account,
      };
      expect(created).toMatchObject({ status: 200, body: { data: expected } });
      expect(read).toMatchObject({ status: 200, body: { data: expected } });
      expect((list.body.data as Body[]).map((account) => account.identifier)).toContain('ci');
      expect(updated).toMatchObject({ status: 200, body: { data: { name: 'CI bot', description: '' } } });
    });

    it.each([
      ['an invalid email', { email: 'not-an-email' }, 'email'],
      ['a malformed identifier', { identifier: '$x' }, 'identifier'],
      ['another account in the body', { accountIdentifier: 'other' }, 'accountIdentifier'],
      ['an organization the query does not name', { orgIdentifier: 'default' }, 'orgIdentifier'],
      ['an unknown field', { role: 'admin' }, 'role'],
      ['a missing email', { email: undefined }, 'email'],
    ])('rejects a service account with %s: 400 naming the field', async (_label, override, fieldId) => {
      // Act
      const { status, body } = await server.api('POST', `/ng/api/serviceaccount?${c.q()}`, {
        body: {
          identifier: 'sa_bad',
          name: 'bad',
          email: 'bad@example.com',
          accountIdentifier: c.account,
          ...override,
        },
      });

      // Assess
      expect(status).toBe(400);
      expect(fieldIds(body)).toContain(fieldId);
    });

    it('refuses to change the email or the identifier on update', async () => {
      // Act
      const email = await server.api('PUT', `/ng/api/serviceaccount/ci?${c.q()}`, {
        body: { identifier: 'ci', name: 'CI', email: 'other@example.com', accountIdentifier: c.account },
      });
      const identifier = await server.api('PUT', `/ng/api/serviceaccount/ci?${c.q()}`, {
        body: { identifier: 'cd', name: 'CI', email: 'ci@example.com', accountIdentifier: c.account },
      });

      // Assess
      expect(email.status).toBe(400);
      expect(fieldIds(email.body)).toEqual(['email']);
      expect(identifier.status).toBe(400);
      expect(fieldIds(identifier.body)).toEqual(['identifier']);
    });

    it('keeps identifiers unique in the whole account: 409 naming it, even from another scope', async () => {
      // Act
      const same = await c.createServiceAccount('ci');
      const otherScope = await server.api('POST', `/ng/api/serviceaccount?${c.q('&orgIdentifier=default')}`, {
        body: {
          identifier: 'ci',
          name: 'CI',
          email: 'ci@example.com',
          accountIdentifier: c.account,
          orgIdentifier: 'default',
        },
      });

      // Assess
      expect(same.status).toBe(409);
      expect(same.body.message).toContain('ci');
      expect(otherScope.status).toBe(409);
    });

    it('answers 404 for an unknown account and for one read at another scope', async () => {
      // Act
      const unknown = await server.api('GET', `/ng/api/serviceaccount/ghost?${c.q()}`);
      const elsewhere = await server.api('GET', `/ng/api/serviceaccount/ci?${c.q('&orgIdentifier=default')}`);
      const deleteUnknown = await server.api('DELETE', `/ng/api/serviceaccount/ghost?${c.q()}`);

      // Assess
      expect(unknown.status).toBe(404);
      expect(elsewhere.status).toBe(404);
      expect(deleteUnknown.status).toBe(404);
    });

    it('answers 401 without a token and 403 without the permission', async () => {
      // Act
      const anonymous = await server.api('GET', `/ng/api/serviceaccount/ci?${c.q()}`, { token: null });
      const read = await server.api('GET', `/ng/api/serviceaccount/ci?${c.q()}`, { token: nobodyToken });
      const create = await server.api('POST', `/ng/api/serviceaccount?${c.q()}`, {
        token: nobodyToken,
        body: { identifier: 'mine', name: 'mine', email: 'mine@example.com', accountIdentifier: c.account },
      });
      const remove = await server.api('DELETE', `/ng/api/serviceaccount/ci?${c.q()}`, { token: nobodyToken });

      // Assess
      expect(anonymous.status).toBe(401);
      for (const response of [read, create, remove]) expect(response.status).toBe(403);
    });

    it('refuses to delete the service account holding the only account admin assignment', async () => {
      // Act
      const { status, body } = await server.api('DELETE', `/ng/api/serviceaccount/admin?${c.q()}`);

      // Assess
      expect(status).toBe(409);
      expect(body.code).toBe('LAST_ACCOUNT_ADMIN');
    });

    it('deletes a service account with its role assignments, API keys and tokens', async () => {
      // Prepare
      const token = await c.serviceAccountWithToken('temp');
      await server.seed(
        c.seedAssignment(
          c.assignment('temp_viewer', '_account_viewer', '_all_account_level_resources', {
            type: 'SERVICE_ACCOUNT',
            identifier: 'temp',
          }),
        ),
      );
      const before = await c.acl(token);

      // Act
      const deleted = await server.api('DELETE', `/ng/api/serviceaccount/temp?${c.q()}`);
      const afterToken = await c.acl(token);
      const recreated = await c.createServiceAccount('temp');
      const keyAgain = await c.createKey('temp', 'temp_key');
      const asTemp = await c.acl(server.adminToken, 'core_usergroup_view', {
        principalIdentifier: 'temp',
        principalType: 'SERVICE_ACCOUNT',
      });

      // Assess
      expect(before).toEqual({ status: 200, permitted: true });
      expect(deleted).toMatchObject({ status: 200, body: { data: true } });
      expect(afterToken.status).toBe(401);
      expect(recreated.status).toBe(200);
      expect(keyAgain.status).toBe(200);
      expect(asTemp.permitted).toBe(false);
    });
  });

  describe('API keys', () => {
    it('creates a service account key with the default token lifetime', async () => {
      // Act
      const { status, body } = await c.createKey('ci', 'ci_key', { description: 'deploys' });

      // Assess
      expect(status).toBe(200);
      expect(body.data).toEqual({
        identifier: 'ci_key',
        name: 'ci_key',
        description: 'deploys',
        tags: {},
        apiKeyType: 'SERVICE_ACCOUNT',
        parentIdentifier: 'ci',
        defaultTimeToExpireToken: 30 * DAY_MS,
        accountIdentifier: c.account,
      });
    });

    it.each([
      ['an unknown key type', { apiKeyType: 'ROBOT' }, 'apiKeyType'],
      ['no parent', { parentIdentifier: undefined }, 'parentIdentifier'],
      ['a non-positive default lifetime', { defaultTimeToExpireToken: 0 }, 'defaultTimeToExpireToken'],
      ['another account', { accountIdentifier: 'other' }, 'accountIdentifier'],
      ['a malformed identifier', { identifier: 'with space' }, 'identifier'],
    ])('rejects a key with %s: 400 naming the field', async (_label, override, fieldId) => {
      // Act
      const { status, body } = await c.createKey('ci', 'bad_key', override);

      // Assess
      expect(status).toBe(400);
      expect(fieldIds(body)).toContain(fieldId);
    });

    it('answers 404 for a parent that does not exist or lives in another scope', async () => {
      // Act
      const missing = await c.createKey('ghost', 'k');
      const elsewhere = await c.createKey('ci', 'k', { orgIdentifier: 'default' });

      // Assess
      expect(missing.status).toBe(404);
      expect(elsewhere.status).toBe(404);
    });

    it('refuses a duplicate key (409) and a sixth key of one parent (409 MAX_LIMIT_REACHED)', async () => {
      // Prepare: ci has ci_key; four more reach the limit
      for (const identifier of ['k2', 'k3', 'k4', 'k5'])
        expect((await c.createKey('ci', identifier)).status).toBe(200);

      // Act
      const duplicate = await c.createKey('ci', 'ci_key');
      const sixth = await c.createKey('ci', 'k6');

      // Assess
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.message).toContain('ci_key');
      expect(sixth).toMatchObject({ status: 409, body: { code: 'MAX_LIMIT_REACHED' } });
    });

    it('answers 401 without a token and 403 without core_serviceaccount_manageapikey or for another user', async () => {
      // Act
      const anonymous = await c.createKey('ci', 'x', {}, null);
      const denied = await c.createKey('ci', 'x', {}, nobodyToken);
      const personalForOther = await c.createKey('u1', 'x', { apiKeyType: 'USER' });

      // Assess
      expect(anonymous.status).toBe(401);
      expect(denied).toMatchObject({ status: 403, body: { code: 'NG_ACCESS_DENIED' } });
      expect(personalForOther.status).toBe(403);
    });

    it('deletes a key with its tokens: their next request is rejected', async () => {
      // Prepare
      const token = (await c.createToken('ci', 'k5', 'k5_token')).body.data as string;
      const before = await c.acl(token);

      // Act
      const noType = await server.api('DELETE', `/ng/api/apikey/k5?${c.q('&parentIdentifier=ci')}`);
      const deleted = await server.api(
        'DELETE',
        `/ng/api/apikey/k5?${c.q('&apiKeyType=SERVICE_ACCOUNT&parentIdentifier=ci')}`,
      );
      const after = await c.acl(token);
      const again = await server.api(
        'DELETE',
        `/ng/api/apikey/k5?${c.q('&apiKeyType=SERVICE_ACCOUNT&parentIdentifier=ci')}`,
      );

      // Assess
      expect(before.status).toBe(200);
      expect(noType.status).toBe(400);
      expect(fieldIds(noType.body)).toEqual(['apiKeyType']);
      expect(deleted).toMatchObject({ status: 200, body: { data: true } });
      expect(after.status).toBe(401);
      expect(again.status).toBe(404);
    });
  });

  describe('tokens', () => {
    let ciToken: string;

    it('creates a token shown once as sat.<account>.… that authenticates as the service account', async () => {
      // Act
      const { status, body } = await c.createToken('ci', 'ci_key', 'ci_token', { description: 'first' });
      ciToken = body.data as string;
      const check = await c.acl(ciToken);

      // Assess
      expect(status).toBe(200);
      expect(ciToken).toMatch(new RegExp(`^sat\\.${c.account}\\.[\\w-]+\\.[\\w-]+$`));
      expect(check).toEqual({ status: 200, permitted: false });
    });

    it.each([
      ['a validTo in the past', { validTo: 1_000 }, 'validTo'],
      ['a validTo before validFrom', { validFrom: 9_000_000_000_000, validTo: 8_000_000_000_000 }, 'validTo'],
      ['a fractional validFrom', { validFrom: 1.5 }, 'validFrom'],
      ['a stored-only field', { encodedPassword: 'x' }, 'encodedPassword'],
      ['no API key', { apiKeyIdentifier: undefined }, 'apiKeyIdentifier'],
    ])('rejects a token with %s: 400 naming the field', async (_label, override, fieldId) => {
      // Act
      const { status, body } = await c.createToken('ci', 'ci_key', 'bad_token', override);

      // Assess
      expect(status).toBe(400);
      expect(fieldIds(body)).toContain(fieldId);
    });

    it('refuses a duplicate token (409), a sixth live token (409 MAX_LIMIT_REACHED) and an unknown key (404)', async () => {
      // Prepare: ci_key holds ci_token; four more reach the limit
      for (const identifier of ['t2', 't3', 't4', 't5'])
        expect((await c.createToken('ci', 'ci_key', identifier)).status).toBe(200);

      // Act
      const duplicate = await c.createToken('ci', 'ci_key', 'ci_token');
      const sixth = await c.createToken('ci', 'ci_key', 't6');
      const unknownKey = await c.createToken('ci', 'ghost_key', 't1');

      // Assess
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.message).toContain('ci_token');
      expect(sixth).toMatchObject({ status: 409, body: { code: 'MAX_LIMIT_REACHED' } });
      expect(unknownKey.status).toBe(404);
    });

    it('answers 401 without a token and 403 without the permission', async () => {
      // Act
      const anonymous = await c.createToken('ci', 'k2', 'x', {}, null);
      const denied = await c.createToken('ci', 'k2', 'x', {}, nobodyToken);
      const deleteDenied = await server.api(
        'DELETE',
        `/ng/api/token/t2?${c.q('&apiKeyType=SERVICE_ACCOUNT&parentIdentifier=ci&apiKeyIdentifier=ci_key')}`,
        { token: nobodyToken },
      );

      // Assess
      expect(anonymous.status).toBe(401);
      expect(denied.status).toBe(403);
      expect(deleteDenied.status).toBe(403);
    });

    it('deletes a token: it is rejected on the very next request', async () => {
      // Prepare
      const token = (await c.createToken('ci', 'k2', 'doomed')).body.data as string;
      const before = await c.acl(token);
      const path = `/ng/api/token/doomed?${c.q('&apiKeyType=SERVICE_ACCOUNT&parentIdentifier=ci&apiKeyIdentifier=k2')}`;

      // Act
      const deleted = await server.api('DELETE', path);
      const after = await c.acl(token);
      const again = await server.api('DELETE', path);

      // Assess
      expect(before.status).toBe(200);
      expect(deleted).toMatchObject({ status: 200, body: { data: true } });
      expect(after.status).toBe(401);
      expect(again.status).toBe(404);
    });

    it('rotates a token: the new one works, the old one (rotateTimestamp = now) is rejected', async () => {
      // Prepare
      const query = c.q('&apiKeyType=SERVICE_ACCOUNT&parentIdentifier=ci&apiKeyIdentifier=ci_key');

      // Act
      const rotated = await server.api(
        'POST',
        `/ng/api/token/rotate/ci_token?${query}&rotateTimestamp=${server.now()}`,
      );
      const newToken = rotated.body.data as string;
      const withNew = await c.acl(newToken);
      const withOld = await c.acl(ciToken);

      // Assess
      expect(rotated.status).toBe(200);
      expect(newToken).toMatch(/^sat\./);
      expect(newToken).not.toBe(ciToken);
      expect(withNew.status).toBe(200);
      expect(withOld.status).toBe(401);
    });

    it('keeps a token rotated with a future timestamp working until then', async () => {
      // Prepare
      const query = c.q('&apiKeyType=SERVICE_ACCOUNT&parentIdentifier=ci&apiKeyIdentifier=k3');
      const old = (await c.createToken('ci', 'k3', 'slow')).body.data as string;

      // Act
      const rotated = await server.api(
        'POST',
        `/ng/api/token/rotate/slow?${query}&rotateTimestamp=${server.now() + 3_600_000}`,
      );
      const withOld = await c.acl(old);
      const withNew = await c.acl(rotated.body.data as string);

      // Assess
      expect(rotated.status).toBe(200);
      expect(withOld.status).toBe(200);
      expect(withNew.status).toBe(200);
    });

    it('rejects a rotation with a malformed timestamp (400) or of an unknown token (404)', async () => {
      // Prepare
      const query = c.q('&apiKeyType=SERVICE_ACCOUNT&parentIdentifier=ci&apiKeyIdentifier=ci_key');

      // Act
      const malformed = await server.api(
        'POST',
        `/ng/api/token/rotate/ci_token?${query}&rotateTimestamp=soon`,
      );
      const unknown = await server.api('POST', `/ng/api/token/rotate/ghost?${query}`);

      // Assess
      expect(malformed.status).toBe(400);
      expect(fieldIds(malformed.body)).toEqual(['rotateTimestamp']);
      expect(unknown.status).toBe(404);
    });

    it('rejects an expired token once the clock passes its validTo', async () => {
      // Prepare: a key whose tokens live one minute
      expect((await c.createKey('nobody', 'short_key', { defaultTimeToExpireToken: 60_000 })).status).toBe(
        200,
      );
      const token = (await c.createToken('nobody', 'short_key', 'short')).body.data as string;
      const before = await c.acl(token);

      // Act
      const moved = await server.api('POST', '/local/clock', { token: null, body: { advanceSeconds: 120 } });
      const after = await c.acl(token);

      // Assess
      expect(before.status).toBe(200);
      expect(moved.status).toBe(200);
      expect(after).toMatchObject({ status: 401 });
    });
  });
});

describe('principal management: personal keys and the last account admin', () => {
  let server: SeedableTestServer;
  let c: ReturnType<typeof client>;
  let u1Token: string;

  beforeAll(async () => {
    server = await startTestServerWithRoutes(principalRoutes);
    c = client(server);
    await server.seed([
      c.seedMember('u1', accountScope(c.account)),
      c.seedMember('u2', accountScope(c.account)),
    ]);
    u1Token = await c.seedPersonalToken('u1');
  });
  afterAll(async () => server?.close());

  it('lets a user create a personal key and a pat. token that authenticates as that user', async () => {
    // Act
    const key = await c.createKey('u1', 'u1_key', { apiKeyType: 'USER' }, u1Token);
    const token = await c.createToken('u1', 'u1_key', 'u1_token', { apiKeyType: 'USER' }, u1Token);
    const check = await c.acl(token.body.data as string);
    const forOther = await c.createKey('u2', 'u2_key', { apiKeyType: 'USER' }, u1Token);

    // Assess
    expect(key).toMatchObject({
      status: 200,
      body: { data: { apiKeyType: 'USER', parentIdentifier: 'u1' } },
    });
    expect(token.status).toBe(200);
    expect(token.body.data).toMatch(new RegExp(`^pat\\.${c.account}\\.`));
    expect(check.status).toBe(200);
    expect(forOther.status).toBe(403);
  });

  it('refuses to remove the last member of the group holding the only account admin (409)', async () => {
    // Prepare: group "admins" = {u1} is the only account admin once the bootstrap admin's binding goes
    expect(
      (
        await server.api('POST', `/ng/api/user-groups?${c.q()}`, {
          body: { identifier: 'admins', name: 'Admins', users: ['u1'] },
        })
      ).status,
    ).toBe(200);
    const bootstrapAdmin = c.assignment(
      'admin_account_admin',
      '_account_admin',
      ALL_RESOURCES_INCLUDING_CHILD_SCOPES,
      {
        type: 'SERVICE_ACCOUNT',
        identifier: 'admin',
        scopeLevel: 'account',
      },
    );
    await server.seed([
      ...c.seedAssignment(
        c.assignment('admins_admin', '_account_admin', ALL_RESOURCES_INCLUDING_CHILD_SCOPES, {
          type: 'USER_GROUP',
          identifier: 'admins',
          scopeLevel: 'account',
        }),
      ),
      { kind: 'delete', sk: roleAssignmentSk(bootstrapAdmin.scope, bootstrapAdmin.identifier) },
      { kind: 'delete', sk: roleAssignmentUniqueSk(bootstrapAdmin) },
    ]);

    // Act
    const removeLast = await server.api('DELETE', `/ng/api/user-groups/admins/member/u1?${c.q()}`, {
      token: u1Token,
    });
    const emptyIt = await server.api('PUT', `/ng/api/user-groups/admins?${c.q()}`, {
      token: u1Token,
      body: { identifier: 'admins', name: 'Admins', users: [] },
    });
    const deleteIt = await server.api('DELETE', `/ng/api/user-groups/admins?${c.q()}`, { token: u1Token });
    const addU2 = await server.api('PUT', `/ng/api/user-groups/admins/member/u2?${c.q()}`, {
      token: u1Token,
    });
    const removeU1 = await server.api('DELETE', `/ng/api/user-groups/admins/member/u1?${c.q()}`, {
      token: u1Token,
    });

    // Assess
    for (const refused of [removeLast, emptyIt, deleteIt]) {
      expect(refused).toMatchObject({ status: 409, body: { code: 'LAST_ACCOUNT_ADMIN' } });
    }
    expect(addU2.status).toBe(200);
    expect(removeU1).toMatchObject({ status: 200, body: { data: { users: ['u2'] } } });
  });
});
