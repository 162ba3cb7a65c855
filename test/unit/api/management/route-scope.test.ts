import { describe, expect, it } from 'vitest';
import type { AuthenticatedRequest } from '../../../../functions/api/authenticate-request.js';
import { InvalidRequestError, NotFoundError } from '../../../../functions/api/http/errors.js';
import type { ApiRequest } from '../../../../functions/api/http/router.js';
import {
  requestAccount,
  resolveScope,
  type ScopeSource,
} from '../../../../functions/api/management/route-scope.js';
import {
  accountScope,
  organizationScope,
  projectScope,
  type Scope,
} from '../../../../functions/core/scope.js';
import { scopeSk } from '../../../../functions/store/keys.js';
import type { AccountPolicy } from '../../../../functions/store/policy-cache.js';

const ACCOUNT = 'acme';

function requestWith(parts: Partial<ApiRequest>): ApiRequest {
  return {
    method: 'GET',
    path: '/x',
    pathParameters: {},
    query: {},
    headers: {},
    body: undefined,
    correlationId: 'c',
    ...parts,
  };
}

/** A caller of ACCOUNT whose policy holds exactly the scopes given. */
function callerWith(...scopes: Scope[]): AuthenticatedRequest {
  const items = new Map(scopes.map((scope) => [scopeSk(scope), {}]));
  return {
    accountId: ACCOUNT,
    caller: { type: 'USER', identifier: 'u1' },
    policy: { items } as unknown as AccountPolicy,
  };
}

const ORG = organizationScope(ACCOUNT, 'payments');
const PROJECT = projectScope(ACCOUNT, 'payments', 'web');
const auth = callerWith(ORG, PROJECT);

function failureOf(action: () => unknown): { status: string; field?: string } {
  try {
    action();
  } catch (error) {
    if (error instanceof InvalidRequestError) return { status: '400', field: error.errors[0]?.fieldId };
    if (error instanceof NotFoundError) return { status: '404' };
    throw error;
  }
  return { status: 'none' };
}

describe('resolveScope', () => {
  it.each<[ScopeSource, Partial<ApiRequest>, Scope]>([
    ['query', { query: { orgIdentifier: 'payments', projectIdentifier: 'web' } }, PROJECT],
    ['account', { query: { orgIdentifier: 'payments' } }, accountScope(ACCOUNT)],
    ['organization-query', { query: { orgIdentifier: 'payments' } }, ORG],
    ['organization-query-or-account', { query: {} }, accountScope(ACCOUNT)],
    ['organization-query-or-account', { query: { orgIdentifier: 'payments' } }, ORG],
    ['organization-path', { pathParameters: { identifier: 'payments' } }, ORG],
    [
      'project-path',
      { pathParameters: { identifier: 'web' }, query: { orgIdentifier: 'payments' } },
      PROJECT,
    ],
  ])('reads the %s scope of %j', (source, parts, expected) => {
    // Act
    const scope = resolveScope(source, { request: requestWith(parts), auth, body: undefined });
    // Assess
    expect(scope).toEqual(expected);
  });

  it('reads the scope of a body that agrees with the query, or of the body alone without a query account', () => {
    // Prepare
    const body = { accountIdentifier: ACCOUNT, orgIdentifier: 'payments', projectIdentifier: 'web' };
    // Act
    const agreeing = resolveScope('body', {
      request: requestWith({ query: { accountIdentifier: ACCOUNT, orgIdentifier: 'payments' } }),
      auth,
      body,
    });
    const alone = resolveScope('body', { request: requestWith({}), auth, body });
    // Assess
    expect(agreeing).toEqual(PROJECT);
    expect(alone).toEqual(PROJECT);
  });

  it.each<[string, ScopeSource, Partial<ApiRequest>, unknown, { status: string; field?: string }]>([
    [
      'a malformed organization path',
      'organization-path',
      { pathParameters: { identifier: '1x' } },
      undefined,
      { status: '400', field: 'identifier' },
    ],
    [
      'a project path without orgIdentifier',
      'project-path',
      { pathParameters: { identifier: 'web' } },
      undefined,
      { status: '400', field: 'orgIdentifier' },
    ],
    [
      'a missing organization query',
      'organization-query',
      {},
      undefined,
      { status: '400', field: 'orgIdentifier' },
    ],
    [
      'a query holding the key separator',
      'query',
      { query: { orgIdentifier: 'a#b' } },
      undefined,
      { status: '400', field: 'orgIdentifier' },
    ],
    [
      'an unknown organization',
      'organization-path',
      { pathParameters: { identifier: 'ghost' } },
      undefined,
      { status: '404' },
    ],
    [
      'an unknown project',
      'project-path',
      { pathParameters: { identifier: 'ghost' }, query: { orgIdentifier: 'payments' } },
      undefined,
      { status: '404' },
    ],
    [
      'a body naming another organization than the query',
      'body',
      { query: { accountIdentifier: ACCOUNT, orgIdentifier: 'payments' } },
      { accountIdentifier: ACCOUNT, orgIdentifier: 'other' },
      { status: '400', field: 'orgIdentifier' },
    ],
    [
      'a body of another account without a query account',
      'body',
      {},
      { accountIdentifier: 'other' },
      { status: '400', field: 'accountIdentifier' },
    ],
  ])('refuses %s', (_case, source, parts, body, expected) => {
    // Act
    const failure = failureOf(() => resolveScope(source, { request: requestWith(parts), auth, body }));
    // Assess
    expect(failure).toEqual(expected);
  });
});

describe('requestAccount', () => {
  const token = `sat.${ACCOUNT}.abc.secret`;

  it.each<[Parameters<typeof requestAccount>[0], Partial<ApiRequest>, string]>([
    ['query', { query: { accountIdentifier: ACCOUNT } }, ACCOUNT],
    ['query-or-token', { headers: { 'x-api-key': token } }, ACCOUNT],
    ['query-token-or-body', { body: { accountIdentifier: 'from_body' } }, 'from_body'],
    [
      'query-token-or-body',
      { query: { accountIdentifier: 'from_query' }, body: { accountIdentifier: 'b' } },
      'from_query',
    ],
  ])('takes the account of a %s route from %j', (source, parts, expected) => {
    // Act
    const account = requestAccount(source, requestWith(parts));
    // Assess
    expect(account).toBe(expected);
  });

  it.each<Parameters<typeof requestAccount>[0]>(['query', 'query-or-token', 'query-token-or-body'])(
    'answers 400 naming accountIdentifier when a %s route is given none',
    (source) => {
      // Act
      const failure = failureOf(() => requestAccount(source, requestWith({ body: {} })));
      // Assess
      expect(failure).toEqual({ status: '400', field: 'accountIdentifier' });
    },
  );
});
