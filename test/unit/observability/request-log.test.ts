import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { httpEvent } from '../api/http/http-event.js';

type Line = Record<string, unknown>;

/** Captures what the process writes to stdout and stderr, one parsed JSON object per line. */
function captureOutput(): { lines: Line[]; restore(): void } {
  const lines: Line[] = [];
  const capture = (chunk: unknown) => {
    for (const text of String(chunk)
      .split('\n')
      .filter((part) => part.trim() !== '')) {
      lines.push(JSON.parse(text) as Line);
    }
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  return {
    lines,
    restore: () => {
      out.mockRestore();
      err.mockRestore();
    },
  };
}

/** The values of `name` in the EMF lines. */
function metricValues(lines: readonly Line[], name: string): number[] {
  return lines
    .filter((line) => '_aws' in line && name in line)
    .flatMap((line) => [line[name]].flat() as number[]);
}

describe('Request log and metrics: one JSON line per request, EMF metrics, errors with their cause', () => {
  beforeEach(() => {
    // Prepare: fresh Powertools singletons that log at INFO and publish metrics.
    vi.stubEnv('LOG_LEVEL', 'INFO');
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    vi.resetModules();
  });

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('reports route, status, latency, correlation id and metrics for a 200, a 404, a 503 and a 500', async () => {
    // Prepare: an on-demand Lambda environment, whose first invocation is a cold start.
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    const { createHttpHandler } = await import('../../../functions/api/http/router.js');
    const { UndecidableError } = await import('../../../functions/api/http/errors.js');
    const handler = createHttpHandler([
      { method: 'GET', path: '/ok/{id}', handler: async () => ({ data: { fine: true } }) },
      {
        method: 'GET',
        path: '/undecidable',
        handler: async () => {
          throw new UndecidableError('The access policy could not be read');
        },
      },
      {
        method: 'GET',
        path: '/boom',
        handler: async () => {
          throw new Error('boom', { cause: new Error('the root cause') });
        },
      },
    ]);
    const output = captureOutput();

    // Act
    try {
      for (const [path, id] of [
        ['/ok/1', 'c-ok'],
        ['/nowhere', 'c-404'],
        ['/undecidable', 'c-503'],
        ['/boom', 'c-500'],
      ] as const) {
        await handler(httpEvent('GET', path, { headers: { 'x-correlation-id': id } }));
      }
    } finally {
      output.restore();
    }

    // Assess
    const requests = output.lines.filter((line) => line.message === 'request');
    expect(requests.map((line) => [line.correlationId, line.route, line.status])).toEqual([
      ['c-ok', '/ok/{id}', 200],
      ['c-404', undefined, 404],
      ['c-503', '/undecidable', 503],
      ['c-500', '/boom', 500],
    ]);
    for (const line of requests) {
      expect(line).toMatchObject({ level: 'INFO', service: 'nextgen-rbac', method: 'GET', dynamoDbCalls: 0 });
      expect(line.latencyMs).toEqual(expect.any(Number));
    }
    expect(requests.map((line) => line.cold_start)).toEqual([true, false, false, false]);
    const unhandled = output.lines.find((line) => line.message === 'Unhandled error');
    expect(unhandled).toMatchObject({
      level: 'ERROR',
      correlationId: 'c-500',
      path: '/boom',
      error: { name: 'Error', message: 'boom', cause: { message: 'the root cause' } },
    });
    expect(metricValues(output.lines, 'ClientErrors')).toEqual([1]);
    expect(metricValues(output.lines, 'ServerErrors')).toEqual([1, 1]);
    expect(metricValues(output.lines, 'Undecidable')).toEqual([1]);
    expect(metricValues(output.lines, 'ColdStart')).toEqual([1]);
    expect(metricValues(output.lines, 'RequestLatency')).toHaveLength(4);
    const emf = output.lines.find((line) => '_aws' in line) as { _aws: { CloudWatchMetrics: unknown[] } };
    expect(emf._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'NextgenRbac',
      Dimensions: [['service']],
    });
  });

  it('logs nothing at INFO when LOG_LEVEL is WARN', async () => {
    // Prepare
    vi.stubEnv('LOG_LEVEL', 'WARN');
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
    const { createHttpHandler } = await import('../../../functions/api/http/router.js');
    const handler = createHttpHandler([{ method: 'GET', path: '/ok', handler: async () => ({ data: 1 }) }]);
    const output = captureOutput();

    // Act
    try {
      await handler(httpEvent('GET', '/ok'));
    } finally {
      output.restore();
    }

    // Assess
    expect(output.lines).toEqual([]);
  });
});
