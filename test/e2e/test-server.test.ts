import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('startTestServer: the in-process server e2e suites use', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('harness_check');
  });
  afterAll(async () => server.close());

  it('serves the bootstrapped account with a working admin token', async () => {
    // Act
    const { status, body } = await server.api(
      'POST',
      `/authz/api/acl?accountIdentifier=${server.accountId}`,
      {
        body: {
          permissions: [
            {
              resourceScope: { accountIdentifier: server.accountId },
              resourceType: 'ROLE',
              permission: 'core_role_edit',
            },
          ],
        },
      },
    );

    // Assess
    expect(status).toBe(200);
    expect(
      (body.data as { accessControlList: { permitted: boolean }[] }).accessControlList[0]?.permitted,
    ).toBe(true);
  });
});
