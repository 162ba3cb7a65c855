import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { bootstrapAccount } from '../functions/store/bootstrap-account.js';
import { ensureTable } from '../functions/store/create-table.js';
import { localClientConfig } from '../functions/store/dynamodb-local.js';
import { applyPlan, planTableItems } from '../migration/apply/apply-plan.js';
import { batchPut, DEFAULT_CONCURRENCY } from '../migration/apply/batch-writer.js';
import { parseExport } from '../migration/firstgen/parse-export.js';
import { mapExport } from '../migration/mapping/map-export.js';
import { type Figure, round } from './figures.js';
import { BENCH_EXPORT, generateExport } from './firstgen-export-generator.js';

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
