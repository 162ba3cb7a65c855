import { expect } from 'vitest';
import type { TestServer } from './test-server.js';

type Body = Record<string, unknown>;

/**
 * Creates (as the server's admin) a service account holding `permissions` at the account through a
 * custom role `<identifier>_role` over `resourceGroupIdentifier`, and answers a token of it.
 */
export async function serviceAccountWith(
  server: TestServer,
  identifier: string,
  permissions: string[],
  resourceGroupIdentifier = '_all_account_level_resources',
): Promise<string> {
  const q = `accountIdentifier=${server.accountId}`;
  const admin = async (method: string, path: string, body: Body) => {
    const reply = await server.api(method, path, { body });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    return reply;
  };
  await admin('POST', `/ng/api/serviceaccount?${q}`, {
    identifier,
    name: identifier,
    email: `${identifier}@service.harness.io`,
    accountIdentifier: server.accountId,
  });
  await admin('POST', `/authz/api/roles?${q}`, {
    identifier: `${identifier}_role`,
    name: `${identifier} role`,
    permissions,
  });
  await admin('POST', `/authz/api/roleassignments?${q}`, {
    identifier: `${identifier}_binding`,
    roleIdentifier: `${identifier}_role`,
    resourceGroupIdentifier,
    principal: { identifier, type: 'SERVICE_ACCOUNT', scopeLevel: 'account' },
  });
  await admin('POST', `/ng/api/apikey?${q}`, {
    identifier: `${identifier}_key`,
    name: 'key',
    apiKeyType: 'SERVICE_ACCOUNT',
    parentIdentifier: identifier,
    accountIdentifier: server.accountId,
  });
  const token = await admin('POST', `/ng/api/token?${q}`, {
    identifier: `${identifier}_token`,
    name: 'token',
    apiKeyIdentifier: `${identifier}_key`,
    parentIdentifier: identifier,
    apiKeyType: 'SERVICE_ACCOUNT',
    accountIdentifier: server.accountId,
  });
  return token.body.data as string;
}
