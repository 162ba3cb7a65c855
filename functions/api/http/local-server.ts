import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { logger } from '../../observability/logger.js';
import { correlationIdOf } from './correlation-id.js';
import { InternalError, PayloadTooLargeError } from './errors.js';
import { errorResponse } from './router.js';

/**
 * The largest request body the local server reads, in bytes; larger requests get a 413. Above the
 * router's largest per-route limit (`MAX_ROUTE_BODY_BYTES`), which then answers for each route.
 */
export const MAX_REQUEST_BYTES = 5 * 1024 * 1024;

/**
 * How much of an oversize body is read and discarded before the 413 is sent. A client that sends
 * its whole body before reading the answer (most do) sees the 413 only if the server reads that
 * body first: closing the connection while it still writes makes it fail with a broken pipe.
 * Past this much (or a declared length above it), the 413 is sent at once and the connection closed.
 */
export const MAX_DRAINED_BYTES = 64 * 1024 * 1024;

/** How long an oversize body is drained at most before the 413 is sent anyway, in milliseconds. */
const MAX_DRAIN_MS = 10_000;

/** A Lambda-style handler of API Gateway HTTP API (payload v2) events, e.g. from `createHttpHandler`. */
export type HttpEventHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/** Options of {@link startHttpServer}. */
export interface HttpServerOptions {
  /** The handler every request is given to, as an API Gateway HTTP API v2 event. */
  handler: HttpEventHandler;
  /** The port to listen on; 0 (the default) picks any free port. */
  port?: number;
  /** The interface to bind; default `127.0.0.1`. */
  host?: string;
}

/** A running local HTTP server. */
export interface RunningHttpServer {
  /** The base URL, e.g. `http://127.0.0.1:3000` (no trailing slash). */
  url: string;
  /** The port actually bound. */
  port: number;
  /** Stops accepting connections, closes open ones and resolves when the server is down. */
  close(): Promise<void>;
}

type BodyRead = { readonly kind: 'body'; readonly bytes: Buffer } | { readonly kind: 'too-large' };

/**
 * Reads the request body up to `limit` bytes. Past it, stops keeping data and reads the rest to
 * its end (up to {@link MAX_DRAINED_BYTES} or {@link MAX_DRAIN_MS}) before answering `too-large`,
 * so the client is done sending when the 413 comes.
 */
function readBody(request: IncomingMessage, limit: number): Promise<BodyRead> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_DRAINED_BYTES) {
    request.resume();
    return Promise.resolve({ kind: 'too-large' });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    let drainTimer: NodeJS.Timeout | undefined;
    const answerTooLarge = () => {
      clearTimeout(drainTimer);
      resolve({ kind: 'too-large' });
    };
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (tooLarge) {
        if (size > MAX_DRAINED_BYTES) answerTooLarge();
        return;
      }
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        drainTimer = setTimeout(answerTooLarge, MAX_DRAIN_MS);
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () =>
      tooLarge ? answerTooLarge() : resolve({ kind: 'body', bytes: Buffer.concat(chunks) }),
    );
    request.on('error', (error) => {
      clearTimeout(drainTimer);
      reject(error);
    });
    request.on('close', () => {
      clearTimeout(drainTimer);
      if (!request.complete) reject(new Error('The client closed the connection before the body ended'));
    });
  });
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** API Gateway's `requestContext.time` format, e.g. `12/Mar/2020:19:03:58 +0000`. */
function gatewayTime(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return (
    `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}

function splitTarget(target: string): { rawPath: string; rawQueryString: string } {
  let pathAndQuery = target;
  if (!target.startsWith('/')) {
    try {
      const url = new URL(target);
      pathAndQuery = `${url.pathname}${url.search}`;
    } catch {
      pathAndQuery = target;
    }
  }
  const mark = pathAndQuery.indexOf('?');
  return mark === -1
    ? { rawPath: pathAndQuery, rawQueryString: '' }
    : { rawPath: pathAndQuery.slice(0, mark), rawQueryString: pathAndQuery.slice(mark + 1) };
}

/**
 * Query parameters as API Gateway v2 gives them: decoded, a repeated name's values joined by `,`.
 * Collected in a Map, so names such as `constructor` or `__proto__` are plain data.
 */
function queryParameters(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === '') return undefined;
  const result = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    const previous = result.get(name);
    result.set(name, previous === undefined ? value : `${previous},${value}`);
  }
  return result.size > 0 ? Object.fromEntries(result) : undefined;
}

function eventHeaders(request: IncomingMessage): Record<string, string> {
  const headers = new Map<string, string>();
  for (const [name, values] of Object.entries(request.headersDistinct)) {
    if (values !== undefined) headers.set(name.toLowerCase(), values.join(','));
  }
  return Object.fromEntries(headers);
}

/** The API Gateway HTTP API (payload v2) event of a node:http request and its body. */
function toEvent(request: IncomingMessage, body: Buffer): APIGatewayProxyEventV2 {
  const { rawPath, rawQueryString } = splitTarget(request.url ?? '/');
  const headers = eventHeaders(request);
  const queryStringParameters = queryParameters(rawQueryString);
  const cookies = headers.cookie?.split(/;\s*/).filter((cookie) => cookie !== '');
  const now = new Date();
  const domainName = headers.host ?? 'localhost';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    ...(cookies && cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: {
        method: (request.method ?? 'GET').toUpperCase(),
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: gatewayTime(now),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 ? { body: body.toString('utf8') } : {}),
    isBase64Encoded: false,
  };
}

function writeResult(response: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  response.statusCode = result.statusCode ?? 200;
  for (const [name, value] of Object.entries(result.headers ?? {})) {
    response.setHeader(name, String(value));
  }
  if (result.cookies && result.cookies.length > 0) response.setHeader('set-cookie', result.cookies);
  const body = result.body ?? '';
  response.end(result.isBase64Encoded ? Buffer.from(body, 'base64') : body);
}

async function serveRequest(
  handler: HttpEventHandler,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const read = await readBody(request, MAX_REQUEST_BYTES);
  if (read.kind === 'too-large') {
    const correlationId = correlationIdOf(eventHeaders(request));
    const error = new PayloadTooLargeError(`The request body exceeds ${MAX_REQUEST_BYTES} bytes`);
    response.setHeader('connection', 'close');
    writeResult(response, errorResponse(error, correlationId));
    return;
  }
  writeResult(response, await handler(toEvent(request, read.bytes)));
}

/**
 * Serves `handler` over node:http for local runs and tests: each request becomes an API Gateway HTTP
 * API v2 event (`rawPath`, `rawQueryString`, `queryStringParameters`, lower-cased `headers`, the body as
 * a string, `requestContext.http.method`/`path`, a fresh `requestContext.requestId`) and the handler's
 * result is written back. Bodies over {@link MAX_REQUEST_BYTES} get a 413 JSON error without reaching
 * the handler, sent once the body has been read to its end (so the client sees it); a handler that
 * throws gets a 500 JSON error (logged with its cause at ERROR, never sent).
 *
 * @returns once listening; `url` is `http://<host>:<port>`.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((request, response) => {
    serveRequest(options.handler, request, response).catch((error: unknown) => {
      const correlationId = correlationIdOf(eventHeaders(request));
      logger.error('Local server failure', { correlationId, error });
      if (response.headersSent) {
        response.destroy();
        return;
      }
      writeResult(response, errorResponse(new InternalError({ cause: error }), correlationId));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The server has no TCP address');
  const { port } = address;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
