import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type RunningServer, serve } from '../../functions/api/local/serve.js';

const run = promisify(execFile);

type Json = Record<string, unknown>;

/** The bash block of the README's "Users and invites" walk-through, exactly as a reader would paste it. */
async function invitesScript(): Promise<string> {
  const readme = await readFile('README.md', 'utf8');
  const block =
    /<!-- invites-walkthrough:start -->\s*```bash\n([\s\S]*?)```\s*<!-- invites-walkthrough:end -->/.exec(
      readme,
    );
  if (!block?.[1]) throw new Error('README.md has no invites walk-through block');
  return block[1];
}

describe('the README users-and-invites walk-through', () => {
  let workDir: string;
  let server: RunningServer;

  beforeAll(async () => {
    // Prepare: the server `npm start` runs, for account `default`, with its `.local` in a scratch directory.
    workDir = await mkdtemp(join(tmpdir(), 'nextgen-rbac-readme-invites-'));
    server = await serve({
      port: 0,
      accountId: 'default',
      endpoint: inject('ddbEndpoint'),
      tableName: `readme-invites-${Math.floor(Math.random() * 1e9)}`,
      stateDir: join(workDir, '.local'),
      log: () => {},
    });
  });

  afterAll(async () => {
    await server.close();
    await rm(workDir, { recursive: true, force: true });
  });

  it('runs as written: invite, mail, accept, access, 410 after 8 days, resend, 409 after 31 days, cleanup', async () => {
    // Prepare
    const port = new URL(server.url).port;
    const script = `set -euo pipefail\n${(await invitesScript()).replaceAll('localhost:3000', `127.0.0.1:${port}`)}`;
    // Act
    const { stdout } = await run('bash', ['-c', script], { cwd: workDir });
    // Assess
    const answers = stdout
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Json);
    const [
      group,
      invited,
      accepted,
      acl,
      bobInvited,
      clock8,
      expired,
      resent,
      bobAccepted,
      carol,
      clock31,
      refused,
      cleanup,
      list,
    ] = answers;
    expect(answers).toHaveLength(14);
    expect(group?.status).toBe('SUCCESS');
    expect(invited?.data).toEqual({ addUserResponseMap: { 'ann@example.com': 'USER_INVITED_SUCCESSFULLY' } });
    expect(accepted).toMatchObject({ data: { userId: expect.any(String) } });
    expect(accepted?.status).toBe('SUCCESS');
    expect(acl).toMatchObject({ data: { accessControlList: [{ permitted: true }] } });
    expect(bobInvited?.status).toBe('SUCCESS');
    expect(clock8?.status).toBe('SUCCESS');
    expect(expired).toMatchObject({ status: 'ERROR', code: 'INVITE_EXPIRED' });
    expect(resent?.data).toMatchObject({ email: 'bob@example.com', state: 'PENDING' });
    expect(bobAccepted).toMatchObject({ data: { userId: expect.any(String) } });
    expect(carol?.data).toEqual({ addUserResponseMap: { 'carol@example.com': 'USER_INVITED_SUCCESSFULLY' } });
    expect(clock31?.status).toBe('SUCCESS');
    expect(refused).toMatchObject({ status: 'ERROR', code: 'INVITE_RESEND_WINDOW_CLOSED' });
    expect(cleanup).toEqual({ expired: 0, deleted: 1 });
    expect(list).toMatchObject({ data: { content: [] } });
  });
});
