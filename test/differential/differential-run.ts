import fc from 'fast-check';
import { cedarEngine } from '../support/cedar-world.js';
import { type DecisionEngine, disagreement, evaluatorEngine } from '../support/decision-engine.js';
import { oracleEngine } from '../support/oracle.js';
import { actingPrincipalArb, checkArb, worldArb } from '../support/world-arbitrary.js';

/**
 * One slice of the differential test, run as its own Node process: `runs` generated worlds (from
 * `seed`) × `checks` checks, each decided by our evaluator, the brute-force oracle and Cedar through
 * the one `DecisionEngine` interface. Ours and the oracle must agree on the decision, the denial code
 * and (the oracle naming every granting assignment) the explanation; Cedar on the decision. Prints one
 * JSON line of counts; on a disagreement prints fast-check's shrunk counterexample and exits 1. It
 * runs as a plain Node process so the test can pass V8 flags (see the test file).
 */
const [seed = '1', runs = '20', checksPerWorld = '500'] = process.argv.slice(2);
const REFERENCES: readonly DecisionEngine[] = [oracleEngine, cedarEngine];
let lastDisagreement = '';
const counts = { worlds: 0, checks: 0, permitted: 0, disagreementsWithOracle: 0, disagreementsWithCedar: 0 };

const result = await fc.check(
  fc.asyncProperty(
    worldArb,
    fc.array(fc.record({ principal: actingPrincipalArb, check: checkArb }), {
      minLength: Number(checksPerWorld),
      maxLength: Number(checksPerWorld),
    }),
    async (world, requests) => {
      const ours = await evaluatorEngine.decide(world, requests);
      const [oracle = [], viaCedar = []] = await Promise.all(
        REFERENCES.map((engine) => engine.decide(world, requests)),
      );
      counts.worlds++;
      for (const [index, request] of requests.entries()) {
        const mine = ours[index];
        const fromOracle = oracle[index];
        const fromCedar = viaCedar[index];
        if (!mine || !fromOracle || !fromCedar)
          throw new Error(`engine answered too few requests (${index})`);
        const withOracle = disagreement(mine, fromOracle);
        const withCedar = disagreement(mine, fromCedar);
        counts.checks++;
        if (mine.permitted) counts.permitted++;
        if (withOracle) counts.disagreementsWithOracle++;
        if (withCedar) counts.disagreementsWithCedar++;
        if (withOracle || withCedar) {
          lastDisagreement = `ours vs oracle: ${withOracle ?? 'agree'}; ours vs cedar: ${withCedar ?? 'agree'} for ${JSON.stringify(request)}`;
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
