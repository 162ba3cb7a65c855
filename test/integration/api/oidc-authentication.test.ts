import { createLocalJWKSet, exportJWK, generateKeyPair, type JWTVerifyGetKey, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { aclRoute } from '../../../functions/api/acl/acl-route.js';
import { healthRoute } from '../../../functions/api/health-route.js';
import { createHttpHandler, type Route } from '../../../functions/api/http/router.js';
import { oidcSettingsFromEnv } from '../../../functions/api/oidc/oidc-settings.js';
import { oidcVerifier } from '../../../functions/api/oidc/oidc-verifier.js';
import { type SignInRecorder, signInRecorder } from '../../../functions/api/oidc/sign-in-audit.js';
import { accountScope } from '../../../functions/core/scope.js';
import { auditRecordsNewestFirst } from '../../../functions/store/audit-records.js';
import { bootstrapAccount } from '../../../functions/store/bootstrap-account.js';
import {
  type ChangeLogTarget,
  commitChange,
  readAccountVersion,
} from '../../../functions/store/change-log.js';
import { membershipItem, userItem } from '../../../functions/store/entities/users.js';
import { PolicyCache } from '../../../functions/store/policy-cache.js';
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
  let target: ChangeLogTarget;
  let routes: Route[];

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
    target = { client: table.client, tableName: table.tableName, now: () => NOW };
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
    routes = [healthRoute(async () => {}), aclRoute(cache, () => NOW)];
    handler = createHttpHandler(routes, {
      verifyIdentity: oidcVerifier({ issuer: ISSUER, audience: AUDIENCE }, () => NOW, keys),
      recordSignIn: signInRecorder(target),
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

  describe('sign-ins in the audit trail', () => {
    const signIns = async () => {
      const records = [];
      for await (const record of auditRecordsNewestFirst(target, ACCOUNT, {})) {
        if (record.events.some((event) => event.action === 'LOGIN')) records.push(record);
      }
      return records;
    };
    const anotherInstance = (recordSignIn: SignInRecorder) =>
      createHttpHandler(routes, {
        verifyIdentity: oidcVerifier({ issuer: ISSUER, audience: AUDIENCE }, () => NOW, keys),
        recordSignIn,
      });

    it('records each sign-in once, as a LOGIN of the user with the request it came with, on every instance', async () => {
      // Prepare
      const before = (await signIns()).length;
      const token = await sign({ email: 'ann@example.com', jti: 'session-1' });
      const other = await sign({ email: 'ann@example.com', jti: 'session-2' });

      // Act
      const first = await check(`Bearer ${token}`);
      const again = await check(`Bearer ${token}`);
      const elsewhere = await check(`Bearer ${token}`, anotherInstance(signInRecorder(target)));
      const second = await check(`Bearer ${other}`);

      // Assess
      expect([first, again, elsewhere, second].map((response) => response.statusCode)).toEqual([
        200, 200, 200, 200,
      ]);
      const records = await signIns();
      expect(records).toHaveLength(before + 2);
      expect(records[0]).toMatchObject({
        time: NOW - 60_000,
        actor: { principal: { type: 'USER', identifier: 'ann_id' } },
        origin: { method: 'POST' },
        events: [
          {
            action: 'LOGIN',
            resourceType: 'USER',
            identifier: 'ann_id',
            scope: { accountIdentifier: ACCOUNT },
          },
        ],
      });
    });

    it('records nothing for a bearer token that does not authenticate', async () => {
      // Prepare
      const before = (await signIns()).length;

      // Act
      const response = await check(`Bearer ${await sign({ email: 'carol@example.com', jti: 'carol' })}`);

      // Assess
      expect(response.statusCode).toBe(401);
      expect(await signIns()).toHaveLength(before);
    });

    it('answers 503 and serves nothing when the sign-in cannot be recorded', async () => {
      // Prepare: the audit trail's table is gone
      const broken = signInRecorder({ ...target, tableName: 'no-such-table' });
      const token = await sign({ email: 'ann@example.com', jti: 'unrecorded' });

      // Act
      const response = await check(`Bearer ${token}`, anotherInstance(broken));

      // Assess
      expect(response.statusCode).toBe(503);
      expect(String(response.body)).not.toContain('accessControlList');
    });
  });
});
