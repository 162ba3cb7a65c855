import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManagementContext } from '../../functions/api/management/management-context.js';
import { apiRoutes } from '../../functions/api/routes.js';
import { parseToken } from '../../functions/core/token.js';
import { bootstrapAccount, mintedToken } from '../../functions/store/bootstrap-account.js';
import { localClientConfig } from '../../functions/store/dynamodb-local.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** Strings that exist only in account B; none may ever appear in an answer to account A's token. */
const SECRET = 'zzsecretb';

const PUBLIC_PATHS = new Set(['/health', '/openapi.json', '/ng/api/invites/accept']);
const routes = apiRoutes({} as ManagementContext).filter((route) => !PUBLIC_PATHS.has(route.path));

/** The path with its parameters naming entities that exist in account B (an organization, a role, a service account). */
function concrete(path: string): string {
  const existing = path.includes('organizations') ? 'org' : path.includes('roles') ? 'role' : 'entity';
  return path.replace(/\{[^}]+\}/g, `${SECRET}_${existing}`);
}

/** The body with the identifiers the caller sent itself removed: echoing the caller's input reveals nothing. */
function revealed(body: unknown, path: string): string {
  return JSON.stringify(body).replaceAll(concrete(path).split('/').pop() ?? '', '');
}

function bodyFor(method: string): unknown {
  return method === 'GET' || method === 'DELETE' ? undefined : {};
}

describe('cross-account isolation', () => {
  let server: TestServer;
  let tokenB: string;
  const accountB = `${SECRET}_account`;

  beforeAll(async () => {
    // Prepare: account A is the server's; account B lives in the same table with its own admin and data.
    server = await startTestServer();
    const raw = new DynamoDBClient(localClientConfig(server.endpoint));
    const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
    try {
      tokenB = mintedToken(
        await bootstrapAccount({ client, tableName: server.tableName, now: Date.now }, accountB),
      );
    } finally {
      raw.destroy();
    }
    const asB = { token: tokenB };
    const q = `accountIdentifier=${accountB}`;
    const created = [
      await server.api('POST', `/ng/api/organizations?${q}`, {
        ...asB,
        body: { organization: { identifier: `${SECRET}_org`, name: `${SECRET} org` } },
      }),
      await server.api('POST', `/authz/api/roles?${q}`, {
        ...asB,
        body: { identifier: `${SECRET}_role`, name: `${SECRET} role`, permissions: ['core_project_view'] },
      }),
      await server.api('POST', `/ng/api/serviceaccount?${q}`, {
        ...asB,
        body: {
          identifier: `${SECRET}_entity`,
          name: `${SECRET} sa`,
          email: `${SECRET}@example.com`,
          accountIdentifier: accountB,
        },
      }),
    ];
    for (const answer of created) expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  });

  afterAll(async () => {
    await server.close();
  });

  it.each(routes.map((route) => [route.method, route.path]))(
    "answers 403 to account A's token on %s %s of account B, revealing nothing",
    async (method, path) => {
      // Act
      const answer = await server.api(method, `${concrete(path)}?accountIdentifier=${accountB}`, {
        body: bodyFor(method),
      });
      // Assess
      expect(answer.status).toBe(403);
      expect(JSON.stringify(answer.body)).not.toContain(`${SECRET}_`);
    },
  );

  it.each(routes.filter((route) => route.method === 'GET').map((route) => [route.path]))(
    "never shows account B's entities in account A's answers to GET %s",
    async (path) => {
      // Act
      const answer = await server.api('GET', `${concrete(path)}?accountIdentifier=${server.accountId}`);
      // Assess
      expect([200, 400, 404]).toContain(answer.status);
      expect(revealed(answer.body, path)).not.toContain(SECRET);
    },
  );

  it("does not let A check access on B's resources or for B's principals", async () => {
    // Act
    const answer = await server.api(
      'POST',
      `/authz/api/acl?accountIdentifier=${server.accountId}&explain=true`,
      {
        body: {
          principal: { principalType: 'SERVICE_ACCOUNT', principalIdentifier: `${SECRET}_entity` },
          permissions: [
            {
              resourceScope: { accountIdentifier: accountB, orgIdentifier: `${SECRET}_org` },
              resourceType: 'ORGANIZATION',
              resourceIdentifier: `${SECRET}_org`,
              permission: 'core_organization_view',
            },
          ],
        },
      },
    );
    // Assess
    expect(answer.status).toBe(403);
    expect(answer.body.code).toBe('NG_ACCESS_DENIED');
    expect(JSON.stringify(answer.body)).not.toContain(`${SECRET}_`);
  });

  it("rejects B's token secret presented under A's account id (401, not a cross-account pass)", async () => {
    // Prepare
    const parsed = parseToken(tokenB);
    expect(parsed).toBeDefined();
    const forged = tokenB.replace(`.${accountB}.`, `.${server.accountId}.`);
    // Act
    const answer = await server.api('GET', `/ng/api/organizations?accountIdentifier=${server.accountId}`, {
      token: forged,
    });
    // Assess
    expect(answer.status).toBe(401);
  });
});
