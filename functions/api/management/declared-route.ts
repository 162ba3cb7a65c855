import type * as z from 'zod';
import type { AccessCheck } from '../../core/access-check.js';
import type { Scope } from '../../core/scope.js';
import { ENTITY_IDENTIFIER_PATTERN } from '../../core/validation/identifier-rules.js';
import type { AccountPolicy } from '../../store/policy-cache.js';
import { type AuthenticatedRequest, authenticateInAccount } from '../authenticate-request.js';
import { type Page, pageOf } from '../http/envelope.js';
import { NotFoundError } from '../http/errors.js';
import { type ParsingSchema, pagingFromQuery, parseInput } from '../http/parse.js';
import type { RouteDoc } from '../http/route-doc.js';
import type { ApiRequest, HttpMethod, Route } from '../http/router.js';
import { withPolicy } from './access/access-request.js';
import { actingAs } from './escalation-guard.js';
import type { ManagementContext } from './management-context.js';
import { requireExistingScope } from './request-scope.js';
import { requirePermission } from './require-permission.js';
import {
  type AccountSource,
  requestAccount,
  resolveScope,
  type ScopeOf,
  type ScopeSource,
} from './route-scope.js';
import { type WritePlan, type WriteProgress, writeAccount } from './write-account.js';

/**
 * Declared routes (DESIGN §13 "declared routes"): an endpoint states its method and path, what it
 * does (for the OpenAPI document), its body and query schemas, where its account and scope come from
 * and the permission it needs at that scope; {@link declareRoutes} turns declarations into routes
 * that all run one prologue — authenticate the caller ({@link AccountSource}), resolve the scope
 * ({@link ScopeSource}: 400 malformed, 404 unknown), read the path identifier (404 when it cannot
 * name anything), parse the query, the paging and the body (400 naming each field), check the
 * permission (403) — before the handler sees typed input. A write re-checks the scope and the
 * permission against the state each attempt plans on, until a cascade has started committing.
 */

/** The permission a route needs, at the request's scope (of type `S`). */
export type PermissionNeed<S extends Scope = Scope> =
  | {
      readonly permission: string;
      readonly resourceType: string;
      /**
       * `type` (default): on every resource of the type; `path`: on the resource the path identifier
       * names; `body`: on the resource the body's `identifier` names (Harness's updates by body).
       */
      readonly on?: 'type' | 'path' | 'body';
    }
  /** The handler decides per resource (e.g. a list shows what the caller may view); the summary says how. */
  | 'per-resource'
  /** Any authenticated caller of the account (e.g. the permission catalogue). */
  | 'any-caller'
  /** A check of its own at the scope (e.g. `core_account_edit` on the account itself). */
  | { readonly check: (scope: S) => AccessCheck };

/** What a declared route's handler is given: the authenticated caller, the scope and the parsed input. */
export interface DeclaredCall<Body, Query, S extends Scope = Scope> {
  readonly request: ApiRequest;
  readonly auth: AuthenticatedRequest;
  readonly scope: S;
  /** The route's path identifier (`{identifier}`, or its `identifierParameter`; `''` for a route without one). */
  readonly identifier: string;
  readonly body: Body;
  readonly query: Query;
  /** The server's clock (epoch ms). */
  now(): number;
  /** The table (for reads outside the account's policy, e.g. the audit trail). */
  readonly target: ManagementContext['target'];
  /** One page of `items` as the request's `pageIndex` and `pageSize` ask. */
  page<T>(items: readonly T[]): Page<T>;
  /**
   * Commits a write with `writeAccount` as the caller; each attempt first re-checks that the scope
   * exists and that the caller still holds the route's permission on the state it plans against —
   * except when it continues a write whose first transactions already committed (a cascade may have
   * deleted what authorized it).
   */
  write<T>(
    plan: (policy: AccountPolicy, auth: AuthenticatedRequest, progress: WriteProgress) => WritePlan<T>,
  ): Promise<T>;
}

/** The path parameters a declared route's identifier can be read from. */
export type IdentifierParameter = 'identifier' | 'userId' | 'id' | 'inviteId';

/** A zod schema (classic or mini) that parses to `T`, and that the OpenAPI document can describe. */
export type DeclaredSchema<T> = ParsingSchema<T> & z.core.$ZodType;

/** One endpoint, declared. */
export interface RouteDeclaration<
  Body = undefined,
  Query = Record<string, never>,
  Source extends ScopeSource = 'query',
> {
  readonly method: HttpMethod;
  readonly path: string;
  /** One line for the OpenAPI document. */
  readonly summary: string;
  /** The OpenAPI group. */
  readonly tag: string;
  readonly body?: DeclaredSchema<Body>;
  /** What a request without a body is parsed as (absent: such a request is parsed as `undefined`, a 400 for an object schema). */
  readonly emptyBody?: unknown;
  /** Route-specific query parameters, besides the scope and paging ones. */
  readonly query?: DeclaredSchema<Query>;
  /** Whether the route takes `pageIndex`, `pageSize` and `searchTerm`. */
  readonly paged?: boolean;
  readonly needs: PermissionNeed<ScopeOf<Source>>;
  /** Where the scope comes from (default `query`); `body` needs a body schema with the scope fields. */
  readonly scopeFrom?: Source;
  /** Where the account comes from (default `query`: `accountIdentifier`). */
  readonly accountFrom?: AccountSource;
  /** The largest body the route accepts, in bytes (default: the router's). */
  readonly maxBodyBytes?: number;
  /**
   * The path parameter the route's identifier is (default `identifier`, an entity identifier: 404
   * unless it matches the identifier pattern); `userId`, `id` and `inviteId` are opaque ids (404 when
   * they contain the key separator `#`).
   */
  readonly identifierParameter?: IdentifierParameter;
  /** The 404 message for a path identifier that names nothing at the scope. */
  readonly notFound?: (identifier: string, scope: Scope) => string;
  /** Answers the `data` of the success envelope. */
  readonly handle: (call: DeclaredCall<Body, Query, ScopeOf<Source>>) => Promise<unknown>;
}

/** A declaration of any body and query, as lists of them hold it. */
// biome-ignore lint/suspicious/noExplicitAny: a list of declarations mixes input types; each handler is typed by its own declaration
export type AnyRouteDeclaration = RouteDeclaration<any, any, any>;

/** Declares one endpoint (a helper that infers the handler's input types from the schemas). */
export function endpoint<
  Body = undefined,
  Query = Record<string, never>,
  Source extends ScopeSource = 'query',
>(declaration: RouteDeclaration<Body, Query, Source>): RouteDeclaration<Body, Query, Source> {
  return declaration;
}

/** The `identifier` field of a parsed body, for a need `on: 'body'`. */
function bodyIdentifierOf(body: unknown): string {
  const identifier = (body as { identifier?: unknown } | undefined)?.identifier;
  if (typeof identifier !== 'string')
    throw new Error('a need on the body requires a body with an identifier');
  return identifier;
}

function checkOfNeed(
  need: PermissionNeed<Scope>,
  scope: Scope,
  identifier: string,
  body: unknown,
): AccessCheck | undefined {
  if (need === 'per-resource' || need === 'any-caller') return undefined;
  if ('check' in need) return need.check(scope);
  const on = need.on ?? 'type';
  return {
    permission: need.permission,
    resourceType: need.resourceType,
    resourceScope: scope,
    ...(on === 'type' ? {} : { resourceIdentifier: on === 'path' ? identifier : bodyIdentifierOf(body) }),
  };
}

function docOf(declaration: AnyRouteDeclaration): RouteDoc {
  return {
    summary: declaration.summary,
    tag: declaration.tag,
    ...(declaration.body ? { body: declaration.body } : {}),
    ...(declaration.query ? { query: declaration.query } : {}),
    ...(declaration.paged ? { paged: true } : {}),
    ...(declaration.accountFrom && declaration.accountFrom !== 'query' ? { accountOptional: true } : {}),
  };
}

function pathIdentifierOf(declaration: AnyRouteDeclaration, request: ApiRequest, scope: Scope): string {
  const parameter: IdentifierParameter = declaration.identifierParameter ?? 'identifier';
  if (!declaration.path.includes(`{${parameter}}`)) return '';
  const identifier = request.pathParameters[parameter] ?? '';
  const valid =
    parameter === 'identifier'
      ? ENTITY_IDENTIFIER_PATTERN.test(identifier)
      : identifier !== '' && !identifier.includes('#');
  if (!valid) {
    throw new NotFoundError(declaration.notFound?.(identifier, scope) ?? `${identifier} does not exist`);
  }
  return identifier;
}

/**
 * The prologue's first steps: the caller, the scope and the route's parsed input. The scope of the
 * query is read before the path identifier and the input; one named by the body after the body.
 */
async function prologue(declaration: AnyRouteDeclaration, request: ApiRequest, context: ManagementContext) {
  const accountId = requestAccount(declaration.accountFrom ?? 'query', request);
  const auth = await authenticateInAccount(request, context.cache, context.now(), accountId);
  const source = declaration.scopeFrom ?? 'query';
  const early = source === 'body' ? undefined : resolveScope(source, { request, auth, body: undefined });
  const identifier = early ? pathIdentifierOf(declaration, request, early) : undefined;
  const query = declaration.query ? parseInput(declaration.query, request.query) : {};
  if (declaration.paged) pagingFromQuery(request.query);
  const raw = request.body === undefined ? declaration.emptyBody : request.body;
  const body = declaration.body ? parseInput(declaration.body, raw) : undefined;
  const scope = early ?? resolveScope(source, { request, auth, body });
  return {
    auth,
    scope,
    identifier: identifier ?? pathIdentifierOf(declaration, request, scope),
    query,
    body,
  };
}

/** The routes of `declarations`, each behind the one prologue, each carrying its OpenAPI description. */
export function declareRoutes(
  context: ManagementContext,
  declarations: readonly AnyRouteDeclaration[],
): Route[] {
  return declarations.map((declaration) => ({
    method: declaration.method,
    path: declaration.path,
    doc: docOf(declaration),
    ...(declaration.maxBodyBytes ? { maxBodyBytes: declaration.maxBodyBytes } : {}),
    handler: async (request) => {
      const { auth, scope, identifier, query, body } = await prologue(declaration, request, context);
      const check = checkOfNeed(declaration.needs, scope, identifier, body);
      if (check) requirePermission(auth, check);
      const call: DeclaredCall<unknown, unknown, Scope> = {
        request,
        auth,
        scope,
        identifier,
        body,
        query,
        now: context.now,
        target: context.target,
        page: (items) => {
          const { pageIndex, pageSize } = pagingFromQuery(request.query);
          return pageOf(items, pageIndex, pageSize);
        },
        write: (plan) =>
          writeAccount(context, auth.accountId, actingAs(auth), (policy, progress) => {
            const fresh = withPolicy(auth, policy);
            if (!progress.continuing) {
              requireExistingScope(policy, scope);
              if (check) requirePermission(fresh, check);
            }
            return plan(policy, fresh, progress);
          }),
      };
      return { data: await declaration.handle(call) };
    },
  }));
}
