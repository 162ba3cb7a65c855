import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { withConsistencyToken } from '../../../functions/api/http/consistency-token.js';
import { DeadlineExceededError } from '../../../functions/api/http/errors.js';
import { actingAs } from '../../../functions/api/management/escalation-guard.js';
import type { ManagementContext } from '../../../functions/api/management/management-context.js';
import { contentionPauseMs, writeAccount } from '../../../functions/api/management/write-account.js';
import { accountScope } from '../../../functions/core/scope.js';
import { bootstrapAccount } from '../../../functions/store/bootstrap-account.js';
import type { ChangeOperation } from '../../../functions/store/change-log.js';
import { customRoleItem } from '../../../functions/store/entities/roles.js';
import { PolicyCache } from '../../../functions/store/policy-cache.js';
import { countCalls } from '../../support/call-counter.js';
import { createTestTable, type TestTable } from '../../support/dynamodb-test-table.js';

const ADMIN = actingAs({ type: 'SERVICE_ACCOUNT', identifier: 'admin' });

const ACCOUNT = 'writes';
const NOW = 1_700_000_000_000;

function createRole(identifier: string): ChangeOperation {
  const role = {
    identifier,
    name: identifier,
    permissions: ['core_pipeline_view'],
    allowedScopeLevels: ['account'],
    harnessManaged: false,
    scope: accountScope(ACCOUNT),
  } as const;
  return {
    kind: 'create',
    item: customRoleItem(ACCOUNT, role, { createdAt: NOW, lastModifiedAt: NOW, version: 1 }),
  };
}

function contextOn(table: TestTable, writer = table.client): ManagementContext {
  const now = () => NOW;
  return {
    cache: new PolicyCache({ client: table.client, tableName: table.tableName, now }),
    target: { client: writer, tableName: table.tableName, now },
    now,
  };
}

describe('writeAccount under contention', () => {
  let table: TestTable;

  beforeEach(async () => {
    table = await createTestTable();
    await bootstrapAccount({ client: table.client, tableName: table.tableName, now: () => NOW }, ACCOUNT);
  });

  it('commits 30 concurrent writers of one account, each exactly once', async () => {
    // Prepare
    const context = contextOn(table);
    const identifiers = Array.from({ length: 30 }, (_, index) => `concurrent_${index}`);
    // Act
    const results = await Promise.all(
      identifiers.map((identifier) =>
        writeAccount(context, ACCOUNT, ADMIN, (policy) => ({
          operations: [...policy.items.keys()].some((sk) => sk.endsWith(`#${identifier}`))
            ? []
            : [createRole(identifier)],
          result: identifier,
        })),
      ),
    );
    // Assess
    expect(results).toEqual(identifiers);
    const policy = await context.cache.current(ACCOUNT);
    const stored = [...(policy?.items.keys() ?? [])].filter((sk) => sk.includes('concurrent_'));
    expect(stored).toHaveLength(30);
  });

  it('runs 20 concurrent writers of one instance one after another: each commits at its first attempt', async () => {
    // Prepare
    const writer = DynamoDBDocumentClient.from(table.raw, {
      marshallOptions: { removeUndefinedValues: true },
    });
    const calls = countCalls(writer);
    const context = contextOn(table, writer);
    await context.cache.current(ACCOUNT);
    const identifiers = Array.from({ length: 20 }, (_, index) => `queued_${index}`);
    // Act
    const results = await Promise.all(
      identifiers.map((identifier) =>
        writeAccount(context, ACCOUNT, ADMIN, () => ({
          operations: [createRole(identifier)],
          result: identifier,
        })),
      ),
    );
    // Assess
    expect(results).toEqual(identifiers);
    expect(calls.calls.filter((name) => name === 'TransactWriteItemsCommand')).toHaveLength(20);
    const policy = await context.cache.current(ACCOUNT);
    expect([...(policy?.items.keys() ?? [])].filter((sk) => sk.includes('queued_'))).toHaveLength(20);
  });

  it('commits 20 concurrent writers spread over two instances, none lost', async () => {
    // Prepare: two instances (two caches) over the same table, 10 writers each.
    const instances = [contextOn(table), contextOn(table)];
    const before = (await instances[0]?.cache.current(ACCOUNT))?.version ?? Number.NaN;
    const identifiers = Array.from({ length: 20 }, (_, index) => `spread_${index}`);
    // Act
    const results = await Promise.all(
      identifiers.map((identifier, index) =>
        writeAccount(instances[index % 2] as ManagementContext, ACCOUNT, ADMIN, (policy) => ({
          operations: [...policy.items.keys()].some((sk) => sk.endsWith(`#${identifier}`))
            ? []
            : [createRole(identifier)],
          result: identifier,
        })),
      ),
    );
    // Assess
    expect(results).toEqual(identifiers);
    const fresh = contextOn(table);
    const policy = await fresh.cache.current(ACCOUNT);
    expect([...(policy?.items.keys() ?? [])].filter((sk) => sk.includes('spread_'))).toHaveLength(20);
    expect(policy?.version).toBe(before + 20);
  });

  it('drops a queued write whose request was answered before its turn, and applies nothing of it', async () => {
    // Prepare: a first write holds the queue; a second is queued by a request that is then answered.
    const context = contextOn(table);
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = writeAccount(context, ACCOUNT, ADMIN, async () => {
      await gate;
      return { operations: [createRole('held')], result: 'held' };
    });
    let late: Promise<string> | undefined;
    await withConsistencyToken(async () => {
      late = writeAccount(context, ACCOUNT, ADMIN, () => ({
        operations: [createRole('late')],
        result: 'late',
      }));
      late.catch(() => {});
      return 'answered';
    });
    // Act
    release();
    // Assess
    await expect(first).resolves.toBe('held');
    await expect(late).rejects.toBeInstanceOf(DeadlineExceededError);
    const policy = await context.cache.current(ACCOUNT);
    const keys = [...(policy?.items.keys() ?? [])];
    expect(keys.some((sk) => sk.endsWith('#held'))).toBe(true);
    expect(keys.some((sk) => sk.endsWith('#late'))).toBe(false);
  });

  it('re-plans after a TransactionConflict cancellation instead of failing', async () => {
    // Prepare: the writer's first transaction is cancelled by a concurrent transaction, the next one goes through.
    const writer = DynamoDBDocumentClient.from(table.raw, {
      marshallOptions: { removeUndefinedValues: true },
    });
    const passThrough = writer.send.bind(writer);
    const mock = mockClient(writer);
    let attempts = 0;
    mock.on(TransactWriteCommand).callsFake(async (input) => {
      attempts += 1;
      if (attempts === 1) {
        throw new TransactionCanceledException({
          message: 'Transaction cancelled',
          $metadata: {},
          CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }, { Code: 'None' }],
        });
      }
      mock.restore();
      return passThrough(new TransactWriteCommand(input));
    });
    const context = contextOn(table, writer);
    // Act
    const result = await writeAccount(context, ACCOUNT, ADMIN, () => ({
      operations: [createRole('conflicted')],
      result: 'done',
    }));
    // Assess
    expect(result).toBe('done');
    expect(attempts).toBe(2);
    const policy = await context.cache.current(ACCOUNT);
    expect([...(policy?.items.keys() ?? [])].some((sk) => sk.endsWith('#conflicted'))).toBe(true);
  });

  it.each([
    [1, 0.999, 10],
    [4, 0.999, 80],
    [12, 0.999, 250],
  ])('pauses less than the jittered bound after attempt %i', (attempt, random, bound) => {
    // Act
    const pause = contentionPauseMs(attempt, () => random);
    // Assess
    expect(pause).toBeLessThan(bound);
    expect(pause).toBeGreaterThan(bound * 0.99);
  });
});
