import { describe, expect, it } from 'vitest';
import { accountScope, projectScope } from '../../../functions/core/scope.js';
import { formatToken, hashTokenSecret } from '../../../functions/core/token.js';
import {
  type AuthenticationFailure,
  authenticate,
  credentialsFromItems,
} from '../../../functions/store/credentials.js';
import { apiKeyItem, type StoredToken, tokenItem } from '../../../functions/store/entities/credentials.js';
import { serviceAccountItem } from '../../../functions/store/entities/service-accounts.js';
import { accountPk } from '../../../functions/store/keys.js';

const ACC = 'acc';
const DAY = 24 * 3600 * 1000;
const T0 = 1_700_000_000_000;
const meta = { createdAt: T0, lastModifiedAt: T0, version: 1 };
const SA_SECRET = 'sa-secret-0123456789abcdefghijklmnopqrstuv';
const USER_SECRET = 'user-secret-0123456789abcdefghijklmnopqrs';

const saToken: StoredToken = {
  tokenId: 'tok-sa',
  identifier: 'ci_token',
  name: 'CI token',
  apiKeyIdentifier: 'ci_key',
  apiKeyType: 'SERVICE_ACCOUNT',
  parentIdentifier: 'ci_bot',
  scope: projectScope(ACC, 'default', 'p1'),
  secretHash: hashTokenSecret(SA_SECRET),
  validFrom: T0,
  validTo: T0 + 30 * DAY,
};
const userToken: StoredToken = {
  tokenId: 'tok-user',
  identifier: 'my_pat',
  name: 'My PAT',
  apiKeyIdentifier: 'my_key',
  apiKeyType: 'USER',
  parentIdentifier: 'ann',
  scope: accountScope(ACC),
  secretHash: hashTokenSecret(USER_SECRET),
  validFrom: T0,
  validTo: T0 + 30 * DAY,
  description: 'laptop',
  tags: { team: 'a' },
};

const SAT = formatToken('sat', ACC, saToken.tokenId, SA_SECRET);
const PAT = formatToken('pat', ACC, userToken.tokenId, USER_SECRET);

/** The token map as the policy cache builds it: from items as DynamoDB hands them back. */
function tokensOf(...tokens: StoredToken[]): Map<string, StoredToken> {
  return credentialsFromItems(tokens.map((token) => structuredClone(tokenItem(ACC, token, meta))));
}

describe('credentialsFromItems', () => {
  it('reads the tokens of a partition by token id and ignores everything else', () => {
    // Prepare
    const items: Record<string, unknown>[] = [
      { PK: accountPk(ACC), SK: 'META', entity: 'Account', version: 3 },
      serviceAccountItem(
        ACC,
        { identifier: 'ci_bot', scope: saToken.scope, name: 'CI', email: 'ci@acc.example' },
        meta,
      ),
      apiKeyItem(
        ACC,
        {
          identifier: 'ci_key',
          name: 'CI key',
          apiKeyType: 'SERVICE_ACCOUNT',
          parentIdentifier: 'ci_bot',
          scope: saToken.scope,
        },
        meta,
      ),
      tokenItem(ACC, saToken, meta),
      tokenItem(ACC, userToken, meta),
    ].map((item) => structuredClone(item));

    // Act
    const tokens = credentialsFromItems(items);

    // Assess
    expect([...tokens.keys()]).toEqual(['tok-sa', 'tok-user']);
    expect(tokens.get('tok-sa')).toStrictEqual(saToken);
    expect(tokens.get('tok-user')).toStrictEqual(userToken);
  });

  it('leaves out a token item that cannot be read, so it never authenticates', () => {
    // Prepare
    const broken = { ...tokenItem(ACC, saToken, meta), validTo: 'tomorrow' };
    const good = tokenItem(ACC, userToken, meta);

    // Act
    const tokens = credentialsFromItems([broken, good]);

    // Assess
    expect([...tokens.keys()]).toEqual(['tok-user']);
    expect(authenticate(tokens, ACC, SAT, T0 + 1).ok).toBe(false);
  });
});

describe('authenticate', () => {
  it.each([
    ['a service account token', SAT, { type: 'SERVICE_ACCOUNT', identifier: 'ci_bot' }, saToken],
    ['a personal access token', PAT, { type: 'USER', identifier: 'ann' }, userToken],
  ])('maps %s to its parent principal', (_name, raw, principal, token) => {
    // Act
    const result = authenticate(tokensOf(saToken, userToken), ACC, raw, T0 + DAY);

    // Assess
    expect(result).toStrictEqual({ ok: true, principal, token });
  });

  it.each<[string, string | undefined, number, AuthenticationFailure]>([
    ['no header', undefined, T0 + DAY, 'MISSING'],
    ['an empty header', '', T0 + DAY, 'MISSING'],
    ['a three-part token', `sat.${saToken.tokenId}.${SA_SECRET}`, T0 + DAY, 'MALFORMED'],
    ['an unknown prefix', `xat.${ACC}.${saToken.tokenId}.${SA_SECRET}`, T0 + DAY, 'MALFORMED'],
    ['garbage', 'Bearer abc', T0 + DAY, 'MALFORMED'],
    [
      'a token of another account',
      formatToken('sat', 'other', saToken.tokenId, SA_SECRET),
      T0 + DAY,
      'WRONG_ACCOUNT',
    ],
    ['an unknown token id', formatToken('sat', ACC, 'nope', SA_SECRET), T0 + DAY, 'UNKNOWN'],
    ['a wrong secret', formatToken('sat', ACC, saToken.tokenId, 'wrong-secret'), T0 + DAY, 'UNKNOWN'],
    ['another token’s secret', formatToken('sat', ACC, saToken.tokenId, USER_SECRET), T0 + DAY, 'UNKNOWN'],
    [
      'a pat prefix on a service account token',
      formatToken('pat', ACC, saToken.tokenId, SA_SECRET),
      T0 + DAY,
      'UNKNOWN',
    ],
    [
      'a sat prefix on a personal token',
      formatToken('sat', ACC, userToken.tokenId, USER_SECRET),
      T0 + DAY,
      'UNKNOWN',
    ],
    ['a token at its validTo', SAT, saToken.validTo, 'EXPIRED'],
    ['a token after its validTo', SAT, saToken.validTo + 1, 'EXPIRED'],
    ['a token before its validFrom', SAT, T0 - 1, 'NOT_YET_VALID'],
  ])('rejects %s', (_name, raw, now, reason) => {
    // Act
    const result = authenticate(tokensOf(saToken, userToken), ACC, raw, now);

    // Assess
    expect(result).toStrictEqual({ ok: false, reason });
  });

  it.each([
    ['at its validFrom', T0],
    ['just before its validTo', saToken.validTo - 1],
  ])('accepts a token %s', (_name, now) => {
    expect(authenticate(tokensOf(saToken), ACC, SAT, now).ok).toBe(true);
  });

  it.each<[string, number, true | AuthenticationFailure]>([
    ['accepts the rotated token before its scheduled expiry', T0 + 2 * DAY - 1, true],
    ['rejects the rotated token at its scheduled expiry', T0 + 2 * DAY, 'EXPIRED'],
    ['rejects the rotated token long before its validTo', T0 + 10 * DAY, 'EXPIRED'],
  ])('%s', (_name, now, expected) => {
    // Prepare: rotation renames the old token and schedules its expiry before validTo (reference §9)
    const rotated: StoredToken = {
      ...saToken,
      identifier: 'rotated_abcdefghijklmno',
      scheduledExpireTime: T0 + 2 * DAY,
    };

    // Act
    const result = authenticate(tokensOf(rotated), ACC, SAT, now);

    // Assess
    expect(result.ok ? true : result.reason).toBe(expected);
  });

  it('honours a scheduled expiry later than validTo', () => {
    // Prepare
    const extended: StoredToken = { ...saToken, scheduledExpireTime: saToken.validTo + DAY };

    // Act
    const result = authenticate(tokensOf(extended), ACC, SAT, saToken.validTo + 1);

    // Assess
    expect(result.ok).toBe(true);
  });

  it('rejects every token once the map no longer holds it (deletion)', () => {
    expect(authenticate(tokensOf(userToken), ACC, SAT, T0 + DAY)).toStrictEqual({
      ok: false,
      reason: 'UNKNOWN',
    });
  });
});

describe('token items', () => {
  it('stores a token with its TTL backstop one day after the effective expiry', () => {
    // Act
    const item = tokenItem(ACC, { ...saToken, scheduledExpireTime: T0 + 2 * DAY }, meta);

    // Assess
    expect(item).toStrictEqual({
      PK: 'ACCOUNT#acc',
      SK: 'TOKEN#tok-sa',
      entity: 'Token',
      scope: saToken.scope,
      scopePath: '/ACCOUNT/acc/ORGANIZATION/default/PROJECT/p1',
      tokenId: 'tok-sa',
      identifier: 'ci_token',
      name: 'CI token',
      apiKeyIdentifier: 'ci_key',
      apiKeyType: 'SERVICE_ACCOUNT',
      parentIdentifier: 'ci_bot',
      secretHash: hashTokenSecret(SA_SECRET),
      validFrom: T0,
      validTo: T0 + 30 * DAY,
      scheduledExpireTime: T0 + 2 * DAY,
      expiresAt: Math.floor((T0 + 2 * DAY) / 1000) + 24 * 3600,
      ...meta,
    });
  });

  it('stores an API key under its parent, omitting absent fields', () => {
    expect(
      apiKeyItem(
        ACC,
        {
          identifier: 'my_key',
          name: 'My key',
          apiKeyType: 'USER',
          parentIdentifier: 'ann',
          scope: accountScope(ACC),
          defaultTimeToExpireToken: 30 * DAY,
        },
        meta,
      ),
    ).toStrictEqual({
      PK: 'ACCOUNT#acc',
      SK: 'APIKEY#USER#ann#my_key',
      entity: 'ApiKey',
      scope: accountScope(ACC),
      scopePath: '/ACCOUNT/acc',
      identifier: 'my_key',
      name: 'My key',
      apiKeyType: 'USER',
      parentIdentifier: 'ann',
      defaultTimeToExpireToken: 30 * DAY,
      ...meta,
    });
  });

  it.each([
    ['a token of another account', () => tokenItem('other', saToken, meta), /does not belong to account/],
    [
      'a token id containing #',
      () => tokenItem(ACC, { ...saToken, tokenId: 't#1' }, meta),
      /must not contain/,
    ],
    [
      'a non-finite validTo',
      () => tokenItem(ACC, { ...saToken, validTo: Number.POSITIVE_INFINITY }, meta),
      /validTo/,
    ],
  ])('refuses %s', (_name, build, error) => {
    expect(build).toThrow(error);
  });
});
