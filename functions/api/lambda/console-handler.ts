import { fileURLToPath } from 'node:url';
import { consoleSettingsFor, withConsole } from '../console/console-assets.js';
import { oidcSettingsFromEnv } from '../oidc/oidc-settings.js';

/** The built console, copied next to this bundle at synth time (`lib/console-function.ts`). */
const CONSOLE_ROOT = fileURLToPath(new URL('./console', import.meta.url));

/**
 * Lambda entry of the web console: the HTTP API routes `GET /console` and `GET /console/{proxy+}`
 * here, and the built assets are answered from the bundle (content types, client routes get
 * `index.html`, no path leaves the folder). Any other path is a 404; it never reaches the API. With
 * `OIDC_ISSUER`/`OIDC_AUDIENCE` the console offers sign-in through the issuer.
 */
export const handler = withConsole(
  async () => ({
    statusCode: 404,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body: 'Not Found',
  }),
  CONSOLE_ROOT,
  consoleSettingsFor(oidcSettingsFromEnv(process.env)),
);
