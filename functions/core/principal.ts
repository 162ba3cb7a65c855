import type { Scope, ScopeLevel } from './scope.js';

/** Principal types that can receive role assignments (reference §1.2). */
export const ASSIGNABLE_PRINCIPAL_TYPES = ['USER', 'USER_GROUP', 'SERVICE_ACCOUNT'] as const;

/** A principal type that can receive role assignments. */
export type AssignablePrincipalType = (typeof ASSIGNABLE_PRINCIPAL_TYPES)[number];

/** Principal types that can act, i.e. be the subject of an access check. */
export type ActingPrincipalType = 'USER' | 'SERVICE_ACCOUNT';

/** Who an access check is about: a user (by user id) or a service account (by identifier). */
export interface ActingPrincipal {
  readonly type: ActingPrincipalType;
  readonly identifier: string;
}

/**
 * The principal of a role assignment. `scopeLevel` says where a user group (or service account)
 * lives: the ancestor of the assignment's scope at that level; it defaults to the assignment's level.
 */
export interface AssignmentPrincipal {
  readonly type: AssignablePrincipalType;
  readonly identifier: string;
  readonly scopeLevel?: ScopeLevel;
}

/** A user group: identified by its scope and identifier; `users` holds user ids. */
export interface UserGroup {
  readonly identifier: string;
  readonly scope: Scope;
  readonly name: string;
  readonly users: readonly string[];
  readonly harnessManaged?: boolean;
}

/**
 * A user group as its own item holds it: everything but the members, and the incarnation its members
 * are stored under. A group gets a new incarnation when it is created and whenever its member set is
 * replaced wholesale, so members of an earlier incarnation (or of a deleted group of the same name)
 * never count again.
 */
export type UserGroupHead = Omit<UserGroup, 'users'> & { readonly incarnation: string };

/** One member of one incarnation of a user group (one small item per member). */
export interface UserGroupMember {
  readonly groupScope: Scope;
  readonly groupIdentifier: string;
  readonly incarnation: string;
  readonly userId: string;
}

/** A service account: lives at a scope; its identifier is unique within the account. */
export interface ServiceAccount {
  readonly identifier: string;
  readonly scope: Scope;
}

/** The built-in all-users group identifier of each level; membership is derived from scope membership. */
export const ALL_USERS_GROUP_IDENTIFIERS: Readonly<Record<ScopeLevel, string>> = {
  account: '_account_all_users',
  organization: '_organization_all_users',
  project: '_project_all_users',
};

/** True when `identifier` names a built-in all-users group. */
export function isAllUsersGroupIdentifier(identifier: string): boolean {
  return Object.values(ALL_USERS_GROUP_IDENTIFIERS).includes(identifier);
}
