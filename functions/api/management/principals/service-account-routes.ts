import * as z from 'zod';
import { type Scope, scopePath } from '../../../core/scope.js';
import { fieldError } from '../../../core/validation/field-error.js';
import type { StoredServiceAccount } from '../../../store/items.js';
import { serviceAccountItem } from '../../../store/items.js';
import { ENTITY, serviceAccountSk } from '../../../store/keys.js';
import type { AccountPolicy } from '../../../store/policy-cache.js';
import {
  itemsOfEntity,
  roleAssignmentsOfPrincipal,
  serviceAccountFromItem,
  type Versioned,
} from '../../../store/readers/principal-readers.js';
import { ConflictError, InvalidRequestError, NotFoundError } from '../../http/errors.js';
import { parseInput } from '../../http/parse.js';
import { queryList } from '../../http/query-lists.js';
import type { ApiRequest, Route } from '../../http/router.js';
import {
  descriptionField,
  emailField,
  identifierField,
  nameField,
  scopeIdField,
  tagsField,
} from '../entity-fields.js';
import { actingAs } from '../escalation-guard.js';
import type { ManagementContext } from '../management-context.js';
import { requireExistingScope } from '../request-scope.js';
import { writeAccount } from '../write-account.js';
import { adminStateOf, requireAccountAdminKept, withoutAssignments } from './last-account-admin.js';
import {
  apiKeyDeletes,
  apiKeysOfParent,
  assignmentDeletes,
  assignmentNamesServiceAccount,
} from './principal-cascade.js';
import {
  authenticatedScope,
  isAt,
  matchingSearchTerm,
  newMeta,
  nextMeta,
  pathIdentifier,
  requireBodyScopeMatches,
  requireScopeAndPermission,
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
  const item = policy.items.get(serviceAccountSk(identifier));
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

function parseBody(request: ApiRequest, scope: Scope) {
  const body = parseInput(serviceAccountBodySchema, request.body);
  requireBodyScopeMatches(scope, body, true);
  return body;
}

function createRoute(context: ManagementContext): Route {
  return {
    method: 'POST',
    path: BASE,
    handler: async (request) => {
      const { auth, scope } = await authenticatedScope(context, request);
      const body = parseBody(request, scope);
      const data = await writeAccount(context, auth.accountId, actingAs(auth), (policy) => {
        requireScopeAndPermission(auth, policy, scope, {
          permission: 'core_serviceaccount_edit',
          resourceType: RESOURCE_TYPE,
        });
        if (policy.items.has(serviceAccountSk(body.identifier))) {
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
        const item = serviceAccountItem(policy.accountId, account, newMeta(context.now()));
        return { operations: [{ kind: 'create', item }], result: serviceAccountDto(account) };
      });
      return { data };
    },
  };
}

/**
 * `GET /ng/api/serviceaccount`: as in Harness (`ResponseDtoListServiceAccount`), a plain list, not a
 * page — of the service accounts at the scope the caller may view, narrowed by `identifiers` and
 * `searchTerm`.
 */
function listRoute(context: ManagementContext): Route {
  return {
    method: 'GET',
    path: BASE,
    handler: async (request) => {
      const { auth, scope } = await authenticatedScope(context, request);
      requireExistingScope(auth.policy, scope);
      const wanted = new Set(queryList(request.query, 'identifiers'));
      const accounts = itemsOfEntity(auth.policy.items, ENTITY.ServiceAccount)
        .map((item) => serviceAccountFromItem(auth.accountId, item).value)
        .filter((account) => isAt(account, scope) && (wanted.size === 0 || wanted.has(account.identifier)))
        .sort((a, b) => a.identifier.localeCompare(b.identifier))
        .map(serviceAccountDto);
      const matching = matchingSearchTerm(request, accounts);
      return { data: viewableRecords(auth, scope, RESOURCE_TYPE, 'core_serviceaccount_view', matching) };
    },
  };
}

function getRoute(context: ManagementContext): Route {
  return {
    method: 'GET',
    path: `${BASE}/{identifier}`,
    handler: async (request) => {
      const { auth, scope } = await authenticatedScope(context, request);
      const identifier = pathIdentifier(request, 'identifier', 'Service account');
      requireScopeAndPermission(auth, auth.policy, scope, {
        permission: 'core_serviceaccount_view',
        resourceType: RESOURCE_TYPE,
        resourceIdentifier: identifier,
      });
      return { data: serviceAccountDto(requireServiceAccountAt(auth.policy, scope, identifier).value) };
    },
  };
}

function updateRoute(context: ManagementContext): Route {
  return {
    method: 'PUT',
    path: `${BASE}/{identifier}`,
    handler: async (request) => {
      const { auth, scope } = await authenticatedScope(context, request);
      const identifier = pathIdentifier(request, 'identifier', 'Service account');
      const body = parseBody(request, scope);
      if (body.identifier !== identifier) {
        throw new InvalidRequestError('The identifier cannot change', [
          fieldError('identifier', `must equal the identifier in the path (${identifier})`),
        ]);
      }
      const data = await writeAccount(context, auth.accountId, actingAs(auth), (policy) => {
        requireScopeAndPermission(auth, policy, scope, {
          permission: 'core_serviceaccount_edit',
          resourceType: RESOURCE_TYPE,
          resourceIdentifier: identifier,
        });
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
        const item = serviceAccountItem(policy.accountId, updated, nextMeta(current.meta, context.now()));
        return {
          operations: [{ kind: 'replace', item, expectedVersion: current.meta.version }],
          result: serviceAccountDto(updated),
        };
      });
      return { data };
    },
  };
}

function deleteRoute(context: ManagementContext): Route {
  return {
    method: 'DELETE',
    path: `${BASE}/{identifier}`,
    handler: async (request) => {
      const { auth, scope } = await authenticatedScope(context, request);
      const identifier = pathIdentifier(request, 'identifier', 'Service account');
      const data = await writeAccount(context, auth.accountId, actingAs(auth), (policy) => {
        requireScopeAndPermission(auth, policy, scope, {
          permission: 'core_serviceaccount_delete',
          resourceType: RESOURCE_TYPE,
          resourceIdentifier: identifier,
        });
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
            { kind: 'delete', sk: serviceAccountSk(identifier) },
          ],
          result: true,
        };
      });
      return { data };
    },
  };
}

/** The service account routes: create, list, get, update and delete. */
export function serviceAccountRoutes(context: ManagementContext): Route[] {
  return [
    createRoute(context),
    listRoute(context),
    getRoute(context),
    updateRoute(context),
    deleteRoute(context),
  ];
}
