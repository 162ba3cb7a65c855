import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { fieldError } from '../../core/validation/field-error.js';
import { beginLambdaInvocation, logThrownError, reportRequest } from '../../observability/request-log.js';
import { withRequestTelemetry } from '../../observability/request-telemetry.js';
import { MalformedItemError } from '../../store/item-reader.js';
import type { IdentityVerifier, VerifiedIdentity } from '../oidc/oidc-verifier.js';
import type { SignInRecorder } from '../oidc/sign-in-audit.js';
import { CONSISTENCY_TOKEN_HEADER, withConsistencyToken } from './consistency-token.js';
import { CORRELATION_ID_HEADER, correlationIdOf } from './correlation-id.js';
import { errorBody, successBody } from './envelope.js';
import {
  type ApiError,
  DeadlineExceededError,
  InternalError,
  InvalidRequestError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  toApiError,
  UnsupportedMediaTypeError,
} from './errors.js';
import type { RouteDoc } from './route-doc.js';

/** The HTTP methods a route can have. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A request as route handlers see it, after correlation, routing and JSON parsing. */
export interface ApiRequest {
  /** The HTTP method, upper-case. */
  method: string;
  /** The request path, e.g. `/authz/api/roles/admin` (no query string). */
  path: string;
  /** The `{name}` segments of the route's path template, URL-decoded. */
  pathParameters: Record<string, string>;
  /** The query parameters (a repeated parameter's values joined by `,`, as API Gateway does). */
  query: Record<string, string>;
  /** The request headers, names lower-cased. */
  headers: Record<string, string>;
  /** The parsed JSON body; `undefined` when the body is empty. */
  body: unknown;
  /** The correlation id echoed in the response's `x-correlation-id` header and envelope. */
  correlationId: string;
  /** The client's IP address, as API Gateway (or the local server) saw it. */
  sourceIp?: string;
  /**
   * Verifies the request's OIDC bearer token (`authorization: Bearer …`, no `x-api-key`) and answers
   * its identity (e-mail and sign-in), or throws 401; present only when OIDC is on and such a token
   * was sent. Lazy, so public routes never fail on a stale token.
   */
  bearerIdentity?: () => Promise<VerifiedIdentity>;
  /** Records the sign-in of the user a bearer token maps to (present with {@link bearerIdentity} when the server audits sign-ins). */
  recordSignIn?: SignInRecorder;
}

/** What a route handler answers. */
export interface ApiReply {
  /** The HTTP status code; 200 when not given. 204 sends no body. */
  statusCode?: number;
  /** The `data` of the success envelope (or the whole body of a `raw` route). */
  data: unknown;
}

/** Handles one routed request. Throw an `ApiError` for a 4xx/503; anything else thrown becomes a 500. */
export type RouteHandler = (request: ApiRequest) => Promise<ApiReply>;

/** One endpoint: a method and a path template bound to a handler. */
export interface Route {
  /** The HTTP method. */
  method: HttpMethod;
  /** The path template; `{name}` matches one non-empty segment, e.g. `/authz/api/roles/{identifier}`. */
  path: string;
  /** The handler. */
  handler: RouteHandler;
  /** When true, `data` is sent as the whole JSON body, without the envelope (for `/health`). */
  raw?: boolean;
  /** The route's description for the OpenAPI document, when it is declared with it (`declared-route.ts`). */
  doc?: RouteDoc;
  /** The largest body this route accepts, in bytes (default {@link MAX_BODY_BYTES}; at most {@link MAX_ROUTE_BODY_BYTES}). */
  maxBodyBytes?: number;
}

/** A route chosen for a request, with its decoded path parameters. */
export interface RouteMatch {
  readonly route: Route;
  readonly pathParameters: Record<string, string>;
}

/** The largest accepted request body, in bytes (decoded); larger bodies are a 413 `PAYLOAD_TOO_LARGE`. */
export const MAX_BODY_BYTES = 256 * 1024;

/**
 * The largest body any route may accept (user-group writes carrying up to 100,000 members): under
 * Lambda's 6 MB synchronous payload, which the HTTP API event (body included) must fit.
 */
export const MAX_ROUTE_BODY_BYTES = 4 * 1024 * 1024;

/** How long a request may run when no Lambda context is given (the local server, tests), by default. */
export const DEFAULT_LOCAL_DEADLINE_MS = 10_000;

/** Time kept back from a Lambda's remaining time: the 503 is sent this long before the Lambda would be killed. */
export const DEFAULT_DEADLINE_MARGIN_MS = 1_000;

const JSON_HEADERS = {
  'content-type': 'application/json',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
} as const;

function splitPath(path: string): string[] {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed.split('/');
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** The path parameters when `template` matches `segments`, else undefined. */
function matchTemplate(template: string, segments: readonly string[]): Record<string, string> | undefined {
  const parts = splitPath(template);
  if (parts.length !== segments.length) return undefined;
  const parameters: Record<string, string> = {};
  for (const [index, part] of parts.entries()) {
    const segment = segments[index] ?? '';
    if (part.startsWith('{') && part.endsWith('}')) {
      const value = segment === '' ? undefined : decodeSegment(segment);
      if (value === undefined) return undefined;
      parameters[part.slice(1, -1)] = value;
    } else if (part !== segment) {
      return undefined;
    }
  }
  return parameters;
}

/** Orders templates so that, segment by segment, a literal beats a `{parameter}`. */
function specificity(template: string): string {
  return splitPath(template)
    .map((part) => (part.startsWith('{') ? '1' : '0'))
    .join('');
}

/**
 * Chooses the route for `method` and `path`. Among the routes whose template matches the path, those
 * with the request's method are considered and the most specific wins (a literal segment beats a
 * `{parameter}`, so `POST …/roleassignments/multi` beats `POST …/roleassignments/{identifier}`). A
 * trailing slash is ignored; path parameters are URL-decoded.
 *
 * @throws NotFoundError (404) when no template matches the path.
 * @throws MethodNotAllowedError (405) when templates match but none with this method; its
 * `allowedMethods` lists the methods that would.
 */
export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch {
  const segments = splitPath(path);
  const upperMethod = method.toUpperCase();
  const candidates = routes.flatMap((route) => {
    const pathParameters = matchTemplate(route.path, segments);
    return pathParameters ? [{ route, pathParameters }] : [];
  });
  if (candidates.length === 0) throw new NotFoundError(`No resource at ${path}`);
  const best = candidates
    .filter(({ route }) => route.method === upperMethod)
    .sort((a, b) => specificity(a.route.path).localeCompare(specificity(b.route.path)))[0];
  if (best) return best;
  const allowed = [...new Set(candidates.map(({ route }) => route.method))].sort();
  throw new MethodNotAllowedError(`Method ${upperMethod} is not allowed on ${path}`, allowed);
}

/** The per-invocation state the middlewares share (never module state: requests run concurrently). */
interface Invocation {
  readonly event: APIGatewayProxyEventV2;
  readonly headers: Record<string, string>;
  correlationId: string;
  match?: RouteMatch;
  body?: unknown;
  bearerIdentity?: () => Promise<VerifiedIdentity>;
  recordSignIn?: SignInRecorder;
}

type ChainResult = ApiReply | APIGatewayProxyStructuredResultV2;
type Middleware = MiddlewareObj<Invocation, ChainResult>;

/** Header names lower-cased; built with `Object.fromEntries`, so any name (`__proto__` too) is data. */
function lowerCasedHeaders(headers: APIGatewayProxyEventV2['headers'] | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers ?? {}).flatMap(([name, value]) =>
      value === undefined ? [] : [[name.toLowerCase(), value] as const],
    ),
  );
}

/** The defined entries of a record, as own properties only. */
function definedEntries(record: Record<string, string | undefined> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record ?? {}).flatMap(([name, value]) =>
      value === undefined ? [] : [[name, value] as const],
    ),
  );
}

function requestPath(event: APIGatewayProxyEventV2): string {
  return event.rawPath || event.requestContext?.http?.path || '/';
}

function requestMethod(event: APIGatewayProxyEventV2): string {
  return (event.requestContext?.http?.method ?? 'GET').toUpperCase();
}

function isStructuredResult(value: unknown): value is APIGatewayProxyStructuredResultV2 {
  return typeof value === 'object' && value !== null && !('data' in value);
}

function addHeaders(response: ChainResult | null | undefined, headers: Record<string, string>): void {
  if (isStructuredResult(response)) response.headers = { ...response.headers, ...headers };
}

/** Takes the correlation id from `x-correlation-id` (or makes one) and echoes it on every response. */
function correlationIdMiddleware(): Middleware {
  const echo = (request: middy.Request<Invocation, ChainResult>) => {
    addHeaders(request.response, { [CORRELATION_ID_HEADER]: request.event.correlationId });
  };
  return {
    name: 'correlationId',
    before: (request) => {
      request.event.correlationId = correlationIdOf(request.event.headers);
    },
    after: echo,
    onError: echo,
  };
}

/** Resolves the route by method and path template: 404 for an unknown path, 405 for a wrong method. */
function routingMiddleware(routes: readonly Route[]): Middleware {
  return {
    name: 'routing',
    before: (request) => {
      const { event } = request.event;
      request.event.match = matchRoute(routes, requestMethod(event), requestPath(event));
    },
  };
}

/** Options of {@link createHttpHandler}. */
export interface HttpHandlerOptions {
  /** Verifies `authorization: Bearer` tokens (optional OIDC user authentication); without it they are ignored. */
  readonly verifyIdentity?: IdentityVerifier;
  /** Records each OIDC sign-in in the audit trail (with {@link verifyIdentity}); without it none is recorded. */
  readonly recordSignIn?: SignInRecorder;
  /**
   * How long a request may run when the caller gives no Lambda context (the local server), in
   * milliseconds; default {@link DEFAULT_LOCAL_DEADLINE_MS}. Past it the answer is 503 `DEADLINE_EXCEEDED`.
   */
  readonly localDeadlineMs?: number;
  /**
   * Time kept back from a Lambda context's remaining time, in milliseconds (at least 1); default
   * {@link DEFAULT_DEADLINE_MARGIN_MS}. Past the remaining time less this the answer is 503 `DEADLINE_EXCEEDED`.
   */
  readonly deadlineMarginMs?: number;
}

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * With a verifier: a request carrying a bearer token (and no `x-api-key`) gets a lazy check of it,
 * and the recorder of its sign-in when there is one.
 */
function identityMiddleware(verify: IdentityVerifier, recordSignIn: SignInRecorder | undefined): Middleware {
  return {
    name: 'identity',
    before: (request) => {
      const { headers } = request.event;
      const bearer = BEARER.exec(headers.authorization ?? '')?.[1];
      if (!bearer || headers['x-api-key']) return;
      let verified: Promise<VerifiedIdentity> | undefined;
      request.event.bearerIdentity = () => {
        verified ??= verify(bearer);
        return verified;
      };
      if (recordSignIn) request.event.recordSignIn = recordSignIn;
    },
  };
}

/** `application/json` or any `application/…+json`, with or without parameters (`; charset=utf-8`). */
const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * Parses the JSON body: empty → undefined; over {@link MAX_BODY_BYTES} → 413; a `content-type`
 * that is not JSON → 415 (a body without one is read as JSON); malformed → 400 naming `body`.
 */
function jsonBodyMiddleware(): Middleware {
  return {
    name: 'jsonBody',
    before: (request) => {
      const { body, isBase64Encoded } = request.event.event;
      if (body === undefined || body === null) return;
      const bytes = isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
      const limit = Math.min(request.event.match?.route.maxBodyBytes ?? MAX_BODY_BYTES, MAX_ROUTE_BODY_BYTES);
      if (bytes.length > limit) {
        throw new PayloadTooLargeError(`The request body exceeds ${limit} bytes`);
      }
      const text = bytes.toString('utf8');
      if (text.trim() === '') return;
      const contentType = request.event.headers['content-type'];
      if (contentType !== undefined && !JSON_MEDIA_TYPE.test(contentType.trim())) {
        throw new UnsupportedMediaTypeError('The request body must be JSON (content-type: application/json)');
      }
      try {
        request.event.body = JSON.parse(text);
      } catch (error) {
        throw new InvalidRequestError(
          'The request body is not valid JSON',
          [fieldError('body', 'must be valid JSON')],
          { cause: error },
        );
      }
    },
  };
}

function isApiReply(value: unknown): value is ApiReply {
  return typeof value === 'object' && value !== null && 'data' in value;
}

/** Wraps the handler's reply in the success envelope (or sends `data` alone on a `raw` route). */
function envelopeMiddleware(): Middleware {
  return {
    name: 'envelope',
    after: (request) => {
      const reply = request.response;
      if (!isApiReply(reply)) throw new TypeError('The route handler did not return an ApiReply');
      const statusCode = reply.statusCode ?? 200;
      const { correlationId, match } = request.event;
      const payload = match?.route.raw ? (reply.data ?? null) : successBody(reply.data, correlationId);
      request.response =
        statusCode === 204
          ? { statusCode, headers: { ...JSON_HEADERS } }
          : { statusCode, headers: { ...JSON_HEADERS }, body: JSON.stringify(payload) };
    },
  };
}

function logThrown(invocation: Invocation, thrown: unknown, message: string): void {
  const { correlationId, event } = invocation;
  logThrownError(message, { correlationId, method: requestMethod(event), path: requestPath(event) }, thrown);
}

/** The response of an {@link ApiError}; exported for the local server's own early rejections. */
export function errorResponse(error: ApiError, correlationId: string): APIGatewayProxyStructuredResultV2 {
  const headers: Record<string, string> = { ...JSON_HEADERS, [CORRELATION_ID_HEADER]: correlationId };
  if (error instanceof MethodNotAllowedError && error.allowedMethods.length > 0) {
    headers.allow = error.allowedMethods.join(', ');
  }
  return { statusCode: error.status, headers, body: JSON.stringify(errorBody(error, correlationId)) };
}

/**
 * Maps anything thrown to its response: an `ApiError` to its status and envelope, a store that did
 * not answer to a 503, anything else to a 500 `INTERNAL_ERROR` with the fixed message 'Internal
 * error'. Each 500, and each 503 caused by the store, is logged at ERROR with its cause.
 */
function errorMappingMiddleware(): Middleware {
  return {
    name: 'errorMapping',
    onError: (request) => {
      const error = toApiError(request.error);
      if (error instanceof InternalError) logThrown(request.event, request.error, 'Unhandled error');
      else if (request.error instanceof MalformedItemError) {
        logThrown(request.event, request.error, 'Stored item unreadable');
      } else if (error !== request.error) logThrown(request.event, request.error, 'Store unavailable');
      request.response = errorResponse(error, request.event.correlationId || correlationIdOf(undefined));
    },
  };
}

async function dispatch(invocation: Invocation): Promise<ApiReply> {
  const { match, event } = invocation;
  if (!match) throw new Error('dispatch before routing');
  return match.route.handler({
    method: requestMethod(event),
    path: requestPath(event),
    pathParameters: match.pathParameters,
    query: definedEntries(event.queryStringParameters),
    headers: invocation.headers,
    body: invocation.body,
    correlationId: invocation.correlationId,
    ...(event.requestContext?.http?.sourceIp ? { sourceIp: event.requestContext.http.sourceIp } : {}),
    ...(invocation.bearerIdentity ? { bearerIdentity: invocation.bearerIdentity } : {}),
    ...(invocation.recordSignIn ? { recordSignIn: invocation.recordSignIn } : {}),
  });
}

function noop(): void {}

/** A stand-in Lambda context for callers that have none (the local server, tests): its time runs out at `deadline`. */
function localContext(deadline: number): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'local',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:local',
    memoryLimitInMB: '1024',
    awsRequestId: 'local',
    logGroupName: 'local',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: noop,
    fail: noop,
    succeed: noop,
  };
}

/**
 * The Lambda handler (API Gateway HTTP API, payload v2) serving `routes`, as a middy chain of:
 * correlation id (`x-correlation-id` in, or a new UUID; echoed on every response) → routing (404/405)
 * → OIDC bearer (when `options.verifyIdentity` is given; verified lazily by authentication) → JSON body parsing (400 naming `body` when malformed or over 256 KiB) → envelope → error mapping
 * (last). Every response is `application/json` and carries `x-correlation-id`. Each request is served
 * inside its own request telemetry and reported as one JSON log line with its EMF metrics
 * (`observability/request-log.ts`).
 *
 * The route handler runs against a deadline (middy's early timeout): the Lambda context's remaining
 * time less `deadlineMarginMs`, or `localDeadlineMs` without a context. A handler still running then
 * is answered 503 `DEADLINE_EXCEEDED` (its work is abandoned, not undone).
 *
 * The returned function also accepts the Lambda context as an optional second argument.
 */
export function createHttpHandler(
  routes: readonly Route[],
  options: HttpHandlerOptions = {},
): (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2> {
  const marginMs = Math.max(1, options.deadlineMarginMs ?? DEFAULT_DEADLINE_MARGIN_MS);
  const localDeadlineMs = options.localDeadlineMs ?? DEFAULT_LOCAL_DEADLINE_MS;
  const chain = middy<Invocation, ChainResult>(dispatch, {
    timeoutEarlyInMillis: marginMs,
    timeoutEarlyResponse: () => {
      throw new DeadlineExceededError('The request ran past its deadline and was not completed');
    },
  })
    .use(correlationIdMiddleware())
    .use(routingMiddleware(routes));
  if (options.verifyIdentity) chain.use(identityMiddleware(options.verifyIdentity, options.recordSignIn));
  chain.use(jsonBodyMiddleware()).use(envelopeMiddleware()).use(errorMappingMiddleware());
  return async (event: APIGatewayProxyEventV2, context?: Context) => {
    const started = performance.now();
    if (context) beginLambdaInvocation(context);
    const invocation: Invocation = { event, headers: lowerCasedHeaders(event.headers), correlationId: '' };
    const { result: chained, telemetry } = await withRequestTelemetry(() =>
      withConsistencyToken(() =>
        chain(invocation, context ?? localContext(Date.now() + localDeadlineMs + marginMs)),
      ),
    );
    const { result, token } = chained;
    if (!isStructuredResult(result)) throw new Error('The middleware chain returned no response');
    const status = result.statusCode ?? 200;
    if (token !== undefined && status >= 200 && status < 300) {
      result.headers = { ...result.headers, [CONSISTENCY_TOKEN_HEADER]: token };
    }
    reportRequest({
      correlationId: invocation.correlationId,
      method: requestMethod(event),
      path: requestPath(event),
      ...(invocation.match ? { route: invocation.match.route.path } : {}),
      status,
      latencyMs: performance.now() - started,
      telemetry,
    });
    return result;
  };
}
