import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * How long one DynamoDB call may take, and how often it is tried (DESIGN §4: fail closed in time).
 * A store that accepts connections and never answers costs at most about
 * `maxAttempts × (connectionTimeoutMs + requestTimeoutMs)` plus the SDK's short retry pause before
 * the call fails, so a request that depends on it answers 503 within a few seconds.
 */
export interface StoreTimeouts {
  /** Longest wait for the TCP connection, in milliseconds. */
  readonly connectionTimeoutMs: number;
  /** Longest wait for the whole request and its response once connected, in milliseconds. */
  readonly requestTimeoutMs: number;
  /** Attempts per call, the first included (the SDK retries transient failures and throttles). */
  readonly maxAttempts: number;
}

/**
 * The timeouts every client of the product uses: 1 s to connect, 2 s per request, 2 attempts — a
 * store that accepts connections and never answers fails a call in about 4 s, a refused connection
 * at once (the real DynamoDB answers in milliseconds; a cold account's partition is read in 1 MB
 * pages, each its own request with its own timeout).
 */
export const DEFAULT_STORE_TIMEOUTS: StoreTimeouts = {
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 2_000,
  maxAttempts: 2,
};

/**
 * The timeouts of the local server over DynamoDB Local, a JVM on the developer's (or CI's) machine
 * that can take seconds under load where the real DynamoDB takes milliseconds: 1 s to connect, 5 s per
 * request, one attempt (DynamoDB Local never throttles, and a retry after a timeout only doubles the
 * wait) — so a stalled store still answers 503 in about 5 s.
 */
export const LOCAL_STORE_TIMEOUTS: StoreTimeouts = {
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 5_000,
  maxAttempts: 1,
};

/**
 * The timeouts of the command-line tools (`bootstrap`, `migrate`): a batch job that should wait out a
 * slow store rather than fail half-way (it is resumable, but a retry is cheaper): 30 s per request,
 * 5 attempts.
 */
export const CLI_STORE_TIMEOUTS: StoreTimeouts = {
  connectionTimeoutMs: 3_000,
  requestTimeoutMs: 30_000,
  maxAttempts: 5,
};

/**
 * `RBAC_STORE_REQUEST_TIMEOUT_MS` (a positive integer) overriding the request timeout of `base`, so an
 * operator can loosen or tighten it without a rebuild; anything else leaves `base` as it is.
 */
export function storeTimeoutsFromEnv(base: StoreTimeouts, value: string | undefined): StoreTimeouts {
  const requestTimeoutMs = Number(value);
  return value !== undefined && Number.isSafeInteger(requestTimeoutMs) && requestTimeoutMs > 0
    ? { ...base, requestTimeoutMs }
    : base;
}

/** A DynamoDB connection: the document client the store modules use, the low-level one, and how to close both. */
export interface StoreClient {
  /** Document client (plain JavaScript values in and out; `undefined` attributes removed). */
  readonly client: DynamoDBDocumentClient;
  /** The low-level client under it, for control-plane calls (tables, TTL). */
  readonly raw: DynamoDBClient;
  /** Closes the connections. */
  destroy(): void;
}

/**
 * The one way the product builds a DynamoDB client (Lambda functions, the local server, the CLI):
 * `config` (e.g. an endpoint and local credentials) with {@link DEFAULT_STORE_TIMEOUTS} — connection
 * and request timeouts that throw, and bounded retries — unless `timeouts` overrides some of them.
 */
export function createStoreClient(
  config: DynamoDBClientConfig = {},
  timeouts: Partial<StoreTimeouts> = {},
): StoreClient {
  const { connectionTimeoutMs, requestTimeoutMs, maxAttempts } = { ...DEFAULT_STORE_TIMEOUTS, ...timeouts };
  const raw = new DynamoDBClient({
    ...config,
    maxAttempts,
    // Options, not an instance: the SDK builds its own NodeHttpHandler from them, so no second copy
    // of @smithy/node-http-handler is bundled into the Lambda functions (the SDK is the runtime's).
    requestHandler: {
      connectionTimeout: connectionTimeoutMs,
      requestTimeout: requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  });
  const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  return { client, raw, destroy: () => raw.destroy() };
}
