import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';

type Body = Record<string, unknown>;

const PERMISSIONS = '/authz/api/access-review/permissions';
const PRINCIPALS = '/authz/api/access-review/principals';

describe('access review and personal access tokens over HTTP', () => {
  let server: TestServer;
  let q: string;
  let userId: string;
  let userToken: string;

  beforeAll(async () => {
    // Prepare: the admin invites ann, ann accepts and receives her first personal token.
    server = await startTestServer();
    q = `accountIdentifier=${server.accountId}`;
    const invited = await server.api('POST', `/ng/api/user/users?${q}`, {
      body: { emails: ['ann@example.com'] },
    });
    expect(invited.status).toBe(200);
    const mail = await server.api('GET', '/local/mail', { token: null });
    const [message] = mail.body as unknown as { token: string }[];
    const accepted = await server.api('POST', '/ng/api/invites/accept', {
      token: null,
      body: { token: message?.token, name: 'Ann' },
    });
    expect(accepted.status).toBe(200);
    ({ userId, token: userToken } = accepted.body.data as { userId: string; token: string });
  });

  afterAll(async () => {
    await server.close();
  });

  it("shows the admin's own permissions at the account with the granting assignment", async () => {
    // Act
    const reply = await server.api('POST', `${PERMISSIONS}?${q}`, {
      body: { scope: { accountIdentifier: server.accountId }, resourceType: 'ORGANIZATION' },
    });
    // Assess
    expect(reply.status).toBe(200);
    const data = reply.body.data as { principal: Body; permissions: Body[] };
    expect(data.principal).toEqual({ principalIdentifier: 'admin', principalType: 'SERVICE_ACCOUNT' });
    expect(data.permissions).toContainEqual(
      expect.objectContaining({
        permission: 'core_organization_create',
        resourceType: 'ORGANIZATION',
        selection: { kind: 'ALL' },
        grantedBy: expect.objectContaining({ roleIdentifier: '_account_admin' }),
      }),
    );
    expect(data.permissions.every((entry) => entry.resourceType === 'ORGANIZATION')).toBe(true);
  });

  it('lets a user review herself but not others; the admin reviews her and sees the all-users grant', async () => {
    // Act
    const own = await server.api('POST', `${PERMISSIONS}?${q}`, {
      token: userToken,
      body: { scope: { accountIdentifier: server.accountId }, permission: 'core_organization_view' },
    });
    const others = await server.api('POST', `${PERMISSIONS}?${q}`, {
      token: userToken,
      body: {
        principal: { principalIdentifier: 'admin', principalType: 'SERVICE_ACCOUNT' },
        scope: { accountIdentifier: server.accountId },
      },
    });
    const byAdmin = await server.api('POST', `${PERMISSIONS}?${q}`, {
      body: {
        principal: { principalIdentifier: userId, principalType: 'USER' },
        scope: { accountIdentifier: server.accountId },
        permission: 'core_organization_view',
      },
    });
    // Assess
    expect(own.status).toBe(200);
    expect((own.body.data as { permissions: Body[] }).permissions).toEqual([
      expect.objectContaining({ permission: 'core_organization_view', resourceType: 'ORGANIZATION' }),
    ]);
    expect(others.status).toBe(403);
    expect(others.body.code).toBe('NG_ACCESS_DENIED');
    expect(byAdmin.status).toBe(200);
    expect((byAdmin.body.data as { permissions: Body[] }).permissions[0]?.grantedBy).toMatchObject({
      viaUserGroup: '_account_all_users',
    });
  });

  it('lists who can create organizations: the admin service account, not the user', async () => {
    // Prepare
    const check = {
      resourceScope: { accountIdentifier: server.accountId },
      resourceType: 'ORGANIZATION',
      permission: 'core_organization_create',
    };
    // Act
    const reply = await server.api('POST', `${PRINCIPALS}?${q}&pageSize=10`, { body: check });
    const asUser = await server.api('POST', `${PRINCIPALS}?${q}`, { token: userToken, body: check });
    // Assess
    expect(reply.status).toBe(200);
    const page = reply.body.data as { content: { principal: Body }[]; pageSize: number; totalItems: number };
    expect(page.pageSize).toBe(10);
    expect(page.content.map((entry) => entry.principal)).toEqual([
      { principalIdentifier: 'admin', principalType: 'SERVICE_ACCOUNT' },
    ]);
    expect(asUser.status).toBe(403);
  });

  it.each([
    ['another account as scope', { scope: { accountIdentifier: 'someone_else' } }, 'scope'],
    ['an unknown field', { scope: {}, extra: true }, 'extra'],
    [
      'a project without its organization',
      { scope: { accountIdentifier: 'x', projectIdentifier: 'p' } },
      'scope',
    ],
  ])('answers 400 naming the field for %s', async (_name, body, field) => {
    // Act
    const reply = await server.api('POST', `${PERMISSIONS}?${q}`, { body });
    // Assess
    expect(reply.status).toBe(400);
    expect(JSON.stringify(reply.body.errors)).toContain(field);
  });

  it('answers 401 without a token', async () => {
    // Act
    const reply = await server.api('POST', `${PERMISSIONS}?${q}`, {
      token: null,
      body: { scope: { accountIdentifier: server.accountId } },
    });
    // Assess
    expect(reply.status).toBe(401);
  });

  it('lets a user manage her own personal token, never the admin: create, use, delete, rejected next', async () => {
    // Prepare
    const keyBody = (parent: string) => ({
      identifier: 'laptop',
      name: 'Laptop',
      apiKeyType: 'USER',
      parentIdentifier: parent,
      accountIdentifier: server.accountId,
    });
    // Act
    const adminMints = await server.api('POST', `/ng/api/apikey?${q}`, { body: keyBody(userId) });
    const key = await server.api('POST', `/ng/api/apikey?${q}`, { token: userToken, body: keyBody(userId) });
    const minted = await server.api('POST', `/ng/api/token?${q}`, {
      token: userToken,
      body: {
        identifier: 'laptop_token',
        name: 'Laptop token',
        apiKeyIdentifier: 'laptop',
        parentIdentifier: userId,
        apiKeyType: 'USER',
        accountIdentifier: server.accountId,
      },
    });
    const pat = minted.body.data as string;
    const used = await server.api('POST', `${PERMISSIONS}?${q}`, {
      token: pat,
      body: { scope: { accountIdentifier: server.accountId } },
    });
    const deleted = await server.api(
      'DELETE',
      `/ng/api/token/laptop_token?${q}&apiKeyType=USER&parentIdentifier=${userId}&apiKeyIdentifier=laptop`,
      { token: userToken },
    );
    const after = await server.api('POST', `${PERMISSIONS}?${q}`, {
      token: pat,
      body: { scope: { accountIdentifier: server.accountId } },
    });
    // Assess
    expect(adminMints.status).toBe(403);
    expect(key.status).toBe(200);
    expect(minted.status).toBe(200);
    expect(pat.startsWith(`pat.${server.accountId}.`)).toBe(true);
    expect(used.status).toBe(200);
    expect((used.body.data as { principal: Body }).principal).toEqual({
      principalIdentifier: userId,
      principalType: 'USER',
    });
    expect(deleted.status).toBe(200);
    expect(after.status).toBe(401);
  });
});
