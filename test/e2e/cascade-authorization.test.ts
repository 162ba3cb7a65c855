import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceAccountWith } from '../support/service-account-with.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * A delete that cascades over more than one transaction is authorized once, on the state before its
 * first transaction: the cascade may remove what authorized it (here the caller's own assignment of
 * the role it deletes, or its admin assignment in the organization it deletes), and it must still
 * finish rather than stop half-way.
 */
describe('a cascading delete larger than one transaction', () => {
  let server: TestServer;
  let q: string;
  const OTHERS = 60;

  beforeAll(async () => {
    server = await startTestServer();
    q = `accountIdentifier=${server.accountId}`;
  });

  afterAll(async () => {
    await server.close();
  });

  it('finishes deleting a role whose assignments include the one that lets the caller delete it', async () => {
    // Prepare: `deleter` may delete roles only through its assignment of `role_keeper`, a role
    // assigned to 60 more service accounts (2 items each: 122 deletes, over two transactions).
    const token = await serviceAccountWith(
      server,
      'deleter',
      ['core_role_view'],
      '_all_account_level_resources',
    );
    const role = await server.api('POST', `/authz/api/roles?${q}`, {
      body: {
        identifier: 'role_keeper',
        name: 'Role keeper',
        permissions: ['core_role_view', 'core_role_delete'],
      },
    });
    expect(role.status).toBe(200);
    const principals = ['deleter'];
    for (let index = 0; index < OTHERS; index++) {
      const identifier = `bot_${String(index).padStart(2, '0')}`;
      const created = await server.api('POST', `/ng/api/serviceaccount?${q}`, {
        body: {
          identifier,
          name: identifier,
          email: `${identifier}@service.harness.io`,
          accountIdentifier: server.accountId,
        },
      });
      expect(created.status).toBe(200);
      principals.push(identifier);
    }
    const assigned = await server.api('POST', `/authz/api/roleassignments/multi?${q}`, {
      body: {
        roleAssignments: principals.map((identifier) => ({
          identifier: `keeper_${identifier}`,
          roleIdentifier: 'role_keeper',
          resourceGroupIdentifier: '_all_account_level_resources',
          principal: { identifier, type: 'SERVICE_ACCOUNT', scopeLevel: 'account' },
        })),
      },
    });
    expect((assigned.body.data as unknown[]).length).toBe(OTHERS + 1);

    // Act
    const deleted = await server.api('DELETE', `/authz/api/roles/role_keeper?${q}`, { token });

    // Assess
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
    expect((await server.api('GET', `/authz/api/roles/role_keeper?${q}`)).status).toBe(404);
    const left = await server.api('POST', `/authz/api/roleassignments/filter?${q}&pageSize=100`, {
      body: { roleFilter: ['role_keeper'] },
    });
    expect((left.body.data as { totalItems: number }).totalItems).toBe(0);
  });

  it('finishes deleting an organization whose assignments include the one that lets the caller delete it', async () => {
    // Prepare: `org_deleter` may delete `big_org` only through its `_organization_admin` assignment
    // made in `big_org` (ORGANIZATION entities live in their own scope), among 60 more assignments
    // there (2 items each, with the organization's own: over two transactions).
    const token = await serviceAccountWith(server, 'org_deleter', ['core_organization_view']);
    const created = await server.api('POST', `/ng/api/organizations?${q}`, {
      body: { organization: { identifier: 'big_org', name: 'Big org' } },
    });
    expect(created.status).toBe(200);
    const inOrg = `${q}&orgIdentifier=big_org`;
    const principals = ['org_deleter'];
    for (let index = 0; index < OTHERS; index++) {
      const identifier = `org_bot_${String(index).padStart(2, '0')}`;
      const bot = await server.api('POST', `/ng/api/serviceaccount?${q}`, {
        body: {
          identifier,
          name: identifier,
          email: `${identifier}@service.harness.io`,
          accountIdentifier: server.accountId,
        },
      });
      expect(bot.status).toBe(200);
      principals.push(identifier);
    }
    const assigned = await server.api('POST', `/authz/api/roleassignments/multi?${inOrg}`, {
      body: {
        roleAssignments: principals.map((identifier) => ({
          // The caller's own assignment first, so that the first transaction deletes it.
          identifier: identifier === 'org_deleter' ? 'admin_a_org_deleter' : `admin_${identifier}`,
          roleIdentifier: '_organization_admin',
          resourceGroupIdentifier: '_all_organization_level_resources',
          principal: { identifier, type: 'SERVICE_ACCOUNT', scopeLevel: 'account' },
        })),
      },
    });
    expect((assigned.body.data as unknown[]).length).toBe(OTHERS + 1);
    const withoutGrant = await server.api('DELETE', `/ng/api/organizations/default?${q}`, { token });
    expect(withoutGrant.status).toBe(403);

    // Act
    const deleted = await server.api('DELETE', `/ng/api/organizations/big_org?${q}`, { token });

    // Assess
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
    expect(deleted.body.data).toBe(true);
    expect((await server.api('GET', `/ng/api/organizations/big_org?${q}`)).status).toBe(404);
    const recreated = await server.api('POST', `/ng/api/organizations?${q}`, {
      body: { organization: { identifier: 'big_org', name: 'Big org again' } },
    });
    expect(recreated.status).toBe(200);
    const left = await server.api('POST', `/authz/api/roleassignments/filter?${inOrg}&pageSize=100`, {
      body: { roleFilter: ['_organization_admin'] },
    });
    const identifiers = (
      left.body.data as { content: { roleAssignment: { identifier: string } }[] }
    ).content.map((entry) => entry.roleAssignment.identifier);
    expect(identifiers.filter((identifier) => identifier.startsWith('admin_'))).toEqual([]);
  });
});
