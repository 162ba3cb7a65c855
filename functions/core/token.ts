import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API tokens (DESIGN §3.2, reference §9): the string `<prefix>.<accountId>.<tokenId>.<secret>` shown
 * once at creation. `sat` tokens belong to a service account's API key, `pat` tokens to a user's
 * (personal) API key. Only a hash of the secret is stored. Pure apart from `node:crypto`.
 */

/** The prefix of a token string: `sat` (service account token) or `pat` (personal access token). */
export type TokenPrefix = 'sat' | 'pat';

/** Every known token prefix. */
export const TOKEN_PREFIXES: readonly TokenPrefix[] = ['sat', 'pat'];

/** Who an API key (and so each of its tokens) belongs to: a service account or a user. */
export type ApiKeyType = 'SERVICE_ACCOUNT' | 'USER';

/** Every API key type. */
export const API_KEY_TYPES: readonly ApiKeyType[] = ['SERVICE_ACCOUNT', 'USER'];

/** The token prefix of each API key type: `sat` for service accounts, `pat` for users. */
export const TOKEN_PREFIX_OF_API_KEY_TYPE: Readonly<Record<ApiKeyType, TokenPrefix>> = {
  SERVICE_ACCOUNT: 'sat',
  USER: 'pat',
};

/** The parts of a token string. */
export interface ParsedToken {
  readonly prefix: TokenPrefix;
  readonly accountId: string;
  readonly tokenId: string;
  readonly secret: string;
}

/** The separator between the parts of a token string. */
const TOKEN_SEPARATOR = '.';

/** The key separator of the store; an identifier containing it can never name a stored item. */
const KEY_SEPARATOR = '#';

/**
 * The longest token string {@link parseToken} accepts. Our tokens are well under 200 characters;
 * the bound keeps an oversized header from being hashed at all.
 */
export const MAX_TOKEN_LENGTH = 1024;

/** Random bytes of a secret: 256 bits, 43 base64url characters. */
const SECRET_BYTES = 32;

/** Random bytes of a token id: 128 bits, 22 base64url characters. */
const TOKEN_ID_BYTES = 16;

function isTokenPrefix(value: string): value is TokenPrefix {
  return (TOKEN_PREFIXES as readonly string[]).includes(value);
}

/**
 * Splits a raw token string into its parts, or `undefined` when it is not a well-formed token:
 * exactly four non-empty `.`-separated parts, a known prefix, and an account id and token id
 * without `#` (so they can name stored items). The legacy three-part format of Harness is not
 * accepted. Never throws.
 */
export function parseToken(raw: string): ParsedToken | undefined {
  if (typeof raw !== 'string' || raw.length > MAX_TOKEN_LENGTH) return undefined;
  const parts = raw.split(TOKEN_SEPARATOR);
  if (parts.length !== 4) return undefined;
  const [prefix, accountId, tokenId, secret] = parts as [string, string, string, string];
  if (!isTokenPrefix(prefix)) return undefined;
  if (accountId.length === 0 || tokenId.length === 0 || secret.length === 0) return undefined;
  if (accountId.includes(KEY_SEPARATOR) || tokenId.includes(KEY_SEPARATOR)) return undefined;
  return { prefix, accountId, tokenId, secret };
}

/**
 * A new random token secret: 32 bytes from the CSPRNG as base64url (43 characters, no `.`), to be
 * shown once and stored only as {@link hashTokenSecret}.
 */
export function newTokenSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

/** A new random token id: 16 bytes from the CSPRNG as base64url (22 URL-safe characters, no `.` or `#`). */
export function newTokenId(): string {
  return randomBytes(TOKEN_ID_BYTES).toString('base64url');
}

/**
 * The token string `<prefix>.<accountId>.<tokenId>.<secret>`. Throws when a part is empty or
 * contains `.`, or the account or token id contains `#`, i.e. when {@link parseToken} could not read
 * the result back.
 */
export function formatToken(prefix: TokenPrefix, accountId: string, tokenId: string, secret: string): string {
  const raw = [prefix, accountId, tokenId, secret].join(TOKEN_SEPARATOR);
  const parsed = parseToken(raw);
  if (
    parsed === undefined ||
    parsed.prefix !== prefix ||
    parsed.accountId !== accountId ||
    parsed.tokenId !== tokenId ||
    parsed.secret !== secret
  ) {
    throw new Error(`Cannot format a token from prefix ${JSON.stringify(prefix)} and the given parts`);
  }
  return raw;
}

/**
 * When a token stops being valid (epoch milliseconds): its `scheduledExpireTime` when set (a rotated
 * token keeps working until then), else its `validTo` (reference §9).
 */
export function tokenExpiry(token: {
  readonly validTo: number;
  readonly scheduledExpireTime?: number;
}): number {
  return token.scheduledExpireTime ?? token.validTo;
}

/**
 * The stored form of a token secret: its SHA-256 digest as lowercase hex (64 characters).
 *
 * A fast, unsalted hash is appropriate here, unlike for passwords: the secret is 256 bits from the
 * CSPRNG ({@link newTokenSecret}), so neither brute force nor precomputed tables can recover it from
 * the digest, and a slow hash (bcrypt, as Harness uses) would only add latency to every request.
 */
export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * True when `secret` hashes to `storedHash`. The digests are compared with
 * `crypto.timingSafeEqual`, so the time taken does not reveal how much of a guess was right; a
 * stored hash of the wrong length never matches.
 */
export function secretMatches(secret: string, storedHash: string): boolean {
  const actual = Buffer.from(hashTokenSecret(secret), 'utf8');
  const expected = Buffer.from(storedHash, 'utf8');
  if (actual.length !== expected.length) return false;
  return timingSafeEqual(actual, expected);
}
