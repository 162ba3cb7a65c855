import type { AccessCheck } from '../../functions/core/access-check.js';
import type { ActingPrincipal } from '../../functions/core/principal.js';
import { scopePath } from '../../functions/core/scope.js';
import { principalKey } from './decision-engine.js';
import {
  type CheckAssertion,
  type DecisionFixture,
  type EffectivePermissionsAssertion,
  U1,
  type WhoCanAssertion,
} from './decision-fixture.js';

/** One named case of the corpus: a fixture and one of its assertions, with the principal resolved. */
export interface CorpusCase<A> {
  readonly title: string;
  readonly fixture: DecisionFixture;
  readonly principal: ActingPrincipal;
  readonly assertion: A;
}

/** A check in words, for case names: `core_pipeline_view on PIPELINE deploy in /ACCOUNT/acc/…`. */
export function describeCheck(check: AccessCheck): string {
  const target = check.resourceIdentifier === undefined ? '(any)' : check.resourceIdentifier;
  const where = check.resourceScope ? ` in ${scopePath(check.resourceScope)}` : '';
  const attributes = check.resourceAttributes ? ` with ${JSON.stringify(check.resourceAttributes)}` : '';
  return `${check.permission} on ${check.resourceType} ${target}${where}${attributes}`;
}

function principalPart(principal: ActingPrincipal, fixture: DecisionFixture): string {
  return principal === (fixture.principal ?? U1) ? '' : ` [as ${principalKey(principal)}]`;
}

/** Every check assertion of the corpus as a named case: `fixture › check → permitted|denied`. */
export function checkCases(fixtures: readonly DecisionFixture[]): CorpusCase<CheckAssertion>[] {
  return fixtures.flatMap((fixture) =>
    (fixture.checks ?? []).map((assertion) => {
      const principal = assertion.principal ?? fixture.principal ?? U1;
      const name = assertion.name ?? describeCheck(assertion.check);
      const outcome = assertion.permitted
        ? 'permitted'
        : `denied${assertion.code ? ` ${assertion.code}` : ''}`;
      return {
        title: `${fixture.name} › ${name}${principalPart(principal, fixture)} → ${outcome}`,
        fixture,
        principal,
        assertion,
      };
    }),
  );
}

/** Every "who can" assertion as a named case. */
export function whoCanCases(fixtures: readonly DecisionFixture[]): CorpusCase<WhoCanAssertion>[] {
  return fixtures.flatMap((fixture) =>
    (fixture.whoCan ?? []).map((assertion) => ({
      title: `${fixture.name} › who can: ${assertion.name}`,
      fixture,
      principal: fixture.principal ?? U1,
      assertion,
    })),
  );
}

/** Every "what can P do here" assertion as a named case. */
export function effectivePermissionsCases(
  fixtures: readonly DecisionFixture[],
): CorpusCase<EffectivePermissionsAssertion>[] {
  return fixtures.flatMap((fixture) =>
    (fixture.effectivePermissions ?? []).map((assertion) => {
      const principal = assertion.principal ?? fixture.principal ?? U1;
      return {
        title: `${fixture.name} › what can ${principalKey(principal)} do at ${scopePath(assertion.scope)}: ${assertion.name}`,
        fixture,
        principal,
        assertion,
      };
    }),
  );
}
