import type { Scope, ScopeLevel } from './scope.js';

/** Whether an included scope covers only itself or also every descendant scope. */
export type ScopeFilter = 'INCLUDING_CHILD_SCOPES' | 'EXCLUDING_CHILD_SCOPES';

/**
 * One included scope of a resource group. Managed groups carry no scope: the scope of the role
 * assignment that uses the group stands in for it (reference §4).
 */
export interface ScopeSelector {
  readonly filter: ScopeFilter;
  readonly scope?: Scope;
}

/** An attribute filter: the resource's attribute `attributeName` must be one of `attributeValues`. */
export interface AttributeFilter {
  readonly attributeName: string;
  readonly attributeValues: readonly string[];
}

/**
 * Selects resources of one type: all of them (no identifiers, no attribute filter), the named ones,
 * or those whose attribute matches.
 */
export interface ResourceSelector {
  readonly resourceType: string;
  readonly identifiers?: readonly string[];
  readonly attributeFilter?: AttributeFilter;
}

/** Which resources a group selects inside its included scopes. */
export interface ResourceFilter {
  readonly includeAllResources: boolean;
  readonly resources: readonly ResourceSelector[];
}

/** Fields every resource group has (the Harness `ResourceGroupV2`, without its scope fields). */
export interface ResourceGroupDefinition {
  readonly identifier: string;
  readonly name: string;
  readonly description?: string;
  readonly color?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly allowedScopeLevels: readonly ScopeLevel[];
  readonly includedScopes: readonly ScopeSelector[];
  readonly resourceFilter: ResourceFilter;
}

/** A built-in resource group: global, usable at its allowed levels, scopes anchored at the assignment. */
export interface ManagedResourceGroup extends ResourceGroupDefinition {
  readonly harnessManaged: true;
}

/** A resource group defined by a customer at exactly one scope. */
export interface CustomResourceGroup extends ResourceGroupDefinition {
  readonly harnessManaged: false;
  readonly scope: Scope;
}

/** A resource group: managed (global) or custom (scoped). */
export type ResourceGroup = ManagedResourceGroup | CustomResourceGroup;
