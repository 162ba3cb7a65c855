import * as z from 'zod/mini';
import { UndecidableError } from './http/errors.js';
import { parseInput } from './http/parse.js';
import type { Route } from './http/router.js';

/** The query of `GET /health`: `deep=true` also asks the store; other parameters are ignored. */
export const healthQuerySchema = z.object({ deep: z.optional(z.enum(['true', 'false'])) });

/**
 * `GET /health` (no auth), without the envelope: `{"status":"ok"}` at once (no I/O, for liveness
 * probes). `GET /health?deep=true` first asks the store with `probe`: `{"status":"ok","store":"ok"}`
 * when it answers, else 503 `SERVICE_UNAVAILABLE` (error envelope) — readiness.
 */
export function healthRoute(probe: () => Promise<void>): Route {
  return {
    method: 'GET',
    path: '/health',
    raw: true,
    doc: {
      summary:
        'Liveness: answers {"status":"ok"} without the envelope; deep=true also reads the store (503 when it does not answer)',
      tag: 'Health',
      query: healthQuerySchema,
      authenticated: false,
      scoped: false,
    },
    handler: async (request) => {
      const { deep } = parseInput(healthQuerySchema, request.query);
      if (deep !== 'true') return { data: { status: 'ok' } };
      try {
        await probe();
      } catch (error) {
        throw new UndecidableError('The store did not answer', { cause: error });
      }
      return { data: { status: 'ok', store: 'ok' } };
    },
  };
}
