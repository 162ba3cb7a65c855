import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const LAMBDA_NODE_MAJOR = 22;

function majorOf(version: string): number {
  return Number(/^v?(\d+)\./.exec(version)?.[1]);
}

describe('Runtime parity with the Lambda runtime (Node 22)', () => {
  it('runs the test workers on Node 22', () => {
    // Assess
    expect(majorOf(process.version)).toBe(LAMBDA_NODE_MAJOR);
  });

  it('puts Node 22 first on PATH for the processes tests and scripts spawn as `node`', async () => {
    // Act
    const { stdout } = await run('node', ['--version']);

    // Assess
    expect(majorOf(stdout.trim())).toBe(LAMBDA_NODE_MAJOR);
  });

  it('declares Node 22 in engines, as the functions are deployed on', async () => {
    // Prepare
    const manifest = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
      engines: { node: string };
    };
    const stack = await readFile(new URL('../../lib/api-function.ts', import.meta.url), 'utf8');

    // Assess
    expect(manifest.engines.node).toBe(`^${LAMBDA_NODE_MAJOR}`);
    expect(stack).toContain(`Runtime.NODEJS_${LAMBDA_NODE_MAJOR}_X`);
  });
});
