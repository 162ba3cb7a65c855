import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalMail } from '../../functions/api/local/local-mailbox.js';
import { type SeedableTestServer, startTestServerWithRoutes } from '../support/test-server.js';

type Body = Record<string, unknown>;

const DAY_SECONDS = 24 * 3600;

/** Helpers bound to one server. */
function client(server: SeedableTestServer) {
  const account = server.accountId;
  const q = (extra = '') => `accountIdentifier=${account}${extra}`;
  const data = <T>(reply: { body: Body }): T => reply.body.data as T;
  return {
    q,
    data,
    mail: async (): Promise<LocalMail[]> => {
      const reply = await server.api('GET', '/local/mail', { token: null });
      expect(reply.status).toBe(200);
      return reply.body as unknown as LocalMail[];
    },
    lastMailTo: async (email: string): Promise<LocalMail> => {
      const reply = await server.api('GET', '/local/mail', { token: null });
      const mails = (reply.body as unknown as LocalMail[]).filter((mail) => mail.to === email);
      const last = mails.at(-1);
      if (!last) throw new Error(`no mail to ${email}`);
      return last;
    },
    advanceDays: async (days: number) => {
      const reply = await server.api('POST', '/local/clock', {
        token: null,
        body: { advanceSeconds: days * DAY_SECONDS },
      });
      expect(reply.status).toBe(200);
    },
    cleanup: async () => {
      const reply = await server.api('POST', '/local/jobs/invite-cleanup', { token: null });
      expect(reply.status).toBe(200);
      return reply.body as { expired: number; deleted: number };
    },
    invite: (emails: string[], extra: Body = {}, scope = '') =>
      server.api('POST', `/ng/api/user/users?${q(scope)}`, { body: { emails, ...extra } }),
    invites: async (scope = '') => {
      const reply = await server.api('GET', `/ng/api/invites?${q(scope)}`);
      expect(reply.status).toBe(200);
      return data<{ content: Body[] }>(reply).content;
    },
    accept: (token: string, name = 'Ann Example') =>
      server.api('POST', '/ng/api/invites/accept', { token: null, body: { token, name } }),
    /** Whether `userId` may edit the default organization, asked by the admin (it holds core_acl_check). */
    canEditDefaultOrg: async (userId: string): Promise<boolean> => {
      const reply = await server.api('POST', `/authz/api/acl?${q()}`, {
        body: {
          principal: { principalIdentifier: userId, principalType: 'USER' },
          permissions: [
            {
              resourceScope: { accountIdentifier: account, orgIdentifier: 'default' },
              resourceType: 'ORGANIZATION',
              resourceIdentifier: 'default',
              permission: 'core_organization_edit',
            },
          ],
        },
      });
      expect(reply.status).toBe(200);
      return (
        data<{ accessControlList: { permitted: boolean }[] }>(reply).accessControlList[0]?.permitted ?? false
      );
    },
  };
}

describe('invites: the clock walk of the issue', () => {
  let server: SeedableTestServer;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    server = await startTestServerWithRoutes(() => []);
    api = client(server);
    const group = await server.api('POST', `/ng/api/user-groups?${api.q('&orgIdentifier=default')}`, {
      body: { identifier: 'devs', name: 'Developers', users: [] },
    });
    expect(group.status).toBe(200);
  });

  afterAll(async () => {
    await server.close();
  });

  it('invites with a group and a binding, mails the token, and accept gives exactly that access', async () => {
    // Prepare
    const email = 'ann@example.com';
    const bindings = [
      { roleIdentifier: '_organization_admin', resourceGroupIdentifier: '_all_organization_level_resources' },
    ];
    // Act
    const invited = await api.invite(
      [email],
      { userGroups: ['devs'], roleBindings: bindings },
      '&orgIdentifier=default',
    );
    // Assess
    expect(invited.status).toBe(200);
    expect(api.data<Body>(invited)).toEqual({ addUserResponseMap: { [email]: 'USER_INVITED_SUCCESSFULLY' } });
    const mail = await api.lastMailTo(email);
    expect(Object.keys(mail).sort()).toEqual(['acceptUrl', 'sentAt', 'subject', 'to', 'token']);
    expect(mail.acceptUrl).toContain(encodeURIComponent(mail.token));
    const [pending] = await api.invites('&orgIdentifier=default');
    expect(pending).toMatchObject({ email, state: 'PENDING', userGroups: ['devs'], roleBindings: bindings });
    const pendingUserId = String(pending?.userId);
    expect(await api.canEditDefaultOrg(pendingUserId)).toBe(false);

    const accepted = await api.accept(mail.token);
    expect(accepted.status).toBe(200);
    const { userId, token } = api.data<{ userId: string; token: string }>(accepted);
    expect(userId).toBe(pendingUserId);
    expect(token).toMatch(/^pat\./);
    expect(await api.canEditDefaultOrg(userId)).toBe(true);
    const group = await server.api('GET', `/ng/api/user-groups/devs?${api.q('&orgIdentifier=default')}`);
    expect(api.data<{ users: string[] }>(group).users).toEqual([userId]);
    const members = await server.api('GET', `/ng/api/user/users?${api.q()}`);
    expect(api.data<{ content: Body[] }>(members).content).toContainEqual({
      userId,
      email,
      name: 'Ann Example',
      status: 'ACTIVE',
    });
    const ownToken = await server.api('GET', `/ng/api/user/${userId}?${api.q('&orgIdentifier=default')}`, {
      token,
    });
    expect(ownToken.status).toBe(200);
    expect(await api.invites('&orgIdentifier=default')).toEqual([]);
    expect((await api.accept(mail.token)).body.code).toBe('INVITE_INVALID');
  });

  it('after 8 days accept answers 410, resend supersedes the old link, and the new one is accepted', async () => {
    // Prepare
    const email = 'bob@example.com';
    await api.invite([email]);
    const first = await api.lastMailTo(email);
    await api.advanceDays(8);
    // Act
    const expired = await api.accept(first.token);
    const [invite] = (await api.invites()).filter((entry) => entry.email === email);
    const resent = await server.api('POST', `/ng/api/invites/${String(invite?.id)}/resend?${api.q()}`);
    const second = await api.lastMailTo(email);
    const old = await api.accept(first.token);
    const accepted = await api.accept(second.token, 'Bob');
    // Assess
    expect(expired.status).toBe(410);
    expect(expired.body.code).toBe('INVITE_EXPIRED');
    expect(invite?.state).toBe('EXPIRED');
    expect(resent.status).toBe(200);
    expect(api.data<Body>(resent)).toMatchObject({ state: 'PENDING', createdAt: invite?.createdAt });
    expect(second.token).not.toBe(first.token);
    expect(old.status).toBe(400);
    expect(old.body.code).toBe('INVITE_INVALID');
    expect(accepted.status).toBe(200);
  });

  it('after 31 days resend answers 409 and the cleanup job removes the invite and the pending user', async () => {
    // Prepare
    const email = 'carol@example.com';
    await api.invite([email]);
    const [invite] = (await api.invites()).filter((entry) => entry.email === email);
    const id = String(invite?.id);
    await api.advanceDays(31);
    // Act
    const resend = await server.api('POST', `/ng/api/invites/${id}/resend?${api.q()}`);
    const counts = await api.cleanup();
    const again = await api.cleanup();
    // Assess
    expect(resend.status).toBe(409);
    expect(counts).toEqual({ expired: 0, deleted: 1 });
    expect(again).toEqual({ expired: 0, deleted: 0 });
    expect((await api.invites()).filter((entry) => entry.email === email)).toEqual([]);
    const reinvite = await api.invite([email]);
    expect(api.data<Body>(reinvite)).toEqual({
      addUserResponseMap: { [email]: 'USER_INVITED_SUCCESSFULLY' },
    });
    const [fresh] = (await api.invites()).filter((entry) => entry.email === email);
    expect(fresh?.userId).not.toBe(invite?.userId);
  });

  it('marks an invite EXPIRED after its link lapses and deletes it once the resend window closed', async () => {
    // Prepare
    const email = 'dave@example.com';
    await api.invite([email]);
    // Act
    await api.advanceDays(8);
    const marked = await api.cleanup();
    const markedAgain = await api.cleanup();
    await api.advanceDays(23);
    const deleted = await api.cleanup();
    // Assess
    expect(marked.expired).toBeGreaterThanOrEqual(1);
    expect(markedAgain).toEqual({ expired: 0, deleted: 0 });
    expect(deleted.deleted).toBeGreaterThanOrEqual(1);
    expect((await api.invites()).filter((entry) => entry.email === email)).toEqual([]);
  });
});

describe('invites: refusals', () => {
  let server: SeedableTestServer;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    server = await startTestServerWithRoutes(() => []);
    api = client(server);
  });

  afterAll(async () => {
    await server.close();
  });

  it.each([
    ['without a name', { token: 'inv.a.b.c' }, 'name'],
    ['with a blank name', { token: 'inv.a.b.c', name: '   ' }, 'name'],
    ['without a token', { name: 'Ann' }, 'token'],
    ['with an unknown field', { token: 'inv.a.b.c', name: 'Ann', role: 'admin' }, 'role'],
  ])('rejects an accept %s with 400 naming the field', async (_case, body, fieldId) => {
    // Act
    const reply = await server.api('POST', '/ng/api/invites/accept', { token: null, body });
    // Assess
    expect(reply.status).toBe(400);
    expect((reply.body.errors as { fieldId: string }[]).map((error) => error.fieldId)).toContain(fieldId);
  });

  it('answers 400 INVITE_INVALID for a malformed token, an unknown account and an unknown invite', async () => {
    // Prepare
    await api.invite(['henry@example.com']);
    const { token } = await api.lastMailTo('henry@example.com');
    const [, account, , secret] = token.split('.');
    // Act
    const replies = await Promise.all(
      ['not-a-token', `inv.nowhere.x.${secret}`, `inv.${account}.unknown.${secret}`].map((raw) =>
        api.accept(raw),
      ),
    );
    // Assess
    expect(replies.map((reply) => [reply.status, reply.body.code])).toEqual([
      [400, 'INVITE_INVALID'],
      [400, 'INVITE_INVALID'],
      [400, 'INVITE_INVALID'],
    ]);
  });

  it('lets a viewer list invites but not resend or delete them; a deleted invite cannot be accepted', async () => {
    // Prepare
    await api.invite(['viewer@example.com']);
    const viewer = await api.accept((await api.lastMailTo('viewer@example.com')).token);
    const viewerToken = api.data<{ token: string }>(viewer).token;
    await api.invite(['ivy@example.com']);
    const mail = await api.lastMailTo('ivy@example.com');
    const invite = (await api.invites()).find((entry) => entry.email === 'ivy@example.com');
    const path = `/ng/api/invites/${String(invite?.id)}`;
    // Act
    const listed = await server.api('GET', `/ng/api/invites?${api.q()}`, { token: viewerToken });
    const resend = await server.api('POST', `${path}/resend?${api.q()}`, { token: viewerToken });
    const removal = await server.api('DELETE', `${path}?${api.q()}`, { token: viewerToken });
    const anonymous = await server.api('GET', `/ng/api/invites?${api.q()}`, { token: null });
    const deleted = await server.api('DELETE', `${path}?${api.q()}`);
    const accepted = await api.accept(mail.token);
    // Assess
    expect(listed.status).toBe(200);
    expect(resend.status).toBe(403);
    expect(removal.status).toBe(403);
    expect(anonymous.status).toBe(401);
    expect(deleted.status).toBe(200);
    expect(accepted.status).toBe(400);
    expect(accepted.body.code).toBe('INVITE_INVALID');
  });

  it('gives a pending user no access until the invite is accepted', async () => {
    // Prepare
    await api.invite(['jack@example.com'], {
      roleBindings: [
        {
          roleIdentifier: '_account_admin',
          resourceGroupIdentifier: '_all_resources_including_child_scopes',
        },
      ],
    });
    const invite = (await api.invites()).find((entry) => entry.email === 'jack@example.com');
    const check = (principalIdentifier: string) =>
      server.api('POST', `/authz/api/acl?${api.q()}`, {
        body: {
          principal: { principalIdentifier, principalType: 'USER' },
          permissions: [
            {
              resourceScope: { accountIdentifier: server.accountId },
              resourceType: 'ACCOUNT',
              resourceIdentifier: server.accountId,
              permission: 'core_account_view',
            },
          ],
        },
      });
    const permitted = async (userId: string) =>
      api.data<{ accessControlList: { permitted: boolean }[] }>(await check(userId)).accessControlList[0]
        ?.permitted;
    // Act
    const members = await server.api('GET', `/ng/api/user/users?${api.q()}`);
    const pending = await permitted(String(invite?.userId));
    const accepted = await api.accept((await api.lastMailTo('jack@example.com')).token);
    const active = await permitted(String(invite?.userId));
    // Assess
    expect(
      api.data<{ content: { userId: string }[] }>(members).content.map((user) => user.userId),
    ).not.toContain(invite?.userId);
    expect(pending).toBe(false);
    expect(accepted.status).toBe(200);
    expect(active).toBe(true);
  });
});
