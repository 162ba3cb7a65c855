import { setTimeout as sleep } from 'node:timers/promises';
import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { createHttpHandler, type Route } from '../../../../functions/api/http/router.js';
import { httpEvent } from './http-event.js';

/** A route that answers after `ms` milliseconds. */
function slowRoute(ms: number): Route {
  return {
    method: 'GET',
    path: '/slow',
    handler: async () => {
      await sleep(ms);
      return { data: 'done' };
    },
  };
}

/** A Lambda context whose remaining time is `remainingMs` from now. */
function lambdaContextWith(remainingMs: number): Context {
  const deadline = Date.now() + remainingMs;
  return { getRemainingTimeInMillis: () => deadline - Date.now() } as Context;
}

describe('Function: createHttpHandler, request deadline', () => {
  it('answers 503 DEADLINE_EXCEEDED when a route runs past the local deadline', async () => {
    // Prepare
    const handler = createHttpHandler([slowRoute(2_000)], { localDeadlineMs: 100 });
    const started = Date.now();

    // Act
    const result = await handler(httpEvent('GET', '/slow'));

    // Assess
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(result.statusCode).toBe(503);
    expect(JSON.parse(String(result.body))).toMatchObject({ status: 'ERROR', code: 'DEADLINE_EXCEEDED' });
    expect(result.headers?.['x-correlation-id']).toEqual(expect.any(String));
  });

  it('answers 503 DEADLINE_EXCEEDED a margin before the Lambda context runs out', async () => {
    // Prepare: 1.2 s left, 1 s margin → 0.2 s for the route
    const handler = createHttpHandler([slowRoute(3_000)]) as (
      event: ReturnType<typeof httpEvent>,
      context: Context,
    ) => ReturnType<ReturnType<typeof createHttpHandler>>;
    const started = Date.now();

    // Act
    const result = await handler(httpEvent('GET', '/slow'), lambdaContextWith(1_200));

    // Assess
    expect(Date.now() - started).toBeLessThan(1_100);
    expect(result.statusCode).toBe(503);
    expect(JSON.parse(String(result.body))).toMatchObject({ code: 'DEADLINE_EXCEEDED' });
  });

  it('lets a route that finishes in time answer as usual', async () => {
    // Prepare
    const handler = createHttpHandler([slowRoute(10)], { localDeadlineMs: 1_000 });

    // Act
    const result = await handler(httpEvent('GET', '/slow'));

    // Assess
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(String(result.body))).toMatchObject({ status: 'SUCCESS', data: 'done' });
  });

  it.each([
    ['a timeout', Object.assign(new Error('socket timed out'), { name: 'TimeoutError', $metadata: {} })],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['a throttle', Object.assign(new Error('slow down'), { name: 'ThrottlingException', $metadata: {} })],
  ])('answers 503 SERVICE_UNAVAILABLE, not 500, when the store fails with %s', async (_name, fault) => {
    // Prepare
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const handler = createHttpHandler([
      {
        method: 'GET',
        path: '/read',
        handler: async () => {
          throw fault;
        },
      },
    ]);

    // Act
    const result = await handler(httpEvent('GET', '/read'));
    write.mockRestore();

    // Assess
    expect(result.statusCode).toBe(503);
    expect(JSON.parse(String(result.body))).toMatchObject({ status: 'ERROR', code: 'SERVICE_UNAVAILABLE' });
    expect(String(result.body)).not.toContain(fault.message);
  });
});
