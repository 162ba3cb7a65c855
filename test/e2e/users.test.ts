import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalMail } from '../../functions/api/local/local-mailbox.js';
import { accountSettingsItem } from '../../functions/store/entities/account-settings.js';
import {
  type SeedableTestServer,
  startTestServer,
  startTestServerWithRoutes,
  type TestServer,
} from '../support/test-server.js';

type Body = Record<string, unknown>;
type FieldErrors = { fieldId: string; error: string }[];

const META = { createdAt: 1, lastModifiedAt: 1, version: 1 };

/** Helpers bound to one server. */
function client(server: SeedableTestServer) {
  const account = server.accountId;
  const q = (extra = '') => `accountIdentifier=${account}${extra}`;
  const data = <T>(reply: { body: Body }): T => reply.body.data as T;
  const mail = async (): Promise<LocalMail[]> =>
    (await server.api('GET', '/local/mail', { token: null })).body as unknown as LocalMail[];
  const invite = (emails: string[], extra: Body = {}, scope = '', token?: string | null) =>
    server.api('POST', `/ng/api/user/users?${q(scope)}`, {
      body: { emails, ...extra },
      ...(token === undefined ? {} : { token }),
    });
  /** Invites `email` at `scope` and accepts; returns the user id and its personal token. */
  const onboard = async (email: string, extra: Body = {}, scope = '') => {
    const reply = await invite([email], extra, scope);
    expect(reply.status).toBe(200);
    const last = (await mail()).filter((entry) => entry.to === email).at(-1);
    const accepted = await server.api('POST', '/ng/api/invites/accept', {
      token: null,
      body: { token: last?.token, name: email.split('@')[0] },
    });
    expect(accepted.status).toBe(200);
    return data<{ userId: string; token: string }>(accepted);
  };
  const members = async (scope = '') => {
    const reply = await server.api('GET', `/ng/api/user/users?${q(scope)}`);
    expect(reply.status).toBe(200);
    return data<{ content: { userId: string }[] }>(reply).content.map((user) => user.userId);
  };
  const fieldIds = (body: Body) =>
    ((body.errors as FieldErrors | undefined) ?? []).map((error) => error.fieldId);
  return { q, data, mail, invite, onboard, members, fieldIds };
}

describe('users and scope membership', () => {
  let server: SeedableTestServer;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    server = await startTestServerWithRoutes(() => []);
    api = client(server);
    const project = await server.api('POST', `/ng/api/projects?${api.q('&orgIdentifier=default')}`, {
      body: { project: { orgIdentifier: 'default', identifier: 'web', name: 'Web' } },
    });
    expect(project.status).toBe(200);
    const group = await server.api(
      'POST',
      `/ng/api/user-groups?${api.q('&orgIdentifier=default&projectIdentifier=web')}`,
      {
        body: { identifier: 'web_devs', name: 'Web developers', users: [] },
      },
    );
    expect(group.status).toBe(200);
  });

  afterAll(async () => {
    await server.close();
  });

  it('answers 401 without a token and 403 to a member without core_user_invite', async () => {
    // Prepare
    const viewer = await api.onboard('viewer@example.com');
    // Act
    const anonymous = await api.invite(['x@example.com'], {}, '', null);
    const denied = await api.invite(['x@example.com'], {}, '', viewer.token);
    const listed = await server.api('GET', `/ng/api/user/users?${api.q()}`, { token: viewer.token });
    // Assess
    expect(anonymous.status).toBe(401);
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('NG_ACCESS_DENIED');
    expect(listed.status).toBe(200);
    expect((await api.mail()).some((entry) => entry.to === 'x@example.com')).toBe(false);
  });

  it.each([
    ['a malformed e-mail', { emails: ['not-an-email'] }, 'emails[0]'],
    ['no e-mails', { emails: [] }, 'emails'],
    ['an unknown field', { emails: ['y@example.com'], extra: 1 }, 'extra'],
    [
      'a user group that does not exist',
      { emails: ['y@example.com'], userGroups: ['nope'] },
      'userGroups[0]',
    ],
    [
      'a role that does not resolve at the scope',
      {
        emails: ['y@example.com'],
        roleBindings: [{ roleIdentifier: 'nope', resourceGroupIdentifier: '_all_account_level_resources' }],
      },
      'roleBindings[0].roleIdentifier',
    ],
  ])('rejects %s with 400 naming the field and changes nothing', async (_case, body, fieldId) => {
    // Prepare
    const mailBefore = (await api.mail()).length;
    // Act
    const reply = await server.api('POST', `/ng/api/user/users?${api.q()}`, { body });
    // Assess
    expect(reply.status).toBe(400);
    expect(api.fieldIds(reply.body)).toContain(fieldId);
    expect((await api.mail()).length).toBe(mailBefore);
    const invites = await server.api('GET', `/ng/api/invites?${api.q()}`);
    expect(
      api.data<{ content: Body[] }>(invites).content.some((entry) => entry.email === 'y@example.com'),
    ).toBe(false);
  });

  it('answers 404 for an unknown user, invite or scope', async () => {
    // Act
    const user = await server.api('GET', `/ng/api/user/nobody?${api.q()}`);
    const removal = await server.api('DELETE', `/ng/api/user/nobody?${api.q()}`);
    const invite = await server.api('DELETE', `/ng/api/invites/nothing?${api.q()}`);
    const resend = await server.api('POST', `/ng/api/invites/nothing/resend?${api.q()}`);
    const scope = await api.invite(['z@example.com'], {}, '&orgIdentifier=missing');
    // Assess
    expect([user.status, removal.status, invite.status, resend.status, scope.status]).toEqual([
      404, 404, 404, 404, 404,
    ]);
  });

  it('adds an active user to a project at once, with groups and bindings, and reports repeats', async () => {
    // Prepare
    const { userId } = await api.onboard('erin@example.com');
    const project = '&orgIdentifier=default&projectIdentifier=web';
    const grants = {
      userGroups: ['web_devs'],
      roleBindings: [
        { roleIdentifier: '_project_admin', resourceGroupIdentifier: '_all_project_level_resources' },
      ],
    };
    // Act
    const added = await api.invite(['Erin@Example.com'], grants, project);
    const again = await api.invite(['erin@example.com'], grants, project);
    // Assess
    expect(api.data<Body>(added)).toEqual({
      addUserResponseMap: { 'erin@example.com': 'USER_ADDED_SUCCESSFULLY' },
    });
    expect(api.data<Body>(again)).toEqual({
      addUserResponseMap: { 'erin@example.com': 'USER_ALREADY_ADDED' },
    });
    expect(await api.members(project)).toContain(userId);
    const group = await server.api('GET', `/ng/api/user-groups/web_devs?${api.q(project)}`);
    expect(api.data<{ users: string[] }>(group).users).toContain(userId);
    const assignments = await server.api('GET', `/authz/api/roleassignments?${api.q(project)}`);
    const content = api.data<{ content: { roleAssignment: { principal: { identifier: string } } }[] }>(
      assignments,
    ).content;
    expect(content.some((entry) => entry.roleAssignment.principal.identifier === userId)).toBe(true);
  });

  it('answers USER_ALREADY_INVITED for a pending invite at the same scope without sending again', async () => {
    // Prepare
    await api.invite(['frank@example.com']);
    const mailBefore = (await api.mail()).length;
    // Act
    const again = await api.invite(['frank@example.com']);
    // Assess
    expect(api.data<Body>(again)).toEqual({
      addUserResponseMap: { 'frank@example.com': 'USER_ALREADY_INVITED' },
    });
    expect((await api.mail()).length).toBe(mailBefore);
  });

  it('removes a user from a project only, then from the account with its groups, assignments and tokens', async () => {
    // Prepare
    const project = '&orgIdentifier=default&projectIdentifier=web';
    const { userId, token } = await api.onboard(
      'gina@example.com',
      {
        userGroups: ['web_devs'],
        roleBindings: [
          { roleIdentifier: '_project_admin', resourceGroupIdentifier: '_all_project_level_resources' },
        ],
      },
      project,
    );
    // Act
    const fromProject = await server.api('DELETE', `/ng/api/user/${userId}?${api.q(project)}`);
    const projectMembers = await api.members(project);
    const accountMembers = await api.members();
    const group = await server.api('GET', `/ng/api/user-groups/web_devs?${api.q(project)}`);
    const stillValid = await server.api('GET', `/ng/api/user/users?${api.q()}`, { token });
    const fromAccount = await server.api('DELETE', `/ng/api/user/${userId}?${api.q()}`);
    // Assess
    expect(fromProject.status).toBe(200);
    expect(projectMembers).not.toContain(userId);
    expect(accountMembers).toContain(userId);
    expect(api.data<{ users: string[] }>(group).users).not.toContain(userId);
    expect(stillValid.status).toBe(200);
    expect(fromAccount.status).toBe(200);
    expect(await api.members()).not.toContain(userId);
    expect((await server.api('GET', `/ng/api/user/users?${api.q()}`, { token })).status).toBe(401);
    const assignments = await server.api('GET', `/authz/api/roleassignments?${api.q()}`);
    const content = api.data<{ content: { roleAssignment: { principal: { identifier: string } } }[] }>(
      assignments,
    ).content;
    expect(content.some((entry) => entry.roleAssignment.principal.identifier === userId)).toBe(false);
  });
});

describe('seat limit', () => {
  let server: SeedableTestServer;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    server = await startTestServerWithRoutes(() => []);
    api = client(server);
    await server.seed([
      { kind: 'create', item: accountSettingsItem(server.accountId, { maxUsers: 2 }, META) },
    ]);
  });

  afterAll(async () => {
    await server.close();
  });

  it('counts active and pending users and answers 409 SEAT_LIMIT_REACHED past the limit, changing nothing', async () => {
    // Prepare
    await api.onboard('one@example.com');
    // Act
    const tooMany = await api.invite(['two@example.com', 'three@example.com']);
    const fits = await api.invite(['two@example.com']);
    const full = await api.invite(['three@example.com']);
    const repeat = await api.invite(['two@example.com']);
    // Assess
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.code).toBe('SEAT_LIMIT_REACHED');
    expect(fits.status).toBe(200);
    expect(full.status).toBe(409);
    expect(full.body.code).toBe('SEAT_LIMIT_REACHED');
    expect(api.data<Body>(repeat)).toEqual({
      addUserResponseMap: { 'two@example.com': 'USER_ALREADY_INVITED' },
    });
    expect((await api.mail()).filter((entry) => entry.to === 'three@example.com')).toEqual([]);
  });

  it('frees the seat of a deleted invite', async () => {
    // Prepare
    const invites = await server.api('GET', `/ng/api/invites?${api.q()}`);
    const pending = api.data<{ content: { id: string; email: string }[] }>(invites).content;
    const two = pending.find((entry) => entry.email === 'two@example.com');
    // Act
    const deleted = await server.api('DELETE', `/ng/api/invites/${two?.id}?${api.q()}`);
    const three = await api.invite(['three@example.com']);
    // Assess
    expect(deleted.status).toBe(200);
    expect(api.data<Body>(three)).toEqual({
      addUserResponseMap: { 'three@example.com': 'USER_INVITED_SUCCESSFULLY' },
    });
  });
});

describe('last account admin', () => {
  let server: SeedableTestServer;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    server = await startTestServerWithRoutes(() => []);
    api = client(server);
  });

  afterAll(async () => {
    await server.close();
  });

  it('refuses to remove the only effective account admin from the account', async () => {
    // Prepare
    const admin = await api.onboard('boss@example.com', {
      roleBindings: [
        {
          roleIdentifier: '_account_admin',
          resourceGroupIdentifier: '_all_resources_including_child_scopes',
        },
      ],
    });
    const dropped = await server.api('DELETE', `/authz/api/roleassignments/admin_account_admin?${api.q()}`);
    expect(dropped.status).toBe(200);
    // Act
    const refused = await server.api('DELETE', `/ng/api/user/${admin.userId}?${api.q()}`, {
      token: admin.token,
    });
    // Assess
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('LAST_ACCOUNT_ADMIN');
    const members = await server.api('GET', `/ng/api/user/users?${api.q()}`, { token: admin.token });
    expect(api.data<{ content: { userId: string }[] }>(members).content.map((user) => user.userId)).toContain(
      admin.userId,
    );
  });
});

describe('seat limit from RBAC_MAX_USERS (what npm start reads)', () => {
  let server: TestServer;
  const saved = process.env.RBAC_MAX_USERS;

  beforeAll(async () => {
    process.env.RBAC_MAX_USERS = '1';
    server = await startTestServer();
  });

  afterAll(async () => {
    if (saved === undefined) delete process.env.RBAC_MAX_USERS;
    else process.env.RBAC_MAX_USERS = saved;
    await server.close();
  });

  it('holds the limit set at start', async () => {
    // Prepare
    const path = `/ng/api/user/users?accountIdentifier=${server.accountId}`;
    // Act
    const first = await server.api('POST', path, { body: { emails: ['first@example.com'] } });
    const second = await server.api('POST', path, { body: { emails: ['second@example.com'] } });
    // Assess
    expect(first.status).toBe(200);
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('SEAT_LIMIT_REACHED');
  });
});

describe('concurrent invites and accepts', () => {
  let server: SeedableTestServer;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    server = await startTestServerWithRoutes(() => []);
    api = client(server);
    await server.seed([
      { kind: 'create', item: accountSettingsItem(server.accountId, { maxUsers: 5 }, META) },
    ]);
  });

  afterAll(async () => {
    await server.close();
  });

  it('invites one e-mail once however many requests race', async () => {
    // Act
    const replies = await Promise.all(Array.from({ length: 8 }, () => api.invite(['race@example.com'])));
    // Assess
    const outcomes = replies.map(
      (reply) =>
        api.data<{ addUserResponseMap: Record<string, string> }>(reply).addUserResponseMap[
          'race@example.com'
        ],
    );
    expect(outcomes.filter((outcome) => outcome === 'USER_INVITED_SUCCESSFULLY')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'USER_ALREADY_INVITED')).toHaveLength(7);
    const invites = await server.api('GET', `/ng/api/invites?${api.q()}`);
    expect(
      api
        .data<{ content: { email: string }[] }>(invites)
        .content.filter((i) => i.email === 'race@example.com'),
    ).toHaveLength(1);
    expect((await api.mail()).filter((mail) => mail.to === 'race@example.com')).toHaveLength(1);
  });

  it('holds the seat limit against racing invites of distinct e-mails', async () => {
    // Act: one seat is taken above; 4 remain for 10 racing invites.
    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, index) => api.invite([`seat${index}@example.com`])),
    );
    // Assess
    expect(replies.filter((reply) => reply.status === 200)).toHaveLength(4);
    expect(replies.filter((reply) => reply.body.code === 'SEAT_LIMIT_REACHED')).toHaveLength(6);
  });

  it('accepts one token once when two accepts race', async () => {
    // Prepare
    const invites = await server.api('GET', `/ng/api/invites?${api.q()}`);
    const seat0 = api
      .data<{ content: { email: string }[] }>(invites)
      .content.find((i) => i.email.startsWith('seat'));
    const mail = (await api.mail()).filter((entry) => entry.to === seat0?.email).at(-1);
    // Act
    const replies = await Promise.all(
      [1, 2].map(() =>
        server.api('POST', '/ng/api/invites/accept', {
          token: null,
          body: { token: mail?.token, name: 'Racer' },
        }),
      ),
    );
    // Assess
    expect(replies.map((reply) => reply.status).sort()).toEqual([200, 400]);
    expect(replies.find((reply) => reply.status === 400)?.body.code).toBe('INVITE_INVALID');
  });
});

describe('seat limit and deleted scopes', () => {
  let server: SeedableTestServer;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    server = await startTestServerWithRoutes(() => []);
    api = client(server);
    await server.seed([
      { kind: 'create', item: accountSettingsItem(server.accountId, { maxUsers: 1 }, META) },
    ]);
  });

  afterAll(async () => {
    await server.close();
  });

  it('frees the seat of an invite whose organization was deleted, and counts it again when re-invited', async () => {
    // Prepare
    const org = await server.api('POST', `/ng/api/organizations?${api.q()}`, {
      body: { organization: { identifier: 'tmp', name: 'Temporary' } },
    });
    expect(org.status).toBe(200);
    expect((await api.invite(['orphan@example.com'], {}, '&orgIdentifier=tmp')).status).toBe(200);
    expect((await server.api('DELETE', `/ng/api/organizations/tmp?${api.q()}`)).status).toBe(200);
    // Act
    const other = await api.invite(['other@example.com']);
    const orphan = await api.invite(['orphan@example.com']);
    // Assess
    expect(other.status).toBe(200);
    expect(orphan.status).toBe(409);
    expect(orphan.body.code).toBe('SEAT_LIMIT_REACHED');
  });
});
