import { startDynamoDbLocal } from '../functions/store/dynamodb-local.js';
import { startLocalBlobStore } from '../functions/store/snapshots/local-blob-store.js';
import { measureBundles } from './bundle-bench.js';
import { measureEvaluator } from './evaluator-bench.js';
import { type Figure, report } from './figures.js';
import { measureHttp } from './http-bench.js';
import { measureMessyMigration, measureMigration } from './migration-bench.js';
import { measureScale } from './scale-bench.js';
import { buildChecks, buildWorld, REALISTIC_WORLD } from './world.js';

/**
 * `npm run bench`: builds the realistic world of issue 7 once and measures every figure beside its
 * reference from the same run — the evaluator against Cedar and casbin, the HTTP API against a
 * one-GetItem floor on DynamoDB Local, DynamoDB calls per batch, the migration apply against raw
 * BatchWriteItem, the Lambda bundles and the authorize bundle's cold import, and the scale phase of
 * issue 12 (`scale-bench.ts`) — then prints the table and writes `bench/results/latest.json`.
 * `BENCH_ONLY=scale` runs the scale phase alone, `BENCH_ONLY=migration` the two migration phases
 * alone (without building the realistic world).
 */
const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
const figures: Record<string, Figure> = {};

const only = process.env.BENCH_ONLY;
if (only !== undefined && only !== 'scale' && only !== 'migration')
  throw new Error(`BENCH_ONLY must be 'scale', 'migration' or unset, not ${only}`);
const everything = only === undefined;
/** Runs one phase on its own in-memory DynamoDB Local, so no phase slows another's table. */
async function withDynamoDbLocal(
  phase: (endpoint: string) => Promise<Record<string, Figure>>,
): Promise<void> {
  const ddb = await startDynamoDbLocal();
  try {
    Object.assign(figures, await phase(ddb.endpoint));
  } finally {
    await ddb.stop();
  }
}

if (only === 'migration') {
  await measureMigrationPhases();
} else {
  const { world, scopes, projects } = buildWorld(REALISTIC_WORLD);
  const checks = buildChecks(REALISTIC_WORLD.users, projects, 20_000);
  log(
    `world: ${world.roleAssignments.length} assignments, ${world.userGroups.length} groups, ${REALISTIC_WORLD.users} users`,
  );
  if (everything) {
    log('evaluator, Cedar and casbin');
    Object.assign(figures, await measureEvaluator(world, scopes, checks));
    log('Lambda bundles and cold import');
    Object.assign(figures, await measureBundles());
    await measureMigrationPhases();
    log('HTTP checks against the one-GetItem floor');
    await withDynamoDbLocal((endpoint) => measureHttp(endpoint, world, scopes, checks));
  }
  log('scale: cold starts, writes and concurrent writers on large and small accounts, the 10× account');
  await withDynamoDbLocal(async (endpoint) => {
    const blobs = await startLocalBlobStore();
    try {
      return await measureScale(endpoint, blobs, world, scopes, projects);
    } finally {
      await blobs.stop();
    }
  });
}
report(figures, only);

/** The migration apply against raw BatchWriteItem, then the messy export of issue 14. */
async function measureMigrationPhases(): Promise<void> {
  log('migration apply against raw BatchWriteItem');
  await withDynamoDbLocal(measureMigration);
  log('migration of the messy export: items per group, apply, re-apply, verify');
  await withDynamoDbLocal(measureMessyMigration);
}
