import {
  type AccountScope,
  accountScope,
  type OrganizationScope,
  organizationScope,
  type ProjectScope,
  projectScope,
  type Scope,
  type ScopeParams,
  scopeFromParams,
} from '../../core/scope.js';
import { type FieldError, fieldError } from '../../core/validation/field-error.js';
import { ENTITY_IDENTIFIER_PATTERN } from '../../core/validation/identifier-rules.js';
import { type AuthenticatedRequest, requestAccountId, tokenAccountOf } from '../authenticate-request.js';
import { InvalidRequestError } from '../http/errors.js';
import type { ApiRequest } from '../http/router.js';
import { requestScope, requireExistingScope } from './request-scope.js';

/**
 * Where a declared route's scope comes from (`declared-route.ts`); every organization or project it
 * names must exist (404):
 * - `query` (default): `accountIdentifier`, `orgIdentifier`, `projectIdentifier`;
 * - `account`: the caller's account alone;
 * - `organization-query`: the organization `orgIdentifier` names (400 naming it when missing or malformed);
 * - `organization-query-or-account`: that organization when `orgIdentifier` is given, else the account;
 * - `organization-path`: the organization the `{identifier}` path parameter names (400 naming `identifier`);
 * - `project-path`: the project of `orgIdentifier` (required) that `{identifier}` names;
 * - `body`: the body's `accountIdentifier`, `orgIdentifier`, `projectIdentifier`, which must agree
 *   with those the query gives (400 naming each that does not).
 */
export type ScopeSource =
  | 'query'
  | 'account'
  | 'organization-query'
  | 'organization-query-or-account'
  | 'organization-path'
  | 'project-path'
  | 'body';

/** The scope a route of `Source` is given: e.g. an organization for `organization-path`. */
export type ScopeOf<Source extends ScopeSource> = Source extends 'account'
  ? AccountScope
  : Source extends 'organization-query' | 'organization-path'
    ? OrganizationScope
    : Source extends 'project-path'
      ? ProjectScope
      : Scope;

const SCOPE_FIELDS = ['accountIdentifier', 'orgIdentifier', 'projectIdentifier'] as const;

/**
 * Fails with 400 naming `fieldId` unless `value` can name an organization or project (the identifier
 * pattern of reference §8.1, without the reserved-word rule, so a lookup of such a word is a 404).
 */
function requireAddressableIdentifier(fieldId: string, value: string): string {
  if (!ENTITY_IDENTIFIER_PATTERN.test(value)) {
    throw new InvalidRequestError(`Invalid ${fieldId}`, [
      fieldError(fieldId, 'is not a valid organization or project identifier'),
    ]);
  }
  return value;
}

/** The `orgIdentifier` query parameter; 400 naming it when missing or malformed. */
function queryOrgIdentifier(request: ApiRequest): string {
  const orgIdentifier = request.query.orgIdentifier;
  if (!orgIdentifier) {
    throw new InvalidRequestError('orgIdentifier is required', [
      fieldError('orgIdentifier', 'must be given as a query parameter'),
    ]);
  }
  return requireAddressableIdentifier('orgIdentifier', orgIdentifier);
}

/** Blank (null, undefined, empty) scope fields are absent. */
function present(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value === '' ? undefined : value;
}

/**
 * The scope named by a body that carries the scope itself (API keys, tokens): the body's
 * `accountIdentifier` must equal the query's, and `orgIdentifier`/`projectIdentifier` given in the
 * query must equal the body's. 400 naming the field otherwise.
 */
function bodyScope(request: ApiRequest, body: ScopeParams): Scope {
  const errors: FieldError[] = [];
  for (const field of SCOPE_FIELDS) {
    const inQuery = present(request.query[field]);
    const inBody = present(body[field]);
    if (inQuery?.includes('#')) {
      throw new InvalidRequestError(`Invalid ${field}`, [fieldError(field, "must not contain '#'")]);
    }
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

/**
 * Where a route's account comes from: `query` (default) — `accountIdentifier`, required;
 * `query-or-token` — the query's, else the `x-api-key` token's (Harness's UI deletes invites with no
 * query); `query-token-or-body` — else also the body's `accountIdentifier` (Harness's `updateApiKey`
 * sends no query).
 */
export type AccountSource = 'query' | 'query-or-token' | 'query-token-or-body';

/** The account a request of `source` names (400 naming `accountIdentifier` when none does). */
export function requestAccount(source: AccountSource, request: ApiRequest): string {
  if (source === 'query') return requestAccountId(request);
  const body = request.body as { accountIdentifier?: unknown } | undefined;
  const named =
    source === 'query-token-or-body' && typeof body?.accountIdentifier === 'string'
      ? body.accountIdentifier
      : undefined;
  const accountId = request.query.accountIdentifier || tokenAccountOf(request) || named;
  if (!accountId) {
    const where = source === 'query-or-token' ? 'as a query parameter' : 'in the query or the body';
    throw new InvalidRequestError('accountIdentifier is required', [
      fieldError('accountIdentifier', `must be given ${where}`),
    ]);
  }
  return accountId;
}

/**
 * The scope of a body naming it itself when the query names no account: the body's
 * `accountIdentifier` must be the caller's, and its organization and project well-formed.
 */
function bodyScopeInAccount(accountId: string, body: ScopeParams): Scope {
  const errors: FieldError[] = [];
  if (body.accountIdentifier !== accountId) {
    errors.push(fieldError('accountIdentifier', `must be the caller's account (${accountId})`));
  }
  for (const field of ['orgIdentifier', 'projectIdentifier'] as const) {
    if (body[field]?.includes('#') || body[field]?.includes('/'))
      errors.push(fieldError(field, "must not contain '/' or '#'"));
  }
  const scope = scopeFromParams(body);
  if (!scope) errors.push(fieldError('orgIdentifier', 'required with projectIdentifier'));
  if (errors.length > 0 || !scope) throw new InvalidRequestError('Invalid scope in the body', errors);
  return scope;
}

/** What {@link resolveScope} reads: the request, the caller, and (for `body`) the parsed body. */
export interface ScopeInputs {
  readonly request: ApiRequest;
  readonly auth: AuthenticatedRequest;
  readonly body: unknown;
}

/**
 * The scope of the query's `orgIdentifier` and `projectIdentifier` in the caller's account: 400
 * naming the parameter when it is malformed.
 */
function queryScope(request: ApiRequest, accountId: string): Scope {
  for (const name of SCOPE_FIELDS) {
    if (request.query[name]?.includes('#')) {
      throw new InvalidRequestError(`Invalid ${name}`, [fieldError(name, "must not contain '#'")]);
    }
  }
  return requestScope({ ...request, query: { ...request.query, accountIdentifier: accountId } });
}

/** The scope `source` names for the request, checked to exist in the caller's account (404). */
export function resolveScope(source: ScopeSource, inputs: ScopeInputs): Scope {
  const { request, auth } = inputs;
  const accountId = auth.accountId;
  const pathIdentifier = () =>
    requireAddressableIdentifier('identifier', request.pathParameters.identifier ?? '');
  const scope = ((): Scope => {
    switch (source) {
      case 'query':
        return queryScope(request, accountId);
      case 'account':
        return accountScope(accountId);
      case 'organization-query':
        return organizationScope(accountId, queryOrgIdentifier(request));
      case 'organization-query-or-account':
        return request.query.orgIdentifier
          ? organizationScope(accountId, queryOrgIdentifier(request))
          : accountScope(accountId);
      case 'organization-path':
        return organizationScope(accountId, pathIdentifier());
      case 'project-path':
        return projectScope(accountId, queryOrgIdentifier(request), pathIdentifier());
      case 'body':
        return request.query.accountIdentifier
          ? bodyScope(request, inputs.body as ScopeParams)
          : bodyScopeInAccount(accountId, inputs.body as ScopeParams);
    }
  })();
  return requireExistingScope(auth.policy, scope);
}
