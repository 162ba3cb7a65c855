import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../../bin/nextgen-rbac.ts', import.meta.url));
const EXPORT = fileURLToPath(new URL('../../examples/firstgen-export.json', import.meta.url));
const TSX = import.meta.resolve('tsx');
const run = promisify(execFile);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let child: ChildProcess;
let base: string;
let adminToken: string;
let workDir: string;

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', TSX, CLI, ...args], {
      cwd: workDir,
      env: { ...process.env, RBAC_ACCOUNT_ID: 'mig' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('migrate plan | apply | verify against the local server', () => {
  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'nextgen-rbac-migrate-'));
    child = spawn(process.execPath, ['--import', TSX, CLI, 'serve'], {
      cwd: workDir,
      env: { ...process.env, PORT: '0', RBAC_ACCOUNT_ID: 'mig' },
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
      child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
    });
  });

  afterAll(async () => {
    child?.kill('SIGTERM');
    await new Promise((resolvePromise) => child?.once('exit', resolvePromise));
    await rm(workDir, { recursive: true, force: true });
  });

  it('refuses a mistyped plan file with exit 2 and writes nothing', async () => {
    // Prepare
    const planPath = join(workDir, 'plan.json');
    const written = await cli('migrate', 'plan', '--input', EXPORT, '--out', planPath);
    const plan = JSON.parse(await readFile(planPath, 'utf8'));
    plan.roles[0].name = 42;
    await writeFile(planPath, JSON.stringify(plan));
    // Act
    const apply = await cli('migrate', 'apply', '--plan', planPath);
    const groups = await fetch(`${base}/ng/api/user-groups?accountIdentifier=mig`, {
      headers: { 'x-api-key': adminToken },
    });
    // Assess
    expect(written.code).toBe(0);
    expect(apply.code).toBe(2);
    expect(apply.stderr).toContain('roles[0].name');
    expect(apply.stderr).toContain('nothing was written');
    const listed = (await groups.json()) as { data: { content: { identifier: string }[] } };
    expect(listed.data.content.map((group) => group.identifier)).not.toContain('productionSupport');
  });

  it('plans, applies once, re-applies writing nothing, verifies with exit 0, and the ACL shows the access', async () => {
    // Act
    const plan = await cli('migrate', 'plan', '--input', EXPORT);
    const apply = await cli('migrate', 'apply', '--input', EXPORT);
    const again = await cli('migrate', 'apply', '--input', EXPORT);
    const verify = await cli('migrate', 'verify', '--input', EXPORT, '--json');
    const response = await fetch(`${base}/authz/api/acl?accountIdentifier=mig`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': adminToken },
      body: JSON.stringify({
        principal: { principalIdentifier: 'pQ8rS2tUVwXyZaBcDeFgHi', principalType: 'USER' },
        permissions: ['hotfix', 'release'].map((pipeline) => ({
          resourceScope: {
            accountIdentifier: 'mig',
            orgIdentifier: 'default',
            projectIdentifier: 'paymentsApp',
          },
          resourceType: 'PIPELINE',
          resourceIdentifier: pipeline,
          permission: 'core_pipeline_execute',
        })),
      }),
    });
    const acl = (await response.json()) as { data: { accessControlList: { permitted: boolean }[] } };
    // Assess
    expect(plan).toMatchObject({ code: 0 });
    expect(plan.stdout).toContain('user groups to create:      7');
    expect(apply.code).toBe(0);
    expect(apply.stdout).toMatch(/^Applied: wrote \d+ of \d+ planned items/);
    expect(apply.stderr).toContain('apply');
    expect(again).toMatchObject({ code: 0 });
    expect(again.stdout).toContain('wrote 0 items');
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout).totals.broadened).toBe(0);
    expect(acl.data.accessControlList.map((entry) => entry.permitted)).toEqual([true, false]);
  });

  it('writes an HTML report that stands alone and can be searched, filtered and sorted in a browser', async () => {
    // Prepare
    const reportPath = join(workDir, 'report.html');
    const verify = await cli('migrate', 'verify', '--input', EXPORT, '--html', reportPath);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage();
      const fetched: string[] = [];
      page.on('request', (request) => fetched.push(request.url()));
      // Act
      await page.goto(`file://${reportPath}`);
      const rows = page.locator('#subjects tbody tr');
      const visible = page.locator('#subjects tbody tr:visible');
      const everyone = await rows.count();
      await page.fill('#q', 'production support');
      const searched = await visible.allTextContents();
      await page.fill('#q', '');
      await page.selectOption('#kind', 'group');
      const groups = await visible.count();
      await page.selectOption('#kind', '');
      await page.locator('#subjects th', { hasText: 'Narrowed' }).click();
      const narrowed = await page.locator('#subjects tbody tr:visible td:nth-child(5)').allTextContents();
      // Assess
      expect(verify.code).toBe(0);
      expect(fetched).toEqual([`file://${reportPath}`]);
      expect(await page.locator('h1').textContent()).toContain('Migration check');
      expect(await page.locator('.verdict').textContent()).toContain('No user can do anything in NextGen');
      expect(everyone).toBe(7 + 7);
      expect(searched.length).toBeGreaterThan(0);
      expect(searched.every((row) => /production support/i.test(row))).toBe(true);
      expect(groups).toBe(7);
      const counts = narrowed.map(Number);
      expect(counts).toEqual([...counts].sort((a, b) => b - a));
    } finally {
      await browser.close();
    }
  });

  it('exits 2 with a usage error when the input is not a JSON export', async () => {
    // Act
    const result = await cli('migrate', 'plan', '--input', CLI);
    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('not valid JSON');
  });
});
