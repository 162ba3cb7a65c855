import { describe, expect, it } from 'vitest';
import { pageOf, successBody } from '../../../../functions/api/http/envelope.js';

describe('Function: successBody', () => {
  it('wraps data in the SUCCESS envelope', () => {
    // Act
    const body = successBody({ role: { identifier: 'r1' } }, 'corr-1');

    // Assess
    expect(JSON.stringify(body)).toBe(
      '{"status":"SUCCESS","data":{"role":{"identifier":"r1"}},"metaData":null,"correlationId":"corr-1"}',
    );
  });

  it('sends null data when there is none', () => {
    // Act
    const body = successBody(undefined, 'corr-1');

    // Assess
    expect(JSON.stringify(body)).toBe(
      '{"status":"SUCCESS","data":null,"metaData":null,"correlationId":"corr-1"}',
    );
  });
});

describe('Function: pageOf', () => {
  const items = Array.from({ length: 7 }, (_, index) => index);

  it.each([
    [0, 3, [0, 1, 2], 3],
    [1, 3, [3, 4, 5], 3],
    [2, 3, [6], 3],
    [3, 3, [], 3],
    [0, 50, [0, 1, 2, 3, 4, 5, 6], 1],
    [0, 7, [0, 1, 2, 3, 4, 5, 6], 1],
    [1, 1, [1], 7],
  ])('page %i of size %i holds %j out of %i pages', (pageIndex, pageSize, content, totalPages) => {
    // Act
    const page = pageOf(items, pageIndex, pageSize);

    // Assess
    expect(page).toStrictEqual({ content, pageIndex, pageSize, totalItems: 7, totalPages });
  });

  it('has no pages when there are no items', () => {
    // Act
    const page = pageOf([], 0, 50);

    // Assess
    expect(page).toStrictEqual({ content: [], pageIndex: 0, pageSize: 50, totalItems: 0, totalPages: 0 });
  });

  it.each([
    [-1, 10],
    [0.5, 10],
    [0, 0],
    [0, -5],
    [0, Number.NaN],
  ])('rejects pageIndex %d with pageSize %d', (pageIndex, pageSize) => {
    // Act
    const act = () => pageOf(items, pageIndex, pageSize);

    // Assess
    expect(act).toThrow(RangeError);
  });
});
