import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { InvalidRequestError } from '../../../../functions/api/http/errors.js';
import { pagingFromQuery, parseInput } from '../../../../functions/api/http/parse.js';

const permissionSchema = z.strictObject({
  resourceType: z.enum(['ROLE', 'USER']),
  permission: z.string().min(1),
  resourceScope: z.strictObject({ accountIdentifier: z.string() }).optional(),
});
const aclSchema = z.strictObject({
  principal: z.strictObject({ principalIdentifier: z.string(), principalType: z.enum(['USER']) }),
  permissions: z.array(permissionSchema).max(1000),
});

const validAcl = {
  principal: { principalIdentifier: 'u1', principalType: 'USER' },
  permissions: [{ resourceType: 'ROLE', permission: 'core_role_view' }],
};

function invalidRequestOf(act: () => unknown): InvalidRequestError {
  try {
    act();
  } catch (error) {
    if (error instanceof InvalidRequestError) return error;
    throw error;
  }
  throw new Error('expected an InvalidRequestError');
}

const fieldIdsOf = (error: InvalidRequestError) => error.errors.map(({ fieldId }) => fieldId);

describe('Function: parseInput', () => {
  it('returns the parsed value when it is valid', () => {
    // Act
    const parsed = parseInput(aclSchema, structuredClone(validAcl));

    // Assess
    expect(parsed).toStrictEqual(validAcl);
  });

  it('returns the output of transforming schemas', () => {
    // Act
    const parsed = parseInput(z.string().trim().toUpperCase(), '  abc ');

    // Assess
    expect(parsed).toBe('ABC');
  });

  it.each([
    [
      'a nested field of an array element',
      {
        ...validAcl,
        permissions: [
          ...validAcl.permissions,
          ...validAcl.permissions,
          ...validAcl.permissions,
          { resourceType: 'NOPE', permission: 'x' },
        ],
      },
      ['permissions[3].resourceType'],
    ],
    [
      'a missing nested field',
      { ...validAcl, principal: { principalType: 'USER' } },
      ['principal.principalIdentifier'],
    ],
    ['a wrong type', { ...validAcl, permissions: 'all' }, ['permissions']],
    [
      'every failing field',
      {
        principal: { principalIdentifier: 3, principalType: 'USER' },
        permissions: [{ resourceType: 'ROLE' }],
      },
      ['principal.principalIdentifier', 'permissions[0].permission'],
    ],
    ['the whole body when it is not an object', 'hello', ['body']],
    ['the whole body when it is missing', undefined, ['body']],
  ])('names %s', (_, value, fieldIds) => {
    // Act
    const error = invalidRequestOf(() => parseInput(aclSchema, value));

    // Assess
    expect(error.status).toBe(400);
    expect(error.code).toBe('INVALID_REQUEST');
    expect(fieldIdsOf(error)).toStrictEqual(fieldIds);
    expect(error.errors.every(({ error: text }) => text.length > 0)).toBe(true);
  });

  it('names each unknown key of a strict object at its full path', () => {
    // Prepare
    const value = {
      ...validAcl,
      extra: true,
      permissions: [
        { ...validAcl.permissions[0], resourceScope: { accountIdentifier: 'a', orgId: 'o', x: 1 } },
      ],
    };

    // Act
    const error = invalidRequestOf(() => parseInput(aclSchema, value));

    // Assess
    const sorted = [...error.errors].sort((a, b) => a.fieldId.localeCompare(b.fieldId));
    expect(sorted).toStrictEqual([
      { fieldId: 'extra', error: 'Unknown field' },
      { fieldId: 'permissions[0].resourceScope.orgId', error: 'Unknown field' },
      { fieldId: 'permissions[0].resourceScope.x', error: 'Unknown field' },
    ]);
  });

  it('quotes keys that are not identifiers', () => {
    // Act
    const error = invalidRequestOf(() => parseInput(aclSchema, { ...validAcl, 'a b': 1 }));

    // Assess
    expect(fieldIdsOf(error)).toStrictEqual(['["a b"]']);
  });

  it.each([
    ['body', 'body.permissions[0].permission'],
    ['body.', 'body.permissions[0].permission'],
    ['roleAssignments[2]', 'roleAssignments[2].permissions[0].permission'],
  ])('roots field paths under the prefix %j', (prefix, fieldId) => {
    // Act
    const error = invalidRequestOf(() =>
      parseInput(aclSchema, { ...validAcl, permissions: [{ resourceType: 'ROLE' }] }, prefix),
    );

    // Assess
    expect(fieldIdsOf(error)).toStrictEqual([fieldId]);
  });

  it('names the prefix itself when the whole value is wrong', () => {
    // Act
    const error = invalidRequestOf(() => parseInput(aclSchema, [], 'body.'));

    // Assess
    expect(fieldIdsOf(error)).toStrictEqual(['body']);
  });

  it('names array indexes at the top level', () => {
    // Act
    const error = invalidRequestOf(() => parseInput(z.array(z.string()), ['a', 2]));

    // Assess
    expect(fieldIdsOf(error)).toStrictEqual(['[1]']);
  });

  it('summarises the first error in the message', () => {
    // Act
    const error = invalidRequestOf(() => parseInput(aclSchema, { ...validAcl, extra: 1, more: 2 }));

    // Assess
    expect(error.message).toBe('Invalid request: extra: Unknown field (and 1 more)');
  });
});

describe('Function: pagingFromQuery', () => {
  it('defaults to the first page of 50', () => {
    // Act
    const paging = pagingFromQuery({});

    // Assess
    expect(paging).toStrictEqual({ pageIndex: 0, pageSize: 50 });
  });

  it.each([
    [{ pageIndex: '3' }, { pageIndex: 3, pageSize: 50 }],
    [{ pageSize: '1' }, { pageIndex: 0, pageSize: 1 }],
    [
      { pageIndex: '0', pageSize: '100' },
      { pageIndex: 0, pageSize: 100 },
    ],
    [
      { pageIndex: undefined, pageSize: undefined },
      { pageIndex: 0, pageSize: 50 },
    ],
  ])('reads %j as %j', (query, expected) => {
    // Act
    const paging = pagingFromQuery(query);

    // Assess
    expect(paging).toStrictEqual(expected);
  });

  it.each([
    [{ pageIndex: '-1' }, ['pageIndex']],
    [{ pageIndex: '1.5' }, ['pageIndex']],
    [{ pageIndex: 'abc' }, ['pageIndex']],
    [{ pageIndex: '' }, ['pageIndex']],
    [{ pageIndex: '99999999999999999999' }, ['pageIndex']],
    [{ pageSize: '0' }, ['pageSize']],
    [{ pageSize: '101' }, ['pageSize']],
    [{ pageSize: '1e2' }, ['pageSize']],
    [{ pageSize: ' 5' }, ['pageSize']],
    [{ pageIndex: 'x', pageSize: '500' }, ['pageIndex', 'pageSize']],
  ])('rejects %j naming %j', (query, fieldIds) => {
    // Act
    const error = invalidRequestOf(() => pagingFromQuery(query));

    // Assess
    expect(error.status).toBe(400);
    expect(fieldIdsOf(error)).toStrictEqual(fieldIds);
  });
});
