import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalMail } from '../../functions/api/local/local-mailbox.js';
import { createStoreClient } from '../../functions/store/document-client.js';
import { localClientConfig } from '../../functions/store/dynamodb-local.js';
import { auditPk } from '../../functions/store/keys.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * The audit trail against the running server (issue 15, DESIGN §14): every management write is
 * recorded once, with its actor and token, in the write's own transaction; listed as Harness lists it
 * (`POST /audit/api/audits/list` with `AuditFilterProperties`), filtered by principal, resource,
 * action and time; only for callers holding `core_audit_view`; never with a secret.
 */

type Body = Record<string, unknown>;
interface AuditEventDto {
  auditId: string;
  insertId: string;
  action: string;
  module: string;
  timestamp: number;
  resource: { type: string; identifier: string; labels?: Record<string, string> };
  resourceScope: { accountIdentifier: string; orgIdentifier?: string };
  authenticationInfo: { principal: { type: string; identifier: string }; labels: Record<string, string> };
  requestMetadata: { clientIP?: string };
  httpRequestInfo: { requestMethod?: string };
}

let server: TestServer;
let account: string;
const q = (extra = '') => `accountIdentifier=${account}${extra}`;

async function ok(method: string, path: string, body?: Body, token?: string) {
  const reply = await server.api(method, path, { ...(body ? { body } : {}), ...(token ? { token } : {}) });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body.data;
}

async function audits(filter: Body = {}, token?: string): Promise<AuditEventDto[]> {
  const page = (await ok('POST', `/audit/api/audits/list?${q('&pageSize=100')}`, filter, token)) as {
    content: AuditEventDto[];
  };
  return page.content;
}

/** A service account holding `permissions` at the account, and its token. */
async function serviceAccount(identifier: string, permissions: string[]): Promise<string> {
  await ok('POST', `/ng/api/serviceaccount?${q()}`, {
    identifier,
    name: identifier,
    email: `${identifier}@service.harness.io`,
    accountIdentifier: account,
  });
  await ok('POST', `/authz/api/roles?${q()}`, {
    identifier: `${identifier}_role`,
    name: identifier,
    permissions,
  });
  await ok('POST', `/authz/api/roleassignments?${q()}`, {
    identifier: `${identifier}_binding`,
    roleIdentifier: `${identifier}_role`,
    resourceGroupIdentifier: '_all_resources_including_child_scopes',
    principal: { identifier, type: 'SERVICE_ACCOUNT', scopeLevel: 'account' },
  });
  await ok('POST', `/ng/api/apikey?${q()}`, {
    identifier: `${identifier}_key`,
    name: 'key',
    apiKeyType: 'SERVICE_ACCOUNT',
    parentIdentifier: identifier,
    accountIdentifier: account,
  });
  return (await ok('POST', `/ng/api/token?${q()}`, {
    identifier: `${identifier}_token`,
    name: 'token',
    apiKeyIdentifier: `${identifier}_key`,
    parentIdentifier: identifier,
    apiKeyType: 'SERVICE_ACCOUNT',
    accountIdentifier: account,
  })) as string;
}

let writerToken: string;
let nosyToken: string;
let startedAt: number;

beforeAll(async () => {
  server = await startTestServer();
  account = server.accountId;
  startedAt = Date.now();
  await ok('POST', `/ng/api/organizations?${q()}`, {
    organization: { identifier: 'audited', name: 'Audited' },
  });
  writerToken = await serviceAccount('writer', ['core_role_view', 'core_role_edit']);
  nosyToken = await serviceAccount('nosy', ['core_role_view']);
  await ok(
    'POST',
    `/authz/api/roles?${q()}`,
    { identifier: 'by_writer', name: 'By writer', permissions: ['core_role_view'] },
    writerToken,
  );
});

afterAll(async () => {
  await server.close();
});

describe('audit trail: POST /audit/api/audits/list', () => {
  it('records every write once with its actor and token, newest first', async () => {
    // Act
    const events = await audits();
    // Assess
    const created = events.filter(
      (event) => event.resource.type === 'ORGANIZATION' && event.resource.identifier === 'audited',
    );
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      action: 'CREATE',
      module: 'CORE',
      resourceScope: { accountIdentifier: account, orgIdentifier: 'audited' },
      authenticationInfo: { principal: { type: 'SERVICE_ACCOUNT', identifier: 'admin' } },
      httpRequestInfo: { requestMethod: 'POST' },
    });
    expect(created[0]?.authenticationInfo.labels.tokenIdentifier).toMatch(/^admin_token_/);
    expect(created[0]?.requestMetadata.clientIP).toBeTruthy();
    const times = events.map((event) => event.timestamp);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(new Set(events.map((event) => event.auditId)).size).toBe(events.length);
  });

  it('filters by principal, resource, action and time', async () => {
    // Act
    const byWriter = await audits({ principals: [{ type: 'SERVICE_ACCOUNT', identifier: 'writer' }] });
    const byResource = await audits({ resources: [{ type: 'ROLE', identifier: 'by_writer' }] });
    const tokens = await audits({ actions: ['CREATE_TOKEN'] });
    const future = await audits({ startTime: Date.now() + 60_000 });
    const window = await audits({ startTime: startedAt, endTime: Date.now() });
    // Assess
    expect(byWriter.map((event) => [event.action, event.resource.type, event.resource.identifier])).toEqual([
      ['CREATE', 'ROLE', 'by_writer'],
    ]);
    expect(byResource).toHaveLength(1);
    expect(tokens.map((event) => event.resource.identifier).sort()).toEqual(['nosy_token', 'writer_token']);
    expect(future).toEqual([]);
    expect(window.length).toBeGreaterThanOrEqual(byWriter.length + tokens.length);
  });

  it('shows nothing to a caller without core_audit_view', async () => {
    // Act
    const seen = await audits({}, nosyToken);
    // Assess
    expect(seen).toEqual([]);
  });

  it('answers the before and after of one event, without secrets or hashes', async () => {
    // Prepare
    const [token] = await audits({
      actions: ['CREATE_TOKEN'],
      resources: [{ type: 'TOKEN', identifier: 'writer_token' }],
    });
    // Act
    const yaml = (await ok('GET', `/audit/api/auditYaml?${q(`&auditId=${token?.auditId}`)}`)) as Body;
    const listing = JSON.stringify(await audits());
    // Assess
    expect(yaml.oldYaml).toBeUndefined();
    expect(String(yaml.newYaml)).toContain('writer_token');
    expect(String(yaml.newYaml)).not.toContain('secretHash');
    expect(listing).not.toContain(writerToken.split('.').at(-1));
    expect(listing).not.toContain(server.adminToken.split('.').at(-1));
  });

  it('records nothing for a refused write', async () => {
    // Act
    const refused = await server.api('POST', `/authz/api/roles?${q()}`, {
      token: nosyToken,
      body: { identifier: 'refused_role', name: 'x', permissions: [] },
    });
    // Assess
    expect(refused.status).toBe(403);
    expect(await audits({ resources: [{ type: 'ROLE', identifier: 'refused_role' }] })).toEqual([]);
  });

  it('records an accepted invite as done by the invitee', async () => {
    // Prepare
    await ok('POST', `/ng/api/user/users?${q()}`, { emails: ['audited@example.com'] });
    const mail = (await server.api('GET', '/local/mail', { token: null })).body as unknown as LocalMail[];
    const link = mail.filter((entry) => entry.to === 'audited@example.com').at(-1);
    // Act
    const accepted = (await ok('POST', '/ng/api/invites/accept', {
      token: link?.token,
      name: 'Audited',
    })) as {
      userId: string;
    };
    // Assess
    const invites = await audits({ actions: ['INVITE'] });
    expect(invites.map((event) => event.resource.identifier)).toContain('audited@example.com');
    const consumed = await audits({ actions: ['REVOKE_INVITE'] });
    expect(consumed[0]?.resource.labels).toEqual({ outcome: 'ACCEPTED' });
    expect(consumed[0]?.authenticationInfo.principal).toEqual({ type: 'USER', identifier: accepted.userId });
  });

  it('keeps records as long as the account setting says (PUT /audit/api/auditSettings)', async () => {
    // Prepare
    const before = (await ok('GET', `/audit/api/auditSettings?${q()}`)) as Body;
    // Act
    await ok('PUT', `/audit/api/auditSettings?${q()}`, { retentionPeriodInMonths: 24 });
    const after = (await ok('GET', `/audit/api/auditSettings?${q()}`)) as Body;
    await ok('POST', `/ng/api/organizations?${q()}`, {
      organization: { identifier: 'later', name: 'Later' },
    });
    const bad = await server.api('PUT', `/audit/api/auditSettings?${q()}`, {
      body: { retentionPeriodInMonths: 0 },
    });
    // Assess
    expect(before).toEqual({ retentionPeriodInMonths: 12 });
    expect(after).toEqual({ retentionPeriodInMonths: 24 });
    expect(bad.status).toBe(400);
    const { client } = createStoreClient(localClientConfig(server.endpoint));
    const stored = await client.send(
      new QueryCommand({
        TableName: server.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': auditPk(account) },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    const [newest] = stored.Items ?? [];
    const months = (Number(newest?.expiresAt) - Number(newest?.time) / 1000) / (30 * 24 * 3600);
    expect(Math.round(months)).toBe(24);
  });
});
