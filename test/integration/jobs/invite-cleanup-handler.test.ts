import { afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { LINK_VALIDITY_MS, newInviteSecret } from '../../../functions/core/invite.js';
import { accountScope } from '../../../functions/core/scope.js';
import { bootstrapAccount } from '../../../functions/store/bootstrap-account.js';
import { commitChange, readAccountVersion } from '../../../functions/store/change-log.js';
import { LOCAL_REGION } from '../../../functions/store/dynamodb-local.js';
import { inviteItem } from '../../../functions/store/entities/invites.js';
import { userItem } from '../../../functions/store/entities/users.js';
import { createTestTable, type TestTable } from '../../support/dynamodb-test-table.js';

describe('the invite cleanup Lambda handler', () => {
  let table: TestTable;
  const saved = { ...process.env };

  beforeEach(async () => {
    table = await createTestTable();
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: inject('ddbEndpoint'),
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
    vi.resetModules();
  });

  afterEach(() => {
    process.env = { ...saved };
  });

  it('runs the job on TABLE_NAME with the wall clock and returns the counts', async () => {
    // Prepare: one invite whose link lapsed a day ago (by the wall clock).
    process.env.TABLE_NAME = table.tableName;
    const sent = Date.now() - LINK_VALIDITY_MS - 24 * 3600 * 1000;
    const target = { client: table.client, tableName: table.tableName, now: () => sent };
    await bootstrapAccount(target, 'lambda');
    const meta = { createdAt: sent, lastModifiedAt: sent, version: 1 };
    const invite = {
      inviteId: 'i1',
      email: 'l@example.com',
      userId: 'u1',
      scope: accountScope('lambda'),
      userGroups: [],
      roleBindings: [],
      createdAt: sent,
      lastSentAt: sent,
      state: 'PENDING' as const,
      tokenHash: newInviteSecret().tokenHash,
      invitedBy: 'SERVICE_ACCOUNT:admin',
    };
    await commitChange(target, 'lambda', (await readAccountVersion(target, 'lambda')) ?? 0, [
      {
        kind: 'create',
        item: userItem('lambda', { userId: 'u1', email: 'l@example.com', status: 'PENDING' }, meta),
      },
      { kind: 'create', item: inviteItem('lambda', invite, meta) },
    ]);
    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    process.env.LOG_LEVEL = 'INFO';
    const { handler } = await import('../../../functions/jobs/invite-cleanup-handler.js');
    // Act
    const result = await handler({}, { getRemainingTimeInMillis: () => 60_000 }).finally(() =>
      write.mockRestore(),
    );
    // Assess
    expect(result).toEqual({ expired: 1, deleted: 0 });
    const finished = lines
      .map((line) => JSON.parse(line))
      .find((line) => line.message === 'invite cleanup finished');
    expect(finished).toMatchObject({ level: 'INFO', service: 'nextgen-rbac', expired: 1, deleted: 0 });
  });

  it('fails without TABLE_NAME', async () => {
    // Prepare
    delete process.env.TABLE_NAME;
    const { handler } = await import('../../../functions/jobs/invite-cleanup-handler.js');
    // Act + Assess
    await expect(handler({}, { getRemainingTimeInMillis: () => 60_000 })).rejects.toThrow(/TABLE_NAME/);
  });
});
