import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AccessCheck } from '../../../functions/core/access-check.js';
import { type EffectivePermission, Evaluator } from '../../../functions/core/evaluator.js';
import type { PolicySnapshot } from '../../../functions/core/policy-snapshot.js';
import type { ActingPrincipal } from '../../../functions/core/principal.js';
import { scopePath } from '../../../functions/core/scope.js';
import { checkArb, WORLD_PERMISSIONS, WORLD_SCOPES, worldArb } from '../../support/world-arbitrary.js';

/**
 * The access-review queries are consistent with the check on generated worlds. Their hand-picked
 * cases are fixtures of the decision corpus (`test/fixtures/decisions/access-review.ts`).
 */

const u = (identifier: string): ActingPrincipal => ({ type: 'USER', identifier });
const sa = (identifier: string): ActingPrincipal => ({ type: 'SERVICE_ACCOUNT', identifier });
const key = (principal: ActingPrincipal) => `${principal.type}#${principal.identifier}`;

/** Every principal a generated world can name (world-arbitrary's USERS and SERVICE_ACCOUNTS). */
const WORLD_PRINCIPALS: readonly ActingPrincipal[] = [
  ...['u1', 'u2', 'u3', 'u4', 'u5'].map(u),
  ...['s1', 's2'].map(sa),
];

/** Resource types that do not denote a scope, so a check's home is exactly its `resourceScope`. */
const NON_SCOPE_TYPES = ['PIPELINE', 'SECRET', 'ENVIRONMENT', 'CONNECTOR', 'FEATUREFLAG'];

function entry(
  entries: readonly EffectivePermission[],
  permission: string,
  resourceType: string,
): EffectivePermission | undefined {
  return entries.find((item) => item.permission === permission && item.resourceType === resourceType);
}

/** Describes the first disagreement between `check` and `effectivePermissions` in a world, if any. */
function effectiveMismatch(snapshot: PolicySnapshot): string | undefined {
  const evaluator = new Evaluator(snapshot);
  for (const principal of WORLD_PRINCIPALS) {
    for (const scope of WORLD_SCOPES) {
      const entries = evaluator.effectivePermissions(principal, scope);
      for (const permission of WORLD_PERMISSIONS) {
        for (const resourceType of NON_SCOPE_TYPES) {
          const found = entry(entries, permission, resourceType);
          const all = found?.selection.kind === 'ALL';
          const typeLevel = evaluator.check(principal, { permission, resourceType, resourceScope: scope });
          if (typeLevel.permitted !== all) {
            return `type-level ${key(principal)} ${permission} ${resourceType} at ${scopePath(scope)}: check=${typeLevel.permitted}, effective=${JSON.stringify(found)}`;
          }
          const named = evaluator.check(principal, {
            permission,
            resourceType,
            resourceScope: scope,
            resourceIdentifier: 'x',
          });
          const listed =
            all || (found?.selection.kind === 'SOME' && found.selection.identifiers.includes('x'));
          if (named.permitted !== listed) {
            return `identifier x ${key(principal)} ${permission} ${resourceType} at ${scopePath(scope)}: check=${named.permitted}, effective=${JSON.stringify(found)}`;
          }
        }
      }
    }
  }
  return undefined;
}

/** Describes the first check on which `whoCan` and per-principal `check` disagree, if any. */
function whoCanMismatch(snapshot: PolicySnapshot, checks: readonly AccessCheck[]): string | undefined {
  const evaluator = new Evaluator(snapshot);
  for (const check of checks) {
    const listed = evaluator.whoCan(check).map((item) => key(item.principal));
    const expected = WORLD_PRINCIPALS.filter((principal) => evaluator.check(principal, check).permitted).map(
      key,
    );
    if (new Set(listed).size !== listed.length || [...listed].sort().join() !== [...expected].sort().join()) {
      return `${JSON.stringify(check)}: whoCan=[${listed.join(', ')}], check=[${expected.join(', ')}]`;
    }
  }
  return undefined;
}

describe('Evaluator consistency properties', () => {
  it('effectivePermissions agrees with check on type-level and identifier checks', () => {
    fc.assert(
      fc.property(worldArb, (snapshot) => {
        expect(effectiveMismatch(snapshot)).toBeUndefined();
      }),
      { numRuns: 100 },
    );
  });

  it('whoCan returns exactly the principals that check permits', () => {
    fc.assert(
      fc.property(worldArb, fc.array(checkArb, { minLength: 1, maxLength: 20 }), (snapshot, checks) => {
        expect(whoCanMismatch(snapshot, checks)).toBeUndefined();
      }),
      { numRuns: 100 },
    );
  });
});
