import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountScope } from '../../functions/core/scope.js';
import { customRoleItem } from '../../functions/store/entities/roles.js';
import { serviceAccountItem } from '../../functions/store/entities/service-accounts.js';
import { userGroupItem } from '../../functions/store/entities/user-groups.js';
import { type SeedableTestServer, startTestServerWithRoutes } from '../support/test-server.js';

/**
 * A stored item that does not decode is handled the same on every path: the policy path leaves it
 * out (it grants nothing; the account's other decisions go on) and a management read that needs it
 * answers 503 `SERVICE_UNAVAILABLE` without internals — never a 500, never a silent version 0.
 */

let server: SeedableTestServer;
let account: string;

const meta = { createdAt: 1, lastModifiedAt: 1, version: 1 };

beforeAll(async () => {
  server = await startTestServerWithRoutes(() => []);
  account = server.accountId;
  const scope = accountScope(account);
  const role = customRoleItem(
    account,
    {
      identifier: 'broken_role',
      name: 'Broken',
      permissions: ['core_pipeline_view'],
      allowedScopeLevels: ['account'],
      harnessManaged: false,
      scope,
    },
    meta,
  );
  const { version: _version, ...unversionedRole } = customRoleItem(
    account,
    {
      identifier: 'unversioned_role',
      name: 'Unversioned',
      permissions: ['core_pipeline_view'],
      allowedScopeLevels: ['account'],
      harnessManaged: false,
      scope,
    },
    meta,
  );
  const { createdAt: _createdAt, ...undatedAccount } = serviceAccountItem(
    account,
    { identifier: 'undated_bot', scope, name: 'Undated', email: 'undated_bot@service.harness.io' },
    meta,
  );
  const group = userGroupItem(
    account,
    { identifier: 'bad_tags', scope, name: 'Bad tags', incarnation: 'i1' },
    meta,
  );
  await server.seed([
    { kind: 'create', item: { ...role, permissions: 'core_pipeline_view' } },
    { kind: 'create', item: unversionedRole },
    { kind: 'create', item: undatedAccount },
    { kind: 'create', item: { ...group, tags: 'not tags' } },
  ]);
});

afterAll(async () => server?.close());

function expectUndecidable(reply: { status: number; body: Record<string, unknown> }): void {
  expect(reply.status).toBe(503);
  expect(reply.body.code).toBe('SERVICE_UNAVAILABLE');
  expect(reply.body.message).toBe('A stored item could not be read');
  expect(JSON.stringify(reply.body)).not.toMatch(/Malformed|PK=|SK=/);
}

describe('damaged stored items', () => {
  it.each([
    ['a role whose permissions are not a list', '/authz/api/roles/broken_role'],
    ['a role without a version', '/authz/api/roles/unversioned_role'],
    ['the roles of the scope, one of them damaged', '/authz/api/roles'],
    ['a service account without a creation time', '/ng/api/serviceaccount/undated_bot'],
    ['a user group whose tags are not tags', '/ng/api/user-groups/bad_tags'],
  ])('a read of %s answers 503 without internals', async (_name, path) => {
    // Act
    const reply = await server.api('GET', `${path}?accountIdentifier=${account}`);
    // Assess
    expectUndecidable(reply);
  });

  it('leaves the account decidable: the admin is still permitted, reads of sound items still answer', async () => {
    // Act
    const check = await server.api('POST', `/authz/api/acl?accountIdentifier=${account}`, {
      body: {
        permissions: [
          {
            resourceScope: { accountIdentifier: account },
            resourceType: 'ROLE',
            permission: 'core_role_view',
          },
        ],
      },
    });
    const organizations = await server.api('GET', `/ng/api/organizations?accountIdentifier=${account}`);
    // Assess
    expect(check.status).toBe(200);
    expect((check.body.data as { accessControlList: { permitted: boolean }[] }).accessControlList).toEqual([
      expect.objectContaining({ permitted: true }),
    ]);
    expect(organizations.status).toBe(200);
  });
});
