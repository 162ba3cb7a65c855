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
import type { AuthorizationState } from '../store/policy-state.js';
import { findUserByEmail } from '../store/readers/user-readers.js';
import {
  AccessDeniedError,
  InvalidRequestError,
  UnauthenticatedError,
  UndecidableError,
} from './http/errors.js';
import type { ApiRequest } from './http/router.js';
import type { VerifiedIdentity } from './oidc/oidc-verifier.js';

/** Who is calling, in which account, and that account's current policy (by default, all of it). */
export interface AuthenticatedRequest<P extends AuthorizationState = AccountPolicy> {
  readonly accountId: string;
  readonly caller: ActingPrincipal;
  readonly policy: P;
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

/** Reads an account's policy (or the part of it a request needs) as fresh as asked. */
type PolicyReader<P> = (accountId: string, consistency: Consistency) => Promise<P | undefined>;

/** The account's policy from `read`; 503 (nothing decided) when it cannot be read. */
async function policyOf<P>(
  read: PolicyReader<P>,
  accountId: string,
  consistency: Consistency = FULLY_CONSISTENT,
): Promise<P | undefined> {
  try {
    return await read(accountId, consistency);
  } catch (error) {
    throw new UndecidableError('The access policy could not be read; nothing was decided', { cause: error });
  }
}

/** The whole policy (items included): what management requests and OIDC sign-ins need. */
const wholePolicy =
  (cache: PolicyCache): PolicyReader<AccountPolicy> =>
  (accountId, consistency) =>
    cache.current(accountId, consistency);

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
  const policy = await policyOf(wholePolicy(cache), accountId, consistency);
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
 * `accountIdentifier` query parameter, with the policy as fresh as `consistency` asks (default:
 * fully consistent).
 */
export async function authenticateInAccount(
  request: ApiRequest,
  cache: PolicyCache,
  now: number,
  accountId: string,
  consistency: Consistency = FULLY_CONSISTENT,
): Promise<AuthenticatedRequest> {
  return authenticateWith(request, cache, wholePolicy(cache), now, accountId, consistency);
}

/**
 * {@link authenticateInAccount} for a request that only needs to be authorized (the ACL): with an
 * API key it reads only the account's evaluator and tokens, which a cold instance has from a
 * snapshot's policy part without reading the account's items. An OIDC bearer still reads the whole
 * policy (the user is found by e-mail among the items).
 */
export async function authenticateForAuthorization(
  request: ApiRequest,
  cache: PolicyCache,
  now: number,
  accountId: string,
  consistency: Consistency = FULLY_CONSISTENT,
): Promise<AuthenticatedRequest<AuthorizationState>> {
  const authorization: PolicyReader<AuthorizationState> = (account, asked) =>
    cache.authorization(account, asked);
  return authenticateWith(request, cache, authorization, now, accountId, consistency);
}

async function authenticateWith<P extends AuthorizationState>(
  request: ApiRequest,
  cache: PolicyCache,
  read: PolicyReader<P>,
  now: number,
  accountId: string,
  consistency: Consistency,
): Promise<AuthenticatedRequest<P | AccountPolicy>> {
  noteCaller(accountId);
  const raw = request.headers['x-api-key'];
  if (!raw && request.bearerIdentity)
    return authenticateBearer(request, cache, accountId, await request.bearerIdentity(), consistency);
  const tokenAccount = tokenAccountOf(request);
  if (!raw || !tokenAccount) throw new UnauthenticatedError('Missing or malformed x-api-key');
  if (tokenAccount !== accountId) {
    const own = await policyOf(read, tokenAccount);
    const valid = own ? authenticate(own.tokens, tokenAccount, raw, now).ok : false;
    if (!valid) throw new UnauthenticatedError('Invalid API token');
    throw new AccessDeniedError('The API token does not belong to the requested account');
  }
  const policy = await policyOf(read, accountId, consistency);
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
