import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { type RunningServer, serve } from '../../functions/api/local/serve.js';

/**
 * DESIGN §8: a start on an existing table changes nothing an admin changed — deleted default bindings
 * stay deleted, a deleted `admin` service account is not re-created — mints a new admin token only
 * when asked, and `.local/admin-token` keeps working across restarts.
 */

const accountId = `restart_${Math.floor(Math.random() * 1e9)}`;
const tableName = `e2e-${accountId}`;
let stateDir: string;
const running: RunningServer[] = [];

async function start(newAdminToken = false): Promise<RunningServer> {
  stateDir ??= await mkdtemp(join(tmpdir(), 'nextgen-rbac-restart-'));
  const server = await serve({
    port: 0,
    accountId,
    endpoint: inject('ddbEndpoint'),
    tableName,
    stateDir,
    log: () => {},
    ...(newAdminToken ? { newAdminToken } : {}),
  });
  running.push(server);
  return server;
}

async function call(server: RunningServer, method: string, path: string, token: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'x-api-key': token },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function stop(server: RunningServer): Promise<void> {
  await server.close();
  running.splice(running.indexOf(server), 1);
}

afterAll(async () => {
  for (const server of running) await server.close();
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

const q = `accountIdentifier=${accountId}`;

describe('serve on an existing table', () => {
  it('keeps what an admin changed, and the admin token file keeps working', async () => {
    // Prepare
    const first = await start();
    const token = first.adminToken as string;
    const deleted = await call(
      first,
      'DELETE',
      `/authz/api/roleassignments/_default_account_viewer?${q}`,
      token,
    );
    expect(deleted.status).toBe(200);
    await stop(first);
    // Act
    const second = await start();
    // Assess
    expect(second.adminToken).toBe(token);
    expect((await readFile(join(stateDir, 'admin-token'), 'utf8')).trim()).toBe(token);
    const binding = await call(
      second,
      'GET',
      `/authz/api/roleassignments/_default_account_viewer?${q}`,
      token,
    );
    expect(binding.status).toBe(404);
    await stop(second);
  });

  it('mints a new admin token only when asked, and never re-creates a deleted admin', async () => {
    // Prepare
    const server = await start(true);
    const fresh = server.adminToken as string;
    const old = (await readFile(join(stateDir, 'admin-token'), 'utf8')).trim();
    expect(old).toBe(fresh);
    const root = await call(server, 'POST', `/ng/api/serviceaccount?${q}`, fresh, {
      identifier: 'root',
      name: 'Root',
      email: 'root@service.harness.io',
      accountIdentifier: accountId,
    });
    expect(root.status).toBe(200);
    const bound = await call(server, 'POST', `/authz/api/roleassignments?${q}`, fresh, {
      identifier: 'root_admin',
      roleIdentifier: '_account_admin',
      resourceGroupIdentifier: '_all_resources_including_child_scopes',
      principal: { identifier: 'root', type: 'SERVICE_ACCOUNT', scopeLevel: 'account' },
    });
    expect(bound.status).toBe(200);
    const removed = await call(server, 'DELETE', `/ng/api/serviceaccount/admin?${q}`, fresh);
    expect(removed.status).toBe(200);
    await stop(server);
    // Act
    const again = await start();
    // Assess: the deleted admin's token went with it, and nothing re-created either.
    expect(again.adminToken).toBeUndefined();
    expect((await call(again, 'GET', `/ng/api/organizations?${q}`, fresh)).status).toBe(401);
    await stop(again);
    await expect(start(true)).rejects.toThrow(/admin/);
  });
});
