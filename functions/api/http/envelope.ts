import type { FieldError } from '../../core/validation/field-error.js';
import { type ApiError, InvalidRequestError, WriteTooLargeError } from './errors.js';

/** The success envelope (DESIGN §6.1). */
export interface SuccessBody {
  readonly status: 'SUCCESS';
  readonly data: unknown;
  readonly metaData: null;
  readonly correlationId: string;
}

/** The error envelope of every {@link ApiError} except {@link InvalidRequestError}. */
export interface ErrorBody {
  readonly status: 'ERROR';
  readonly code: string;
  readonly message: string;
  readonly correlationId: string;
}

/** The validation-failure envelope of an {@link InvalidRequestError}. */
export interface FailureBody {
  readonly status: 'FAILURE';
  readonly code: string;
  readonly message: string;
  readonly correlationId: string;
  readonly errors: readonly FieldError[];
}

/** One page of a list (DESIGN §6.1 paged `data`). */
export interface Page<T> {
  readonly content: T[];
  readonly pageIndex: number;
  readonly pageSize: number;
  readonly totalItems: number;
  readonly totalPages: number;
}

/**
 * `{"status":"SUCCESS","data":…,"metaData":null,"correlationId":"…"}`. An `undefined` `data` becomes
 * `null`, so the key is always present in the JSON.
 */
export function successBody(data: unknown, correlationId: string): SuccessBody {
  return { status: 'SUCCESS', data: data === undefined ? null : data, metaData: null, correlationId };
}

/**
 * The body of an error response: the FAILURE shape (with `errors`) for an {@link InvalidRequestError},
 * `{"status":"ERROR","code","message","correlationId"}` for every other {@link ApiError}. Never includes
 * the error's `cause` or stack.
 */
export function errorBody(error: ApiError, correlationId: string): ErrorBody | FailureBody {
  if (error instanceof InvalidRequestError || error instanceof WriteTooLargeError) {
    return {
      status: 'FAILURE',
      code: error.code,
      message: error.message,
      correlationId,
      errors: error.errors.map(({ fieldId, error: text }) => ({ fieldId, error: text })),
    };
  }
  return { status: 'ERROR', code: error.code, message: error.message, correlationId };
}

/**
 * The page `pageIndex` (0-based) of `pageSize` items out of `items`. `totalPages` is
 * `ceil(totalItems / pageSize)`, 0 when there are no items; a page past the end has no content.
 *
 * @throws RangeError when `pageIndex` is not a non-negative integer or `pageSize` not a positive one.
 */
export function pageOf<T>(items: readonly T[], pageIndex: number, pageSize: number): Page<T> {
  if (!Number.isSafeInteger(pageIndex) || pageIndex < 0) {
    throw new RangeError(`pageIndex must be a non-negative integer, got ${pageIndex}`);
  }
  if (!Number.isSafeInteger(pageSize) || pageSize < 1) {
    throw new RangeError(`pageSize must be a positive integer, got ${pageSize}`);
  }
  const start = pageIndex * pageSize;
  return {
    content: items.slice(start, start + pageSize),
    pageIndex,
    pageSize,
    totalItems: items.length,
    totalPages: Math.ceil(items.length / pageSize),
  };
}
