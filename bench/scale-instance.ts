import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startHttpServer } from '../functions/api/http/local-server.js';
import { createHttpHandler } from '../functions/api/http/router.js';
import { apiRoutes } from '../functions/api/routes.js';
import type { Scope } from '../functions/core/scope.js';
import { createStoreClient, LOCAL_STORE_TIMEOUTS } from '../functions/store/document-client.js';
import { localClientConfig } from '../functions/store/dynamodb-local.js';
import { PolicyCache } from '../functions/store/policy-cache.js';
import type { SnapshotStore } from '../functions/store/snapshots/snapshot-store.js';

/**
 * API instances for the scale phase of `npm run bench`: each with its own store client, policy cache
 * (with snapshots), router and local HTTP server, as a Lambda instance has; and the requests sent to them.
 */

/** One API instance: its own store client, policy cache (with snapshots), router and HTTP server. */
export interface Instance {
  readonly url: string;
  readonly client: DynamoDBDocumentClient;
  readonly cache: PolicyCache;
  close(): Promise<void>;
}

/** Starts an instance on the table and snapshot store (a fresh, cold cache), served on a free port. */
export async function startInstance(
  endpoint: string,
  tableName: string,
  snapshots: SnapshotStore,
): Promise<Instance> {
  const { client, raw } = createStoreClient(localClientConfig(endpoint), LOCAL_STORE_TIMEOUTS);
  const cache = new PolicyCache({ client, tableName, now: Date.now, snapshots });
  const target = { client, tableName, now: Date.now };
  // A long local deadline: the bench measures how long a cold check takes, even past the Lambda timeout.
  const handler = createHttpHandler(apiRoutes({ cache, target, now: Date.now }), {
    localDeadlineMs: 600_000,
  });
  const server = await startHttpServer({ handler, port: 0, host: '127.0.0.1' });
  return {
    url: server.url,
    client,
    cache,
    close: async () => {
      await server.close();
      raw.destroy();
    },
  };
}

/** Runs `use` with `count` more instances over the table, closed afterwards. */
export async function withInstances<T>(
  endpoint: string,
  tableName: string,
  snapshots: SnapshotStore,
  count: number,
  use: (instances: Instance[]) => Promise<T>,
): Promise<T> {
  const instances: Instance[] = [];
  try {
    for (let n = 0; n < count; n++) instances.push(await startInstance(endpoint, tableName, snapshots));
    return await use(instances);
  } finally {
    for (const instance of instances) await instance.close();
  }
}

/** Sends one JSON request; throws unless it answers `expected`. Returns the elapsed ms and the body. */
export async function send(
  url: string,
  token: string,
  method: string,
  body?: unknown,
  expected = 200,
): Promise<{ ms: number; body: { data?: Record<string, unknown> } }> {
  const start = performance.now();
  const response = await fetch(url, {
    method,
    headers: { 'x-api-key': token, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const ms = performance.now() - start;
  if (response.status !== expected) throw new Error(`${method} ${url} answered ${response.status}: ${text}`);
  return { ms, body: text ? JSON.parse(text) : {} };
}

/** A delegated check for `userId` on a project pipeline: what a client of the authorize API asks. */
export function checkBody(userId: string, project: Scope): unknown {
  return {
    principal: { principalIdentifier: userId, principalType: 'USER' },
    permissions: [
      {
        permission: 'core_pipeline_view',
        resourceType: 'PIPELINE',
        resourceIdentifier: 'r1',
        resourceScope:
          project.level === 'project'
            ? {
                accountIdentifier: project.accountIdentifier,
                orgIdentifier: project.orgIdentifier,
                projectIdentifier: project.projectIdentifier,
              }
            : { accountIdentifier: project.accountIdentifier },
      },
    ],
  };
}

/** The ACL endpoint of `instance` for `accountId`. */
export function aclUrl(instance: Instance, accountId: string): string {
  return `${instance.url}/authz/api/acl?accountIdentifier=${accountId}`;
}
