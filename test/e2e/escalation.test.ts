import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalMail } from '../../functions/api/local/local-mailbox.js';
import { serviceAccountWith as createServiceAccountWith } from '../support/service-account-with.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * The escalation paths of issue 11, tried as an adversary would against the running server: every
 * write that could give the attacker (or anyone) more than the attacker holds answers 403
 * `NG_ACCESS_DENIED` naming what is missing and changes nothing, while the same kind of write within
 * the attacker's own access succeeds.
 */

type Body = Record<string, unknown>;
type Reply = { status: number; body: Body };

let server: TestServer;
let account: string;
const q = (extra = '') => `accountIdentifier=${account}${extra}`;

/** A service account holding `permissions` at the account (see `serviceAccountWith` in test/support). */
function serviceAccountWith(
  identifier: string,
  permissions: string[],
  resourceGroupIdentifier = '_all_account_level_resources',
): Promise<string> {
  return createServiceAccountWith(server, identifier, permissions, resourceGroupIdentifier);
}

async function permitted(token: string, permission: string, resourceType: string, extra: Body = {}) {
  const reply = await server.api('POST', `/authz/api/acl?${q()}`, {
    token,
    body: {
      permissions: [{ resourceScope: { accountIdentifier: account }, resourceType, permission, ...extra }],
    },
  });
  expect(reply.status).toBe(200);
  return (reply.body.data as { accessControlList: { permitted: boolean }[] }).accessControlList[0]?.permitted;
}

function expectDenied(reply: Reply, pattern: RegExp = /which the caller does not hold/): void {
  expect(reply.status, JSON.stringify(reply.body)).toBe(403);
  expect(reply.body.code).toBe('NG_ACCESS_DENIED');
  expect(String(reply.body.message)).toMatch(pattern);
}

async function onboard(email: string): Promise<{ userId: string; token: string }> {
  const invited = await server.api('POST', `/ng/api/user/users?${q()}`, { body: { emails: [email] } });
  expect(invited.status).toBe(200);
  const mail = (await server.api('GET', '/local/mail', { token: null })).body as unknown as LocalMail[];
  const last = mail.filter((entry) => entry.to === email).at(-1);
  const accepted = await server.api('POST', '/ng/api/invites/accept', {
    token: null,
    body: { token: last?.token, name: email },
  });
  expect(accepted.status).toBe(200);
  return accepted.body.data as { userId: string; token: string };
}

beforeAll(async () => {
  server = await startTestServer();
  account = server.accountId;
});

afterAll(async () => {
  await server.close();
});

describe('anti-escalation against the running server', () => {
  it('refuses API keys and tokens for a more powerful service account, and their deletion', async () => {
    // Prepare
    const attacker = await serviceAccountWith('key_thief', [
      'core_serviceaccount_view',
      'core_serviceaccount_manageapikey',
    ]);
    const apiKey = (parentIdentifier: string, identifier: string) => ({
      identifier,
      name: identifier,
      apiKeyType: 'SERVICE_ACCOUNT',
      parentIdentifier,
      accountIdentifier: account,
    });
    // Act
    const adminKey = await server.api('POST', `/ng/api/apikey?${q()}`, {
      token: attacker,
      body: apiKey('admin', 'stolen_key'),
    });
    const adminToken = await server.api('POST', `/ng/api/token?${q()}`, {
      token: attacker,
      body: {
        identifier: 'stolen',
        name: 'stolen',
        apiKeyIdentifier: 'admin_key',
        parentIdentifier: 'admin',
        apiKeyType: 'SERVICE_ACCOUNT',
        accountIdentifier: account,
      },
    });
    const deleteAdminKey = await server.api(
      'DELETE',
      `/ng/api/apikey/admin_key?${q('&apiKeyType=SERVICE_ACCOUNT&parentIdentifier=admin')}`,
      { token: attacker },
    );
    const ownKey = await server.api('POST', `/ng/api/apikey?${q()}`, {
      token: attacker,
      body: apiKey('key_thief', 'second_key'),
    });
    // Assess
    expectDenied(adminKey, /cannot manage the API keys and tokens of SERVICE_ACCOUNT admin/);
    expectDenied(adminToken, /cannot manage the API keys and tokens of SERVICE_ACCOUNT admin/);
    expectDenied(deleteAdminKey, /cannot manage the API keys and tokens of SERVICE_ACCOUNT admin/);
    expect(ownKey.status).toBe(200);
    expect(await permitted(server.adminToken, 'core_user_manage', 'USER')).toBe(true);
    expect(await permitted(attacker, 'core_user_manage', 'USER')).toBe(false);
  });

  it('refuses adding oneself to a group bound to the account admin role, by member PUT or group PUT', async () => {
    // Prepare
    const eve = await onboard('eve@example.com');
    const grant = await server.api('POST', `/authz/api/roles?${q()}`, {
      body: {
        identifier: 'group_manager',
        name: 'Group manager',
        permissions: ['core_usergroup_view', 'core_usergroup_manage'],
      },
    });
    expect(grant.status).toBe(200);
    for (const [identifier, body] of [
      [
        'eve_manages_groups',
        { roleIdentifier: 'group_manager', principal: { identifier: eve.userId, type: 'USER' } },
      ],
      [
        'admins_are_admins',
        {
          roleIdentifier: '_account_admin',
          principal: { identifier: 'admins', type: 'USER_GROUP', scopeLevel: 'account' },
        },
      ],
    ] as const) {
      if (identifier === 'admins_are_admins') {
        const group = await server.api('POST', `/ng/api/user-groups?${q()}`, {
          body: { identifier: 'admins', name: 'Admins', users: [] },
        });
        expect(group.status).toBe(200);
        const harmless = await server.api('POST', `/ng/api/user-groups?${q()}`, {
          body: { identifier: 'book_club', name: 'Book club', users: [] },
        });
        expect(harmless.status).toBe(200);
      }
      const bound = await server.api('POST', `/authz/api/roleassignments?${q()}`, {
        body: { identifier, resourceGroupIdentifier: '_all_resources_including_child_scopes', ...body },
      });
      expect(bound.status, JSON.stringify(bound.body)).toBe(200);
    }
    // Act
    const memberPut = await server.api('PUT', `/ng/api/user-groups/admins/member/${eve.userId}?${q()}`, {
      token: eve.token,
    });
    const groupPut = await server.api('PUT', `/ng/api/user-groups/admins?${q()}`, {
      token: eve.token,
      body: { identifier: 'admins', name: 'Admins', users: [eve.userId] },
    });
    const harmless = await server.api('PUT', `/ng/api/user-groups/book_club/member/${eve.userId}?${q()}`, {
      token: eve.token,
    });
    // Assess
    expectDenied(memberPut, new RegExp(`would give USER ${eve.userId} `));
    expectDenied(groupPut, new RegExp(`would give USER ${eve.userId} `));
    expect(harmless.status).toBe(200);
    expect(await permitted(eve.token, 'core_role_edit', 'ROLE')).toBe(false);
  });

  it('refuses adding a permission to a role bound to oneself, and allows an edit within what one holds', async () => {
    // Prepare
    const attacker = await serviceAccountWith('role_editor', ['core_role_view', 'core_role_edit']);
    const role = (permissions: string[]) => ({
      identifier: 'role_editor_role',
      name: 'role_editor role',
      permissions,
    });
    // Act
    const widened = await server.api('PUT', `/authz/api/roles/role_editor_role?${q()}`, {
      token: attacker,
      body: role(['core_role_view', 'core_role_edit', 'core_user_manage']),
    });
    const same = await server.api('PUT', `/authz/api/roles/role_editor_role?${q()}`, {
      token: attacker,
      body: { ...role(['core_role_view', 'core_role_edit']), description: 'unchanged permissions' },
    });
    // Assess
    expectDenied(widened, /would give SERVICE_ACCOUNT role_editor core_user_manage/);
    expect(same.status).toBe(200);
    expect(await permitted(attacker, 'core_user_manage', 'USER')).toBe(false);
  });

  it('refuses widening a resource group bound to oneself from one pipeline to every resource', async () => {
    // Prepare
    const attacker = await serviceAccountWith('rg_editor', [
      'core_resourcegroup_view',
      'core_resourcegroup_edit',
    ]);
    const group = (resourceFilter: Body, description?: string) => ({
      resourceGroup: {
        accountIdentifier: account,
        identifier: 'one_pipeline',
        name: 'One pipeline',
        ...(description ? { description } : {}),
        includedScopes: [{ filter: 'EXCLUDING_CHILD_SCOPES', accountIdentifier: account }],
        resourceFilter,
      },
    });
    const narrow = {
      includeAllResources: false,
      resources: [{ resourceType: 'PIPELINE', identifiers: ['release'] }],
    };
    expect(
      (await server.api('POST', `/resourcegroup/api/v2/resourcegroup?${q()}`, { body: group(narrow) }))
        .status,
    ).toBe(200);
    expect(
      (
        await server.api('POST', `/authz/api/roles?${q()}`, {
          body: {
            identifier: 'runner',
            name: 'Runner',
            permissions: ['core_pipeline_view', 'core_pipeline_execute'],
          },
        })
      ).status,
    ).toBe(200);
    const bound = await server.api('POST', `/authz/api/roleassignments?${q()}`, {
      body: {
        identifier: 'rg_editor_runs_release',
        roleIdentifier: 'runner',
        resourceGroupIdentifier: 'one_pipeline',
        principal: { identifier: 'rg_editor', type: 'SERVICE_ACCOUNT', scopeLevel: 'account' },
      },
    });
    expect(bound.status).toBe(200);
    // Act
    const widened = await server.api('PUT', `/resourcegroup/api/v2/resourcegroup/one_pipeline?${q()}`, {
      token: attacker,
      body: group({ includeAllResources: true, resources: [] }),
    });
    const renamed = await server.api('PUT', `/resourcegroup/api/v2/resourcegroup/one_pipeline?${q()}`, {
      token: attacker,
      body: group(narrow, 'same resources'),
    });
    // Assess
    expectDenied(widened, /would give SERVICE_ACCOUNT rg_editor core_pipeline_\w+ on every PIPELINE/);
    expect(renamed.status).toBe(200);
    expect(
      await permitted(attacker, 'core_pipeline_execute', 'PIPELINE', { resourceIdentifier: 'release' }),
    ).toBe(true);
    expect(
      await permitted(attacker, 'core_pipeline_execute', 'PIPELINE', { resourceIdentifier: 'hotfix' }),
    ).toBe(false);
  });

  it('skips the organization-viewer companion a project admin does not hold', async () => {
    // Prepare
    const project = await server.api('POST', `/ng/api/projects?${q('&orgIdentifier=default')}`, {
      body: { project: { orgIdentifier: 'default', identifier: 'shop', name: 'Shop' } },
    });
    expect(project.status).toBe(200);
    const projectQuery = q('&orgIdentifier=default&projectIdentifier=shop');
    expect(
      (
        await server.api('POST', `/ng/api/serviceaccount?${q()}`, {
          body: {
            identifier: 'shop_admin',
            name: 'Shop admin',
            email: 'shop@service.harness.io',
            accountIdentifier: account,
          },
        })
      ).status,
    ).toBe(200);
    const adminBinding = await server.api('POST', `/authz/api/roleassignments?${projectQuery}`, {
      body: {
        identifier: 'shop_admin_binding',
        roleIdentifier: '_project_admin',
        resourceGroupIdentifier: '_all_project_level_resources',
        principal: { identifier: 'shop_admin', type: 'SERVICE_ACCOUNT', scopeLevel: 'account' },
      },
    });
    expect(adminBinding.status).toBe(200);
    for (const body of [
      {
        identifier: 'shop_key',
        name: 'k',
        apiKeyType: 'SERVICE_ACCOUNT',
        parentIdentifier: 'shop_admin',
        accountIdentifier: account,
      },
    ]) {
      expect((await server.api('POST', `/ng/api/apikey?${q()}`, { body })).status).toBe(200);
    }
    const token = await server.api('POST', `/ng/api/token?${q()}`, {
      body: {
        identifier: 'shop_token',
        name: 't',
        apiKeyIdentifier: 'shop_key',
        parentIdentifier: 'shop_admin',
        apiKeyType: 'SERVICE_ACCOUNT',
        accountIdentifier: account,
      },
    });
    const orgAssignments = async () =>
      (
        (await server.api('GET', `/authz/api/roleassignments?${q('&orgIdentifier=default&pageSize=100')}`))
          .body.data as { content: { roleAssignment: { principal: { identifier: string } } }[] }
      ).content.filter((entry) => entry.roleAssignment.principal.identifier === '_account_all_users').length;
    const before = await orgAssignments();
    // Act
    const bound = await server.api('POST', `/authz/api/roleassignments?${projectQuery}`, {
      token: token.body.data as string,
      body: {
        identifier: 'everyone_views_shop',
        roleIdentifier: '_project_viewer',
        resourceGroupIdentifier: '_all_project_level_resources',
        principal: { identifier: '_account_all_users', type: 'USER_GROUP', scopeLevel: 'account' },
      },
    });
    // Assess
    expect(bound.status, JSON.stringify(bound.body)).toBe(200);
    expect(await orgAssignments()).toBe(before);
  });

  it('refuses accepting an invite whose sender no longer holds what it carries', async () => {
    // Prepare
    const inviter = await serviceAccountWith('inviter', [
      'core_user_invite',
      'core_user_view',
      'core_pipeline_view',
      'core_pipeline_execute',
    ]);
    const viewer = await server.api('POST', `/authz/api/roleassignments?${q()}`, {
      body: {
        identifier: 'inviter_views',
        roleIdentifier: '_account_viewer',
        resourceGroupIdentifier: '_all_resources_including_child_scopes',
        principal: { identifier: 'inviter', type: 'SERVICE_ACCOUNT', scopeLevel: 'account' },
      },
    });
    expect(viewer.status).toBe(200);
    const role = await server.api('POST', `/authz/api/roles?${q()}`, {
      body: { identifier: 'executor', name: 'Executor', permissions: ['core_pipeline_execute'] },
    });
    expect(role.status).toBe(200);
    const invited = await server.api('POST', `/ng/api/user/users?${q()}`, {
      token: inviter,
      body: {
        emails: ['mallory@example.com'],
        roleBindings: [
          { roleIdentifier: 'executor', resourceGroupIdentifier: '_all_account_level_resources' },
        ],
      },
    });
    const tooMuch = await server.api('POST', `/ng/api/user/users?${q()}`, {
      token: inviter,
      body: {
        emails: ['trudy@example.com'],
        roleBindings: [
          { roleIdentifier: '_account_admin', resourceGroupIdentifier: '_all_account_level_resources' },
        ],
      },
    });
    const revoked = await server.api('DELETE', `/authz/api/roleassignments/inviter_binding?${q()}`);
    expect(revoked.status).toBe(200);
    const mail = (await server.api('GET', '/local/mail', { token: null })).body as unknown as LocalMail[];
    const link = mail.filter((entry) => entry.to === 'mallory@example.com').at(-1);
    // Act
    const accepted = await server.api('POST', '/ng/api/invites/accept', {
      token: null,
      body: { token: link?.token, name: 'Mallory' },
    });
    // Assess
    expect(invited.status, JSON.stringify(invited.body)).toBe(200);
    expectDenied(tooMuch);
    expectDenied(accepted, /SERVICE_ACCOUNT with identifier inviter .*core_pipeline_execute/);
  });

  it('refuses self-granting _account_admin with core_role_edit and core_usergroup_manage from above', async () => {
    // Prepare
    const attacker = await serviceAccountWith(
      'from_above',
      [
        'core_role_view',
        'core_role_edit',
        'core_usergroup_view',
        'core_usergroup_manage',
        'core_serviceaccount_view',
        'core_serviceaccount_edit',
      ],
      '_all_resources_including_child_scopes',
    );
    // Act
    const selfAdmin = await server.api('POST', `/authz/api/roleassignments?${q()}`, {
      token: attacker,
      body: {
        identifier: 'from_above_admin',
        roleIdentifier: '_account_admin',
        resourceGroupIdentifier: '_all_resources_including_child_scopes',
        principal: { identifier: 'from_above', type: 'SERVICE_ACCOUNT', scopeLevel: 'account' },
      },
    });
    // Assess
    expectDenied(selfAdmin, /would give SERVICE_ACCOUNT from_above /);
    expect(await permitted(attacker, 'core_user_manage', 'USER')).toBe(false);
  });
});
