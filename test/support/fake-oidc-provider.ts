import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

/**
 * A minimal OpenID provider for end-to-end tests of the console's sign-in: discovery, a JWKS, an
 * authorization endpoint that signs in whoever the test chose (no login form) and a token endpoint
 * that checks the code, client, redirect and PKCE verifier and answers an RS256 ID token.
 */
export interface FakeOidcProvider {
  /** The issuer (`iss`), also its base URL. */
  readonly issuer: string;
  /** Who the next authorization signs in (`email` claim); `undefined` refuses with `access_denied`. */
  signInAs(email: string | undefined): void;
  /** How many ID tokens the token endpoint issued. */
  readonly issued: () => number;
  close(): Promise<void>;
}

interface PendingCode {
  readonly email: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly challenge: string;
  readonly nonce: string;
}

const CORS = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'content-type, accept' };

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'content-type': 'application/json', ...CORS, ...headers });
  response.end(body === undefined ? '' : JSON.stringify(body));
}

async function formOf(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** Starts the provider on a free port of 127.0.0.1. */
export async function startFakeOidcProvider(): Promise<FakeOidcProvider> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, PendingCode>();
  let next: string | undefined;
  let issued = 0;
  let issuer = '';

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', issuer);
    if (request.method === 'OPTIONS') return send(response, 204, undefined);
    if (url.pathname === '/.well-known/openid-configuration') {
      return send(response, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/.well-known/jwks.json`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
      });
    }
    if (url.pathname === '/.well-known/jwks.json') return send(response, 200, { keys: [jwk] });
    if (url.pathname === '/authorize') {
      const query = url.searchParams;
      const redirect = new URL(query.get('redirect_uri') ?? '');
      redirect.searchParams.set('state', query.get('state') ?? '');
      if (next === undefined || query.get('code_challenge_method') !== 'S256') {
        redirect.searchParams.set('error', 'access_denied');
      } else {
        const code = randomBytes(16).toString('hex');
        codes.set(code, {
          email: next,
          clientId: query.get('client_id') ?? '',
          redirectUri: query.get('redirect_uri') ?? '',
          challenge: query.get('code_challenge') ?? '',
          nonce: query.get('nonce') ?? '',
        });
        redirect.searchParams.set('code', code);
      }
      response.writeHead(302, { location: redirect.toString() });
      return response.end();
    }
    if (url.pathname === '/token' && request.method === 'POST') {
      const form = await formOf(request);
      const pending = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (
        !pending ||
        form.get('grant_type') !== 'authorization_code' ||
        form.get('client_id') !== pending.clientId ||
        form.get('redirect_uri') !== pending.redirectUri ||
        challenge !== pending.challenge
      ) {
        return send(response, 400, { error: 'invalid_grant' });
      }
      issued++;
      const idToken = await new SignJWT({ email: pending.email, email_verified: true, nonce: pending.nonce })
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
        .setIssuer(issuer)
        .setAudience(pending.clientId)
        .setSubject(pending.email)
        .setJti(randomBytes(8).toString('hex'))
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(privateKey);
      return send(response, 200, { id_token: idToken, token_type: 'Bearer', expires_in: 600 });
    }
    return send(response, 404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    signInAs(email) {
      next = email;
    },
    issued: () => issued,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
