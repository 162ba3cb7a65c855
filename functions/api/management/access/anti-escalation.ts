import type { AccessCheck, Decision } from '../../../core/access-check.js';
import type { Evaluator } from '../../../core/evaluator.js';
import { applicableResourceTypes } from '../../../core/permission-catalogue.js';
import type { ActingPrincipal } from '../../../core/principal.js';
import type { CustomResourceGroup, ResourceGroup } from '../../../core/resource-group.js';
import type { Role } from '../../../core/role.js';
import { isSelfOrAncestor, type Scope, scopePath } from '../../../core/scope.js';
import { type CustomLookup, resolveResourceGroupAt } from '../../../core/scoped-resolution.js';

/** What the rule needs from the account's state, beyond the evaluator. */
export interface EscalationContext {
  readonly evaluator: Evaluator;
  /** Every existing strict descendant of a scope. */
  readonly descendantsOf: (scope: Scope) => readonly Scope[];
  /** The custom resource group defined at exactly a scope. */
  readonly customResourceGroup: CustomLookup<CustomResourceGroup>;
}

/** The outcome of the rule: allowed (and by which branch), or the first permission the caller lacks. */
export type EscalationVerdict =
  | { readonly allowed: true; readonly by: 'HOLDS_PERMISSIONS' | 'ADMINISTERS_FROM_ABOVE' }
  | {
      readonly allowed: false;
      readonly missing: { readonly permission: string; readonly resourceType: string; readonly scope: Scope };
    };

/** Every scope the group covers when used by an assignment at `scope`, `scope` itself first. */
export function scopesCoveredBy(
  group: ResourceGroup,
  scope: Scope,
  descendantsOf: (scope: Scope) => readonly Scope[],
): Scope[] {
  const covered = new Map<string, Scope>([[scopePath(scope), scope]]);
  for (const selector of group.includedScopes) {
    const anchor = selector.scope ?? scope;
    covered.set(scopePath(anchor), anchor);
    if (selector.filter !== 'INCLUDING_CHILD_SCOPES') continue;
    for (const descendant of descendantsOf(anchor)) covered.set(scopePath(descendant), descendant);
  }
  return [...covered.values()];
}

/** Whether a permitted decision comes from an assignment at or above `scope` whose group includes child scopes there. */
function grantedFromAbove(decision: Decision, scope: Scope, context: EscalationContext): boolean {
  if (!decision.permitted) return false;
  const { explanation } = decision;
  if (explanation.implicitScopeView || !isSelfOrAncestor(explanation.scope, scope)) return false;
  const group = resolveResourceGroupAt(
    explanation.scope,
    explanation.resourceGroupIdentifier,
    context.customResourceGroup,
  );
  return (
    group?.includedScopes.some(
      (selector) =>
        selector.filter === 'INCLUDING_CHILD_SCOPES' &&
        isSelfOrAncestor(selector.scope ?? explanation.scope, scope),
    ) ?? false
  );
}

function typeLevel(permission: string, resourceType: string, scope: Scope): AccessCheck {
  return { permission, resourceType, resourceScope: scope };
}

/** Branch (b): `core_role_edit` and user or user-group management, granted from above with child scopes. */
export function administersFromAbove(
  caller: ActingPrincipal,
  scope: Scope,
  context: EscalationContext,
): boolean {
  const from = (permission: string, resourceType: string) =>
    grantedFromAbove(
      context.evaluator.check(caller, typeLevel(permission, resourceType, scope)),
      scope,
      context,
    );
  return (
    from('core_role_edit', 'ROLE') &&
    (from('core_user_manage', 'USER') || from('core_usergroup_manage', 'USERGROUP'))
  );
}

/**
 * The anti-escalation rule of role-assignment writes (DESIGN §6.1: nobody may grant more than they
 * hold). The caller may create (or re-enable) an assignment of role R on resource group G at scope S
 * iff EITHER
 *
 * (a) **it holds every permission it grants**: for every permission p of R that applies to at least
 *     one resource type, and every resource type T that p applies to, the caller is permitted p on a
 *     type-level check ("any T here", no identifier) of T at S — i.e. it holds p on all those resources
 *     at S — and likewise at every scope G covers when used at S: each included scope's anchor (a
 *     custom group's own included scope, or S for a managed group) and, when that included scope is
 *     `INCLUDING_CHILD_SCOPES`, every existing descendant of the anchor. (For the usual groups, whose
 *     included scope is S itself, this is "at S and, when G includes child scopes, at every existing
 *     descendant scope of S"; checking every covered scope also closes the case of an account group
 *     that includes only some organization.)
 *
 * OR (b) **it administers access from above**: it holds `core_role_edit` AND (`core_user_manage` or
 *     `core_usergroup_manage`) through an assignment whose resource group includes child scopes, at S
 *     or an ancestor of S. Implemented as: the type-level checks of `core_role_edit` on ROLE and of
 *     `core_user_manage` on USER (or `core_usergroup_manage` on USERGROUP) at S are permitted; each
 *     decision's explanation names a granting assignment at S or an ancestor of S, that is not an
 *     implicit scope view; and that assignment's resource group, resolved at the assignment's scope,
 *     has an `INCLUDING_CHILD_SCOPES` included scope whose anchor is S or an ancestor of S. The
 *     evaluator explains with the first granting assignment it finds (nearest scope first), so a
 *     caller who also holds those permissions through a narrower assignment at S may fail (b) and must
 *     then pass (a).
 *
 * Otherwise the write is refused with 403. Returns which branch allowed it, or the first
 * (permission, resource type, scope) of branch (a) the caller lacks.
 */
export function checkAntiEscalation(
  caller: ActingPrincipal,
  role: Role,
  group: ResourceGroup,
  scope: Scope,
  context: EscalationContext,
): EscalationVerdict {
  if (administersFromAbove(caller, scope, context)) return { allowed: true, by: 'ADMINISTERS_FROM_ABOVE' };
  const scopes = scopesCoveredBy(group, scope, context.descendantsOf);
  for (const permission of new Set(role.permissions)) {
    for (const resourceType of applicableResourceTypes(permission)) {
      for (const at of scopes) {
        if (!context.evaluator.check(caller, typeLevel(permission, resourceType, at)).permitted) {
          return { allowed: false, missing: { permission, resourceType, scope: at } };
        }
      }
    }
  }
  return { allowed: true, by: 'HOLDS_PERMISSIONS' };
}
