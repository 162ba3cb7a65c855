import type { ActingPrincipal } from './principal.js';
import type { Scope } from './scope.js';

/**
 * One access check: may the principal perform `permission` on the resource? A check without
 * `resourceIdentifier` is type-level ("any resource of this type here").
 */
export interface AccessCheck {
  readonly permission: string;
  /** Where the resource lives; an ACCOUNT check may omit it and name the account as identifier. */
  readonly resourceScope?: Scope;
  readonly resourceType: string;
  readonly resourceIdentifier?: string;
  readonly resourceAttributes?: Readonly<Record<string, string>>;
}

/** The check of `permission` on the resource `identifier` of `resourceType` at `scope`, type-level without an identifier. */
export function checkOf(
  permission: string,
  resourceType: string,
  scope: Scope,
  identifier?: string,
): AccessCheck {
  return {
    permission,
    resourceType,
    resourceScope: scope,
    ...(identifier !== undefined ? { resourceIdentifier: identifier } : {}),
  };
}

/** Which assignment granted a permitted decision (DESIGN §6.2 `explanation`). */
export interface GrantExplanation {
  readonly roleAssignmentIdentifier: string;
  readonly roleIdentifier: string;
  readonly resourceGroupIdentifier: string;
  /** The scope of the granting role assignment. */
  readonly scope: Scope;
  /** The user group the principal reached the assignment through, when not assigned directly. */
  readonly viaUserGroup?: string;
  /** True when the grant is the implicit view of an ancestor scope (reference §7.3), not the group itself. */
  readonly implicitScopeView?: boolean;
}

/** Why a check was not permitted. */
export type DenialCode =
  | 'UNKNOWN_PERMISSION'
  | 'PERMISSION_NOT_APPLICABLE'
  | 'INVALID_RESOURCE_SCOPE'
  | 'NO_MATCHING_ASSIGNMENT'
  | 'NOT_DECIDED';

/** A denied check, with a machine-readable code and a sentence for people. */
export interface Denial {
  readonly permitted: false;
  readonly code: DenialCode;
  readonly reason: string;
}

/** A decision on one check: permitted with the granting assignment, or denied with a reason. */
export type Decision = { readonly permitted: true; readonly explanation: GrantExplanation } | Denial;

/** A batch of checks for one principal. */
export interface CheckBatch {
  readonly principal: ActingPrincipal;
  readonly checks: readonly AccessCheck[];
}
