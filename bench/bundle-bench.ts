import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { type Figure, percentile, round } from './figures.js';

/** The esbuild options of the stack's functions (lib/api-function.ts, tracing off): minified ESM for Node 22, SDK from the runtime. */
async function bundle(entry: string, outfile: string): Promise<number> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minify: true,
    mainFields: ['module', 'main'],
    external: ['@aws-sdk/*', '@aws-lambda-powertools/tracer'],
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    logLevel: 'silent',
  });
  return statSync(outfile).size;
}

/**
 * Median time to import `file` in a fresh Node process, over `runs` processes. The bundles live
 * inside the repository so the AWS SDK they leave external resolves from `node_modules`, as it does
 * from the Lambda runtime.
 */
function coldImportMs(file: string, runs: number): number {
  const script = `const s=performance.now();await import(${JSON.stringify(resolve(file))});process.stdout.write(String(performance.now()-s));`;
  const times = Array.from({ length: runs }, () =>
    Number(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        env: { ...process.env, TABLE_NAME: 'bench', EVENT_BUS_NAME: 'bench', AWS_REGION: 'us-east-1' },
      }).toString(),
    ),
  );
  return percentile(times, 50);
}

/** Bundle sizes of the Lambda entries, and the authorize bundle's cold import beside an empty handler's. */
export async function measureBundles(): Promise<Record<string, Figure>> {
  mkdirSync('bench/results', { recursive: true });
  const dir = mkdtempSync(join('bench', 'results', 'bundles-'));
  try {
    const authorize = await bundle('functions/api/lambda/authorize-handler.ts', join(dir, 'authorize.mjs'));
    const management = await bundle(
      'functions/api/lambda/management-handler.ts',
      join(dir, 'management.mjs'),
    );
    writeFileSync(join(dir, 'empty.ts'), 'export const handler = async () => ({ statusCode: 200 });\n');
    await bundle(join(dir, 'empty.ts'), join(dir, 'empty.mjs'));
    const ours = coldImportMs(join(dir, 'authorize.mjs'), 15);
    const empty = coldImportMs(join(dir, 'empty.mjs'), 15);
    return {
      bundle_authorize_kb: { value: round(authorize / 1024), unit: 'KB' },
      bundle_management_kb: { value: round(management / 1024), unit: 'KB' },
      cold_import_ms: { value: round(ours), unit: 'ms', reference: round(empty), ratio: round(ours / empty) },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
