import * as z from 'zod';
import type { AccessCheck } from '../../../core/access-check.js';
import {
  type Scope,
  type ScopeParams,
  sameScope,
  scopeFromParams,
  scopeToParams,
} from '../../../core/scope.js';
import { type FieldError, fieldError } from '../../../core/validation/field-error.js';
import type { ItemMeta } from '../../../store/items.js';
import type { AccountPolicy } from '../../../store/policy-cache.js';
import { type AuthenticatedRequest, authenticateRequest } from '../../authenticate-request.js';
import { pageOf } from '../../http/envelope.js';
import { InvalidRequestError, NotFoundError } from '../../http/errors.js';
import { pagingFromQuery } from '../../http/parse.js';
import type { ApiRequest, Route } from '../../http/router.js';
import type { ManagementContext } from '../management-context.js';
import { requestScope, requireExistingScope } from '../request-scope.js';
import { requirePermission } from '../require-permission.js';

/** An authenticated request and the scope its query parameters name. */
export interface ScopedRequest {
  readonly auth: AuthenticatedRequest;
  readonly scope: Scope;
}

const SCOPE_FIELDS = ['accountIdentifier', 'orgIdentifier', 'projectIdentifier'] as const;

/** 400 naming the first scope query parameter that contains the store's key separator `#`. */
function rejectSeparatorInScope(query: Record<string, string>): void {
  const bad = SCOPE_FIELDS.find((field) => query[field]?.includes('#'));
  if (bad) throw new InvalidRequestError(`Invalid ${bad}`, [fieldError(bad, "must not contain '#'")]);
}

/**
 * Authenticates the request (401/403, 400 without `accountIdentifier`) and reads the scope of its
 * query parameters (400 when malformed). The scope's existence is checked against the policy the
 * caller's plan works on ({@link requireScopeAndPermission}).
 */
export async function authenticatedScope(
  context: ManagementContext,
  request: ApiRequest,
): Promise<ScopedRequest> {
  const auth = await authenticateRequest(request, context.cache, context.now());
  return { auth, scope: requestScope(request) };
}

/**
 * A paged list endpoint of the principal records at the request's scope (`GET /ng/api/user-groups`,
 * `GET /ng/api/serviceaccount`): 404 for a scope that does not exist, `searchTerm` on identifier and
 * name, and only the records the caller may view ({@link viewableRecords}).
 */
export function scopedListRoute<T extends { readonly identifier: string; readonly name: string }>(
  context: ManagementContext,
  path: string,
  view: { readonly resourceType: string; readonly permission: string },
  recordsAt: (auth: AuthenticatedRequest, scope: Scope) => readonly T[],
): Route {
  return {
    method: 'GET',
    path,
    handler: async (request) => {
      const { auth, scope } = await authenticatedScope(context, request);
      const { pageIndex, pageSize } = pagingFromQuery(request.query);
      requireExistingScope(auth.policy, scope);
      const matching = matchingSearchTerm(request, recordsAt(auth, scope));
      const visible = viewableRecords(auth, scope, view.resourceType, view.permission, matching);
      return { data: pageOf(visible, pageIndex, pageSize) };
    },
  };
}

/**
 * Authenticates a request whose body names the scope (API keys, tokens): 401/403, 400 without
 * `accountIdentifier`; read the scope with {@link bodyScope}.
 */
export async function authenticated(
  context: ManagementContext,
  request: ApiRequest,
): Promise<AuthenticatedRequest> {
  return authenticateRequest(request, context.cache, context.now());
}

/** The authenticated caller evaluated against `policy` (a fresher state than the one it was authenticated with). */
export function withPolicy(auth: AuthenticatedRequest, policy: AccountPolicy): AuthenticatedRequest {
  return { accountId: auth.accountId, caller: auth.caller, policy };
}

/** 404 unless `scope` exists in `policy`; then 403 unless the caller holds `check` there. */
export function requireScopeAndPermission(
  auth: AuthenticatedRequest,
  policy: AccountPolicy,
  scope: Scope,
  check: Omit<AccessCheck, 'resourceScope'>,
): AuthenticatedRequest {
  requireExistingScope(policy, scope);
  const fresh = withPolicy(auth, policy);
  requirePermission(fresh, { ...check, resourceScope: scope });
  return fresh;
}

/**
 * A `{identifier}`-like path parameter; one containing `#` cannot name a stored item, so it is a 404
 * of `what`.
 */
export function pathIdentifier(request: ApiRequest, name: string, what: string): string {
  const value = request.pathParameters[name] ?? '';
  if (value === '' || value.includes('#')) throw new NotFoundError(`${what} ${value} does not exist`);
  return value;
}

/** The filters of Harness's plain lists: `identifiers` (repeated or comma-separated; read with `queryList`) and `searchTerm`. */
export const identifiersQuerySchema = z.object({
  identifiers: z.string().optional(),
  searchTerm: z.string().optional(),
});

/** Blank (null, undefined, empty) scope fields are absent. */
function present(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value === '' ? undefined : value;
}

/**
 * Checks the scope fields of a body against the query scope. With `exact`, every level must match
 * (a level given on one side only is a mismatch); otherwise only the fields the body gives are
 * compared. 400 naming each mismatching field.
 */
export function requireBodyScopeMatches(scope: Scope, body: ScopeParams, exact: boolean): void {
  const query = scopeToParams(scope);
  const errors: FieldError[] = [];
  for (const field of SCOPE_FIELDS) {
    const given = present(body[field]);
    if (!exact && given === undefined) continue;
    if (given !== present(query[field])) {
      errors.push(fieldError(field, `must equal the ${field} query parameter (${query[field] ?? 'absent'})`));
    }
  }
  if (errors.length > 0) throw new InvalidRequestError('The body names another scope than the query', errors);
}

/**
 * The scope named by a body that carries the scope itself (API keys, tokens): the body's
 * `accountIdentifier` must equal the query's, and `orgIdentifier`/`projectIdentifier` given in the
 * query must equal the body's. 400 naming the field otherwise.
 */
export function bodyScope(request: ApiRequest, body: ScopeParams): Scope {
  rejectSeparatorInScope(request.query);
  const errors: FieldError[] = [];
  for (const field of SCOPE_FIELDS) {
    const inQuery = present(request.query[field]);
    const inBody = present(body[field]);
    if (inBody?.includes('#')) errors.push(fieldError(field, "must not contain '#'"));
    else if ((field === 'accountIdentifier' || inQuery !== undefined) && inQuery !== inBody) {
      errors.push(fieldError(field, `must equal the ${field} query parameter (${inQuery ?? 'absent'})`));
    }
  }
  if (errors.length > 0) throw new InvalidRequestError('The body names another scope than the query', errors);
  const scope = scopeFromParams(body);
  if (!scope) {
    throw new InvalidRequestError('Invalid scope', [
      fieldError('orgIdentifier', 'required with projectIdentifier'),
    ]);
  }
  return scope;
}

/** True when a stored record lives exactly at `scope`. */
export function isAt(record: { readonly scope: Scope }, scope: Scope): boolean {
  return sameScope(record.scope, scope);
}

/** Bookkeeping of a new item. */
export function newMeta(now: number): ItemMeta {
  return { createdAt: now, lastModifiedAt: now, version: 1 };
}

/** Bookkeeping of the next version of an item. */
export function nextMeta(previous: ItemMeta, now: number): ItemMeta {
  return { createdAt: previous.createdAt, lastModifiedAt: now, version: previous.version + 1 };
}

/** The `accountIdentifier`/`orgIdentifier`/`projectIdentifier` fields of a DTO (absent levels omitted). */
export function scopeFieldsOf(scope: Scope): {
  accountIdentifier: string;
  orgIdentifier?: string;
  projectIdentifier?: string;
} {
  const params = scopeToParams(scope);
  return {
    accountIdentifier: scope.accountIdentifier,
    ...(params.orgIdentifier ? { orgIdentifier: params.orgIdentifier } : {}),
    ...(params.projectIdentifier ? { projectIdentifier: params.projectIdentifier } : {}),
  };
}

/**
 * The records of a list the caller may see: all of them with the type-level `permission` at `scope`,
 * else those it holds `permission` on by identifier; 403 when it can see none and lacks the
 * type-level permission (so a caller without any view permission is told so, not given an empty list).
 */
export function viewableRecords<T extends { readonly identifier: string }>(
  auth: AuthenticatedRequest,
  scope: Scope,
  resourceType: string,
  permission: string,
  records: readonly T[],
): T[] {
  const typeLevel: AccessCheck = { permission, resourceScope: scope, resourceType };
  const { evaluator } = auth.policy;
  if (evaluator.check(auth.caller, typeLevel).permitted) return [...records];
  const visible = records.filter(
    (record) =>
      evaluator.check(auth.caller, { ...typeLevel, resourceIdentifier: record.identifier }).permitted,
  );
  if (visible.length === 0) requirePermission(auth, typeLevel);
  return visible;
}

/** Records whose identifier or name contains the request's `searchTerm` (case-insensitive), all without one. */
export function matchingSearchTerm<T extends { readonly identifier: string; readonly name: string }>(
  request: ApiRequest,
  records: readonly T[],
): T[] {
  const term = request.query.searchTerm?.trim().toLowerCase();
  if (!term) return [...records];
  return records.filter(
    (record) => record.identifier.toLowerCase().includes(term) || record.name.toLowerCase().includes(term),
  );
}
