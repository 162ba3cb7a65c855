import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BundleSize, bundleSizes } from '../../bin/bundle-sizes.js';

const run = promisify(execFile);

/** The environment of a machine with no AWS credentials and no Docker. */
function offlineEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_EC2_METADATA_DISABLED: 'true',
    CDK_DOCKER: 'docker-is-not-here',
  };
  for (const name of Object.keys(env)) {
    if (/^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE)$/.test(name)) delete env[name];
  }
  return env;
}

describe('npx cdk synth, as a process, offline', () => {
  let outDir: string;
  let sizes: BundleSize[];

  beforeAll(async () => {
    // Act
    outDir = await mkdtemp(join(tmpdir(), 'nextgen-rbac-synth-'));
    await run('npx', ['cdk', 'synth', '--quiet', '--output', outDir], {
      env: offlineEnvironment(),
      maxBuffer: 16 * 1024 * 1024,
    });
    sizes = await bundleSizes(outDir);
  }, 240_000);

  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it('writes the template of the NextgenRbac stack', async () => {
    // Assess
    const template = JSON.parse(await readFile(join(outDir, 'NextgenRbac.template.json'), 'utf8'));
    const types = Object.values(template.Resources as Record<string, { Type: string }>).map(
      (resource) => resource.Type,
    );
    expect(types).toEqual(expect.arrayContaining(['AWS::DynamoDB::Table', 'AWS::ApiGatewayV2::Api']));
  });

  it('bundles each function with the local esbuild, the authorize one under 400 KB and without management code', async () => {
    // Assess
    expect(sizes.map((size) => size.function).sort()).toEqual([
      'NextgenRbac/Authorize',
      'NextgenRbac/Console',
      'NextgenRbac/InviteCleanup',
      'NextgenRbac/Management',
      'NextgenRbac/SnapshotPublisher',
    ]);
    const authorize = sizes.find((size) => size.function === 'NextgenRbac/Authorize');
    expect(authorize?.bytes).toBeLessThan(400 * 1024);
    const template = JSON.parse(await readFile(join(outDir, 'NextgenRbac.template.json'), 'utf8'));
    const asset = Object.values(
      template.Resources as Record<string, { Metadata?: Record<string, string> }>,
    ).find((resource) => resource.Metadata?.['aws:cdk:path'] === 'NextgenRbac/Authorize/Function/Resource')
      ?.Metadata?.['aws:asset:path'];
    const code = await readFile(join(outDir, String(asset), 'index.mjs'), 'utf8');
    expect(code).toContain('/authz/api/acl');
    expect(code).not.toContain('/ng/api/organizations');
  });

  it('keeps the full zod out of the authorize bundle: its whole path reads input with zod/mini', async () => {
    // Act
    const result = await build({
      entryPoints: [
        fileURLToPath(new URL('../../functions/api/lambda/authorize-handler.ts', import.meta.url)),
      ],
      bundle: true,
      platform: 'node',
      format: 'esm',
      external: ['@aws-sdk/*', '@aws-lambda-powertools/tracer'],
      metafile: true,
      write: false,
    });
    // Assess
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((path) => path.includes('node_modules/zod/v4/mini/'))).toBe(true);
    expect(inputs.filter((path) => path.includes('node_modules/zod/v4/classic/'))).toEqual([]);
  });

  it("ships the built web console inside the console function's bundle", async () => {
    // Prepare
    const template = JSON.parse(await readFile(join(outDir, 'NextgenRbac.template.json'), 'utf8'));
    const asset = Object.values(
      template.Resources as Record<string, { Metadata?: Record<string, string> }>,
    ).find((resource) => resource.Metadata?.['aws:cdk:path'] === 'NextgenRbac/Console/Function/Resource')
      ?.Metadata?.['aws:asset:path'];
    // Assess
    const index = await readFile(join(outDir, String(asset), 'console', 'index.html'), 'utf8');
    expect(index).toContain('/console/assets/');
    const handler = await readFile(join(outDir, String(asset), 'index.mjs'), 'utf8');
    expect(handler).not.toContain('/ng/api/organizations');
  });
});
