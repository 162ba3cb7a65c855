import { beforeEach, describe, expect, it } from 'vitest';
import { projectScope } from '../../../functions/core/scope.js';
import { formatToken, hashTokenSecret, newTokenId, newTokenSecret } from '../../../functions/core/token.js';
import {
  type ChangeLogTarget,
  commitChange,
  initializeAccount,
} from '../../../functions/store/change-log.js';
import { authenticate } from '../../../functions/store/credentials.js';
import { apiKeyItem, type StoredToken, tokenItem } from '../../../functions/store/entities/credentials.js';
import { serviceAccountItem } from '../../../functions/store/entities/service-accounts.js';
import { tokenSk } from '../../../functions/store/keys.js';
import { PolicyCache } from '../../../functions/store/policy-cache.js';
import { countCalls } from '../../support/call-counter.js';
import { createTestTable } from '../../support/dynamodb-test-table.js';

const ACCOUNT = 'acc';
const P1 = projectScope(ACCOUNT, 'default', 'p1');
const MINUTE = 60 * 1000;
const T0 = 1_700_000_000_000;

describe('API tokens through the policy cache (DynamoDB Local)', () => {
  let target: ChangeLogTarget;
  let now: number;
  let secret: string;
  let token: StoredToken;
  let raw: string;

  beforeEach(async () => {
    const table = await createTestTable();
    now = T0;
    target = { client: table.client, tableName: table.tableName, now: () => now };
    await initializeAccount(target, ACCOUNT);
    secret = newTokenSecret();
    token = {
      tokenId: newTokenId(),
      identifier: 'ci_token',
      name: 'CI token',
      apiKeyIdentifier: 'ci_key',
      apiKeyType: 'SERVICE_ACCOUNT',
      parentIdentifier: 'ci_bot',
      scope: P1,
      secretHash: hashTokenSecret(secret),
      validFrom: T0,
      // short-lived, so that it expires while the cache is still warm (MAX_CACHE_AGE_MS)
      validTo: T0 + 30 * MINUTE,
    };
    raw = formatToken('sat', ACCOUNT, token.tokenId, secret);
  });

  const meta = () => ({ createdAt: now, lastModifiedAt: now, version: 1 });

  /** Creates the service account, its API key and the token in one change (version 0 → 1). */
  async function createToken(): Promise<void> {
    await commitChange(target, ACCOUNT, 0, [
      {
        kind: 'create',
        item: serviceAccountItem(
          ACCOUNT,
          { identifier: 'ci_bot', scope: P1, name: 'CI', email: 'ci@acc.example' },
          meta(),
        ),
      },
      {
        kind: 'create',
        item: apiKeyItem(
          ACCOUNT,
          {
            identifier: 'ci_key',
            name: 'CI key',
            apiKeyType: 'SERVICE_ACCOUNT',
            parentIdentifier: 'ci_bot',
            scope: P1,
          },
          meta(),
        ),
      },
      { kind: 'create', item: tokenItem(ACCOUNT, token, meta()) },
    ]);
  }

  it('authenticates a new token on the next request with exactly one DynamoDB call when warm', async () => {
    // Prepare
    const cache = new PolicyCache(target);
    const before = await cache.current(ACCOUNT);
    const counter = countCalls(target.client);
    await createToken();

    // Act
    counter.reset();
    const policy = await cache.current(ACCOUNT);
    const calls = [...counter.calls];

    // Assess
    expect(before && authenticate(before.tokens, ACCOUNT, raw, now)).toStrictEqual({
      ok: false,
      reason: 'UNKNOWN',
    });
    expect(calls).toEqual(['QueryCommand']);
    expect(policy && authenticate(policy.tokens, ACCOUNT, raw, now)).toStrictEqual({
      ok: true,
      principal: { type: 'SERVICE_ACCOUNT', identifier: 'ci_bot' },
      token,
    });
  });

  it('authenticates the same token from a cold cache', async () => {
    // Prepare
    await createToken();

    // Act
    const policy = await new PolicyCache(target).current(ACCOUNT);

    // Assess
    expect(policy && authenticate(policy.tokens, ACCOUNT, raw, now).ok).toBe(true);
  });

  it('rejects a deleted token as UNKNOWN on the very next request', async () => {
    // Prepare
    const cache = new PolicyCache(target);
    await createToken();
    const whileValid = await cache.current(ACCOUNT);

    // Act
    await commitChange(target, ACCOUNT, 1, [{ kind: 'delete', sk: tokenSk(token.tokenId) }]);
    const afterDelete = await cache.current(ACCOUNT);

    // Assess
    expect(whileValid && authenticate(whileValid.tokens, ACCOUNT, raw, now).ok).toBe(true);
    expect(afterDelete?.version).toBe(2);
    expect(afterDelete && authenticate(afterDelete.tokens, ACCOUNT, raw, now)).toStrictEqual({
      ok: false,
      reason: 'UNKNOWN',
    });
  });

  it('rejects a token as EXPIRED once the clock passes validTo, with no write', async () => {
    // Prepare
    const cache = new PolicyCache(target);
    await createToken();
    const whileValid = await cache.current(ACCOUNT);
    const counter = countCalls(target.client);

    // Act
    now = token.validTo;
    const afterExpiry = await cache.current(ACCOUNT);

    // Assess
    expect(whileValid && authenticate(whileValid.tokens, ACCOUNT, raw, token.validTo - 1).ok).toBe(true);
    expect(counter.calls).toEqual(['QueryCommand']);
    expect(afterExpiry?.version).toBe(1);
    expect(afterExpiry && authenticate(afterExpiry.tokens, ACCOUNT, raw, now)).toStrictEqual({
      ok: false,
      reason: 'EXPIRED',
    });
  });
});
