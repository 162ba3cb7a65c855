/**
 * Whether a thrown value says the store could not be reached or did not answer in time — a timeout,
 * a refused or reset connection, a throttle, a server-side fault of DynamoDB, or a stored item that
 * does not decode — rather than a mistake in the request or the code. Such a failure means nothing could be decided: the HTTP layer
 * answers 503, never 500 and never an allow (DESIGN §4, fail closed).
 */
export function isStoreUnavailable(thrown: unknown): boolean {
  if (typeof thrown !== 'object' || thrown === null) return false;
  const error = thrown as {
    name?: unknown;
    code?: unknown;
    $fault?: unknown;
    $retryable?: { throttling?: unknown };
  };
  if (typeof error.name === 'string' && UNAVAILABLE_NAMES.has(error.name)) return true;
  if (typeof error.code === 'string' && NETWORK_CODES.has(error.code)) return true;
  return error.$fault === 'server' || error.$retryable?.throttling === true;
}

/** Error names of timeouts, throttles and DynamoDB's server-side faults. */
const UNAVAILABLE_NAMES: ReadonlySet<string> = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  // A chunk of a policy snapshot that could not be read (the account is loaded again on the next request).
  'SnapshotDecodeError',
  // A stored item that does not decode (`item-reader.ts`): nothing the request needs of it can be decided.
  'MalformedItemError',
]);

/** Node's error codes of a connection that could not be made, broke or timed out. */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
