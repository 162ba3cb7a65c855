import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../../bin/nextgen-rbac.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

let child: ChildProcess;
let base: string;
let adminToken: string;
let workDir: string;

async function api(path: string, init: { method?: string; token?: string; body?: unknown } = {}) {
  const response = await fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      'content-type': 'application/json',
      ...(init.token ? { 'x-api-key': init.token } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const acl = (body: unknown, query = 'accountIdentifier=e2e', token = adminToken) =>
  api(`/authz/api/acl?${query}`, { method: 'POST', token, body });

describe('npm start: the local server as a new user runs it', () => {
  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'nextgen-rbac-e2e-'));
    child = spawn(process.execPath, ['--import', TSX, CLI, 'serve'], {
      cwd: workDir,
      env: { ...process.env, PORT: '0', RBAC_ACCOUNT_ID: 'e2e' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    base = await new Promise<string>((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 90_000);
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const token = /Admin token: (sat\.\S+)/.exec(output);
        const listening = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (token?.[1]) adminToken = token[1];
        if (listening?.[1] && adminToken) {
          clearTimeout(timer);
          resolvePromise(listening[1]);
        }
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
    });
  });

  afterAll(async () => {
    child?.kill('SIGTERM');
    await new Promise((resolvePromise) => child?.once('exit', resolvePromise));
    await rm(workDir, { recursive: true, force: true });
  });

  it('answers GET /health with 200 {"status":"ok"}', async () => {
    expect(await api('/health')).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('writes the admin token and the DynamoDB endpoint under .local', async () => {
    const token = (await readFile(join(workDir, '.local/admin-token'), 'utf8')).trim();
    const ddb = JSON.parse(await readFile(join(workDir, '.local/dynamodb.json'), 'utf8'));
    expect(token).toBe(adminToken);
    expect(ddb).toMatchObject({
      endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      tableName: expect.any(String),
    });
  });

  it('lets the admin create organizations anywhere in the account, with an explanation', async () => {
    // Act
    const { status, body } = await acl(
      {
        permissions: [
          {
            resourceScope: { accountIdentifier: 'e2e' },
            resourceType: 'ORGANIZATION',
            permission: 'core_organization_create',
          },
          {
            resourceScope: { accountIdentifier: 'e2e', orgIdentifier: 'default', projectIdentifier: 'any' },
            resourceType: 'PIPELINE',
            resourceIdentifier: 'deploy',
            permission: 'core_pipeline_execute',
          },
          {
            resourceScope: { accountIdentifier: 'e2e' },
            resourceType: 'SECRET',
            permission: 'core_pipeline_view',
          },
        ],
      },
      'accountIdentifier=e2e&explain=true',
    );

    // Assess
    expect(status).toBe(200);
    expect(body.status).toBe('SUCCESS');
    const data = body.data as { principal: unknown; accessControlList: Record<string, unknown>[] };
    expect(data.principal).toEqual({ principalIdentifier: 'admin', principalType: 'SERVICE_ACCOUNT' });
    expect(data.accessControlList.map((entry) => entry.permitted)).toEqual([true, true, false]);
    expect(data.accessControlList[0]?.explanation).toEqual({
      roleAssignmentIdentifier: 'admin_account_admin',
      roleIdentifier: '_account_admin',
      resourceGroupIdentifier: '_all_resources_including_child_scopes',
      scope: { accountIdentifier: 'e2e' },
    });
    expect(data.accessControlList[2]?.reason).toEqual(expect.stringContaining('does not apply'));
  });

  it('checks for another principal when the caller holds core_acl_check', async () => {
    // Act
    const { status, body } = await acl({
      principal: { principalIdentifier: 'nobody', principalType: 'USER' },
      permissions: [
        {
          resourceScope: { accountIdentifier: 'e2e' },
          resourceType: 'SECRET',
          permission: 'core_secret_view',
        },
      ],
    });

    // Assess
    expect(status).toBe(200);
    expect(
      (body.data as { accessControlList: { permitted: boolean }[] }).accessControlList[0]?.permitted,
    ).toBe(false);
  });

  it.each([
    ['no token', undefined, 'accountIdentifier=e2e', 401],
    ['a malformed token', 'not-a-token', 'accountIdentifier=e2e', 401],
    ['an unknown token', 'sat.e2e.unknownTokenId00000000.secret', 'accountIdentifier=e2e', 401],
    ['a token of another account', 'sat.other.unknownTokenId00000000.secret', 'accountIdentifier=e2e', 401],
  ])('refuses %s with %i', async (_name, token, query, status) => {
    const response = await api(`/authz/api/acl?${query}`, {
      method: 'POST',
      body: { permissions: [] },
      ...(token ? { token } : {}),
    });
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ status: 'ERROR', code: 'UNAUTHORIZED' });
  });

  it('answers 403 when a valid token is used on another account', async () => {
    const response = await acl({ permissions: [] }, 'accountIdentifier=someone_else');
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ status: 'ERROR', code: 'NG_ACCESS_DENIED' });
  });

  it.each([
    ['a missing permissions list', {}, 'permissions'],
    ['an unknown field', { permissions: [], extra: 1 }, 'extra'],
    [
      'a check without resourceType',
      { permissions: [{ permission: 'core_secret_view' }] },
      'permissions[0].resourceType',
    ],
    [
      'a project without its org',
      {
        permissions: [
          {
            resourceScope: { accountIdentifier: 'e2e', projectIdentifier: 'p' },
            resourceType: 'SECRET',
            permission: 'core_secret_view',
          },
        ],
      },
      'permissions[0].resourceScope',
    ],
    [
      'more than 1,000 checks',
      {
        permissions: Array.from({ length: 1001 }, () => ({
          resourceType: 'SECRET',
          permission: 'core_secret_view',
        })),
      },
      'permissions',
    ],
  ])('rejects %s with 400 naming the field', async (_name, body, fieldId) => {
    const response = await acl(body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ status: 'FAILURE', code: 'INVALID_REQUEST' });
    expect((response.body.errors as { fieldId: string }[]).map((error) => error.fieldId)).toContain(fieldId);
  });

  it('expires the admin token when the local clock passes its year', async () => {
    // Act
    const moved = await api('/local/clock', { method: 'POST', body: { advanceSeconds: 366 * 24 * 3600 } });
    const after = await acl({ permissions: [] });

    // Assess
    expect(moved.status).toBe(200);
    expect(after.status).toBe(401);
  });
});
