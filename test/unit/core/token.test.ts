import { describe, expect, it } from 'vitest';
import {
  formatToken,
  hashTokenSecret,
  MAX_TOKEN_LENGTH,
  newTokenId,
  newTokenSecret,
  parseToken,
  secretMatches,
  type TokenPrefix,
  tokenExpiry,
} from '../../../functions/core/token.js';

describe('token strings', () => {
  it.each<TokenPrefix>(['sat', 'pat'])('formats and parses a %s token', (prefix) => {
    // Prepare
    const tokenId = newTokenId();
    const secret = newTokenSecret();

    // Act
    const raw = formatToken(prefix, 'acc', tokenId, secret);

    // Assess
    expect(raw).toBe(`${prefix}.acc.${tokenId}.${secret}`);
    expect(parseToken(raw)).toStrictEqual({ prefix, accountId: 'acc', tokenId, secret });
  });

  it.each([
    ['empty', ''],
    ['one part', 'sat'],
    ['three parts (legacy format)', 'sat.tok.secret'],
    ['five parts', 'sat.acc.tok.sec.ret'],
    ['unknown prefix', 'xat.acc.tok.secret'],
    ['upper-case prefix', 'SAT.acc.tok.secret'],
    ['empty prefix', '.acc.tok.secret'],
    ['empty account', 'sat..tok.secret'],
    ['empty token id', 'sat.acc..secret'],
    ['empty secret', 'sat.acc.tok.'],
    ['only dots', '...'],
    ['# in account', 'sat.a#b.tok.secret'],
    ['# in token id', 'pat.acc.t#k.secret'],
    ['too long', `sat.acc.tok.${'s'.repeat(MAX_TOKEN_LENGTH)}`],
  ])('rejects a malformed token: %s', (_name, raw) => {
    expect(parseToken(raw)).toBeUndefined();
  });

  it.each([
    ['a . in the secret', () => formatToken('sat', 'acc', 'tok', 'se.cret')],
    ['a . in the account', () => formatToken('sat', 'a.cc', 'tok', 'secret')],
    ['a # in the token id', () => formatToken('pat', 'acc', 't#k', 'secret')],
    ['an empty secret', () => formatToken('pat', 'acc', 'tok', '')],
    ['an unknown prefix', () => formatToken('xat' as TokenPrefix, 'acc', 'tok', 'secret')],
  ])('refuses to format a token with %s', (_name, format) => {
    expect(format).toThrow(/Cannot format a token/);
  });

  it('creates URL-safe random ids and secrets of the promised lengths', () => {
    // Act
    const ids = Array.from({ length: 50 }, newTokenId);
    const secrets = Array.from({ length: 50 }, newTokenSecret);

    // Assess
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    for (const secret of secrets) {
      expect(secret).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(secret.length).toBeGreaterThanOrEqual(32);
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(secrets).size).toBe(secrets.length);
  });
});

describe('secret hashing', () => {
  it('hashes a secret to SHA-256 hex and matches it', () => {
    // Prepare
    const secret = newTokenSecret();

    // Act
    const hash = hashTokenSecret(secret);

    // Assess
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashTokenSecret('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hash).not.toContain(secret);
    expect(secretMatches(secret, hash)).toBe(true);
  });

  it.each([
    ['a wrong secret', 'other-secret', hashTokenSecret('the-secret')],
    ['a secret differing in one character', 'the-secreT', hashTokenSecret('the-secret')],
    ['an empty secret', '', hashTokenSecret('the-secret')],
    ['a truncated stored hash', 'the-secret', hashTokenSecret('the-secret').slice(0, 63)],
    ['an empty stored hash', 'the-secret', ''],
    ['the raw secret stored instead of its hash', 'the-secret', 'the-secret'],
  ])('does not match %s', (_name, secret, storedHash) => {
    expect(secretMatches(secret, storedHash)).toBe(false);
  });
});

describe('token expiry', () => {
  it.each([
    ['validTo without rotation', { validTo: 2_000 }, 2_000],
    ['an earlier scheduled expiry (rotation)', { validTo: 2_000, scheduledExpireTime: 1_500 }, 1_500],
    ['a later scheduled expiry', { validTo: 2_000, scheduledExpireTime: 2_500 }, 2_500],
  ])('is %s', (_name, token, expected) => {
    expect(tokenExpiry(token)).toBe(expected);
  });
});
