import { randomInt } from 'node:crypto';
import * as z from 'zod';
import type { Scope } from '../../../core/scope.js';
import {
  type ApiKeyType,
  formatToken,
  hashTokenSecret,
  newTokenId,
  newTokenSecret,
  TOKEN_PREFIX_OF_API_KEY_TYPE,
  tokenExpiry,
} from '../../../core/token.js';
import { fieldError } from '../../../core/validation/field-error.js';
import type { ChangeOperation } from '../../../store/change-log.js';
import {
  findTokenItem,
  type StoredApiKey,
  type StoredToken,
  tokenDeletion,
  tokenItem,
} from '../../../store/entities/credentials.js';
import { itemMetaOf } from '../../../store/item-reader.js';
import type { AccountPolicy } from '../../../store/policy-cache.js';
import { ConflictError, InvalidRequestError, NotFoundError } from '../../http/errors.js';
import type { Route } from '../../http/router.js';
import { declareRoutes, endpoint } from '../declared-route.js';
import {
  apiKeyTypeField,
  descriptionField,
  identifierField,
  nameField,
  opaqueIdField,
  scopeIdField,
  tagsField,
  timeField,
} from '../entity-fields.js';
import type { ManagementContext } from '../management-context.js';
import {
  authorizedApiKey,
  authorizeKeyParent,
  MAX_LIMIT_REACHED,
  MAX_TOKENS_PER_API_KEY,
  tokenKeyQuerySchema,
} from './api-key-owner.js';
import { DEFAULT_TOKEN_LIFETIME_MS } from './api-key-routes.js';
import { tokensOfKey } from './principal-cascade.js';
import { isAt, newMeta, nextMeta } from './principal-request.js';

/**
 * Token endpoints (reference §5.9, §9): create (the raw token is answered once; only the hash of its
 * secret is stored), delete (rejected on the very next request) and rotate. A token acts as the
 * parent of its API key: `sat.` tokens as the service account, `pat.` tokens as the user.
 */

/** Letters of the suffix a rotated token's identifier gets (`rotated_<15 letters>`). */
const ROTATED_SUFFIX_LENGTH = 15;
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The body of `POST /ng/api/token` (reference §5.9 `Token`, the fields a client sets). */
export const tokenBodySchema = z.strictObject({
  identifier: identifierField,
  name: nameField,
  validFrom: timeField.nullish(),
  validTo: timeField.nullish(),
  apiKeyIdentifier: identifierField,
  parentIdentifier: opaqueIdField,
  apiKeyType: apiKeyTypeField,
  description: descriptionField,
  tags: tagsField,
  accountIdentifier: z.string().min(1, 'cannot be empty').max(128),
  orgIdentifier: scopeIdField,
  projectIdentifier: scopeIdField,
  /**
   * Harness's derived validity, accepted as Terraform sends it: validity always follows `validFrom`
   * and `validTo`, so `false` (a token asked to be invalid) is a 400 and `true` changes nothing.
   */
  valid: z.literal(true, 'can only be true: a token is valid from validFrom until validTo').nullish(),
  /** Set by rotation only; accepted and ignored (Harness's clients echo it back). */
  scheduledExpireTime: timeField.nullish(),
});

/** The query of `POST /ng/api/token/rotate/{identifier}`: the key's coordinates and when the old token expires. */
export const rotateQuerySchema = tokenKeyQuerySchema.extend({
  rotateTimestamp: z
    .string()
    .regex(/^\d{1,16}$/, 'must be a time in epoch milliseconds')
    .optional(),
});

/** The identifier a rotated token is renamed to: `rotated_` and 15 random letters. */
export function rotatedIdentifier(): string {
  let suffix = '';
  for (let index = 0; index < ROTATED_SUFFIX_LENGTH; index++) suffix += LETTERS[randomInt(LETTERS.length)];
  return `rotated_${suffix}`;
}

/** A new token (random id and secret) of `key`; the raw token string is returned beside the record. */
function issueToken(
  key: StoredApiKey,
  fields: Pick<StoredToken, 'identifier' | 'name' | 'validFrom' | 'validTo' | 'description' | 'tags'>,
): { token: StoredToken; raw: string } {
  const secret = newTokenSecret();
  const tokenId = newTokenId();
  const token: StoredToken = {
    tokenId,
    identifier: fields.identifier,
    name: fields.name,
    ...(fields.description !== undefined ? { description: fields.description } : {}),
    ...(fields.tags !== undefined ? { tags: fields.tags } : {}),
    apiKeyIdentifier: key.identifier,
    apiKeyType: key.apiKeyType,
    parentIdentifier: key.parentIdentifier,
    scope: key.scope,
    secretHash: hashTokenSecret(secret),
    validFrom: fields.validFrom,
    validTo: fields.validTo,
  };
  const raw = formatToken(
    TOKEN_PREFIX_OF_API_KEY_TYPE[key.apiKeyType],
    key.scope.accountIdentifier,
    tokenId,
    secret,
  );
  return { token, raw };
}

/** The token `identifier` of the key at `scope`, or 404. */
function requireToken(
  policy: AccountPolicy,
  scope: Scope,
  key: { apiKeyType: ApiKeyType; parentIdentifier: string; apiKeyIdentifier: string },
  identifier: string,
): StoredToken {
  const token = tokensOfKey(policy, key.apiKeyType, key.parentIdentifier, key.apiKeyIdentifier).find(
    (candidate) => candidate.identifier === identifier && isAt(candidate, scope),
  );
  if (!token)
    throw new NotFoundError(`Token ${identifier} of API key ${key.apiKeyIdentifier} does not exist`);
  return token;
}

const TAG = 'API keys and tokens';
const tokenNotFound = (identifier: string) => `Token ${identifier} does not exist`;

const createToken = endpoint({
  method: 'POST',
  path: '/ng/api/token',
  summary: 'Create a token; data is the raw token, shown once',
  tag: TAG,
  body: tokenBodySchema,
  scopeFrom: 'body',
  needs: 'per-resource',
  handle: ({ scope, body, now: clock, write }) =>
    write((policy, caller) => {
      const now = clock();
      const key = authorizedApiKey(caller, policy, scope, body);
      const tokens = tokensOfKey(policy, body.apiKeyType, body.parentIdentifier, body.apiKeyIdentifier);
      if (tokens.some((token) => token.identifier === body.identifier)) {
        throw new ConflictError(
          `A token with identifier ${body.identifier} already exists for API key ${body.apiKeyIdentifier}`,
        );
      }
      if (tokens.filter((token) => tokenExpiry(token) > now).length >= MAX_TOKENS_PER_API_KEY) {
        throw new ConflictError(
          `Maximum limit has reached: API key ${body.apiKeyIdentifier} already has ${MAX_TOKENS_PER_API_KEY} tokens`,
          MAX_LIMIT_REACHED,
        );
      }
      const validFrom = body.validFrom ?? now;
      const validTo =
        body.validTo ?? validFrom + (key.value.defaultTimeToExpireToken ?? DEFAULT_TOKEN_LIFETIME_MS);
      if (validTo <= now || validTo < validFrom) {
        throw new InvalidRequestError('Invalid token validity', [
          fieldError('validTo', validTo <= now ? 'must not be in the past' : 'must not be before validFrom'),
        ]);
      }
      const { token, raw } = issueToken(key.value, {
        identifier: body.identifier,
        name: body.name,
        validFrom,
        validTo,
        ...(body.description != null ? { description: body.description } : {}),
        ...(body.tags != null ? { tags: body.tags } : {}),
      });
      return {
        operations: [{ kind: 'create', item: tokenItem(policy.accountId, token, newMeta(now)) }],
        result: raw,
      };
    }),
});

const deleteToken = endpoint({
  method: 'DELETE',
  path: '/ng/api/token/{identifier}',
  summary: 'Delete a token (rejected on the very next request)',
  tag: TAG,
  query: tokenKeyQuerySchema,
  needs: 'per-resource',
  notFound: tokenNotFound,
  handle: ({ scope, identifier, query, write }) =>
    write((policy, caller) => {
      authorizeKeyParent(caller, policy, scope, query.apiKeyType, query.parentIdentifier);
      const token = requireToken(policy, scope, query, identifier);
      return { operations: [tokenDeletion(token.tokenId)], result: true };
    }),
});

const rotateToken = endpoint({
  method: 'POST',
  path: '/ng/api/token/rotate/{identifier}',
  summary: 'Rotate a token; data is the new raw token, shown once',
  tag: TAG,
  query: rotateQuerySchema,
  needs: 'per-resource',
  notFound: tokenNotFound,
  handle: ({ scope, identifier, query, now: clock, write }) =>
    write((policy, caller) => {
      const now = clock();
      const key = authorizedApiKey(caller, policy, scope, query);
      const old = requireToken(policy, scope, query, identifier);
      if (old.scheduledExpireTime !== undefined || tokenExpiry(old) <= now) {
        throw new InvalidRequestError('Only a valid token that was not rotated can be rotated', [
          fieldError(
            'identifier',
            old.scheduledExpireTime !== undefined ? 'was already rotated' : 'has expired',
          ),
        ]);
      }
      const requested = query.rotateTimestamp === undefined ? now : Number(query.rotateTimestamp);
      const scheduledExpireTime = Math.min(Math.max(requested, now), old.validTo);
      const oldItem = findTokenItem(policy.items, old.tokenId);
      if (!oldItem) throw new Error('token item vanished from the policy');
      const oldMeta = itemMetaOf(oldItem);
      const retired: StoredToken = { ...old, identifier: rotatedIdentifier(), scheduledExpireTime };
      const { token, raw } = issueToken(key.value, {
        identifier: old.identifier,
        name: old.name,
        validFrom: now,
        validTo: old.validTo,
        ...(old.description !== undefined ? { description: old.description } : {}),
        ...(old.tags !== undefined ? { tags: old.tags } : {}),
      });
      const operations: ChangeOperation[] = [
        {
          kind: 'replace',
          item: tokenItem(policy.accountId, retired, nextMeta(oldMeta, now)),
          expectedVersion: oldMeta.version,
        },
        { kind: 'create', item: tokenItem(policy.accountId, token, newMeta(now)) },
      ];
      return { operations, result: raw };
    }),
});

/** The token routes: create, delete and rotate. */
export function tokenRoutes(context: ManagementContext): Route[] {
  return declareRoutes(context, [createToken, deleteToken, rotateToken]);
}
