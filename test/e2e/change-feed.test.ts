import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStoreClient } from '../../functions/store/document-client.js';
import { localClientConfig } from '../../functions/store/dynamodb-local.js';
import { changeLogPk, changeSk } from '../../functions/store/keys.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

type Body = Record<string, unknown>;
interface Entity {
  operation: string;
  entityType: string;
  identifier: string;
  scope: Record<string, string>;
}
interface Feed {
  accountIdentifier: string;
  since: number;
  currentVersion: number;
  resyncRequired: boolean;
  changes: { version: number; changedAt: number; entities: Entity[] }[];
  nextSince: number;
  hasMore: boolean;
}

describe('GET /authz/api/changes: the change feed', () => {
  let server: TestServer;
  let q: string;
  let before: number;
  let botToken: string;
  const feed = async (query: string, token?: string) => {
    const reply = await server.api('GET', `/authz/api/changes?${q}&${query}`, token ? { token } : {});
    return { status: reply.status, body: reply.body, feed: reply.body.data as Feed };
  };

  beforeAll(async () => {
    // Prepare: the version before the writes, then an organization, a role created and deleted, a
    // service account with a key and a token.
    server = await startTestServer();
    q = `accountIdentifier=${server.accountId}`;
    before = (await feed('since=0&pageSize=100')).feed.currentVersion;
    const writes: [string, string, Body][] = [
      ['POST', `/ng/api/organizations?${q}`, { organization: { identifier: 'pay', name: 'Pay' } }],
      [
        'POST',
        `/authz/api/roles?${q}&orgIdentifier=pay`,
        { identifier: 'viewer', name: 'Viewer', permissions: ['core_project_view'] },
      ],
      ['DELETE', `/authz/api/roles/viewer?${q}&orgIdentifier=pay`, {}],
      [
        'POST',
        `/ng/api/serviceaccount?${q}`,
        {
          identifier: 'bot',
          name: 'Bot',
          email: 'bot@service.harness.io',
          accountIdentifier: server.accountId,
        },
      ],
      [
        'POST',
        `/ng/api/apikey?${q}`,
        {
          identifier: 'key',
          name: 'Key',
          apiKeyType: 'SERVICE_ACCOUNT',
          parentIdentifier: 'bot',
          accountIdentifier: server.accountId,
        },
      ],
      [
        'POST',
        `/ng/api/token?${q}`,
        {
          identifier: 'tok',
          name: 'Tok',
          apiKeyIdentifier: 'key',
          parentIdentifier: 'bot',
          apiKeyType: 'SERVICE_ACCOUNT',
          accountIdentifier: server.accountId,
        },
      ],
    ];
    for (const [method, path, body] of writes) {
      const reply = await server.api(method, path, method === 'DELETE' ? {} : { body });
      expect(reply.status, `${method} ${path}`).toBe(200);
      if (path.startsWith('/ng/api/token')) botToken = String(reply.body.data);
    }
  });

  afterAll(async () => {
    await server.close();
  });

  it('answers what changed after a version, in version order, with type, identifier and scope', async () => {
    // Act
    const { status, feed: answer } = await feed(`since=${before}`);

    // Assess
    expect(status).toBe(200);
    expect(answer).toMatchObject({
      accountIdentifier: server.accountId,
      since: before,
      resyncRequired: false,
    });
    const versions = answer.changes.map((change) => change.version);
    expect(versions).toEqual(Array.from({ length: versions.length }, (_, index) => before + 1 + index));
    expect(answer.nextSince).toBe(answer.currentVersion);
    expect(answer.hasMore).toBe(false);
    const entities = answer.changes.flatMap((change) => change.entities);
    expect(entities).toEqual(
      expect.arrayContaining([
        {
          operation: 'CREATE',
          entityType: 'ORGANIZATION',
          identifier: 'pay',
          scope: { accountIdentifier: server.accountId },
        },
        {
          operation: 'CREATE',
          entityType: 'ROLE',
          identifier: 'viewer',
          scope: { accountIdentifier: server.accountId, orgIdentifier: 'pay' },
        },
        {
          operation: 'DELETE',
          entityType: 'ROLE',
          identifier: 'viewer',
          scope: { accountIdentifier: server.accountId, orgIdentifier: 'pay' },
        },
        {
          operation: 'CREATE',
          entityType: 'SERVICE_ACCOUNT',
          identifier: 'bot',
          scope: { accountIdentifier: server.accountId },
        },
        {
          operation: 'CREATE',
          entityType: 'API_KEY',
          identifier: 'key',
          scope: { accountIdentifier: server.accountId },
        },
      ]),
    );
    expect(entities.some((entity) => entity.entityType === 'TOKEN' && entity.operation === 'CREATE')).toBe(
      true,
    );
    for (const change of answer.changes) expect(change.changedAt).toBeGreaterThan(Date.now() - 3_600_000);
  });

  it('pages by version: nextSince and hasMore walk the same changes one page at a time', async () => {
    // Prepare
    const whole = (await feed(`since=${before}`)).feed.changes.map((change) => change.version);
    const walked: number[] = [];
    let since = before;

    // Act
    for (;;) {
      const { feed: page } = await feed(`since=${since}&pageSize=2`);
      walked.push(...page.changes.map((change) => change.version));
      expect(page.changes.length).toBeLessThanOrEqual(2);
      since = page.nextSince;
      if (!page.hasMore) break;
    }

    // Assess
    expect(walked).toEqual(whole);
    expect((await feed(`since=${since}`)).feed).toMatchObject({
      changes: [],
      hasMore: false,
      nextSince: since,
    });
  });

  it('never answers a token, a hash or any content of the changed items', async () => {
    // Act
    const { body } = await feed('since=0&pageSize=100');

    // Assess
    const text = JSON.stringify(body);
    expect(text).not.toContain(botToken);
    expect(text).not.toContain(server.adminToken);
    expect(text).not.toMatch(/tokenHash|hash|permissions|"name"/i);
  });

  it('refuses a caller without core_acl_check (403) and bad input (400 naming the field)', async () => {
    // Act
    const denied = await feed(`since=${before}`, botToken);
    const noSince = await server.api('GET', `/authz/api/changes?${q}`);
    const badSize = await feed(`since=${before}&pageSize=101`);
    const future = await feed('since=999999');

    // Assess
    expect(denied.status).toBe(403);
    expect(String(denied.body.message)).toContain('core_acl_check');
    expect(noSince.status).toBe(400);
    expect(JSON.stringify(noSince.body)).toContain('since');
    expect(badSize.status).toBe(400);
    expect(JSON.stringify(badSize.body)).toContain('pageSize');
    expect(future.status).toBe(400);
    expect(JSON.stringify(future.body)).toContain('since');
  });

  it('tells a consumer that fell behind the retained log to resync', async () => {
    // Prepare: the first versions after `before` expire from the log (as TTL would remove them).
    const { client, destroy } = createStoreClient(localClientConfig(server.endpoint));
    for (const version of [before + 1, before + 2]) {
      await client.send(
        new DeleteCommand({
          TableName: server.tableName,
          Key: { PK: changeLogPk(server.accountId), SK: changeSk(version) },
        }),
      );
    }
    destroy();

    // Act
    const { feed: answer } = await feed(`since=${before}`);
    const later = await feed(`since=${before + 2}`);

    // Assess
    expect(answer).toMatchObject({ resyncRequired: true, changes: [], hasMore: false });
    expect(answer.nextSince).toBe(answer.currentVersion);
    expect(later.feed.resyncRequired).toBe(false);
    expect(later.feed.changes[0]?.version).toBe(before + 3);
  });
});
