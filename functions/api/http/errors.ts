import type { FieldError } from '../../core/validation/field-error.js';
import { MalformedItemError } from '../../store/item-reader.js';
import { isStoreUnavailable } from '../../store/store-unavailable.js';

/**
 * An error that the HTTP layer renders as a client-visible response (DESIGN §6.1): its HTTP `status`,
 * its machine-readable `code` and its `message` are sent as they are, so they must never carry
 * internals. Anything thrown that is not an `ApiError` is rendered as a 500 {@link InternalError}.
 */
export abstract class ApiError extends Error {
  /** The HTTP status code of the response. */
  abstract readonly status: number;
  /** The machine-readable `code` of the error envelope, e.g. `RESOURCE_NOT_FOUND`. */
  abstract readonly code: string;
}

/**
 * 400 `INVALID_REQUEST`: the request failed validation. Rendered as the FAILURE envelope, which lists
 * every rejected field as `errors: [{ fieldId, error }]`.
 */
export class InvalidRequestError extends ApiError {
  override readonly name = 'InvalidRequestError';
  readonly status = 400;
  readonly code = 'INVALID_REQUEST';
  /** The rejected fields, in the order they were found. */
  readonly errors: readonly FieldError[];

  /**
   * @param message - A human-readable summary.
   * @param errors - The rejected fields; each names the field's path in the request.
   * @param options - Standard error options (`cause`).
   */
  constructor(message: string, errors: readonly FieldError[], options?: ErrorOptions) {
    super(message, options);
    this.errors = errors;
  }
}

/** 401 `UNAUTHORIZED`: the caller is not authenticated (missing, malformed, unknown or expired key). */
export class UnauthenticatedError extends ApiError {
  override readonly name = 'UnauthenticatedError';
  readonly status = 401;
  readonly code = 'UNAUTHORIZED';
}

/** 403 `NG_ACCESS_DENIED`: the caller is authenticated but not permitted to do this. */
export class AccessDeniedError extends ApiError {
  override readonly name = 'AccessDeniedError';
  readonly status = 403;
  readonly code = 'NG_ACCESS_DENIED';
}

/** 404 `RESOURCE_NOT_FOUND`: the addressed resource (or path) does not exist. */
export class NotFoundError extends ApiError {
  override readonly name = 'NotFoundError';
  readonly status = 404;
  readonly code = 'RESOURCE_NOT_FOUND';
}

/** 405 `METHOD_NOT_ALLOWED`: the path exists but not with this HTTP method. */
export class MethodNotAllowedError extends ApiError {
  override readonly name = 'MethodNotAllowedError';
  readonly status = 405;
  readonly code = 'METHOD_NOT_ALLOWED';
  /** The methods the path does accept, sent in the `allow` response header. */
  readonly allowedMethods: readonly string[];

  /**
   * @param message - A human-readable summary.
   * @param allowedMethods - The methods the path accepts (for the `allow` header).
   * @param options - Standard error options (`cause`).
   */
  constructor(message: string, allowedMethods: readonly string[] = [], options?: ErrorOptions) {
    super(message, options);
    this.allowedMethods = allowedMethods;
  }
}

/** 409: a conflict (duplicate identifier, limit reached, resend window over); `code` says which. */
export class ConflictError extends ApiError {
  override readonly name = 'ConflictError';
  readonly status = 409;
  readonly code: string;

  /**
   * @param message - A human-readable summary.
   * @param code - The envelope code, e.g. `DUPLICATE_FIELD` (default) or `SEAT_LIMIT_REACHED`.
   * @param options - Standard error options (`cause`).
   */
  constructor(message: string, code = 'DUPLICATE_FIELD', options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/** 410: the resource existed but is gone for good, e.g. `INVITE_EXPIRED`. */
export class GoneError extends ApiError {
  override readonly name = 'GoneError';
  readonly status = 410;
  readonly code: string;

  /**
   * @param message - A human-readable summary.
   * @param code - The envelope code, e.g. `INVITE_EXPIRED`.
   * @param options - Standard error options (`cause`).
   */
  constructor(message: string, code: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/** 413 `PAYLOAD_TOO_LARGE`: the request body exceeds what the server accepts at all. */
export class PayloadTooLargeError extends ApiError {
  override readonly name = 'PayloadTooLargeError';
  readonly status = 413;
  readonly code = 'PAYLOAD_TOO_LARGE';
}

/**
 * 413 `PAYLOAD_TOO_LARGE` for a write whose items or change entry cannot fit DynamoDB's limits (400 KB
 * an item, 100 actions and 4 MB a transaction): rendered as the FAILURE envelope naming the field
 * whose size is the cause. Nothing was written.
 */
export class WriteTooLargeError extends ApiError {
  override readonly name = 'WriteTooLargeError';
  readonly status = 413;
  readonly code = 'PAYLOAD_TOO_LARGE';
  /** The field whose size is the cause, and why. */
  readonly errors: readonly FieldError[];

  constructor(message: string, errors: readonly FieldError[], options?: ErrorOptions) {
    super(message, options);
    this.errors = errors;
  }
}

/** 415 `UNSUPPORTED_MEDIA_TYPE`: the request has a body whose `content-type` is not JSON. */
export class UnsupportedMediaTypeError extends ApiError {
  override readonly name = 'UnsupportedMediaTypeError';
  readonly status = 415;
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
}

/** 429 `TOO_MANY_REQUESTS`: the caller (or the store behind us) is throttled; retry later. */
export class ThrottledError extends ApiError {
  override readonly name = 'ThrottledError';
  readonly status = 429;
  readonly code = 'TOO_MANY_REQUESTS';
}

/** 503 `SERVICE_UNAVAILABLE`: the request cannot be decided now (e.g. the policy is unreadable); never an allow. */
export class UndecidableError extends ApiError {
  override readonly name = 'UndecidableError';
  readonly status = 503;
  readonly code = 'SERVICE_UNAVAILABLE';
}

/**
 * 503 `DEADLINE_EXCEEDED`: the request ran past its deadline (the Lambda's remaining time less a
 * margin, or the local server's configured deadline) and was answered before it finished; nothing
 * it would have decided is sent. A write cut off this way may or may not have been applied.
 */
export class DeadlineExceededError extends ApiError {
  override readonly name = 'DeadlineExceededError';
  readonly status = 503;
  readonly code = 'DEADLINE_EXCEEDED';
}

/** The fixed message of every 500: the thrown value's message and stack are never sent. */
export const INTERNAL_ERROR_MESSAGE = 'Internal error';

/**
 * 500 `INTERNAL_ERROR`: what any thrown value that is not an {@link ApiError} becomes. Its message is
 * always {@link INTERNAL_ERROR_MESSAGE}; the original value is kept as `cause` for logging only.
 */
export class InternalError extends ApiError {
  override readonly name = 'InternalError';
  readonly status = 500;
  readonly code = 'INTERNAL_ERROR';

  /** @param options - Standard error options; `cause` is the original thrown value. */
  constructor(options?: ErrorOptions) {
    super(INTERNAL_ERROR_MESSAGE, options);
  }
}

/**
 * The thrown value itself when it is an {@link ApiError}; a 503 {@link UndecidableError} when a stored
 * item the request needs does not decode, or the store did not answer (a timeout, a refused
 * connection, a throttle; see `isStoreUnavailable`); else an {@link InternalError} caused by it.
 */
export function toApiError(thrown: unknown): ApiError {
  if (thrown instanceof ApiError) return thrown;
  if (thrown instanceof MalformedItemError) {
    return new UndecidableError('A stored item could not be read', { cause: thrown });
  }
  if (isStoreUnavailable(thrown)) {
    return new UndecidableError('The store did not answer; try again', { cause: thrown });
  }
  return new InternalError({ cause: thrown });
}
