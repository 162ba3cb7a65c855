import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const CLI = fileURLToPath(new URL('../../bin/nextgen-rbac.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
const ACCOUNT = 'obs';

type Line = Record<string, unknown>;

let child: ChildProcess;
/** What the server wrote, per stream (kept apart: chunks of the two can arrive interleaved). */
const output = { stdout: '', stderr: '' };
let base = '';
let adminToken = '';
let workDir: string;
/** Every secret the run created or sent: tokens, the invite token and link, a forged key. */
const secrets: string[] = [];
/** The correlation id of every request sent, with the status it got. */
const sent: { correlationId: string; status: number }[] = [];

async function api(
  method: string,
  path: string,
  options: { body?: unknown; token?: string | null } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const correlationId = `obs-${sent.length}`;
  const token = options.token === undefined ? adminToken : options.token;
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      'x-correlation-id': correlationId,
      ...(token ? { 'x-api-key': token } : {}),
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  sent.push({ correlationId, status: response.status });
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const q = `accountIdentifier=${ACCOUNT}`;
const check = (permission: string) => ({
  resourceScope: { accountIdentifier: ACCOUNT, orgIdentifier: 'default' },
  resourceType: 'ORGANIZATION',
  resourceIdentifier: 'default',
  permission,
});

/** The server's output lines after the two plain lines of `serve` (admin token, listening). */
function logLines(): string[] {
  return [output.stdout, output.stderr]
    .flatMap((text) => text.split('\n'))
    .filter((line) => line.trim() !== '')
    .filter((line) => !line.startsWith('Admin token: ') && !line.includes(' listening on '));
}

describe('the local server log: JSON lines with correlation ids and EMF metrics, and never a secret', () => {
  beforeAll(async () => {
    // Prepare: the real server process, logging at DEBUG with metrics on.
    workDir = await mkdtemp(join(tmpdir(), 'nextgen-rbac-logs-'));
    child = spawn(process.execPath, ['--import', TSX, CLI, 'serve'], {
      cwd: workDir,
      env: {
        ...process.env,
        PORT: '0',
        RBAC_ACCOUNT_ID: ACCOUNT,
        DYNAMODB_ENDPOINT: inject('ddbEndpoint'),
        TABLE_NAME: `logs-${Date.now()}`,
        LOG_LEVEL: 'DEBUG',
        POWERTOOLS_METRICS_DISABLED: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    base = await new Promise<string>((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${output.stderr}`)), 90_000);
      child.stdout?.on('data', (chunk: Buffer) => {
        output.stdout += chunk.toString();
        adminToken = /Admin token: (sat\.\S+)/.exec(output.stdout)?.[1] ?? adminToken;
        const listening = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output.stdout)?.[1];
        if (listening && adminToken) {
          clearTimeout(timer);
          resolvePromise(listening);
        }
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        output.stderr += chunk.toString();
      });
      child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output.stderr}`)));
    });
    secrets.push(adminToken);

    // Act: tokens, an invite accepted with its personal token, checks allowed and denied, errors.
    await api('POST', `/ng/api/serviceaccount?${q}`, {
      body: { identifier: 'bot', name: 'Bot', email: 'bot@service.harness.io', accountIdentifier: ACCOUNT },
    });
    await api('POST', `/ng/api/apikey?${q}`, {
      body: {
        identifier: 'key',
        name: 'Key',
        apiKeyType: 'SERVICE_ACCOUNT',
        parentIdentifier: 'bot',
        accountIdentifier: ACCOUNT,
      },
    });
    const minted = await api('POST', `/ng/api/token?${q}`, {
      body: {
        identifier: 'tok',
        name: 'Tok',
        apiKeyIdentifier: 'key',
        parentIdentifier: 'bot',
        apiKeyType: 'SERVICE_ACCOUNT',
        accountIdentifier: ACCOUNT,
      },
    });
    const botToken = String(minted.body.data);
    secrets.push(botToken);
    await api('POST', `/ng/api/user/users?${q}`, { body: { emails: ['ann@example.com'] } });
    const mail = await api('GET', '/local/mail', { token: null });
    const [message] = mail.body as unknown as { token: string; acceptUrl: string }[];
    secrets.push(String(message?.token), String(message?.acceptUrl));
    const accepted = await api('POST', '/ng/api/invites/accept', {
      token: null,
      body: { token: message?.token, name: 'Ann' },
    });
    secrets.push(String((accepted.body.data as { token: string }).token));
    await api('POST', `/authz/api/acl?${q}`, { body: { permissions: [check('core_organization_view')] } });
    await api('POST', `/authz/api/acl?${q}`, {
      token: botToken,
      body: { permissions: [check('core_organization_view'), check('core_organization_edit')] },
    });
    const forged = `sat.${ACCOUNT}.forged.c2VjcmV0LXRoYXQtbXVzdC1ub3QtbGVhaw`;
    secrets.push(forged);
    await api('GET', `/ng/api/serviceaccount?${q}`, { token: forged });
    await api('POST', `/ng/api/serviceaccount?${q}`, { body: { identifier: 'x y' } });
    await api('GET', '/no/such/path');
    // Let the last lines reach the pipe, then stop the server.
    await new Promise((resolveWait) => setTimeout(resolveWait, 500));
    child.kill('SIGTERM');
    await new Promise((resolveExit) => child.once('exit', resolveExit));
  }, 180_000);

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGTERM');
    await rm(workDir, { recursive: true, force: true });
  });

  it('created the secrets it looks for', () => {
    // Assess
    expect(sent.slice(0, 6).map((request) => request.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(secrets).toHaveLength(6);
    for (const secret of secrets) expect(secret.length).toBeGreaterThan(20);
  });

  it('writes only JSON lines, and one request line per request with its correlation id, route and status', () => {
    // Prepare
    const lines = logLines().map((line) => {
      try {
        return JSON.parse(line) as Line;
      } catch {
        throw new Error(`not a JSON line: ${line}`);
      }
    });
    const requests = lines.filter((line) => line.message === 'request');
    // Assess
    expect(requests.map((line) => [line.correlationId, line.status])).toEqual(
      sent.map((request) => [request.correlationId, request.status]),
    );
    const tokenLine = requests.find((line) => line.route === '/ng/api/token');
    expect(tokenLine).toMatchObject({
      level: 'INFO',
      service: 'nextgen-rbac',
      method: 'POST',
      path: '/ng/api/token',
      status: 200,
      accountIdentifier: ACCOUNT,
      callerType: 'SERVICE_ACCOUNT',
      latencyMs: expect.any(Number),
      dynamoDbCalls: expect.any(Number),
    });
    expect(requests[0]?.cold_start).toBe(true);
    expect(requests.at(-1)).toMatchObject({ path: '/no/such/path', status: 404 });
    expect(requests.at(-1)).not.toHaveProperty('route');
  });

  it('publishes EMF metrics for checks, allowed, denied, 4xx, cache loads and DynamoDB calls', () => {
    // Prepare
    const emf = logLines()
      .map((line) => JSON.parse(line) as Line)
      .filter((line) => '_aws' in line);
    const total = (name: string) =>
      emf
        .flatMap((line) => (name in line ? [line[name]].flat() : []))
        .reduce((a, b) => Number(a) + Number(b), 0);
    // Assess
    expect(emf.length).toBeGreaterThan(0);
    expect(emf[0]).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Namespace: 'NextgenRbac', Dimensions: [['service']] }] },
      service: 'nextgen-rbac',
    });
    expect(total('Checks')).toBe(3);
    expect(total('ChecksAllowed')).toBe(1);
    expect(total('ChecksDenied')).toBe(2);
    expect(total('ClientErrors')).toBe(3);
    expect(total('PolicyCacheColdLoads')).toBeGreaterThanOrEqual(1);
    expect(total('DynamoDbCallsPerRequest')).toBeGreaterThan(sent.length);
  });

  it('never logs a token, an API key, an invite token or link, or a token hash', () => {
    // Prepare
    const log = logLines().join('\n');
    // Assess
    expect(log.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(log).not.toContain(secret);
    expect(log).not.toMatch(/(sat|pat)\.obs\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/);
    expect(log).not.toMatch(/tokenHash|x-api-key|acceptUrl/i);
    expect(`${output.stdout}${output.stderr}`.split(adminToken)).toHaveLength(2);
  });
});
