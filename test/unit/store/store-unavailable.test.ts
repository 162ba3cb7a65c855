import { describe, expect, it } from 'vitest';
import { MalformedItemError } from '../../../functions/store/item-reader.js';
import { isStoreUnavailable } from '../../../functions/store/store-unavailable.js';

const named = (name: string, extra: object = {}) => Object.assign(new Error(name), { name, ...extra });

describe('Function: isStoreUnavailable', () => {
  it.each([
    ['an SDK request timeout', named('TimeoutError', { code: 'ETIMEDOUT' })],
    ['a refused connection', Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })],
    ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['throttling', named('ThrottlingException')],
    ['exceeded throughput', named('ProvisionedThroughputExceededException')],
    ['a server fault', named('InternalServerError', { $fault: 'server' })],
    ['any server-side fault', named('SomethingNew', { $fault: 'server' })],
    ['a retryable throttle', named('SomethingElse', { $retryable: { throttling: true } })],
    [
      'a stored item that does not decode',
      new MalformedItemError('Malformed Role item: name is not a string'),
    ],
  ])('is true for %s', (_name, thrown) => {
    expect(isStoreUnavailable(thrown)).toBe(true);
  });

  it.each([
    ['a validation error of the request', named('ValidationException', { $fault: 'client' })],
    ['a failed condition', named('ConditionalCheckFailedException', { $fault: 'client' })],
    ['a programming error', new TypeError('x is undefined')],
    ['a string', 'TimeoutError'],
    ['undefined', undefined],
  ])('is false for %s', (_name, thrown) => {
    expect(isStoreUnavailable(thrown)).toBe(false);
  });
});
