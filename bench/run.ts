import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Evaluator } from '../functions/core/evaluator.js';
import { cedar, cedarDecide, encodeWorld } from '../test/support/cedar-world.js';
import { BENCH_PERMISSIONS, buildChecks, buildWorld, REALISTIC_WORLD } from './world.js';

/**
 * `npm run bench`: builds the realistic world of the benchmark issue and measures the evaluator
 * beside its reference in the same run. Figures that need the HTTP server, casbin, the migration or
 * the Lambda bundles are not measured yet (see docs/performance.md).
 */

interface Figure {
  value: number;
  unit: string;
  reference?: number;
  ratio?: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
const heapMb = () => {
  gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

function timeDecisions(decide: () => number, minMs = 1_000): number {
  let decisions = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) decisions += decide();
  return decisions / ((performance.now() - start) / 1000);
}

const figures: Record<string, Figure> = {};
const before = heapMb();
const { world, scopes, projects } = buildWorld(REALISTIC_WORLD);
const evaluator = new Evaluator(world);
const checks = buildChecks(REALISTIC_WORLD.users, projects, 20_000);
for (const { principal, check } of checks) evaluator.check(principal, check);
const after = heapMb();
figures.snapshot_heap_mb = { value: round(after - before), unit: 'MB' };

const ours = timeDecisions(() => {
  for (const { principal, check } of checks) evaluator.check(principal, check);
  return checks.length;
});

const encoded = encodeWorld(world, scopes, new Set(BENCH_PERMISSIONS));
const parsed = cedar.preparsePolicySet('bench', { staticPolicies: encoded.policies });
if (parsed.type !== 'success') throw new Error(`Cedar rejected the world: ${JSON.stringify(parsed)}`);
const sample = checks.slice(0, 2_000);
let agree = 0;
for (const { principal, check } of sample) {
  if (cedarDecide('bench', encoded, principal, check) === evaluator.check(principal, check).permitted)
    agree++;
}
const cedarRate = timeDecisions(() => {
  for (const { principal, check } of sample.slice(0, 200)) cedarDecide('bench', encoded, principal, check);
  return 200;
}, 2_000);

figures.eval_decisions_per_s = {
  value: Math.round(ours),
  unit: 'decisions/s',
  reference: Math.round(cedarRate),
  ratio: round(ours / cedarRate),
};
figures.eval_agreement = { value: agree / sample.length, unit: 'fraction (Cedar only)' };

const permitted = checks.filter(({ principal, check }) => evaluator.check(principal, check).permitted).length;
console.log(
  `world: ${world.roleAssignments.length} assignments, ${world.userGroups.length} groups, ` +
    `${REALISTIC_WORLD.users} users; ${checks.length} checks, ${permitted} permitted`,
);
console.table(figures);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(
  new URL('./results/latest.json', import.meta.url),
  `${JSON.stringify({ generatedAt: new Date().toISOString(), machine: `${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`, figures }, null, 2)}\n`,
);

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
