import type { Route } from './http/router.js';

/** `GET /health` (no auth): `{"status":"ok"}`, without the envelope. */
export const healthRoute: Route = {
  method: 'GET',
  path: '/health',
  raw: true,
  handler: async () => ({ data: { status: 'ok' } }),
};
