import { createLocalJWKSet, exportJWK, generateKeyPair, type JWTVerifyGetKey, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { aclRoute } from '../../../functions/api/acl/acl-route.js';
import { healthRoute } from '../../../functions/api/health-route.js';
import { createHttpHandler } from '../../../functions/api/http/router.js';
import { oidcSettingsFromEnv, oidcVerifier } from '../../../functions/api/oidc/oidc-verifier.js';
import { accountScope } from '../../../functions/core/scope.js';
import { bootstrapAccount } from '../../../functions/store/bootstrap-account.js';
import { commitChange, readAccountVersion } from '../../../functions/store/change-log.js';
import { membershipItem } from '../../../functions/store/items.js';
import { PolicyCache } from '../../../functions/store/policy-cache.js';
import { userItem } from '../../../functions/store/user-items.js';
import { createTestTable } from '../../support/dynamodb-test-table.js';
import { httpEvent } from '../../unit/api/http/http-event.js';

const ACCOUNT = 'oidc';
const NOW = 1_800_000_000_000;
const ISSUER = 'https://login.example.com/';
const AUDIENCE = 'nextgen-rbac';

type Signer = (
  claims: Record<string, unknown>,
  options?: { issuer?: string; audience?: string; expiresAt?: number },
) => Promise<string>;

describe('optional OIDC user authentication (bearer JWT → the account user with that e-mail)', () => {
  let keys: JWTVerifyGetKey;
  let sign: Signer;
  let signWithStrangerKey: Signer;
  let handler: ReturnType<typeof createHttpHandler>;
  let unconfigured: ReturnType<typeof createHttpHandler>;

  beforeAll(async () => {
    // Prepare: an identity provider key pair, a table with an active and a pending user, and the ACL route.
    const provider = await generateKeyPair('RS256');
    const stranger = await generateKeyPair('RS256');
    keys = createLocalJWKSet({
      keys: [{ ...(await exportJWK(provider.publicKey)), kid: 'k1', alg: 'RS256' }],
    });
    const signer =
      (key: Parameters<SignJWT['sign']>[0]): Signer =>
      (claims, options = {}) =>
        new SignJWT(claims)
          .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
          .setIssuer(options.issuer ?? ISSUER)
          .setAudience(options.audience ?? AUDIENCE)
          .setIssuedAt(Math.floor(NOW / 1000) - 60)
          .setExpirationTime(options.expiresAt ?? Math.floor(NOW / 1000) + 600)
          .sign(key);
    sign = signer(provider.privateKey);
    signWithStrangerKey = signer(stranger.privateKey);

    const table = await createTestTable();
    const target = { client: table.client, tableName: table.tableName, now: () => NOW };
    await bootstrapAccount(target, ACCOUNT);
    const meta = { createdAt: NOW, lastModifiedAt: NOW, version: 1 };
    const version = await readAccountVersion(target, ACCOUNT);
    await commitChange(target, ACCOUNT, version ?? 0, [
      {
        kind: 'create',
        item: userItem(
          ACCOUNT,
          { userId: 'ann_id', email: 'ann@example.com', status: 'ACTIVE', name: 'Ann' },
          meta,
        ),
      },
      { kind: 'create', item: membershipItem(ACCOUNT, 'ann_id', accountScope(ACCOUNT), meta) },
      {
        kind: 'create',
        item: userItem(ACCOUNT, { userId: 'bob_id', email: 'bob@example.com', status: 'PENDING' }, meta),
      },
    ]);
    const cache = new PolicyCache(target);
    const routes = [healthRoute(async () => {}), aclRoute(cache, () => NOW)];
    handler = createHttpHandler(routes, {
      verifyIdentity: oidcVerifier({ issuer: ISSUER, audience: AUDIENCE }, () => NOW, keys),
    });
    unconfigured = createHttpHandler(routes);
  });

  const check = (authorization: string, to = handler) =>
    to(
      httpEvent('POST', '/authz/api/acl', {
        query: { accountIdentifier: ACCOUNT },
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify({
          permissions: [
            {
              resourceScope: { accountIdentifier: ACCOUNT },
              resourceType: 'ROLE',
              permission: 'core_role_view',
            },
          ],
        }),
      }),
    );

  it('acts as the active user with the token e-mail (case-insensitive), with her permissions', async () => {
    // Act
    const response = await check(`Bearer ${await sign({ email: 'Ann@Example.com', email_verified: true })}`);
    // Assess
    expect(response.statusCode).toBe(200);
    const data = JSON.parse(String(response.body)).data;
    expect(data.principal).toEqual({ principalIdentifier: 'ann_id', principalType: 'USER' });
    expect(data.accessControlList[0].permitted).toBe(true);
  });

  it.each<[string, () => Promise<string>]>([
    ['a wrong issuer', () => sign({ email: 'ann@example.com' }, { issuer: 'https://evil.example.com/' })],
    ['a wrong audience', () => sign({ email: 'ann@example.com' }, { audience: 'someone-else' })],
    ['an expired token', () => sign({ email: 'ann@example.com' }, { expiresAt: Math.floor(NOW / 1000) - 1 })],
    ['a signature by another key', () => signWithStrangerKey({ email: 'ann@example.com' })],
    ['no email claim', () => sign({ sub: 'ann' })],
    ['an unverified email', () => sign({ email: 'ann@example.com', email_verified: false })],
    ['an e-mail no user has', () => sign({ email: 'carol@example.com' })],
    ['the e-mail of a pending (invited) user', () => sign({ email: 'bob@example.com' })],
    ['garbage', async () => 'not-a-jwt'],
  ])('answers 401 to %s', async (_name, token) => {
    // Act
    const response = await check(`Bearer ${await token()}`);
    // Assess
    expect(response.statusCode).toBe(401);
  });

  it('lets public routes ignore a stale bearer token (it is only verified when a route authenticates)', async () => {
    // Prepare
    const expired = await sign({ email: 'ann@example.com' }, { expiresAt: Math.floor(NOW / 1000) - 1 });
    // Act
    const response = await handler(
      httpEvent('GET', '/health', { headers: { authorization: `Bearer ${expired}` } }),
    );
    // Assess
    expect(response.statusCode).toBe(200);
  });

  it('answers 401 to a valid bearer token when OIDC is not configured', async () => {
    // Act
    const response = await check(`Bearer ${await sign({ email: 'ann@example.com' })}`, unconfigured);
    // Assess
    expect(response.statusCode).toBe(401);
  });

  it('reads its settings from OIDC_ISSUER and OIDC_AUDIENCE, and is off without them', () => {
    // Assess
    expect(oidcSettingsFromEnv({ OIDC_ISSUER: ISSUER, OIDC_AUDIENCE: AUDIENCE })).toEqual({
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    expect(oidcSettingsFromEnv({ OIDC_ISSUER: ISSUER })).toBeUndefined();
  });
});
