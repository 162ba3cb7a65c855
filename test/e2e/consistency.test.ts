import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.js';

describe('consistency tokens and modes (local server)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server?.close();
  });

  const check = (headers: Record<string, string>) =>
    fetch(`${server.url}/authz/api/acl?accountIdentifier=${server.accountId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': server.adminToken, ...headers },
      body: JSON.stringify({
        permissions: [
          {
            resourceScope: { accountIdentifier: server.accountId, orgIdentifier: 'default' },
            resourceType: 'PROJECT',
            permission: 'core_project_create',
          },
        ],
      }),
    });

  it('answers a successful write with the account version it produced, and a failed one without', async () => {
    // Act
    const created = await fetch(`${server.url}/ng/api/organizations?accountIdentifier=${server.accountId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': server.adminToken },
      body: JSON.stringify({ organization: { identifier: 'tokens', name: 'Tokens' } }),
    });
    const duplicate = await fetch(
      `${server.url}/ng/api/organizations?accountIdentifier=${server.accountId}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': server.adminToken },
        body: JSON.stringify({ organization: { identifier: 'tokens', name: 'Tokens' } }),
      },
    );
    const token = created.headers.get('x-rbac-consistency-token');
    const fresh = await check({
      'x-rbac-consistency': 'at-least-as-fresh',
      'x-rbac-consistency-token': String(token),
    });

    // Assess
    expect(created.status).toBe(200);
    expect(token).toMatch(/^\d+$/);
    expect(duplicate.status).toBe(409);
    expect(duplicate.headers.get('x-rbac-consistency-token')).toBeNull();
    expect(fresh.status).toBe(200);
    const data = (await fresh.json()) as { data: { accessControlList: { permitted: boolean }[] } };
    expect(data.data.accessControlList[0]?.permitted).toBe(true);
  });

  it.each([['fully-consistent'], ['minimize-latency']])('answers a check asked %s', async (mode) => {
    const response = await check({ 'x-rbac-consistency': mode });
    expect(response.status).toBe(200);
  });

  it.each([
    ['an unknown mode', { 'x-rbac-consistency': 'eventually' }, 'x-rbac-consistency'],
    [
      'at-least-as-fresh without a token',
      { 'x-rbac-consistency': 'at-least-as-fresh' },
      'x-rbac-consistency-token',
    ],
    [
      'at-least-as-fresh with a malformed token',
      { 'x-rbac-consistency': 'at-least-as-fresh', 'x-rbac-consistency-token': 'v1.abc' },
      'x-rbac-consistency-token',
    ],
  ])('refuses %s with 400 naming the header', async (_name, headers, field) => {
    const response = await check(headers);
    const body = (await response.json()) as { errors: unknown[] };
    expect(response.status).toBe(400);
    expect(body.errors).toEqual([expect.objectContaining({ fieldId: field })]);
  });
});
