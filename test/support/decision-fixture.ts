import type { AccessCheck, DenialCode, GrantExplanation } from '../../functions/core/access-check.js';
import type { EffectivePermission } from '../../functions/core/evaluator.js';
import type { ActingPrincipal } from '../../functions/core/principal.js';
import type { Scope } from '../../functions/core/scope.js';
import type { FixtureWorld } from './fixture-world.js';

/**
 * One fixture of the decision corpus (`test/fixtures/decisions/`): a named world and what must hold
 * in it, in the spirit of OpenFGA's `checkAssertions` / `listObjectsAssertions` /
 * `listUsersAssertions`. Checks are decided by every engine; explanations and denial codes are
 * compared where an engine gives them; the review queries run where an engine answers them.
 */
export interface DecisionFixture {
  /** Unique in the corpus; the first part of every case's name. */
  readonly name: string;
  readonly world: FixtureWorld;
  /** The principal of the assertions that name none; user `u1` when omitted. */
  readonly principal?: ActingPrincipal;
  readonly checks?: readonly CheckAssertion[];
  readonly effectivePermissions?: readonly EffectivePermissionsAssertion[];
  readonly whoCan?: readonly WhoCanAssertion[];
}

interface CheckAssertionBase {
  /** Unique within the fixture; a name is derived from the check when omitted. */
  readonly name?: string;
  readonly principal?: ActingPrincipal;
  readonly check: AccessCheck;
}

/**
 * A check and its expected decision: permitted (by exactly this grant, when `explanation` is given)
 * or denied (for exactly this reason, when `code` is given).
 */
export type CheckAssertion =
  | (CheckAssertionBase & { readonly permitted: true; readonly explanation?: GrantExplanation })
  | (CheckAssertionBase & { readonly permitted: false; readonly code?: DenialCode });

/** An expected entry of "what can P do here"; `grantedBy` is compared only when given. */
export type ExpectedEffectivePermission = Omit<EffectivePermission, 'grantedBy'> & {
  readonly grantedBy?: GrantExplanation;
};

/**
 * "What can P do at this scope": nothing at all, or an answer that holds these entries (exactly as
 * given) and no entry for these permission × resource type pairs. Entries must come sorted by
 * permission, then resource type (checked on every answer).
 */
export interface EffectivePermissionsAssertion {
  readonly name: string;
  readonly principal?: ActingPrincipal;
  readonly scope: Scope;
  readonly expected:
    | 'NOTHING'
    | {
        readonly includes: readonly ExpectedEffectivePermission[];
        readonly excludes?: readonly { readonly permission: string; readonly resourceType: string }[];
      };
}

/**
 * "Who can do this": exactly these principals, in `TYPE#identifier` order, each permitted by the
 * given grant when `explanation` is given.
 */
export interface WhoCanAssertion {
  readonly name: string;
  readonly check: AccessCheck;
  readonly allowed: readonly {
    readonly principal: ActingPrincipal;
    readonly explanation?: GrantExplanation;
  }[];
}

/** User `u1`, the default principal of fixtures. */
export const U1: ActingPrincipal = { type: 'USER', identifier: 'u1' };

/** An acting user. */
export const actingUser = (identifier: string): ActingPrincipal => ({ type: 'USER', identifier });

/** An acting service account. */
export const actingServiceAccount = (identifier: string): ActingPrincipal => ({
  type: 'SERVICE_ACCOUNT',
  identifier,
});
