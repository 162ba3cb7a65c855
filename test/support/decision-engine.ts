import { isDeepStrictEqual } from 'node:util';
import type { AccessCheck, DenialCode, GrantExplanation } from '../../functions/core/access-check.js';
import { type EffectivePermission, Evaluator } from '../../functions/core/evaluator.js';
import type { PolicySnapshot } from '../../functions/core/policy-snapshot.js';
import type { ActingPrincipal } from '../../functions/core/principal.js';
import type { Scope } from '../../functions/core/scope.js';

/** One question to an engine: may `principal` do `check`? */
export interface DecisionRequest {
  readonly principal: ActingPrincipal;
  readonly check: AccessCheck;
}

/**
 * An engine's answer to one request. `explanations` lists the grants the engine names for a
 * permitted decision (our evaluator names the one it found first, the oracle every one that
 * applies) and `code` says why a denial happened; both are absent when the engine cannot tell.
 */
export type EngineDecision =
  | { readonly permitted: true; readonly explanations?: readonly GrantExplanation[] }
  | { readonly permitted: false; readonly code?: DenialCode };

/** One principal an engine allows for "who can do X", with the grants it names (when it explains). */
export interface EngineAllowedPrincipal {
  readonly principal: ActingPrincipal;
  readonly explanations?: readonly GrantExplanation[];
}

/**
 * One way of deciding access checks over a world, so that the same worlds and checks can be run
 * through our evaluator, the brute-force oracle and Cedar (the role of Cedar's
 * `CedarTestImplementation`). Engines are stateless: every call carries its world. The review
 * queries are optional; {@link whoCanOf} derives "who can" from `decide` when an engine has none.
 */
export interface DecisionEngine {
  readonly name: string;
  /** Decides every request against `world`, in request order. */
  decide(world: PolicySnapshot, requests: readonly DecisionRequest[]): Promise<EngineDecision[]>;
  /** "Who can do X": every user and service account the engine permits `check`. */
  whoCan?(world: PolicySnapshot, check: AccessCheck): Promise<EngineAllowedPrincipal[]>;
  /** "What can P do here": the principal's permissions on resources whose home is `scope`. */
  effectivePermissions?(
    world: PolicySnapshot,
    principal: ActingPrincipal,
    scope: Scope,
  ): Promise<EffectivePermission[]>;
}

/** Our evaluator (`functions/core/evaluator.ts`) behind the engine interface. */
export const evaluatorEngine: DecisionEngine = {
  name: 'evaluator',
  async decide(world, requests) {
    const evaluator = new Evaluator(world);
    return requests.map(({ principal, check }) => {
      const decision = evaluator.check(principal, check);
      return decision.permitted
        ? { permitted: true, explanations: [decision.explanation] }
        : { permitted: false, code: decision.code };
    });
  },
  async whoCan(world, check) {
    return new Evaluator(world)
      .whoCan(check)
      .map(({ principal, explanation }) => ({ principal, explanations: [explanation] }));
  },
  async effectivePermissions(world, principal, scope) {
    return new Evaluator(world).effectivePermissions(principal, scope);
  },
};

/** `TYPE#identifier` of a principal, the order "who can" answers are sorted in. */
export function principalKey(principal: ActingPrincipal): string {
  return `${principal.type}#${principal.identifier}`;
}

/**
 * Every user and service account a world names anywhere: group members, scope members, principals
 * of assignments, service accounts. Sorted by {@link principalKey}.
 */
export function principalsOf(world: PolicySnapshot): ActingPrincipal[] {
  const found = new Map<string, ActingPrincipal>();
  const add = (principal: ActingPrincipal) => found.set(principalKey(principal), principal);
  for (const group of world.userGroups)
    for (const user of group.users) add({ type: 'USER', identifier: user });
  for (const membership of world.scopeMemberships) add({ type: 'USER', identifier: membership.userId });
  for (const account of world.serviceAccounts)
    add({ type: 'SERVICE_ACCOUNT', identifier: account.identifier });
  for (const { principal } of world.roleAssignments) {
    if (principal.type !== 'USER_GROUP') add({ type: principal.type, identifier: principal.identifier });
  }
  return [...found.values()].sort((a, b) => principalKey(a).localeCompare(principalKey(b)));
}

/**
 * "Who can do X" on an engine: its own query when it has one, else `decide` for every principal
 * the world names (a brute force that needs nothing but decisions).
 */
export async function whoCanOf(
  engine: DecisionEngine,
  world: PolicySnapshot,
  check: AccessCheck,
): Promise<EngineAllowedPrincipal[]> {
  if (engine.whoCan) return engine.whoCan(world, check);
  const candidates = principalsOf(world);
  const decisions = await engine.decide(
    world,
    candidates.map((principal) => ({ principal, check })),
  );
  return candidates.flatMap((principal, index) => {
    const decision = decisions[index];
    if (!decision?.permitted) return [];
    return [decision.explanations ? { principal, explanations: decision.explanations } : { principal }];
  });
}

/**
 * How two engines' answers to the same request disagree, or `undefined` when they agree: on the
 * decision; on the denial code when both give one; on the explanation when both explain and name
 * no grant in common.
 */
export function disagreement(a: EngineDecision, b: EngineDecision): string | undefined {
  if (a.permitted !== b.permitted) return `decision ${a.permitted} ≠ ${b.permitted}`;
  if (!a.permitted && !b.permitted) {
    return a.code && b.code && a.code !== b.code ? `denial code ${a.code} ≠ ${b.code}` : undefined;
  }
  if (a.permitted && b.permitted && a.explanations && b.explanations) {
    const shared = a.explanations.some((x) => b.explanations?.some((y) => isDeepStrictEqual(x, y)));
    return shared
      ? undefined
      : `explanations ${JSON.stringify(a.explanations)} ≠ ${JSON.stringify(b.explanations)}`;
  }
  return undefined;
}
