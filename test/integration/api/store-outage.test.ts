import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { startHttpServer } from '../../../functions/api/http/local-server.js';
import { createHttpHandler } from '../../../functions/api/http/router.js';
import { type RunningServer, serve } from '../../../functions/api/local/serve.js';
import { apiRoutes } from '../../../functions/api/routes.js';
import { createStoreClient } from '../../../functions/store/document-client.js';
import { localClientConfig, startDynamoDbLocal } from '../../../functions/store/dynamodb-local.js';
import { PolicyCache } from '../../../functions/store/policy-cache.js';
import { startStallProxy } from '../../support/stall-proxy.js';

/**
 * DESIGN §4, fail closed in time: with a store that stalls (accepts connections, never answers) or
 * is gone (a DynamoDB Local that was stopped), checks, management reads and the deep health check
 * answer 503 within a few seconds — never an allow, never a 500, never a 30 s hang.
 */

/** The bound the store timeouts promise (about 4 s for a stalled store) plus room for a loaded machine. */
const IN_TIME_MS = 7_000;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function timed(request: () => Promise<Response>) {
  const started = Date.now();
  const response = await request();
  const text = await response.text();
  return {
    status: response.status,
    body: JSON.parse(text) as Record<string, unknown>,
    ms: Date.now() - started,
  };
}

function checks(accountId: string) {
  return {
    permissions: [
      {
        resourceScope: { accountIdentifier: accountId },
        resourceType: 'SECRET',
        permission: 'core_secret_view',
      },
    ],
  };
}

/** The answers of an ACL check, a management read and the two health checks, sent together, each timed. */
async function probeAll(url: string, accountId: string, token: string) {
  const headers = { 'x-api-key': token, 'content-type': 'application/json' };
  const [acl, read, deep, plain] = await Promise.all([
    timed(() =>
      fetch(`${url}/authz/api/acl?accountIdentifier=${accountId}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(checks(accountId)),
      }),
    ),
    timed(() => fetch(`${url}/ng/api/organizations?accountIdentifier=${accountId}`, { headers })),
    timed(() => fetch(`${url}/health?deep=true`)),
    timed(() => fetch(`${url}/health`)),
  ]);
  return { acl, read, deep, plain };
}

function expectUnavailableInTime(answer: { status: number; body: Record<string, unknown>; ms: number }) {
  expect(answer.status).toBe(503);
  expect(answer.body).toMatchObject({ status: 'ERROR', code: 'SERVICE_UNAVAILABLE' });
  expect(JSON.stringify(answer.body)).not.toContain('permitted');
  expect(answer.ms).toBeLessThan(IN_TIME_MS);
}

async function startServer(
  endpoint: string,
  accountId: string,
  requestDeadlineMs?: number,
): Promise<RunningServer> {
  const stateDir = await mkdtemp(join(tmpdir(), 'nextgen-rbac-outage-'));
  const server = await serve({
    port: 0,
    accountId,
    endpoint,
    tableName: `outage-${accountId}`,
    stateDir,
    log: () => {},
    ...(requestDeadlineMs === undefined ? {} : { requestDeadlineMs }),
  });
  cleanups.push(async () => {
    await server.close();
    await rm(stateDir, { recursive: true, force: true });
  });
  return server;
}

describe('Fail closed in time when the store stalls or is gone', () => {
  it('answers 503 in time on a cold server whose store accepts connections and never answers', async () => {
    // Prepare: the product's handler chain over a store that never answers
    const stalled = await startStallProxy();
    cleanups.push(() => stalled.close());
    const { client, destroy } = createStoreClient(localClientConfig(stalled.endpoint));
    cleanups.push(async () => destroy());
    const target = { client, tableName: 'stalled', now: Date.now };
    const handler = createHttpHandler(apiRoutes({ cache: new PolicyCache(target), target, now: Date.now }));
    const server = await startHttpServer({ handler });
    cleanups.push(() => server.close());

    // Act
    const answers = await probeAll(server.url, 'cold', 'sat.cold.tok1.secret');

    // Assess
    expectUnavailableInTime(answers.acl);
    expectUnavailableInTime(answers.read);
    expectUnavailableInTime(answers.deep);
    expect(answers.plain).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('answers 503 in time on a warm server once its store stalls, and never an allow', async () => {
    // Prepare: a server that has answered through the proxy, then the proxy stops answering
    const proxy = await startStallProxy(inject('ddbEndpoint'));
    cleanups.push(() => proxy.close());
    const server = await startServer(proxy.endpoint, 'warmstall');
    const before = await probeAll(server.url, 'warmstall', server.adminToken ?? '');
    expect(before.acl.status).toBe(200);
    expect(before.acl.body).toMatchObject({ data: { accessControlList: [{ permitted: true }] } });
    expect(before.deep).toMatchObject({ status: 200, body: { status: 'ok', store: 'ok' } });
    proxy.stall();

    // Act
    const answers = await probeAll(server.url, 'warmstall', server.adminToken ?? '');

    // Assess
    expectUnavailableInTime(answers.acl);
    expectUnavailableInTime(answers.read);
    expectUnavailableInTime(answers.deep);
    expect(answers.plain.status).toBe(200);
  });

  it('answers 503 in time once its DynamoDB Local is stopped', async () => {
    // Prepare: a second DynamoDB Local, a server over it, warm; then the store is killed
    const ddb = await startDynamoDbLocal();
    cleanups.push(() => ddb.stop());
    const server = await startServer(ddb.endpoint, 'killed');
    const before = await probeAll(server.url, 'killed', server.adminToken ?? '');
    expect(before.acl.body).toMatchObject({ data: { accessControlList: [{ permitted: true }] } });
    await ddb.stop();

    // Act
    const answers = await probeAll(server.url, 'killed', server.adminToken ?? '');

    // Assess
    expectUnavailableInTime(answers.acl);
    expectUnavailableInTime(answers.read);
    expectUnavailableInTime(answers.deep);
    expect(answers.plain.status).toBe(200);
  });

  it('answers 503 DEADLINE_EXCEEDED, not 500, when a request runs past the local deadline', async () => {
    // Prepare: a deadline shorter than the store timeouts, then a stalled store
    const proxy = await startStallProxy(inject('ddbEndpoint'));
    cleanups.push(() => proxy.close());
    const server = await startServer(proxy.endpoint, 'deadline', 800);
    proxy.stall();

    // Act
    const answers = await probeAll(server.url, 'deadline', server.adminToken ?? '');

    // Assess
    for (const answer of [answers.acl, answers.read]) {
      expect(answer.status).toBe(503);
      expect(answer.body).toMatchObject({ status: 'ERROR', code: 'DEADLINE_EXCEEDED' });
      expect(answer.ms).toBeLessThan(3_000);
    }
  });
});
