import { describe, expect, it } from 'vitest';
import { ApiError, accountOfToken } from '../src/api/client';
import { formErrorsOf, NO_ERRORS } from '../src/components/form-errors';
import { acceptFailureWords } from '../src/pages/AcceptInvitePage';

describe('formErrorsOf: API errors next to the fields they name', () => {
  it('puts each field error on the field whose API name it is, or is under', () => {
    const error = new ApiError(400, 'INVALID_REQUEST', 'Invalid request', [
      { fieldId: 'organization.identifier', error: 'can only contain alphanumeric' },
      { fieldId: 'permissions[3]', error: 'unknown permission' },
      { fieldId: 'permissions[5]', error: 'not allowed at the account' },
    ]);
    const errors = formErrorsOf(error, ['organization.identifier', 'organization.name', 'permissions']);
    expect(errors.byField).toEqual({
      'organization.identifier': 'can only contain alphanumeric',
      permissions: 'unknown permission; not allowed at the account',
    });
    expect(errors.general).toEqual([]);
  });

  it('prefers the most specific field and keeps unowned field errors as general ones', () => {
    const error = new ApiError(400, 'INVALID_REQUEST', 'Invalid request', [
      { fieldId: 'principal.identifier', error: 'no such user' },
      { fieldId: 'color', error: 'Unknown field' },
    ]);
    const errors = formErrorsOf(error, ['principal', 'principal.identifier']);
    expect(errors.byField).toEqual({ 'principal.identifier': 'no such user' });
    expect(errors.general).toEqual(['color: Unknown field']);
  });

  it('shows the message of an error without field errors above the form', () => {
    const error = new ApiError(409, 'DUPLICATE_FIELD', 'An organization with identifier payments exists');
    expect(formErrorsOf(error, ['organization.identifier'])).toEqual({
      byField: {},
      general: ['An organization with identifier payments exists'],
    });
    expect(formErrorsOf(undefined, [])).toBe(NO_ERRORS);
    expect(formErrorsOf(new Error('boom'), []).general).toEqual(['Error: boom']);
  });
});

describe('accountOfToken', () => {
  it('reads the account of service-account and personal tokens', () => {
    expect(accountOfToken('sat.acme.tokenid.secret')).toBe('acme');
    expect(accountOfToken(' pat.acme.tokenid.secret ')).toBe('acme');
  });

  it.each([
    '',
    'acme',
    'sat.acme.secret',
    'xyz.acme.id.secret',
    'sat..id.secret',
    'sat.acme.id.secret.extra',
  ])('refuses %j', (token) => {
    expect(accountOfToken(token)).toBeUndefined();
  });
});

describe('acceptFailureWords: invite links explained in words', () => {
  it('explains an expired link (410)', () => {
    expect(acceptFailureWords(new ApiError(410, 'INVITE_EXPIRED', 'expired'))).toContain('has expired');
  });

  it('explains a superseded, used or unknown link (400 INVITE_INVALID)', () => {
    expect(acceptFailureWords(new ApiError(400, 'INVITE_INVALID', 'invalid'))).toContain('newer invite mail');
  });

  it('leaves field errors to their fields', () => {
    const error = new ApiError(400, 'INVALID_REQUEST', 'Invalid request', [
      { fieldId: 'name', error: 'required' },
    ]);
    expect(acceptFailureWords(error)).toBeUndefined();
  });
});
