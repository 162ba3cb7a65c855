import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { aclRoute } from '../../../functions/api/acl/acl-route.js';
import { createHttpHandler } from '../../../functions/api/http/router.js';
import { oidcVerifier } from '../../../functions/api/oidc/oidc-verifier.js';
import { localClientConfig } from '../../../functions/store/dynamodb-local.js';
import { PolicyCache } from '../../../functions/store/policy-cache.js';
import { applyPlan, readAccountItems } from '../../../migration/apply/apply-plan.js';
import { parseExport } from '../../../migration/firstgen/parse-export.js';
import { mapExport } from '../../../migration/mapping/map-export.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { httpEvent } from '../../unit/api/http/http-event.js';

const fgExport = parseExport(
  JSON.parse(readFileSync(new URL('../../../examples/firstgen-export.json', import.meta.url), 'utf8')),
);
const ISSUER = 'https://login.example.com/';
const AUDIENCE = 'nextgen-rbac';

describe('migrated users exist: listed, readable, removable, able to sign in', () => {
  let server: TestServer;
  let target: Parameters<typeof applyPlan>[0];

  beforeAll(async () => {
    // Prepare: a running server and the example export applied to its account.
    server = await startTestServer();
    const client = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(inject('ddbEndpoint'))), {
      marshallOptions: { removeUndefinedValues: true },
    });
    target = { client, tableName: server.tableName, now: Date.now };
    await applyPlan(
      target,
      mapExport(fgExport, { targetAccountId: server.accountId, orgIdentifier: 'default' }),
    );
  });

  afterAll(async () => {
    await server?.close();
  });

  it('lists every exported user as an active member of the account', async () => {
    // Act
    const response = await server.api(
      'GET',
      `/ng/api/user/users?accountIdentifier=${server.accountId}&pageSize=100`,
    );
    // Assess
    expect(response.status).toBe(200);
    const listed = (response.body.data as { content: { userId: string; email: string; status: string }[] })
      .content;
    expect(listed.map((user) => user.userId).sort()).toEqual(fgExport.users.map((user) => user.id).sort());
    expect(new Set(listed.map((user) => user.status))).toEqual(new Set(['ACTIVE']));
    expect(listed.find((user) => user.userId === 'pQ8rS2tUVwXyZaBcDeFgHi')?.email).toBe('pat@example.com');
  });

  it('answers GET /ng/api/user/{id} for a migrated user', async () => {
    // Act
    const response = await server.api(
      'GET',
      `/ng/api/user/pQ8rS2tUVwXyZaBcDeFgHi?accountIdentifier=${server.accountId}`,
    );
    // Assess
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ userId: 'pQ8rS2tUVwXyZaBcDeFgHi', status: 'ACTIVE' });
  });

  it('lets a migrated user sign in through OIDC by e-mail and act with the migrated access', async () => {
    // Prepare
    const provider = await generateKeyPair('RS256');
    const keys = createLocalJWKSet({
      keys: [{ ...(await exportJWK(provider.publicKey)), kid: 'k1', alg: 'RS256' }],
    });
    const now = Date.now();
    const handler = createHttpHandler([aclRoute(new PolicyCache(target), () => now)], {
      verifyIdentity: oidcVerifier({ issuer: ISSUER, audience: AUDIENCE }, () => now, keys),
    });
    const token = await new SignJWT({ email: 'Pat@example.com', email_verified: true })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(Math.floor(now / 1000) - 60)
      .setExpirationTime(Math.floor(now / 1000) + 600)
      .sign(provider.privateKey);
    const project = {
      accountIdentifier: server.accountId,
      orgIdentifier: 'default',
      projectIdentifier: 'paymentsApp',
    };
    // Act
    const response = await handler(
      httpEvent('POST', '/authz/api/acl', {
        query: { accountIdentifier: server.accountId },
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          permissions: ['hotfix', 'release'].map((pipeline) => ({
            resourceScope: project,
            resourceType: 'PIPELINE',
            resourceIdentifier: pipeline,
            permission: 'core_pipeline_execute',
          })),
        }),
      }),
    );
    // Assess
    expect(response.statusCode).toBe(200);
    const data = JSON.parse(String(response.body)).data;
    expect(data.principal).toEqual({ principalIdentifier: 'pQ8rS2tUVwXyZaBcDeFgHi', principalType: 'USER' });
    expect(data.accessControlList.map((entry: { permitted: boolean }) => entry.permitted)).toEqual([
      true,
      false,
    ]);
  });

  it('removes NextGen’s default all-users view (it would give migrated users views FirstGen did not give)', async () => {
    // Act
    const items = await readAccountItems(target, server.accountId);
    // Assess
    const defaultViews = [...items.values()].filter(
      (item) => item.entity === 'RoleAssignment' && item.identifier === '_default_account_viewer',
    );
    expect(defaultViews).toEqual([]);
  });

  it('removes a migrated user with DELETE, from the account and from its groups', async () => {
    // Act
    const removed = await server.api(
      'DELETE',
      `/ng/api/user/kL3mN4oP5qR6sT7uV8wX9y?accountIdentifier=${server.accountId}`,
    );
    const after = await server.api(
      'GET',
      `/ng/api/user/kL3mN4oP5qR6sT7uV8wX9y?accountIdentifier=${server.accountId}`,
    );
    // Assess
    expect(removed.status).toBe(200);
    expect(after.status).toBe(404);
    const items = await readAccountItems(target, server.accountId);
    const groups = [...items.values()].filter((item) => item.entity === 'UserGroup');
    expect(groups.flatMap((group) => group.users as string[])).not.toContain('kL3mN4oP5qR6sT7uV8wX9y');
  });
});
