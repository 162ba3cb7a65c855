import type { AccessCheck } from './access-check.js';
import type { Evaluator } from './evaluator.js';
import type { Grant } from './grant.js';
import { applicableResourceTypes, isPermissionApplicable } from './permission-catalogue.js';
import type { ActingPrincipal } from './principal.js';
import { scopeLevelOfResourceType } from './resource-types.js';
import { levelRank, parseScopePath, type Scope, type ScopePath } from './scope.js';

/**
 * The anti-escalation rule (DESIGN §6.1, `docs/authorization.md`): a write may add to a principal only
 * (permission, resource) pairs that the acting principal itself holds. Everything here is pure: it
 * compares the evaluator of the state before a write with the evaluator of the state after it.
 *
 * A grant is decomposed into *elements*: one check per permission × resource type it selects (× each
 * identifier or attribute value it names), at its anchor scope — also on a type that cannot live at
 * the anchor, since the evaluator answers that check too. An element of a grant that includes
 * child scopes, on a resource type that can live below the anchor, is *held with descendants* only
 * through a grant that includes child scopes at or above that anchor, so the rule also covers scopes
 * created later.
 */

/** One (permission, resource) of a grant, as the check that asks for it. */
export interface GrantElement {
  readonly check: AccessCheck;
  /** True when the grant also covers every scope below the check's scope, today's and future ones. */
  readonly withDescendants: boolean;
}

/** A (permission, resource) that a write would give `principal` and that the actor does not hold. */
export interface UnheldGain {
  readonly principal: ActingPrincipal;
  readonly element: GrantElement;
}

/** Whether resources of `resourceType` can live in a scope strictly below one of `anchor`'s level. */
function livesBelow(resourceType: string, anchor: Scope): boolean {
  const entityLevel = scopeLevelOfResourceType(resourceType);
  if (entityLevel) return levelRank(entityLevel) > levelRank(anchor.level);
  return anchor.level !== 'project';
}

/** The resource types a grant's matcher selects for `permission` (only those the permission applies to). */
function typesSelected(grant: Grant, permission: string): readonly string[] {
  if (grant.matcher.kind === 'all') return applicableResourceTypes(permission);
  return isPermissionApplicable(permission, grant.matcher.resourceType) ? [grant.matcher.resourceType] : [];
}

/**
 * The checks that ask for what `grant` selects of `resourceType` for `permission` at `anchor`.
 * Identifier and attribute selectors on scope-entity types (ACCOUNT, ORGANIZATION, PROJECT) are
 * widened to the type: an entity's home is its own scope, which one check at the anchor cannot name.
 */
function selectorChecks(
  grant: Grant,
  permission: string,
  resourceType: string,
  anchor: Scope,
): AccessCheck[] {
  const typeLevel: AccessCheck = { permission, resourceType, resourceScope: anchor };
  const { matcher } = grant;
  if (matcher.kind === 'all' || matcher.kind === 'type' || scopeLevelOfResourceType(resourceType)) {
    return [typeLevel];
  }
  if (matcher.kind === 'identifiers') {
    return [...matcher.identifiers].map((resourceIdentifier) => ({ ...typeLevel, resourceIdentifier }));
  }
  return [...matcher.attributeValues].map((value) => ({
    ...typeLevel,
    resourceAttributes: Object.fromEntries([[matcher.attributeName, value]]),
  }));
}

/** Every element of a grant (see the module comment); elements that select nothing are left out. */
export function grantElements(grant: Grant): GrantElement[] {
  const anchor = parseScopePath(grant.anchor);
  if (!anchor) return [];
  const elements: GrantElement[] = [];
  for (const permission of grant.permissions) {
    for (const resourceType of typesSelected(grant, permission)) {
      const withDescendants = grant.includeChildScopes && livesBelow(resourceType, anchor);
      for (const check of selectorChecks(grant, permission, resourceType, anchor)) {
        elements.push({ check, withDescendants });
      }
    }
  }
  return elements;
}

/** Whether `principal` holds an element under `evaluator` (with descendants when the element says so). */
export function holdsElement(
  evaluator: Evaluator,
  principal: ActingPrincipal,
  element: GrantElement,
): boolean {
  return element.withDescendants
    ? evaluator.checkCoveringDescendants(principal, element.check)
    : evaluator.check(principal, element.check).permitted;
}

/** Content keys already computed, per grant (grants are shared by every evaluator of the same definitions). */
const contentKeys = new WeakMap<Grant, string>();
/** Sorted, joined permission lists, per list (shared by the grants of one role). */
const permissionKeys = new WeakMap<readonly string[], string>();

function permissionKey(permissions: readonly string[]): string {
  let key = permissionKeys.get(permissions);
  if (key === undefined) {
    key = [...permissions].sort().join(',');
    permissionKeys.set(permissions, key);
  }
  return key;
}

/** A key that is equal for two grants exactly when they give the same access (memoised per grant). */
function grantContentKey(grant: Grant): string {
  let key = contentKeys.get(grant);
  if (key === undefined) {
    key = computeContentKey(grant);
    contentKeys.set(grant, key);
  }
  return key;
}

function computeContentKey(grant: Grant): string {
  const { matcher } = grant;
  const selected =
    matcher.kind === 'all'
      ? 'all'
      : matcher.kind === 'type'
        ? `type:${matcher.resourceType}`
        : matcher.kind === 'identifiers'
          ? `ids:${matcher.resourceType}:${[...matcher.identifiers].sort().join(',')}`
          : `attr:${matcher.resourceType}:${matcher.attributeName}:${[...matcher.attributeValues].sort().join(',')}`;
  return `${grant.anchor}|${grant.includeChildScopes}|${selected}|${permissionKey(grant.permissions)}`;
}

/** Whether `anchor` is one of `newScopes` or lies below one of them. */
function inNewScope(anchor: ScopePath, newScopes: ReadonlySet<ScopePath>): boolean {
  for (const scope of newScopes) if (anchor === scope || anchor.startsWith(`${scope}/`)) return true;
  return false;
}

/** What the rule compares: the states before and after the write, who acts, and who may gain. */
export interface GainQuestion {
  readonly before: Evaluator;
  readonly after: Evaluator;
  /** The principal the write acts for; `undefined` for a system job, which holds nothing. */
  readonly actor: ActingPrincipal | undefined;
  /** Every principal whose access the write may change. */
  readonly principals: Iterable<ActingPrincipal>;
  /** Scopes the write itself creates: nobody held anything there before, so they are not compared. */
  readonly newScopes: ReadonlySet<ScopePath>;
}

/**
 * The first (principal, element) the write adds that the principal did not hold before and the actor
 * does not hold (before the write); `undefined` when the write adds only what the actor holds.
 */
export function firstUnheldGain(question: GainQuestion): UnheldGain | undefined {
  const { before, after, actor, newScopes } = question;
  for (const principal of question.principals) {
    const beforeGrants = before.reachedGrants(principal);
    const same = new Set(beforeGrants);
    let held: Set<string> | undefined;
    for (const grant of after.reachedGrants(principal)) {
      // A grant object the principal reached before is the same access (grants are shared while definitions are unchanged).
      if (same.has(grant) || inNewScope(grant.anchor, newScopes)) continue;
      held ??= new Set(beforeGrants.map(grantContentKey));
      if (held.has(grantContentKey(grant))) continue;
      for (const element of grantElements(grant)) {
        if (actor && holdsElement(before, actor, element)) continue;
        if (holdsElement(before, principal, element)) continue;
        return { principal, element };
      }
    }
  }
  return undefined;
}

/**
 * The first element `owner` holds that `actor` does not: acting with another principal's credential
 * is acting as that principal, so issuing, rotating or removing one needs everything it holds.
 */
export function firstUnheldOfPrincipal(
  evaluator: Evaluator,
  actor: ActingPrincipal | undefined,
  owner: ActingPrincipal,
): UnheldGain | undefined {
  if (actor && actor.type === owner.type && actor.identifier === owner.identifier) return undefined;
  for (const grant of evaluator.reachedGrants(owner)) {
    for (const element of grantElements(grant)) {
      if (!actor || !holdsElement(evaluator, actor, element)) return { principal: owner, element };
    }
  }
  return undefined;
}
