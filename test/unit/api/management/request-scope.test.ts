import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../../../functions/api/http/errors.js';
import type { ApiRequest } from '../../../../functions/api/http/router.js';
import { requestScope } from '../../../../functions/api/management/request-scope.js';
import { organizationScope, projectScope } from '../../../../functions/core/scope.js';

function withQuery(query: Record<string, string>): ApiRequest {
  return {
    method: 'GET',
    path: '/x',
    pathParameters: {},
    query,
    headers: {},
    body: undefined,
    correlationId: 'c',
  };
}

function fieldOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof InvalidRequestError) return error.errors[0]?.fieldId;
    throw error;
  }
  return undefined;
}

describe('requestScope', () => {
  it('reads the account, organization and project of the query', () => {
    // Act
    const project = requestScope(
      withQuery({ accountIdentifier: 'a', orgIdentifier: 'o', projectIdentifier: 'p' }),
    );
    const org = requestScope(withQuery({ accountIdentifier: 'a', orgIdentifier: 'o' }));
    // Assess
    expect(project).toEqual(projectScope('a', 'o', 'p'));
    expect(org).toEqual(organizationScope('a', 'o'));
  });

  it.each([
    [{}, 'accountIdentifier'],
    [{ accountIdentifier: 'a', projectIdentifier: 'p' }, 'orgIdentifier'],
    [{ accountIdentifier: 'a#META' }, 'accountIdentifier'],
    [{ accountIdentifier: 'a', orgIdentifier: 'o/PROJECT/p' }, 'orgIdentifier'],
    [{ accountIdentifier: 'a', orgIdentifier: 'o', projectIdentifier: 'p#x' }, 'projectIdentifier'],
    [{ accountIdentifier: 'a'.repeat(129) }, 'accountIdentifier'],
  ])('answers 400 naming the field for %j', (query, field) => {
    // Act
    const named = fieldOf(() => requestScope(withQuery(query)));
    // Assess
    expect(named).toBe(field);
  });
});
