import type { ActingPrincipal } from '../core/principal.js';
import { parseToken } from '../core/token.js';
import { fieldError } from '../core/validation/field-error.js';
import { scopeIdentifierProblem } from '../core/validation/identifier-rules.js';
import { noteCaller } from '../observability/request-telemetry.js';
import { authenticate } from '../store/credentials.js';
import {
  type AccountPolicy,
  type Consistency,
  FULLY_CONSISTENT,
  type PolicyCache,
} from '../store/policy-cache.js';
import { findUserByEmail } from '../store/readers/user-readers.js';
import {
  AccessDeniedError,
  InvalidRequestError,
  UnauthenticatedError,
  UndecidableError,
} from './http/errors.js';
import type { ApiRequest } from './http/router.js';
import type { VerifiedIdentity } from './oidc/oidc-verifier.js';

/** Who is calling, in which account, and that account's current policy. */
export interface AuthenticatedRequest {
  readonly accountId: string;
  readonly caller: ActingPrincipal;
  readonly policy: AccountPolicy;
  /** Where the request came from and with which credential, for the audit trail (never a secret). */
  readonly origin?: CallerOrigin;
}

/** The audit facts of an authenticated request: correlation id, client, and the token's identifier. */
export interface CallerOrigin {
  readonly correlationId: string;
  readonly clientIp?: string;
  readonly userAgent?: string;
  readonly method: string;
  /** The user-facing identifier of the API token used; absent for an OIDC bearer token. */
  readonly tokenIdentifier?: string;
}

/** The audit facts of a request, with the identifier of the token it authenticated with when there is one. */
export function originOf(request: ApiRequest, tokenIdentifier?: string): CallerOrigin {
  return {
    correlationId: request.correlationId,
    method: request.method,
    ...(request.sourceIp ? { clientIp: request.sourceIp } : {}),
    ...(request.headers['user-agent'] ? { userAgent: request.headers['user-agent'] } : {}),
    ...(tokenIdentifier ? { tokenIdentifier } : {}),
  };
}

/** The request's `accountIdentifier` query parameter; 400 naming it when missing or malformed. */
export function requestAccountId(request: ApiRequest): string {
  const accountId = request.query.accountIdentifier;
  if (!accountId) {
    throw new InvalidRequestError('accountIdentifier is required', [
      fieldError('accountIdentifier', 'must be given as a query parameter'),
    ]);
  }
  return validAccountId(accountId);
}

/** `accountId` when it is a well-formed scope identifier, else 400 naming `accountIdentifier`. */
export function validAccountId(accountId: string): string {
  const problem = scopeIdentifierProblem(accountId);
  if (problem !== undefined) {
    throw new InvalidRequestError('Invalid accountIdentifier', [fieldError('accountIdentifier', problem)]);
  }
  return accountId;
}

async function policyOf(
  cache: PolicyCache,
  accountId: string,
  consistency: Consistency = FULLY_CONSISTENT,
): Promise<AccountPolicy | undefined> {
  try {
    return await cache.current(accountId, consistency);
  } catch (error) {
    throw new UndecidableError('The access policy could not be read; nothing was decided', { cause: error });
  }
}

/**
 * The account's active user with a verified OIDC e-mail: 401 when the account has none (an invited,
 * not yet accepted user included), so a token from the identity provider never creates access. The
 * first request of each sign-in records it in the audit trail before it is served (when the server
 * records sign-ins).
 */
async function authenticateBearer(
  request: ApiRequest,
  cache: PolicyCache,
  accountId: string,
  identity: VerifiedIdentity,
  consistency: Consistency,
): Promise<AuthenticatedRequest> {
  const policy = await policyOf(cache, accountId, consistency);
  const user = policy ? findUserByEmail(policy.items, identity.email)?.value : undefined;
  if (!policy || !user || user.status !== 'ACTIVE') {
    throw new UnauthenticatedError('No active user of this account has the e-mail of the bearer token');
  }
  noteCaller(accountId, 'USER');
  const origin = originOf(request);
  await request.recordSignIn?.({ policy, userId: user.userId, session: identity.session, origin });
  return { accountId, caller: { type: 'USER', identifier: user.userId }, policy, origin };
}

/**
 * Authenticates the `x-api-key` of a request against the cached state of the request's account (no
 * extra round trip): missing, malformed, unknown, deleted or expired → 401; a valid token of another
 * account → 403. A failure to read the policy is a 503, never a pass.
 */
export async function authenticateRequest(
  request: ApiRequest,
  cache: PolicyCache,
  now: number,
): Promise<AuthenticatedRequest> {
  return authenticateInAccount(request, cache, now, requestAccountId(request));
}

/**
 * The account named by the request's `x-api-key` (its second dot-separated part), if it is a
 * well-formed token naming a well-formed account identifier.
 */
export function tokenAccountOf(request: ApiRequest): string | undefined {
  const raw = request.headers['x-api-key'];
  const accountId = raw ? parseToken(raw)?.accountId : undefined;
  return accountId !== undefined && scopeIdentifierProblem(accountId) === undefined ? accountId : undefined;
}

/**
 * {@link authenticateRequest} for a request whose account was found elsewhere than in the
 * `accountIdentifier` query parameter (the ACL takes it from the token or the checks), with the
 * policy as fresh as `consistency` asks (default: fully consistent).
 */
export async function authenticateInAccount(
  request: ApiRequest,
  cache: PolicyCache,
  now: number,
  accountId: string,
  consistency: Consistency = FULLY_CONSISTENT,
): Promise<AuthenticatedRequest> {
  noteCaller(accountId);
  const raw = request.headers['x-api-key'];
  if (!raw && request.bearerIdentity)
    return authenticateBearer(request, cache, accountId, await request.bearerIdentity(), consistency);
  const tokenAccount = tokenAccountOf(request);
  if (!raw || !tokenAccount) throw new UnauthenticatedError('Missing or malformed x-api-key');
  if (tokenAccount !== accountId) {
    const own = await policyOf(cache, tokenAccount);
    const valid = own ? authenticate(own.tokens, tokenAccount, raw, now).ok : false;
    if (!valid) throw new UnauthenticatedError('Invalid API token');
    throw new AccessDeniedError('The API token does not belong to the requested account');
  }
  const policy = await policyOf(cache, accountId, consistency);
  if (!policy) throw new UnauthenticatedError('Invalid API token');
  const result = authenticate(policy.tokens, accountId, raw, now);
  if (!result.ok) {
    throw new UnauthenticatedError(
      result.reason === 'EXPIRED' ? 'The API token has expired' : 'Invalid API token',
    );
  }
  noteCaller(accountId, result.principal.type);
  return { accountId, caller: result.principal, policy, origin: originOf(request, result.token.identifier) };
}
