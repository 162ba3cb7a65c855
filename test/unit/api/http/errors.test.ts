import { afterEach, describe, expect, it, vi } from 'vitest';
import { errorBody } from '../../../../functions/api/http/envelope.js';
import {
  AccessDeniedError,
  type ApiError,
  ConflictError,
  GoneError,
  InternalError,
  InvalidRequestError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  ThrottledError,
  toApiError,
  UnauthenticatedError,
  UndecidableError,
} from '../../../../functions/api/http/errors.js';
import { createHttpHandler } from '../../../../functions/api/http/router.js';
import { MalformedItemError } from '../../../../functions/store/item-reader.js';
import { httpEvent } from './http-event.js';

const CORRELATION_ID = 'corr-1';

const plainErrors: readonly [string, ApiError, number, string][] = [
  ['UnauthenticatedError', new UnauthenticatedError('Missing x-api-key'), 401, 'UNAUTHORIZED'],
  ['AccessDeniedError', new AccessDeniedError('Not permitted'), 403, 'NG_ACCESS_DENIED'],
  ['NotFoundError', new NotFoundError('No role r1'), 404, 'RESOURCE_NOT_FOUND'],
  ['MethodNotAllowedError', new MethodNotAllowedError('No PUT', ['GET']), 405, 'METHOD_NOT_ALLOWED'],
  ['ConflictError (default code)', new ConflictError('Role r1 exists'), 409, 'DUPLICATE_FIELD'],
  ['ConflictError (given code)', new ConflictError('Full', 'SEAT_LIMIT_REACHED'), 409, 'SEAT_LIMIT_REACHED'],
  ['GoneError', new GoneError('Link expired', 'INVITE_EXPIRED'), 410, 'INVITE_EXPIRED'],
  ['PayloadTooLargeError', new PayloadTooLargeError('Too big'), 413, 'PAYLOAD_TOO_LARGE'],
  ['ThrottledError', new ThrottledError('Slow down'), 429, 'TOO_MANY_REQUESTS'],
  ['UndecidableError', new UndecidableError('Policy unreadable'), 503, 'SERVICE_UNAVAILABLE'],
];

function throwingHandler(thrown: unknown) {
  return createHttpHandler([
    {
      method: 'GET',
      path: '/fail',
      handler: async () => {
        throw thrown;
      },
    },
  ]);
}

async function renderThrown(thrown: unknown) {
  const result = await throwingHandler(thrown)(
    httpEvent('GET', '/fail', { headers: { 'x-correlation-id': CORRELATION_ID } }),
  );
  return { result, body: JSON.parse(result.body ?? '') as unknown };
}

describe('Class: ApiError subclasses', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each(plainErrors)(
    '%s has its status and code and renders the ERROR envelope',
    (_, error, status, code) => {
      // Act
      const body = errorBody(error, CORRELATION_ID);

      // Assess
      expect(error.status).toBe(status);
      expect(error.code).toBe(code);
      expect(error).toBeInstanceOf(Error);
      expect(body).toStrictEqual({
        status: 'ERROR',
        code,
        message: error.message,
        correlationId: CORRELATION_ID,
      });
    },
  );

  it.each(plainErrors)('%s thrown by a route becomes its response', async (_, error, status, code) => {
    // Act
    const { result, body } = await renderThrown(error);

    // Assess
    expect(result.statusCode).toBe(status);
    expect(result.headers).toMatchObject({
      'content-type': 'application/json',
      'x-correlation-id': CORRELATION_ID,
    });
    expect(body).toStrictEqual({
      status: 'ERROR',
      code,
      message: error.message,
      correlationId: CORRELATION_ID,
    });
  });

  it('renders an InvalidRequestError as the FAILURE envelope listing every field', async () => {
    // Prepare
    const error = new InvalidRequestError('Invalid request', [
      { fieldId: 'permissions[3].resourceType', error: 'Required' },
      { fieldId: 'principal', error: 'Unknown field' },
    ]);

    // Act
    const { result, body } = await renderThrown(error);

    // Assess
    expect(error.status).toBe(400);
    expect(error.code).toBe('INVALID_REQUEST');
    expect(result.statusCode).toBe(400);
    expect(body).toStrictEqual({
      status: 'FAILURE',
      code: 'INVALID_REQUEST',
      message: 'Invalid request',
      correlationId: CORRELATION_ID,
      errors: [
        { fieldId: 'permissions[3].resourceType', error: 'Required' },
        { fieldId: 'principal', error: 'Unknown field' },
      ],
    });
    expect(JSON.stringify(Object.keys(body as object))).toBe(
      JSON.stringify(['status', 'code', 'message', 'correlationId', 'errors']),
    );
  });

  it('keeps the cause without ever rendering it', () => {
    // Prepare
    const cause = new Error('DynamoDB: secret table detail');

    // Act
    const error = new UndecidableError('Cannot decide', { cause });

    // Assess
    expect(error.cause).toBe(cause);
    expect(JSON.stringify(errorBody(error, CORRELATION_ID))).not.toContain('secret');
  });

  it('sends the allowed methods of a 405 in the allow header', async () => {
    // Act
    const { result } = await renderThrown(new MethodNotAllowedError('No', ['GET', 'POST']));

    // Assess
    expect(result.headers?.allow).toBe('GET, POST');
  });

  it.each([
    ['an Error', new Error('secret: connection string postgres://u:p@h')],
    ['a TypeError', new TypeError('secret: cannot read properties of undefined')],
    ['a string', 'secret: a thrown string'],
    ['an object', { message: 'secret: plain object' }],
    ['undefined', undefined],
  ])('renders %s as a 500 INTERNAL_ERROR without leaking it, and logs it', async (_, thrown) => {
    // Prepare
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);

    // Act
    const { result, body } = await renderThrown(thrown);

    // Assess
    expect(result.statusCode).toBe(500);
    expect(body).toStrictEqual({
      status: 'ERROR',
      code: 'INTERNAL_ERROR',
      message: 'Internal error',
      correlationId: CORRELATION_ID,
    });
    expect(result.body).not.toContain('secret');
    expect(result.headers?.['x-correlation-id']).toBe(CORRELATION_ID);
    expect(write).toHaveBeenCalledTimes(1);
    const line = String(write.mock.calls[0]?.[0]);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.trimEnd()).not.toContain('\n');
    expect(JSON.parse(line)).toMatchObject({ level: 'ERROR', correlationId: CORRELATION_ID });
  });

  it('does not log errors that are ApiErrors', async () => {
    // Prepare
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);

    // Act
    await renderThrown(new NotFoundError('No role'));

    // Assess
    expect(write).not.toHaveBeenCalled();
  });
});

describe('Function: toApiError', () => {
  it('keeps an ApiError and wraps anything else in an InternalError caused by it', () => {
    // Prepare
    const apiError = new ThrottledError('Slow down');
    const other = new Error('boom');

    // Act
    const kept = toApiError(apiError);
    const wrapped = toApiError(other);

    // Assess
    expect(kept).toBe(apiError);
    expect(wrapped).toBeInstanceOf(InternalError);
    expect(wrapped.message).toBe('Internal error');
    expect(wrapped.cause).toBe(other);
  });

  it('turns a store that did not answer into a 503 UndecidableError caused by it', () => {
    // Prepare
    const timeout = Object.assign(new Error('socket timed out'), { name: 'TimeoutError' });

    // Act
    const mapped = toApiError(timeout);

    // Assess
    expect(mapped).toBeInstanceOf(UndecidableError);
    expect(mapped.status).toBe(503);
    expect(mapped.message).not.toContain('socket');
    expect(mapped.cause).toBe(timeout);
  });

  it('turns a stored item that does not decode into a 503 UndecidableError that names neither item nor attribute', () => {
    // Prepare
    const damaged = new MalformedItemError(
      'Malformed Role item PK=ACCOUNT#a SK=ROLE#x: name is not a string',
    );

    // Act
    const mapped = toApiError(damaged);

    // Assess
    expect(mapped).toBeInstanceOf(UndecidableError);
    expect(mapped.status).toBe(503);
    expect(mapped.message).toBe('A stored item could not be read');
    expect(mapped.cause).toBe(damaged);
  });
});
