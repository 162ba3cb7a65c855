import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { startHttpServer } from '../../functions/api/http/local-server.js';
import { createHttpHandler, type Route } from '../../functions/api/http/router.js';
import { createLocalMailbox } from '../../functions/api/local/local-mailbox.js';
import { localRoutes } from '../../functions/api/local/local-routes.js';
import { createOffsetClock } from '../../functions/api/local/offset-clock.js';
import { INVITE_PAGE_PATH, serve } from '../../functions/api/local/serve.js';
import type { ManagementContext } from '../../functions/api/management/management-context.js';
import type { OidcSettings } from '../../functions/api/oidc/oidc-settings.js';
import { apiRoutes } from '../../functions/api/routes.js';
import { bootstrapAccount, mintedToken } from '../../functions/store/bootstrap-account.js';
import {
  type ChangeOperation,
  commitChange,
  readAccountVersion,
  VersionConflictError,
} from '../../functions/store/change-log.js';
import { ensureTable } from '../../functions/store/create-table.js';
import { createStoreClient, LOCAL_STORE_TIMEOUTS } from '../../functions/store/document-client.js';
import { localClientConfig } from '../../functions/store/dynamodb-local.js';
import { PolicyCache } from '../../functions/store/policy-cache.js';

/** A running in-process API server for e2e tests, with a JSON client bound to it. */
export interface TestServer {
  readonly url: string;
  readonly adminToken: string;
  readonly accountId: string;
  /** The server's table (on the run's shared DynamoDB Local), for tests that write items directly. */
  readonly tableName: string;
  /** The endpoint of the DynamoDB Local the server uses. */
  readonly endpoint: string;
  /** Sends a request; `token` defaults to the admin token (pass `null` for none). */
  api(
    method: string,
    path: string,
    options?: { body?: unknown; token?: string | null; rawBody?: string },
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

/**
 * Starts the same server `npm start` runs, in process, on a free port, against the run's shared
 * DynamoDB Local (a fresh table per server), with its own account and `.local` directory; with
 * `options.oidc`, OIDC bearer tokens of that issuer are accepted and the console offers sign-in through it.
 */
export async function startTestServer(
  accountId = `acc_${Math.floor(Math.random() * 1e9)}`,
  options: { readonly oidc?: OidcSettings } = {},
): Promise<TestServer> {
  const stateDir = await mkdtemp(join(tmpdir(), 'nextgen-rbac-test-'));
  const server = await serve({
    port: 0,
    accountId,
    endpoint: inject('ddbEndpoint'),
    blobEndpoint: inject('blobEndpoint'),
    tableName: `e2e-${accountId}`,
    stateDir,
    log: () => {},
    ...(options.oidc ? { oidc: options.oidc } : {}),
  });
  if (server.adminToken === undefined) throw new Error('a fresh test table must get an admin token');
  return {
    url: server.url,
    adminToken: server.adminToken,
    accountId,
    tableName: `e2e-${accountId}`,
    endpoint: inject('ddbEndpoint'),
    async api(method, path, options = {}) {
      const token = options.token === undefined ? server.adminToken : options.token;
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { 'x-api-key': token } : {}) },
        ...(options.rawBody !== undefined
          ? { body: options.rawBody }
          : options.body !== undefined
            ? { body: JSON.stringify(options.body) }
            : {}),
      });
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    },
    async close() {
      await server.close();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

/** A {@link TestServer} whose account can also be written directly, for state no endpoint creates yet. */
export interface SeedableTestServer extends TestServer {
  /** Commits `operations` to the server's account in one change-log transaction, as an endpoint would. */
  seed(operations: readonly ChangeOperation[]): Promise<void>;
  /** The server's clock (epoch ms; moved by `POST /local/clock`). */
  now(): number;
}

/**
 * Starts an in-process server like {@link startTestServer} (same handler chain, bootstrap and
 * `/local/*` routes, a fresh table on the run's DynamoDB Local) that also serves `extraRoutes`, for
 * routes not yet registered in `apiRoutes`; an extra route whose method and path `apiRoutes` already
 * serves is left out, so a suite keeps working once its routes are registered.
 */
export async function startTestServerWithRoutes(
  extraRoutes: (context: ManagementContext) => Route[],
  accountId = `acc_${Math.floor(Math.random() * 1e9)}`,
  options: { readonly localDeadlineMs?: number } = {},
): Promise<SeedableTestServer> {
  const { client, raw } = createStoreClient(localClientConfig(inject('ddbEndpoint')), LOCAL_STORE_TIMEOUTS);
  const tableName = `e2e-${accountId}`;
  await ensureTable(raw, tableName);
  const clock = createOffsetClock();
  const target = { client, tableName, now: clock.now };
  const adminToken = mintedToken(await bootstrapAccount(target, accountId));
  const mailbox = createLocalMailbox();
  let acceptUrlBase = INVITE_PAGE_PATH;
  const context: ManagementContext = {
    cache: new PolicyCache({ client, tableName, now: clock.now }),
    target,
    now: clock.now,
    invites: { notifier: mailbox, acceptUrlBase: () => acceptUrlBase },
  };
  const base = apiRoutes(context);
  const served = new Set(base.map((route) => `${route.method} ${route.path}`));
  const extra = extraRoutes(context).filter((route) => !served.has(`${route.method} ${route.path}`));
  const handler = createHttpHandler(
    [...base, ...extra, ...localRoutes(clock, { mailbox, client, tableName, now: clock.now })],
    options.localDeadlineMs === undefined ? {} : { localDeadlineMs: options.localDeadlineMs },
  );
  const server = await startHttpServer({ handler, port: 0, host: '127.0.0.1' });
  acceptUrlBase = `${server.url}${INVITE_PAGE_PATH}`;
  return {
    url: server.url,
    adminToken,
    accountId,
    tableName,
    endpoint: inject('ddbEndpoint'),
    now: clock.now,
    async api(method, path, options = {}) {
      const token = options.token === undefined ? adminToken : options.token;
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { 'x-api-key': token } : {}) },
        ...(options.rawBody !== undefined
          ? { body: options.rawBody }
          : options.body !== undefined
            ? { body: JSON.stringify(options.body) }
            : {}),
      });
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    },
    async seed(operations) {
      for (;;) {
        const version = await readAccountVersion(target, accountId);
        if (version === undefined) throw new Error(`account ${accountId} does not exist`);
        try {
          await commitChange(target, accountId, version, operations);
          return;
        } catch (error) {
          if (!(error instanceof VersionConflictError)) throw error;
        }
      }
    },
    async close() {
      await server.close();
      raw.destroy();
    },
  };
}
