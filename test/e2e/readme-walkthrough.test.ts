import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type RunningServer, serve } from '../../functions/api/local/serve.js';

const run = promisify(execFile);

type Json = Record<string, unknown>;
type AclEntry = { resourceIdentifier: string; permitted: boolean; explanation?: Json; reason?: string };

/** The bash block of the README between the walk-through markers, exactly as a reader would paste it. */
async function walkthroughScript(): Promise<string> {
  const readme = await readFile('README.md', 'utf8');
  const block = /<!-- walkthrough:start -->\s*```bash\n([\s\S]*?)```\s*<!-- walkthrough:end -->/.exec(readme);
  if (!block?.[1]) throw new Error('README.md has no walk-through block');
  return block[1];
}

function aclOf(answer: Json): AclEntry[] {
  return (answer.data as { accessControlList: AclEntry[] }).accessControlList;
}

describe('the README walk-through', () => {
  let workDir: string;
  let server: RunningServer;

  beforeAll(async () => {
    // Prepare: the server `npm start` runs, for account `default`, with its `.local` in a scratch directory.
    workDir = await mkdtemp(join(tmpdir(), 'nextgen-rbac-readme-'));
    server = await serve({
      port: 0,
      accountId: 'default',
      endpoint: inject('ddbEndpoint'),
      tableName: `readme-${Math.floor(Math.random() * 1e9)}`,
      stateDir: join(workDir, '.local'),
      log: () => {},
    });
  });

  afterAll(async () => {
    await server.close();
    await rm(workDir, { recursive: true, force: true });
  });

  it('runs as written: grants, explains, and denies right after the revoke', async () => {
    // Prepare
    const port = new URL(server.url).port;
    const script = `set -euo pipefail\n${(await walkthroughScript()).replaceAll('localhost:3000', `127.0.0.1:${port}`)}`;
    // Act
    const { stdout } = await run('bash', ['-c', script], { cwd: workDir });
    // Assess
    const answers = stdout
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Json);
    expect(answers.map((answer) => answer.status)).toEqual(Array(answers.length).fill('SUCCESS'));
    const checks = answers.filter((answer) => (answer.data as Json).accessControlList);
    expect(checks).toHaveLength(2);
    const [granted, revoked] = checks.map(aclOf) as [AclEntry[], AclEntry[]];
    expect(granted.map((entry) => [entry.resourceIdentifier, entry.permitted])).toEqual([
      ['release', true],
      ['hotfix', false],
    ]);
    expect(granted[0]?.explanation).toMatchObject({
      roleAssignmentIdentifier: 'ci_bot_runs_release',
      roleIdentifier: 'pipeline_runner',
      resourceGroupIdentifier: 'release_pipeline',
    });
    expect(granted[1]?.reason).toEqual(expect.any(String));
    expect(revoked.map((entry) => entry.permitted)).toEqual([false, false]);
  });
});
