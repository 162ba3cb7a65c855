import type { AccessCheck } from '../../functions/core/access-check.js';
import type { ActingPrincipal } from '../../functions/core/principal.js';
import { scopeLevelOfResourceType } from '../../functions/core/resource-types.js';
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

const UNLISTED = '__unlisted__';

function impliedChecksOf(assertion: EffectivePermissionsAssertion): CheckAssertion[] {
  if (assertion.expected === 'NOTHING') return [];
  const { scope } = assertion;
  const typeLevel = (permission: string, resourceType: string) => ({
    permission,
    resourceType,
    resourceScope: scope,
  });
  const included = assertion.expected.includes.flatMap(
    ({ permission, resourceType, selection }): CheckAssertion[] => {
      if (selection.kind === 'ALL') {
        return [
          { check: typeLevel(permission, resourceType), permitted: true },
          {
            check: { ...typeLevel(permission, resourceType), resourceIdentifier: UNLISTED },
            permitted: true,
          },
        ];
      }
      return [
        { check: typeLevel(permission, resourceType), permitted: false },
        ...selection.identifiers.map(
          (identifier): CheckAssertion => ({
            check: { ...typeLevel(permission, resourceType), resourceIdentifier: identifier },
            permitted: true,
          }),
        ),
        ...selection.attributeFilters.flatMap(({ attributeName, attributeValues }) =>
          attributeValues.map(
            (value): CheckAssertion => ({
              check: {
                ...typeLevel(permission, resourceType),
                resourceAttributes: { [attributeName]: value },
              },
              permitted: true,
            }),
          ),
        ),
      ];
    },
  );
  const excluded = (assertion.expected.excludes ?? []).flatMap(({ permission, resourceType }) => [
    { check: typeLevel(permission, resourceType), permitted: false as const },
    {
      check: { ...typeLevel(permission, resourceType), resourceIdentifier: UNLISTED },
      permitted: false as const,
    },
  ]);
  return [...included, ...excluded].filter(({ check }) => !scopeLevelOfResourceType(check.resourceType));
}

/**
 * The checks a "what can P do here" assertion implies, as cases every engine can decide: an `ALL`
 * entry permits the type-level check and any identifier; a `SOME` entry permits its identifiers and
 * attribute values but not the type-level check; an excluded pair permits neither. Entries on scope
 * types (whose identifiers name child scopes) imply nothing here.
 */
export function impliedCheckCases(fixtures: readonly DecisionFixture[]): CorpusCase<CheckAssertion>[] {
  return effectivePermissionsCases(fixtures).flatMap(({ title, fixture, principal, assertion }) =>
    impliedChecksOf(assertion).map((implied) => ({
      title: `${title} ⇒ ${describeCheck(implied.check)} → ${implied.permitted ? 'permitted' : 'denied'}`,
      fixture,
      principal,
      assertion: { ...implied, principal },
    })),
  );
}
