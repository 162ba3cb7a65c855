import type { ActingPrincipal } from '../../functions/core/principal.js';
import type { FixtureWorld } from './fixture-world.js';

/**
 * One case of the corpus of writes (`test/fixtures/escalation/`): a world, who acts, the world the
 * write would produce (`after`; the operations are the item differences between the two) or a
 * credential it would issue, and whether the anti-escalation rule lets it through. A refusal names the
 * principal that would gain (or whose credential it is) and the permission it would gain; the oracle
 * then confirms that gain unless `beyondOracle` says the refusal rests on scopes the fixed world does
 * not have (a grant including child scopes that the caller holds only in today's scopes).
 */
export interface WriteFixture {
  readonly name: string;
  readonly world: FixtureWorld;
  readonly caller: ActingPrincipal;
  /** The world after the write; the world unchanged when omitted (a credential-only write). */
  readonly after?: FixtureWorld;
  /** A token the write issues for this principal (acting as it). */
  readonly credentialFor?: ActingPrincipal;
  readonly expected:
    | 'ALLOWED'
    | {
        readonly refusedFor: ActingPrincipal;
        readonly permission: string;
        readonly beyondOracle?: true;
      };
}
