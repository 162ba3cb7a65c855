import * as z from 'zod';
import { type Scope, scopePath } from '../../../core/scope.js';
import { fieldError } from '../../../core/validation/field-error.js';
import {
  findServiceAccountItem,
  hasServiceAccount,
  type StoredServiceAccount,
  serviceAccountDeletion,
  serviceAccountFromItem,
  serviceAccountItem,
} from '../../../store/entities/service-accounts.js';
import type { Versioned } from '../../../store/items.js';
import { ENTITY } from '../../../store/keys.js';
import type { AccountPolicy } from '../../../store/policy-cache.js';
import { itemsOfEntity, roleAssignmentsOfPrincipal } from '../../../store/readers/principal-readers.js';
import { ConflictError, InvalidRequestError, NotFoundError } from '../../http/errors.js';
import { queryList } from '../../http/query-lists.js';
import type { Route } from '../../http/router.js';
import { declareRoutes, endpoint } from '../declared-route.js';
import {
  descriptionField,
  emailField,
  identifierField,
  nameField,
  scopeIdField,
  tagsField,
} from '../entity-fields.js';
import type { ManagementContext } from '../management-context.js';
import { requireSameIdentifier } from '../same-identifier.js';
import { adminStateOf, requireAccountAdminKept, withoutAssignments } from './last-account-admin.js';
import {
  apiKeyDeletes,
  apiKeysOfParent,
  assignmentDeletes,
  assignmentNamesServiceAccount,
} from './principal-cascade.js';
import {
  identifiersQuerySchema,
  isAt,
  matchingSearchTerm,
  newMeta,
  nextMeta,
  requireBodyScopeMatches,
  scopeFieldsOf,
  viewableRecords,
} from './principal-request.js';

/**
 * Service account endpoints (reference §5.8, §8.5, DESIGN §6.2). A service account lives at the scope
 * of the request's query parameters; its identifier is unique in the whole account. Deleting one
 * deletes its role assignments, API keys and tokens with it.
 */

const BASE = '/ng/api/serviceaccount';
const RESOURCE_TYPE = 'SERVICEACCOUNT';

/** The body of `POST` and `PUT` (reference §5.8 `ServiceAccount`). */
export const serviceAccountBodySchema = z.strictObject({
  identifier: identifierField,
  name: nameField,
  email: emailField,
  description: descriptionField,
  tags: tagsField,
  accountIdentifier: z.string().min(1, 'cannot be empty').max(128),
  orgIdentifier: scopeIdField,
  projectIdentifier: scopeIdField,
  /** Harness's policy-evaluation metadata (an answer field its clients echo back); accepted and ignored. */
  governanceMetadata: z.record(z.string(), z.unknown()).nullish(),
});

/** The ServiceAccount DTO of the API (reference §5.8). */
export interface ServiceAccountDto {
  readonly identifier: string;
  readonly name: string;
  readonly email: string;
  readonly description: string;
  readonly tags: Record<string, string>;
  readonly accountIdentifier: string;
  readonly orgIdentifier?: string;
  readonly projectIdentifier?: string;
}

/** The DTO of a stored service account. */
export function serviceAccountDto(account: StoredServiceAccount): ServiceAccountDto {
  return {
    identifier: account.identifier,
    name: account.name,
    email: account.email,
    description: account.description ?? '',
    tags: { ...(account.tags ?? {}) },
    ...scopeFieldsOf(account.scope),
  };
}

/** The service account `identifier` when it exists at exactly `scope`. */
export function findServiceAccountAt(
  policy: AccountPolicy,
  scope: Scope,
  identifier: string,
): Versioned<StoredServiceAccount> | undefined {
  const item = findServiceAccountItem(policy.items, identifier);
  const found = item && serviceAccountFromItem(policy.accountId, item);
  return found && isAt(found.value, scope) ? found : undefined;
}

/** The service account `identifier` at `scope`, or 404. */
export function requireServiceAccountAt(
  policy: AccountPolicy,
  scope: Scope,
  identifier: string,
): Versioned<StoredServiceAccount> {
  const found = findServiceAccountAt(policy, scope, identifier);
  if (!found) throw new NotFoundError(`Service account ${identifier} does not exist in ${scopePath(scope)}`);
  return found;
}

const TAG = 'Service accounts';
const ITEM = `${BASE}/{identifier}`;

function notFound(identifier: string, scope: Scope): string {
  return `Service account ${identifier} does not exist in ${scopePath(scope)}`;
}

const createServiceAccount = endpoint({
  method: 'POST',
  path: BASE,
  summary: 'Create a service account',
  tag: TAG,
  body: serviceAccountBodySchema,
  needs: { permission: 'core_serviceaccount_edit', resourceType: RESOURCE_TYPE },
  handle: ({ scope, body, now, write }) => {
    requireBodyScopeMatches(scope, body, true);
    return write((policy) => {
      if (hasServiceAccount(policy.items, body.identifier)) {
        throw new ConflictError(
          `A service account with identifier ${body.identifier} is already present in this account`,
        );
      }
      const account: StoredServiceAccount = {
        identifier: body.identifier,
        scope,
        name: body.name,
        email: body.email,
        ...(body.description != null ? { description: body.description } : {}),
        ...(body.tags != null ? { tags: body.tags } : {}),
      };
      const item = serviceAccountItem(policy.accountId, account, newMeta(now()));
      return { operations: [{ kind: 'create', item }], result: serviceAccountDto(account) };
    });
  },
});

/**
 * `GET /ng/api/serviceaccount`: as in Harness (`ResponseDtoListServiceAccount`), a plain list, not a
 * page — of the service accounts at the scope the caller may view, narrowed by `identifiers` and
 * `searchTerm`.
 */
const listServiceAccounts = endpoint({
  method: 'GET',
  path: BASE,
  summary: 'List service accounts at the scope: a plain list, as in Harness (identifiers, searchTerm)',
  tag: TAG,
  query: identifiersQuerySchema,
  needs: 'per-resource',
  handle: async ({ request, auth, scope }) => {
    const wanted = new Set(queryList(request.query, 'identifiers'));
    const accounts = itemsOfEntity(auth.policy.items, ENTITY.ServiceAccount)
      .map((item) => serviceAccountFromItem(auth.accountId, item).value)
      .filter((account) => isAt(account, scope) && (wanted.size === 0 || wanted.has(account.identifier)))
      .sort((a, b) => a.identifier.localeCompare(b.identifier))
      .map(serviceAccountDto);
    const matching = matchingSearchTerm(request, accounts);
    return viewableRecords(auth, scope, RESOURCE_TYPE, 'core_serviceaccount_view', matching);
  },
});

const getServiceAccount = endpoint({
  method: 'GET',
  path: ITEM,
  summary: 'Get a service account',
  tag: TAG,
  needs: { permission: 'core_serviceaccount_view', resourceType: RESOURCE_TYPE, on: 'path' },
  notFound,
  handle: async ({ auth, scope, identifier }) =>
    serviceAccountDto(requireServiceAccountAt(auth.policy, scope, identifier).value),
});

const updateServiceAccount = endpoint({
  method: 'PUT',
  path: ITEM,
  summary: 'Update a service account',
  tag: TAG,
  body: serviceAccountBodySchema,
  needs: { permission: 'core_serviceaccount_edit', resourceType: RESOURCE_TYPE, on: 'path' },
  notFound,
  handle: ({ scope, identifier, body, now, write }) => {
    requireBodyScopeMatches(scope, body, true);
    requireSameIdentifier(body.identifier, identifier);
    return write((policy) => {
      const current = requireServiceAccountAt(policy, scope, identifier);
      if (current.value.email !== body.email) {
        throw new InvalidRequestError('The email of a service account cannot change', [
          fieldError('email', `cannot be changed (is ${current.value.email})`),
        ]);
      }
      const updated: StoredServiceAccount = {
        identifier,
        scope,
        name: body.name,
        email: current.value.email,
        ...(body.description != null ? { description: body.description } : {}),
        ...(body.tags != null ? { tags: body.tags } : {}),
      };
      const item = serviceAccountItem(policy.accountId, updated, nextMeta(current.meta, now()));
      return {
        operations: [{ kind: 'replace', item, expectedVersion: current.meta.version }],
        result: serviceAccountDto(updated),
      };
    });
  },
});

const deleteServiceAccount = endpoint({
  method: 'DELETE',
  path: ITEM,
  summary: 'Delete a service account with its keys, tokens and role assignments',
  tag: TAG,
  needs: { permission: 'core_serviceaccount_delete', resourceType: RESOURCE_TYPE, on: 'path' },
  notFound,
  handle: ({ scope, identifier, write }) =>
    write((policy) => {
      requireServiceAccountAt(policy, scope, identifier);
      const before = adminStateOf(policy);
      const cascaded = roleAssignmentsOfPrincipal(
        policy.accountId,
        policy.items,
        'SERVICE_ACCOUNT',
        identifier,
      ).filter((assignment) => assignmentNamesServiceAccount(assignment, identifier));
      requireAccountAdminKept(
        before,
        withoutAssignments(before, cascaded),
        `Deleting service account ${identifier}`,
      );
      return {
        operations: [
          ...assignmentDeletes(policy, cascaded),
          ...apiKeysOfParent(policy, 'SERVICE_ACCOUNT', identifier).flatMap((key) =>
            apiKeyDeletes(policy, key),
          ),
          serviceAccountDeletion(identifier),
        ],
        result: true,
      };
    }),
});

/** The service account routes: create, list, get, update and delete. */
export function serviceAccountRoutes(context: ManagementContext): Route[] {
  return declareRoutes(context, [
    createServiceAccount,
    listServiceAccounts,
    getServiceAccount,
    updateServiceAccount,
    deleteServiceAccount,
  ]);
}
