import { readFileSync } from 'node:fs';
import { BatchWriteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { type ChangeLogTarget, initializeAccount } from '../../../functions/store/change-log.js';
import { snapshotFromItems } from '../../../functions/store/entities/policy-entities.js';
import {
  roleAssignmentItem,
  roleAssignmentKeyItem,
} from '../../../functions/store/entities/role-assignments.js';
import { PolicyCache } from '../../../functions/store/policy-cache.js';
import { applyPlan, readAccountItems } from '../../../migration/apply/apply-plan.js';
import { parseExport } from '../../../migration/firstgen/parse-export.js';
import { mapExport } from '../../../migration/mapping/map-export.js';
import { planItems } from '../../../migration/plan/plan-items.js';
import { verifyMigration } from '../../../migration/verify/verify-migration.js';
import { createTestTable } from '../../support/dynamodb-test-table.js';

const ACCOUNT = 'acc';
const fgExport = parseExport(
  JSON.parse(readFileSync(new URL('../../../examples/firstgen-export.json', import.meta.url), 'utf8')),
);
const plan = mapExport(fgExport, { targetAccountId: ACCOUNT, orgIdentifier: 'default' });

/** The role assignments stored in the account, by identifier. */
async function storedAssignments(target: ChangeLogTarget): Promise<Map<string, Record<string, unknown>>> {
  const items = await readAccountItems(target, ACCOUNT);
  return new Map(
    [...items.values()]
      .filter((item) => item.entity === 'RoleAssignment')
      .map((item) => [String(item.identifier), item]),
  );
}

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

  it('re-applied after FirstGen changed, revokes what the export no longer grants and keeps what was assigned by hand', async () => {
    // Prepare
    await applyPlan(target, plan);
    const supportGroup = plan.userGroups.find((group) => group.name === 'Production Support');
    const droppedGroup = plan.userGroups.find((group) => group.name === 'QA Team');
    if (!supportGroup || !droppedGroup) throw new Error('fixture groups missing');
    const byHand = {
      identifier: 'hand_made',
      scope: supportGroup.scope,
      roleIdentifier: '_account_viewer',
      resourceGroupIdentifier: '_all_account_level_resources',
      principal: {
        type: 'USER_GROUP' as const,
        identifier: supportGroup.identifier,
        scopeLevel: 'account' as const,
      },
      disabled: false,
      managed: false,
    };
    await target.client.send(
      new BatchWriteCommand({
        RequestItems: {
          [target.tableName]: [
            roleAssignmentItem(ACCOUNT, byHand, { createdAt: now, lastModifiedAt: now, version: 1 }),
            roleAssignmentKeyItem(ACCOUNT, byHand),
          ].map((Item) => ({ PutRequest: { Item } })),
        },
      }),
    );
    const raw = JSON.parse(
      readFileSync(new URL('../../../examples/firstgen-export.json', import.meta.url), 'utf8'),
    );
    raw.userGroups = raw.userGroups
      .filter((group: { name: string }) => group.name !== 'QA Team')
      .map((group: { name: string; permissions?: { appPermissions?: unknown[] } }) =>
        group.name === 'Production Support' && group.permissions
          ? { ...group, permissions: { ...group.permissions, appPermissions: [] } }
          : group,
      )
      .map((group: { name: string; users?: { nodes: { id: string }[] } }) =>
        group.name === 'Payments Deployers' && group.users
          ? { ...group, users: { nodes: group.users.nodes.slice(1) } }
          : group,
      );
    const changedExport = parseExport(raw);
    const changed = mapExport(changedExport, { targetAccountId: ACCOUNT, orgIdentifier: 'default' });
    const before = await storedAssignments(target);
    // Act
    const reapplied = await applyPlan(target, changed);
    const again = await applyPlan(target, changed);
    // Assess
    const after = await storedAssignments(target);
    const migrated = (assignments: Map<string, Record<string, unknown>>) =>
      [...assignments.keys()].filter((identifier) => identifier.startsWith('fg_ra_')).sort();
    expect(migrated(after)).toEqual(changed.assignments.map((assignment) => assignment.identifier).sort());
    const revoked = migrated(before).filter((identifier) => !after.has(identifier));
    expect(revoked.length).toBeGreaterThan(0);
    expect(
      revoked.every((identifier) =>
        [supportGroup.identifier, droppedGroup.identifier].includes(
          String((before.get(identifier)?.principal as { identifier?: string } | undefined)?.identifier),
        ),
      ),
    ).toBe(true);
    expect(after.has('hand_made')).toBe(true);
    const items = await readAccountItems(target, ACCOUNT);
    const guards = [...items.values()].filter((item) => item.entity === 'RoleAssignmentKey');
    const assignmentIdentifiers = [...items.values()]
      .filter((item) => item.entity === 'RoleAssignment')
      .map((item) => item.identifier);
    expect(guards.map((guard) => guard.roleAssignmentIdentifier).sort()).toEqual(
      assignmentIdentifiers.sort(),
    );
    const planned = new Set(changed.userGroups.map((group) => group.identifier));
    const memberKeys = (entries: readonly Record<string, unknown>[]) =>
      entries
        .filter((item) => item.entity === 'UserGroupMember' && planned.has(String(item.identifier)))
        .map((item) => String(item.SK))
        .sort();
    expect(memberKeys([...items.values()])).toEqual(
      memberKeys(planItems(changed).map((entry) => entry.item)),
    );
    expect(
      [...items.values()].filter(
        (item) => item.entity === 'UserGroupMember' && item.identifier === droppedGroup.identifier,
      ),
    ).toHaveLength(2);
    expect(reapplied.committed).toBe(true);
    expect(again).toMatchObject({ itemsWritten: 0, committed: false });
    const summary = verifyMigration(changedExport, changed, snapshotFromItems(ACCOUNT, [...items.values()]));
    const broadened = summary.reasons.filter((reason) => reason.outcome === 'broadened');
    expect(broadened.map((reason) => reason.reason)).toEqual([expect.stringContaining('_account_viewer')]);
    expect(summary.totals.broadened).toBe(broadened[0]?.count);
  });
});
