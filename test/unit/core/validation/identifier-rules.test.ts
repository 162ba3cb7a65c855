import { describe, expect, it } from 'vitest';
import {
  entityIdentifierProblem,
  IDENTIFIER_ERROR,
  isReservedIdentifier,
  MAX_TAGS,
  memberPath,
  NAME_ERROR,
  validateDescription,
  validateEntityIdentifier,
  validateEntityName,
  validateTags,
} from '../../../../functions/core/validation/identifier-rules.js';

const manyTags = (count: number): Record<string, string> =>
  Object.fromEntries(Array.from({ length: count }, (_, index) => [`k${index}`, `v${index}`]));

describe('validateEntityIdentifier', () => {
  it.each(['a', '_x', 'A1$b', 'role_1', 'x'.repeat(128), 'Org', 'ORG', 'accounts', '_harness_system_thing'])(
    'accepts %j',
    (value) => {
      expect(validateEntityIdentifier('identifier', value)).toBeUndefined();
    },
  );

  it.each([
    ['', 'cannot be empty'],
    ['   ', 'cannot be empty'],
    [null, 'cannot be empty'],
    [undefined, 'cannot be empty'],
    [42, 'must be a string'],
    ['1abc', IDENTIFIER_ERROR],
    ['$abc', IDENTIFIER_ERROR],
    ['a-b', IDENTIFIER_ERROR],
    ['a b', IDENTIFIER_ERROR],
    ['a.b', IDENTIFIER_ERROR],
    ['x'.repeat(129), IDENTIFIER_ERROR],
    ['or', 'reserved word'],
    ['stepGroup', 'reserved word'],
    ['account', 'reserved word'],
    ['shellScriptProvisioner', 'reserved word'],
  ])('rejects %j', (value, text) => {
    // Act
    const error = validateEntityIdentifier('resourceGroup.identifier', value);

    // Assess
    expect(error?.fieldId).toBe('resourceGroup.identifier');
    expect(error?.error).toContain(text);
  });

  it('accepts a blank value only when the field allows it', () => {
    expect(entityIdentifierProblem('', { allowBlank: true })).toBeUndefined();
    expect(entityIdentifierProblem(null, { allowBlank: true })).toBeUndefined();
    expect(entityIdentifierProblem('1x', { allowBlank: true })).toBe(IDENTIFIER_ERROR);
  });

  it('compares reserved words case-sensitively', () => {
    expect(isReservedIdentifier('null')).toBe(true);
    expect(isReservedIdentifier('Null')).toBe(false);
  });

  it('uses the reference §8.1 error text', () => {
    expect(IDENTIFIER_ERROR).toBe(
      'can be 128 characters long and can only contain alphanumeric, underscore and $ characters, and not start with a number or $',
    );
  });
});

describe('validateEntityName', () => {
  it.each(['My role', 'a-b_c.d/e', 'Prod envs 2', 'x'.repeat(128)])('accepts %j', (value) => {
    expect(validateEntityName('name', value)).toBeUndefined();
  });

  it.each([
    ['', 'cannot be empty'],
    ['   ', 'cannot be empty'],
    [undefined, 'cannot be empty'],
    [7, 'must be a string'],
    ['x'.repeat(129), 'longer than 128'],
    ['a@b', NAME_ERROR],
    ['tab\there', NAME_ERROR],
    ['café', NAME_ERROR],
    ['a,b', NAME_ERROR],
  ])('rejects %j', (value, text) => {
    // Act
    const error = validateEntityName('name', value);

    // Assess
    expect(error?.fieldId).toBe('name');
    expect(error?.error).toContain(text);
  });
});

describe('validateDescription', () => {
  it.each([undefined, null, '', 'x'.repeat(1024)])('accepts %j', (value) => {
    expect(validateDescription('description', value)).toBeUndefined();
  });

  it.each([
    ['x'.repeat(1025), 'longer than 1024'],
    [5, 'must be a string'],
  ])('rejects %j', (value, text) => {
    // Act
    const error = validateDescription('resourceGroup.description', value);

    // Assess
    expect(error?.fieldId).toBe('resourceGroup.description');
    expect(error?.error).toContain(text);
  });
});

describe('validateTags', () => {
  it.each([undefined, null, {}, { team: '' }, { team: 'core', 'cost center': '42' }, manyTags(MAX_TAGS)])(
    'accepts %j',
    (value) => {
      expect(validateTags('tags', value)).toBeUndefined();
    },
  );

  it.each([
    [manyTags(MAX_TAGS + 1), 'tags', 'more than 128'],
    [[], 'tags', 'must be an object'],
    ['team', 'tags', 'must be an object'],
    [{ team: 1 }, 'tags.team', "tag 'team' must have a string value"],
    [{ 'a b': null }, 'tags["a b"]', "tag 'a b' must have a string value"],
  ])('rejects %j at %s', (value, fieldId, text) => {
    // Act
    const error = validateTags('tags', value);

    // Assess
    expect(error?.fieldId).toBe(fieldId);
    expect(error?.error).toContain(text);
  });
});

describe('memberPath', () => {
  it.each([
    ['team', 'tags.team'],
    ['a-b', 'tags["a-b"]'],
    ['', 'tags[""]'],
  ])('joins %j', (key, expected) => {
    expect(memberPath('tags', key)).toBe(expected);
  });
});
