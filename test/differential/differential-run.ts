import fc from 'fast-check';
import { Evaluator } from '../../functions/core/evaluator.js';
import { cedar, cedarDecide, encodeWorld } from '../support/cedar-world.js';
import { oracleDecide } from '../support/oracle.js';
import {
  actingPrincipalArb,
  checkArb,
  WORLD_PERMISSIONS,
  WORLD_SCOPES,
  worldArb,
} from '../support/world-arbitrary.js';

/**
 * One slice of the differential test, run as its own Node process: `runs` generated worlds (from
 * `seed`) × `checks` checks, each decided by our evaluator, the brute-force oracle and Cedar. Prints
 * one JSON line of counts; on a disagreement prints fast-check's shrunk counterexample and exits 1.
 * It runs as a plain Node process so the test can pass V8 flags (see the test file).
 */
const [seed = '1', runs = '20', checksPerWorld = '500'] = process.argv.slice(2);
let lastDisagreement = '';
const counts = { worlds: 0, checks: 0, permitted: 0, disagreementsWithOracle: 0, disagreementsWithCedar: 0 };

const result = fc.check(
  fc.property(
    worldArb,
    fc.array(fc.tuple(actingPrincipalArb, checkArb), {
      minLength: Number(checksPerWorld),
      maxLength: Number(checksPerWorld),
    }),
    (world, checks) => {
      const evaluator = new Evaluator(world);
      const encoded = encodeWorld(world, WORLD_SCOPES, new Set(WORLD_PERMISSIONS));
      const policySetId = `world-${counts.worlds}`;
      const parsed = cedar.preparsePolicySet(policySetId, { staticPolicies: encoded.policies });
      if (parsed.type !== 'success')
        throw new Error(`Cedar rejected the policies: ${JSON.stringify(parsed)}`);
      counts.worlds++;
      for (const [principal, check] of checks) {
        const ours = evaluator.check(principal, check).permitted;
        const oracle = oracleDecide(world, principal, check);
        const viaCedar = cedarDecide(policySetId, encoded, principal, check);
        counts.checks++;
        if (ours) counts.permitted++;
        if (ours !== oracle) counts.disagreementsWithOracle++;
        if (ours !== viaCedar) counts.disagreementsWithCedar++;
        if (ours !== oracle || ours !== viaCedar) {
          lastDisagreement = `ours=${ours} oracle=${oracle} cedar=${viaCedar} for ${JSON.stringify(principal)} ${JSON.stringify(check)}`;
          throw new Error(lastDisagreement);
        }
      }
    },
  ),
  { numRuns: Number(runs), seed: Number(seed) },
);

if (result.failed) {
  process.stdout.write(
    `${JSON.stringify({ ...counts, failure: `${lastDisagreement}\n${fc.defaultReportMessage(result)}` })}\n`,
  );
  process.exit(1);
}
process.stdout.write(`${JSON.stringify(counts)}\n`);
