import { Evaluator } from '../functions/core/evaluator.js';
import type { PolicySnapshot } from '../functions/core/policy-snapshot.js';
import type { Scope } from '../functions/core/scope.js';
import { cedar, cedarDecide, encodeWorld } from '../test/support/cedar-world.js';
import { casbinDecide, casbinEnforcer, casbinPolicies } from './casbin-world.js';
import { type Figure, round } from './figures.js';
import { BENCH_PERMISSIONS, type BenchCheck } from './world.js';

const gc = (globalThis as { gc?: () => void }).gc;
const heapMb = () => {
  gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

function decisionsPerSecond(decide: () => number, minMs: number): number {
  let decisions = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) decisions += decide();
  return decisions / ((performance.now() - start) / 1000);
}

/**
 * The in-process figures: the snapshot's heap, our decisions per second beside Cedar's (preparsed
 * policies and entity hierarchy) and casbin's (RBAC with domains) on the same checks, and the
 * agreement of all three on a sample.
 */
export async function measureEvaluator(
  world: PolicySnapshot,
  scopes: readonly Scope[],
  checks: readonly BenchCheck[],
): Promise<Record<string, Figure>> {
  const before = heapMb();
  const evaluator = new Evaluator(world);
  for (const { principal, check } of checks) evaluator.check(principal, check);
  const heap = heapMb() - before;
  const ours = decisionsPerSecond(() => {
    for (const { principal, check } of checks) evaluator.check(principal, check);
    return checks.length;
  }, 1_000);

  const encoded = encodeWorld(world, scopes, new Set(BENCH_PERMISSIONS));
  const parsed = cedar.preparsePolicySet('bench', { staticPolicies: encoded.policies });
  if (parsed.type !== 'success') throw new Error(`Cedar rejected the world: ${JSON.stringify(parsed)}`);
  const cedarSample = checks.slice(0, 200);
  const cedarRate = decisionsPerSecond(() => {
    for (const { principal, check } of cedarSample.slice(0, 50))
      cedarDecide('bench', encoded, principal, check);
    return 50;
  }, 2_000);

  const casbinStart = performance.now();
  const policyText = casbinPolicies(world, scopes, new Set(BENCH_PERMISSIONS));
  const enforcer = await casbinEnforcer(policyText);
  process.stderr.write(
    `casbin: ${policyText.split('\n').length} policy lines, loaded in ${round((performance.now() - casbinStart) / 1000)} s\n`,
  );
  const casbinSample = checks.slice(0, 200);
  const casbinRate = decisionsPerSecond(() => {
    for (const { principal, check } of casbinSample.slice(0, 20)) casbinDecide(enforcer, principal, check);
    return 20;
  }, 2_000);

  const sample = checks.slice(0, 120);
  let agree = 0;
  for (const { principal, check } of sample) {
    const mine = evaluator.check(principal, check).permitted;
    if (
      cedarDecide('bench', encoded, principal, check) === mine &&
      casbinDecide(enforcer, principal, check) === mine
    )
      agree++;
  }
  const permitted = sample.filter(
    ({ principal, check }) => evaluator.check(principal, check).permitted,
  ).length;
  return {
    eval_decisions_per_s: {
      value: Math.round(ours),
      unit: 'decisions/s',
      reference: Math.round(cedarRate),
      ratio: round(ours / cedarRate),
    },
    eval_vs_casbin_ratio: {
      value: round(ours / casbinRate),
      unit: 'ratio',
      reference: Math.round(casbinRate),
      note: 'casbin decisions/s',
    },
    eval_agreement: {
      value: agree / sample.length,
      unit: 'fraction',
      note: `with Cedar and casbin on ${sample.length} checks, ${permitted} permitted`,
    },
    snapshot_heap_mb: { value: round(heap), unit: 'MB' },
  };
}
