import { describe, expect, it } from 'vitest';
import {
  compactErrors,
  fieldError,
  invalid,
  prefixFieldErrors,
  valid,
} from '../../../../functions/core/validation/field-error.js';

describe('field errors', () => {
  it('builds results of both kinds', () => {
    expect(valid(3)).toEqual({ ok: true, value: 3 });
    expect(invalid([fieldError('name', 'cannot be empty')])).toEqual({
      ok: false,
      errors: [{ fieldId: 'name', error: 'cannot be empty' }],
    });
  });

  it('keeps only the defined errors, in order', () => {
    // Act
    const errors = compactErrors(undefined, fieldError('a', 'x'), undefined, fieldError('b', 'y'));

    // Assess
    expect(errors.map((error) => error.fieldId)).toEqual(['a', 'b']);
  });

  it.each([
    ['principal.type', 'roleAssignments[2].principal.type'],
    ['', 'roleAssignments[2]'],
  ])('re-roots %j under a prefix as %s', (fieldId, expected) => {
    // Act
    const [error] = prefixFieldErrors('roleAssignments[2]', [fieldError(fieldId, 'bad')]);

    // Assess
    expect(error).toEqual({ fieldId: expected, error: 'bad' });
  });
});
