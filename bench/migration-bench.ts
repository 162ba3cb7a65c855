import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchPut, DEFAULT_CONCURRENCY } from '../functions/store/batch-writer.js';
import { bootstrapAccount } from '../functions/store/bootstrap-account.js';
import { ensureTable } from '../functions/store/create-table.js';
import { localClientConfig } from '../functions/store/dynamodb-local.js';
import { snapshotFromItems } from '../functions/store/entities/policy-entities.js';
import { applyPlan, planTableItems, readAccountItems } from '../migration/apply/apply-plan.js';
import { parseExport } from '../migration/firstgen/parse-export.js';
import { mapExport } from '../migration/mapping/map-export.js';
import { verifyMigration } from '../migration/verify/verify-migration.js';
import { type Figure, round } from './figures.js';
import {
  BENCH_EXPORT,
  generateExport,
  generateMessyExport,
  MESSY_EXPORT,
} from './firstgen-export-generator.js';

const ACCOUNT = 'bench';

async function freshTarget(endpoint: string, name: string) {
  const raw = new DynamoDBClient(localClientConfig(endpoint));
  const tableName = `bench-${name}-${Date.now()}`;
  await ensureTable(raw, tableName);
  const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  const target = { client, tableName, now: Date.now };
  await bootstrapAccount(target, ACCOUNT);
  return target;
}

/**
 * `migrate apply` of a generated export (2,000 groups × 300 applications) into DynamoDB Local, timed
 * beside a raw BatchWriteItem of the very same items (same batch size and concurrency) into a fresh
 * table of the same kind; then the writes of a second apply.
 */
export async function measureMigration(endpoint: string): Promise<Record<string, Figure>> {
  const plan = mapExport(parseExport(generateExport(BENCH_EXPORT)), {
    targetAccountId: ACCOUNT,
    orgIdentifier: 'default',
  });
  const items = planTableItems(plan);
  const rawTarget = await freshTarget(endpoint, 'raw');
  const applyTarget = await freshTarget(endpoint, 'apply');

  const rawStart = performance.now();
  await batchPut(rawTarget.client, rawTarget.tableName, items, () => {}, DEFAULT_CONCURRENCY);
  const rawSeconds = (performance.now() - rawStart) / 1000;

  const applyStart = performance.now();
  const first = await applyPlan(applyTarget, plan);
  const applySeconds = (performance.now() - applyStart) / 1000;
  const second = await applyPlan(applyTarget, plan);
  process.stderr.write(`migration: ${items.length} items; first apply wrote ${first.itemsWritten}\n`);
  return {
    migration_apply_s: {
      value: round(applySeconds),
      unit: 's',
      reference: round(rawSeconds),
      ratio: round(applySeconds / rawSeconds),
      note: `${items.length} items`,
    },
    migration_reapply_writes: { value: second.itemsWritten, unit: 'writes' },
  };
}

/**
 * The messy export of issue 14 (400 groups, 74 REST-shaped, 3,000 users, 150 applications, 38 %
 * ALL/EXCLUDE_SELECTED filters): items per group of the plan, apply and re-apply time beside one
 * strongly consistent read of the account (what a re-apply that writes nothing must at least do),
 * and `migrate verify`'s time and peak heap over every group and user.
 */
export async function measureMessyMigration(endpoint: string): Promise<Record<string, Figure>> {
  const fgExport = parseExport(generateMessyExport(MESSY_EXPORT));
  const plan = mapExport(fgExport, { targetAccountId: ACCOUNT, orgIdentifier: 'default' });
  const items = planTableItems(plan);
  const target = await freshTarget(endpoint, 'messy');
  const applyStart = performance.now();
  await applyPlan(target, plan);
  const applySeconds = (performance.now() - applyStart) / 1000;
  const readStart = performance.now();
  const stored = await readAccountItems(target, ACCOUNT);
  const readSeconds = (performance.now() - readStart) / 1000;
  const reapplyStart = performance.now();
  const again = await applyPlan(target, plan);
  const reapplySeconds = (performance.now() - reapplyStart) / 1000;
  const snapshot = snapshotFromItems(ACCOUNT, [...stored.values()]);
  stored.clear();
  // Collect first (the bench runs with --expose-gc): garbage left by the apply would otherwise be
  // freed during verify and hide its growth.
  (globalThis as { gc?: () => void }).gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let peakHeap = heapBefore;
  const verifyStart = performance.now();
  const summary = verifyMigration(fgExport, plan, snapshot, () => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  });
  const verifySeconds = (performance.now() - verifyStart) / 1000;
  const assignmentsAt = (level: string) =>
    plan.assignments.filter((assignment) => assignment.scope.level === level).length;
  const decisions = Object.values(summary.totals).reduce((total, count) => total + count, 0);
  process.stderr.write(
    `messy migration: ${items.length} items, ${plan.assignments.length} assignments; verify ${JSON.stringify(summary.totals)}\n`,
  );
  return {
    migration_messy_items_per_group: {
      value: round(items.length / fgExport.userGroups.length),
      unit: 'items',
      note: `${items.length} items, ${plan.assignments.length} assignments (${assignmentsAt('project')} at project, ${assignmentsAt('organization')} at organization, ${assignmentsAt('account')} at account scope), ${fgExport.userGroups.length} groups`,
    },
    migration_messy_apply_s: { value: round(applySeconds), unit: 's', note: `${items.length} items` },
    migration_messy_reapply_s: {
      value: round(reapplySeconds),
      unit: 's',
      reference: round(readSeconds),
      ratio: round(reapplySeconds / readSeconds),
      note: `wrote ${again.itemsWritten}; reference: one read of the account`,
    },
    migration_messy_verify_s: {
      value: round(verifySeconds),
      unit: 's',
      note: `${decisions} decisions, ${summary.groups} groups, ${summary.users} users; ${summary.totals.broadened} broadened`,
    },
    migration_messy_verify_heap_mb: {
      value: round((peakHeap - heapBefore) / 1e6),
      unit: 'MB',
      note: 'peak heap growth during verify over the live heap before it, sampled after each group and user',
    },
  };
}
