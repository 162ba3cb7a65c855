import type { Scope, ScopeLevel } from './scope.js';

/** Fields every role has, managed or custom (the Harness `RoleDTO`). */
export interface RoleDefinition {
  readonly identifier: string;
  readonly name: string;
  readonly description?: string;
  readonly tags?: Readonly<Record<string, string>>;
  /** Permission identifiers, in the order given. */
  readonly permissions: readonly string[];
  /** The scope levels at which the role may be used in an assignment. */
  readonly allowedScopeLevels: readonly ScopeLevel[];
}

/** A built-in role: global, no scope, usable at its allowed levels; `internal` ones are hidden in listings. */
export interface ManagedRole extends RoleDefinition {
  readonly harnessManaged: true;
  readonly internal?: boolean;
}

/** A role defined by a customer at exactly one scope and usable only there. */
export interface CustomRole extends RoleDefinition {
  readonly harnessManaged: false;
  readonly scope: Scope;
}

/** A role: managed (global) or custom (scoped). */
export type Role = ManagedRole | CustomRole;
