import type { AssignmentPrincipal } from './principal.js';
import type { Scope } from './scope.js';

/** A role assignment: principal + role + resource group, made at a scope (reference §5.5). */
export interface RoleAssignment {
  readonly identifier: string;
  readonly scope: Scope;
  readonly roleIdentifier: string;
  readonly resourceGroupIdentifier: string;
  readonly principal: AssignmentPrincipal;
  readonly disabled: boolean;
  readonly managed: boolean;
}
