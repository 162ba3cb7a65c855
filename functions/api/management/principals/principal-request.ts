import * as z from 'zod';
import type { AccessCheck } from '../../../core/access-check.js';
import { type Scope, type ScopeParams, sameScope, scopeToParams } from '../../../core/scope.js';
import { type FieldError, fieldError } from '../../../core/validation/field-error.js';
import type { ItemMeta } from '../../../store/items.js';
import type { AccountPolicy } from '../../../store/policy-cache.js';
import type { AuthenticatedRequest } from '../../authenticate-request.js';
import { InvalidRequestError } from '../../http/errors.js';
import type { ApiRequest } from '../../http/router.js';
import { withPolicy } from '../access/access-request.js';
import { requireExistingScope } from '../request-scope.js';
import { requirePermission } from '../require-permission.js';

const SCOPE_FIELDS = ['accountIdentifier', 'orgIdentifier', 'projectIdentifier'] as const;

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
