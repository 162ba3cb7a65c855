import { describe, expect, it } from 'vitest';
import { healthRoute } from '../../../functions/api/health-route.js';
import { createHttpHandler } from '../../../functions/api/http/router.js';
import { httpEvent } from './http/http-event.js';

function healthWith(probe: () => Promise<void>) {
  let probes = 0;
  const handler = createHttpHandler([
    healthRoute(() => {
      probes++;
      return probe();
    }),
  ]);
  return { handler, probes: () => probes };
}

describe('Route: GET /health', () => {
  it('answers {"status":"ok"} without asking the store', async () => {
    // Prepare
    const health = healthWith(async () => {
      throw new Error('unreachable');
    });

    // Act
    const result = await health.handler(httpEvent('GET', '/health'));

    // Assess
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(String(result.body))).toEqual({ status: 'ok' });
    expect(health.probes()).toBe(0);
  });

  it('with deep=true answers 200 when the store answers', async () => {
    // Prepare
    const health = healthWith(async () => {});

    // Act
    const result = await health.handler(httpEvent('GET', '/health', { query: { deep: 'true' } }));

    // Assess
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(String(result.body))).toEqual({ status: 'ok', store: 'ok' });
    expect(health.probes()).toBe(1);
  });

  it('with deep=true answers 503 when the store does not answer', async () => {
    // Prepare
    const health = healthWith(async () => {
      throw Object.assign(new Error('secret endpoint'), { name: 'TimeoutError' });
    });

    // Act
    const result = await health.handler(httpEvent('GET', '/health', { query: { deep: 'true' } }));

    // Assess
    expect(result.statusCode).toBe(503);
    expect(JSON.parse(String(result.body))).toMatchObject({ status: 'ERROR', code: 'SERVICE_UNAVAILABLE' });
    expect(String(result.body)).not.toContain('secret');
  });

  it('answers 400 naming deep when it is neither true nor false', async () => {
    // Prepare
    const health = healthWith(async () => {});

    // Act
    const result = await health.handler(httpEvent('GET', '/health', { query: { deep: 'yes' } }));

    // Assess
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(String(result.body)).errors[0]).toMatchObject({ fieldId: 'deep' });
    expect(health.probes()).toBe(0);
  });
});
