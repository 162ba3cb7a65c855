import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAccountVersion } from '../../functions/store/change-log.js';
import { createStoreClient } from '../../functions/store/document-client.js';
import { localClientConfig } from '../../functions/store/dynamodb-local.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * Issue 11 item 5 over HTTP: scope identifiers that spell another scope are refused, keys named
 * like Object.prototype members are data, non-JSON bodies are 415 and oversize bodies 413.
 */

const ACCOUNT = 'aliasing';
const Q = `?accountIdentifier=${ACCOUNT}`;
const PROTOTYPE_KEYS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'] as const;

let server: TestServer;

/** A response's `data`, walked loosely by the tests. */
// biome-ignore lint/suspicious/noExplicitAny: response shapes differ per entity; each test names its path
type Data = Record<string, any>;

beforeAll(async () => {
  server = await startTestServer(ACCOUNT);
  await server.api('POST', `/ng/api/organizations${Q}`, {
    body: { organization: { identifier: 'x', name: 'X' } },
  });
  await server.api('POST', `/ng/api/projects${Q}&orgIdentifier=x`, {
    body: { project: { orgIdentifier: 'x', identifier: 'p1', name: 'P1' } },
  });
});
afterAll(async () => server.close());

/** Tags holding `key` as an own property, as JSON.parse gives them (a literal `__proto__` would not be one). */
function tagsWith(key: string): Record<string, string> {
  return JSON.parse(`{${JSON.stringify(key)}:"v","team":"core"}`) as Record<string, string>;
}

function accountVersion(): Promise<number | undefined> {
  const store = createStoreClient(localClientConfig(server.endpoint));
  return readAccountVersion(
    { client: store.client, tableName: server.tableName, now: Date.now },
    ACCOUNT,
  ).finally(() => store.destroy());
}

describe('scope identifiers are validated like every identifier', () => {
  const check = (resourceScope: Record<string, string>) => ({
    permissions: [{ resourceScope, resourceType: 'PIPELINE', permission: 'core_pipeline_view' }],
  });

  it.each([
    ['orgIdentifier', { accountIdentifier: ACCOUNT, orgIdentifier: 'x/PROJECT/p1' }],
    ['orgIdentifier', { accountIdentifier: ACCOUNT, orgIdentifier: 'x#p1' }],
    [
      'projectIdentifier',
      { accountIdentifier: ACCOUNT, orgIdentifier: 'x', projectIdentifier: 'p1/PROJECT/p2' },
    ],
    ['accountIdentifier', { accountIdentifier: `${ACCOUNT}/ORGANIZATION/x` }],
  ])(
    'POST /authz/api/acl answers 400 naming %s for %j, never another scope’s answer',
    async (field, scope) => {
      // Act
      const reply = await server.api('POST', `/authz/api/acl${Q}`, { body: check(scope) });

      // Assess
      expect(reply.status).toBe(400);
      expect(reply.body.errors).toContainEqual(
        expect.objectContaining({ fieldId: `permissions[0].resourceScope.${field}` }),
      );
      expect(JSON.stringify(reply.body)).not.toContain('permitted');
    },
  );

  it.each([
    [
      '/authz/api/access-review/permissions',
      'scope.orgIdentifier',
      { scope: { accountIdentifier: ACCOUNT, orgIdentifier: 'x/PROJECT/p1' } },
    ],
    [
      '/authz/api/access-review/principals',
      'resourceScope.orgIdentifier',
      {
        resourceScope: { accountIdentifier: ACCOUNT, orgIdentifier: 'x/PROJECT/p1' },
        resourceType: 'PIPELINE',
        permission: 'core_pipeline_view',
      },
    ],
  ])('POST %s answers 400 naming %s', async (path, field, body) => {
    // Act
    const reply = await server.api('POST', `${path}${Q}`, { body });

    // Assess
    expect(reply.status).toBe(400);
    expect(reply.body.errors).toContainEqual(expect.objectContaining({ fieldId: field }));
  });

  it.each([
    ['/authz/api/acl', 'POST'],
    ['/ng/api/organizations', 'GET'],
  ])('%s answers 400 naming accountIdentifier when the query one holds a separator', async (path, method) => {
    // Act
    const reply = await server.api(
      method,
      `${path}?accountIdentifier=${encodeURIComponent(`${ACCOUNT}#x`)}`,
      {
        ...(method === 'POST' ? { body: check({ accountIdentifier: ACCOUNT }) } : {}),
      },
    );

    // Assess
    expect(reply.status).toBe(400);
    expect(reply.body.errors).toContainEqual(expect.objectContaining({ fieldId: 'accountIdentifier' }));
  });
});

describe.each(PROTOTYPE_KEYS)('a user-chosen key named %s is data', (key) => {
  const id = `k_${key.replace(/_/g, '')}`;

  it.each([
    [
      'an organization',
      `/ng/api/organizations${Q}`,
      (tags: unknown) => ({ organization: { identifier: id, name: 'N', tags } }),
      `/ng/api/organizations/${id}${Q}`,
      (data: Data) => data.organization.tags,
    ],
    [
      'a project',
      `/ng/api/projects${Q}&orgIdentifier=x`,
      (tags: unknown) => ({ project: { orgIdentifier: 'x', identifier: id, name: 'N', tags } }),
      `/ng/api/projects/${id}${Q}&orgIdentifier=x`,
      (data: Data) => data.project.tags,
    ],
    [
      'a role',
      `/authz/api/roles${Q}`,
      (tags: unknown) => ({ identifier: id, name: 'N', permissions: ['core_pipeline_view'], tags }),
      `/authz/api/roles/${id}${Q}`,
      (data: Data) => data.role.tags,
    ],
    [
      'a resource group',
      `/resourcegroup/api/v2/resourcegroup${Q}`,
      (tags: unknown) => ({
        resourceGroup: {
          accountIdentifier: ACCOUNT,
          identifier: id,
          name: 'N',
          tags,
          includedScopes: [{ filter: 'EXCLUDING_CHILD_SCOPES', accountIdentifier: ACCOUNT }],
          resourceFilter: { includeAllResources: true },
        },
      }),
      `/resourcegroup/api/v2/resourcegroup/${id}${Q}`,
      (data: Data) => data.resourceGroup.tags,
    ],
    [
      'a user group',
      `/ng/api/user-groups${Q}`,
      (tags: unknown) => ({ identifier: id, name: 'N', users: [], tags }),
      `/ng/api/user-groups/${id}${Q}`,
      (data: Data) => data.tags,
    ],
    [
      'a service account',
      `/ng/api/serviceaccount${Q}`,
      (tags: unknown) => ({
        identifier: id,
        name: 'N',
        email: `${id.toLowerCase()}@service.harness.io`,
        accountIdentifier: ACCOUNT,
        tags,
      }),
      `/ng/api/serviceaccount/${id}${Q}`,
      (data: Data) => data.tags,
    ],
  ])('in the tags of %s: stored and returned as given', async (_entity, path, body, getPath, tagsOf) => {
    // Act
    const created = await server.api('POST', path, { body: body(tagsWith(key)) });
    const read = await server.api('GET', getPath);

    // Assess
    expect(created.status).toBe(200);
    expect(read.status).toBe(200);
    expect(tagsOf(read.body.data as Record<string, unknown>)).toStrictEqual(tagsWith(key));
  });

  it('in the resource attributes of an ACL check: decided as without it and echoed as given', async () => {
    // Prepare
    const check = {
      resourceType: 'ENVIRONMENT',
      resourceIdentifier: 'e1',
      permission: 'core_environment_view',
    };

    // Act
    const reply = await server.api('POST', `/authz/api/acl${Q}`, {
      body: { permissions: [{ ...check, resourceAttributes: tagsWith(key) }, check] },
    });

    // Assess
    expect(reply.status).toBe(200);
    const [withKey, without] = (reply.body.data as { accessControlList: Record<string, unknown>[] })
      .accessControlList;
    expect(withKey?.resourceAttributes).toStrictEqual(tagsWith(key));
    expect(withKey?.permitted).toBe(without?.permitted);
  });

  it('as a query parameter, a header, an identifier or a permission: a 4xx or an answer, never a 500', async () => {
    // Act
    const replies = await Promise.all([
      server.api('GET', `/ng/api/organizations${Q}&${key}=1&${key}=2`),
      server.api('GET', `/authz/api/roles/${key}${Q}`),
      server.api('GET', `/ng/api/user-groups/${key}${Q}`),
      server.api('POST', `/authz/api/acl${Q}`, {
        body: { permissions: [{ resourceType: key, permission: key, resourceIdentifier: key }] },
      }),
      server.api('POST', `/authz/api/roles${Q}`, {
        body: { identifier: 'r_bad', name: 'N', permissions: [key] },
      }),
      fetch(`${server.url}/health`, { headers: { [key]: 'x' } }).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as Record<string, unknown>,
      })),
    ]);

    // Assess
    expect(replies.map((reply) => reply.status)).toStrictEqual([200, 404, 404, 200, 400, 200]);
  });
});

describe('bodies that are not JSON or too large', () => {
  it.each([['text/plain'], ['application/x-www-form-urlencoded']])(
    'a JSON body sent as %s is a 415 with the error envelope and changes nothing',
    async (contentType) => {
      // Prepare
      const before = await accountVersion();

      // Act
      const response = await fetch(`${server.url}/ng/api/organizations${Q}`, {
        method: 'POST',
        headers: { 'x-api-key': server.adminToken, 'content-type': contentType },
        body: JSON.stringify({ organization: { identifier: 'via_text', name: 'T' } }),
      });

      // Assess
      expect(response.status).toBe(415);
      expect(await response.json()).toMatchObject({ status: 'ERROR', code: 'UNSUPPORTED_MEDIA_TYPE' });
      expect(await accountVersion()).toBe(before);
    },
  );

  it.each([
    ['over the handler’s 256 KiB', 300 * 1024],
    ['over the local server’s 1 MiB', 2 * 1024 * 1024],
  ])('a body %s answers 413 PAYLOAD_TOO_LARGE to the client', async (_, size) => {
    // Act
    const reply = await server.api('POST', `/authz/api/acl${Q}`, {
      rawBody: JSON.stringify({ permissions: [], padding: 'x'.repeat(size) }),
    });

    // Assess
    expect(reply.status).toBe(413);
    expect(reply.body).toMatchObject({ status: 'ERROR', code: 'PAYLOAD_TOO_LARGE' });
  });
});
