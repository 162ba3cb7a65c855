import { readFileSync } from 'node:fs';
import { BatchWriteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { type ChangeLogTarget, initializeAccount } from '../../../functions/store/change-log.js';
import { PolicyCache } from '../../../functions/store/policy-cache.js';
import { applyPlan } from '../../../migration/apply/apply-plan.js';
import { parseExport } from '../../../migration/firstgen/parse-export.js';
import { mapExport } from '../../../migration/mapping/map-export.js';
import { createTestTable } from '../../support/dynamodb-test-table.js';

const ACCOUNT = 'acc';
const fgExport = parseExport(
  JSON.parse(readFileSync(new URL('../../../examples/firstgen-export.json', import.meta.url), 'utf8')),
);
const plan = mapExport(fgExport, { targetAccountId: ACCOUNT, orgIdentifier: 'default' });

async function scanTable(target: ChangeLogTarget): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await target.client.send(
      new ScanCommand({ TableName: target.tableName, ExclusiveStartKey }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items.sort((a, b) => `${a.PK}${a.SK}`.localeCompare(`${b.PK}${b.SK}`));
}

/** The target with a client whose BatchWriteItem calls fail after the first `allowed` ones, as if the process died there. */
function crashingAfter(target: ChangeLogTarget, allowed: number): ChangeLogTarget {
  let batches = 0;
  const client = new Proxy(target.client, {
    get(real, property, receiver) {
      if (property !== 'send') return Reflect.get(real, property, receiver);
      return (command: unknown) => {
        if (command instanceof BatchWriteCommand && ++batches > allowed)
          return Promise.reject(new Error('simulated crash'));
        return real.send(command as never);
      };
    },
  });
  return { ...target, client };
}

describe('migrate apply on DynamoDB Local', () => {
  let target: ChangeLogTarget;
  const now = 1_700_000_000_000;

  beforeEach(async () => {
    const table = await createTestTable();
    target = { client: table.client, tableName: table.tableName, now: () => now };
    await initializeAccount(target, ACCOUNT);
  });

  it('writes the plan once; a second apply writes nothing and leaves an identical table', async () => {
    // Act
    const first = await applyPlan(target, plan);
    const afterFirst = await scanTable(target);
    const second = await applyPlan(target, plan);
    // Assess
    expect(first.itemsWritten).toBeGreaterThan(100);
    expect(first.committed).toBe(true);
    expect(second).toMatchObject({ itemsWritten: 0, committed: false, version: first.version });
    expect(await scanTable(target)).toEqual(afterFirst);
  });

  it('completes to the identical table after a crash at any point', async () => {
    // Prepare
    const reference = await createTestTable();
    const referenceTarget = { client: reference.client, tableName: reference.tableName, now: () => now };
    await initializeAccount(referenceTarget, ACCOUNT);
    await applyPlan(referenceTarget, plan);
    const expected = (await scanTable(referenceTarget)).map(({ PK, ...rest }) => rest);
    for (const allowed of [0, 2, 4]) {
      const table = await createTestTable();
      const crashTarget = { client: table.client, tableName: table.tableName, now: () => now };
      await initializeAccount(crashTarget, ACCOUNT);
      // Act
      await expect(applyPlan(crashingAfter(crashTarget, allowed), plan, { concurrency: 1 })).rejects.toThrow(
        'simulated crash',
      );
      const resumed = await applyPlan(crashTarget, plan);
      // Assess
      expect(resumed.committed).toBe(true);
      expect((await scanTable(crashTarget)).map(({ PK, ...rest }) => rest)).toEqual(expected);
      expect((await applyPlan(crashTarget, plan)).itemsWritten).toBe(0);
    }
  });

  it('makes a warm policy cache reload, so the next check sees the migrated access', async () => {
    // Prepare
    const cache = new PolicyCache(target);
    const user = { type: 'USER' as const, identifier: 'pQ8rS2tUVwXyZaBcDeFgHi' };
    const project = plan.projects[0]?.scope;
    const check = {
      permission: 'core_pipeline_execute',
      resourceType: 'PIPELINE',
      ...(project ? { resourceScope: project } : {}),
      resourceIdentifier: plan.appIdentifiers.A0M4nZJJTQekFfp4lX71Zw?.pipelines.plPayHotfix ?? 'missing',
    };
    expect((await cache.current(ACCOUNT))?.evaluator.check(user, check).permitted).toBe(false);
    // Act
    await applyPlan(target, plan);
    // Assess
    expect((await cache.current(ACCOUNT))?.evaluator.check(user, check).permitted).toBe(true);
  });
});
