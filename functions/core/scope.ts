/** The three scope levels, from the root down (reference §1.1). */
export const SCOPE_LEVELS = ['account', 'organization', 'project'] as const;

/** A scope level name as used in `allowedScopeLevels` and `principal.scopeLevel`. */
export type ScopeLevel = (typeof SCOPE_LEVELS)[number];

/** An account scope. */
export interface AccountScope {
  readonly level: 'account';
  readonly accountIdentifier: string;
}

/** An organization scope inside an account. */
export interface OrganizationScope {
  readonly level: 'organization';
  readonly accountIdentifier: string;
  readonly orgIdentifier: string;
}

/** A project scope inside an organization. */
export interface ProjectScope {
  readonly level: 'project';
  readonly accountIdentifier: string;
  readonly orgIdentifier: string;
  readonly projectIdentifier: string;
}

/** A scope: account, organization or project; a project always names its organization. */
export type Scope = AccountScope | OrganizationScope | ProjectScope;

/** A scope path such as `/ACCOUNT/a/ORGANIZATION/o/PROJECT/p` (reference §1.1). */
export type ScopePath = string;

/** The Harness wire form of a scope: query parameters or `resourceScope` objects. */
export interface ScopeParams {
  accountIdentifier?: string | null | undefined;
  orgIdentifier?: string | null | undefined;
  projectIdentifier?: string | null | undefined;
}

/** Rank of a level: account 0, organization 1, project 2. */
export function levelRank(level: ScopeLevel): number {
  return SCOPE_LEVELS.indexOf(level);
}

/** Builds an account scope. */
export function accountScope(accountIdentifier: string): AccountScope {
  return { level: 'account', accountIdentifier };
}

/** Builds an organization scope. */
export function organizationScope(accountIdentifier: string, orgIdentifier: string): OrganizationScope {
  return { level: 'organization', accountIdentifier, orgIdentifier };
}

/** Builds a project scope. */
export function projectScope(
  accountIdentifier: string,
  orgIdentifier: string,
  projectIdentifier: string,
): ProjectScope {
  return { level: 'project', accountIdentifier, orgIdentifier, projectIdentifier };
}

/**
 * Reads a scope from Harness-style parameters; returns `undefined` when the account is missing or a
 * project is named without its organization (reference §1.1 treats that as invalid input).
 */
export function scopeFromParams(params: ScopeParams): Scope | undefined {
  const account = params.accountIdentifier || undefined;
  const org = params.orgIdentifier || undefined;
  const project = params.projectIdentifier || undefined;
  if (!account) return undefined;
  if (project) return org ? projectScope(account, org, project) : undefined;
  return org ? organizationScope(account, org) : accountScope(account);
}

/** The Harness wire form of a scope (absent levels are omitted). */
export function scopeToParams(scope: Scope): ScopeParams {
  switch (scope.level) {
    case 'account':
      return { accountIdentifier: scope.accountIdentifier };
    case 'organization':
      return { accountIdentifier: scope.accountIdentifier, orgIdentifier: scope.orgIdentifier };
    case 'project':
      return {
        accountIdentifier: scope.accountIdentifier,
        orgIdentifier: scope.orgIdentifier,
        projectIdentifier: scope.projectIdentifier,
      };
  }
}

/** The scope path of a scope: `/ACCOUNT/a`, `/ACCOUNT/a/ORGANIZATION/o`, `/ACCOUNT/a/ORGANIZATION/o/PROJECT/p`. */
export function scopePath(scope: Scope): ScopePath {
  const account = `/ACCOUNT/${scope.accountIdentifier}`;
  if (scope.level === 'account') return account;
  const org = `${account}/ORGANIZATION/${scope.orgIdentifier}`;
  if (scope.level === 'organization') return org;
  return `${org}/PROJECT/${scope.projectIdentifier}`;
}

/** Parses a scope path back into a scope; `undefined` when the text is not a well-formed path. */
export function parseScopePath(path: ScopePath): Scope | undefined {
  const parts = path.split('/');
  if (parts[0] !== '' || parts[1] !== 'ACCOUNT' || !parts[2]) return undefined;
  if (parts.length === 3) return accountScope(parts[2]);
  if (parts[3] !== 'ORGANIZATION' || !parts[4]) return undefined;
  if (parts.length === 5) return organizationScope(parts[2], parts[4]);
  if (parts.length === 7 && parts[5] === 'PROJECT' && parts[6])
    return projectScope(parts[2], parts[4], parts[6]);
  return undefined;
}

/** The parent of a scope, or `undefined` for an account. */
export function parentScope(scope: Scope): Scope | undefined {
  switch (scope.level) {
    case 'account':
      return undefined;
    case 'organization':
      return accountScope(scope.accountIdentifier);
    case 'project':
      return organizationScope(scope.accountIdentifier, scope.orgIdentifier);
  }
}

/** The scope itself followed by its ancestors up to the account (project → org → account). */
export function selfAndAncestors(scope: Scope): Scope[] {
  const chain: Scope[] = [];
  for (let current: Scope | undefined = scope; current; current = parentScope(current)) chain.push(current);
  return chain;
}

/** The ancestor of `scope` (or the scope itself) at `level`; `undefined` when `level` is below the scope. */
export function ancestorAtLevel(scope: Scope, level: ScopeLevel): Scope | undefined {
  return selfAndAncestors(scope).find((candidate) => candidate.level === level);
}

/** True when `ancestor` is `scope` itself or one of its ancestors. */
export function isSelfOrAncestor(ancestor: Scope, scope: Scope): boolean {
  const ancestorPath = scopePath(ancestor);
  const path = scopePath(scope);
  return path === ancestorPath || path.startsWith(`${ancestorPath}/`);
}

/** True when two scopes are the same scope. */
export function sameScope(a: Scope, b: Scope): boolean {
  return scopePath(a) === scopePath(b);
}

/** The identifier of the scope's own entity (account, organization or project identifier). */
export function scopeOwnIdentifier(scope: Scope): string {
  switch (scope.level) {
    case 'account':
      return scope.accountIdentifier;
    case 'organization':
      return scope.orgIdentifier;
    case 'project':
      return scope.projectIdentifier;
  }
}
