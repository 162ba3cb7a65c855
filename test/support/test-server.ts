import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { serve } from '../../functions/api/local/serve.js';

/** A running in-process API server for e2e tests, with a JSON client bound to it. */
export interface TestServer {
  readonly url: string;
  readonly adminToken: string;
  readonly accountId: string;
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
 * DynamoDB Local (a fresh table per server), with its own account and `.local` directory.
 */
export async function startTestServer(
  accountId = `acc_${Math.floor(Math.random() * 1e9)}`,
): Promise<TestServer> {
  const stateDir = await mkdtemp(join(tmpdir(), 'nextgen-rbac-test-'));
  const server = await serve({
    port: 0,
    accountId,
    endpoint: inject('ddbEndpoint'),
    tableName: `e2e-${accountId}`,
    stateDir,
    log: () => {},
  });
  return {
    url: server.url,
    adminToken: server.adminToken,
    accountId,
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
