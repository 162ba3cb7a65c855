import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * Conformance with Harness's own clients (reference/harness-client-conformance.md): calls shaped as
 * the Harness UI and the Terraform provider send them, each answer checked against the DTO the client
 * declares.
 */

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

type AclAnswer = {
  principal: { principalIdentifier: string; principalType: string };
  accessControlList: Record<string, unknown>[];
};

describe('POST /authz/api/acl as the Harness UI sends it (PermissionsContext.tsx: body only)', () => {
  const uiCheck = () => ({
    resourceScope: { accountIdentifier: server.accountId, orgIdentifier: 'default' },
    resourceType: 'ORGANIZATION',
    resourceIdentifier: 'default',
    permission: 'core_organization_view',
  });

  it('answers a body without accountIdentifier in the query, echoing each check as sent', async () => {
    // Act
    const reply = await server.api('POST', '/authz/api/acl?routingId=ignored', {
      body: { permissions: [uiCheck(), { ...uiCheck(), resourceScope: { orgIdentifier: 'default' } }] },
    });
    // Assess
    expect(reply.status).toBe(200);
    const data = reply.body.data as AclAnswer;
    expect(data.principal).toEqual({ principalIdentifier: 'admin', principalType: 'SERVICE_ACCOUNT' });
    expect(data.accessControlList).toEqual([
      { ...uiCheck(), permitted: true },
      { ...uiCheck(), resourceScope: { orgIdentifier: 'default' }, permitted: true },
    ]);
  });

  it('answers 403 when a check names another account, and 401 without a token', async () => {
    // Act
    const foreign = await server.api('POST', '/authz/api/acl', {
      body: {
        permissions: [uiCheck(), { ...uiCheck(), resourceScope: { accountIdentifier: 'someone_else' } }],
      },
    });
    const anonymous = await server.api('POST', '/authz/api/acl', {
      body: { permissions: [uiCheck()] },
      token: null,
    });
    // Assess
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('NG_ACCESS_DENIED');
    expect(foreign.body.message).toContain('permissions[1].resourceScope.accountIdentifier');
    expect(anonymous.status).toBe(401);
  });

  it('still accepts the accountIdentifier query parameter', async () => {
    // Act
    const reply = await server.api('POST', `/authz/api/acl?accountIdentifier=${server.accountId}`, {
      body: { permissions: [uiCheck()] },
    });
    // Assess
    expect(reply.status).toBe(200);
    expect((reply.body.data as AclAnswer).accessControlList).toEqual([{ ...uiCheck(), permitted: true }]);
  });
});
