import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** Where the console is served (DESIGN §15). */
export const CONSOLE_PATH = '/console';

/** Content types of the files a Vite build writes. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** What the console is told about its deployment (`GET /console/config.json`). */
export interface ConsoleSettings {
  /** OIDC sign-in, when the API accepts OIDC bearer tokens: the issuer and the console's client id (the API's audience). */
  readonly oidc?: { readonly issuer: string; readonly clientId: string };
}

/**
 * The security headers of every console answer: no framing, no sniffing, scripts and styles only from
 * here, and requests only to here — and to the OIDC issuer when sign-in through it is on (discovery
 * and the token exchange).
 */
function securityHeaders(settings: ConsoleSettings): Record<string, string> {
  const connect = settings.oidc ? `'self' ${new URL(settings.oidc.issuer).origin}` : "'self'";
  return {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'content-security-policy': `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src ${connect}; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`,
  };
}

/** The console's configuration file, answered from the deployment's settings rather than the build. */
const CONFIG_FILE = 'config.json';

function text(
  statusCode: number,
  body: string,
  settings: ConsoleSettings,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'text/plain; charset=utf-8', ...securityHeaders(settings), ...headers },
    body,
  };
}

/** The content type of a file name (by extension), `application/octet-stream` when unknown. */
export function contentTypeOf(fileName: string): string {
  return CONTENT_TYPES[extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file path below `/console/` a request names, or `undefined` when it cannot name a file of the
 * build: undecodable, a NUL or backslash, an empty, `.` or `..` segment (no directory traversal).
 * `''` is the console's root.
 */
export function consoleFilePath(rawPath: string): string | undefined {
  const rest = rawPath.slice(`${CONSOLE_PATH}/`.length);
  if (rest === '') return '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segments = decoded.split('/');
  if (segments.at(-1) === '') segments.pop();
  if (segments.some((part) => part === '' || part === '.' || part === '..')) return undefined;
  return segments.join('/');
}

async function fileAt(root: string, relative: string): Promise<Buffer | undefined> {
  const absolute = resolve(root, relative);
  if (absolute !== root && !absolute.startsWith(`${root}${sep}`)) return undefined;
  try {
    if (!(await stat(absolute)).isFile()) return undefined;
    return await readFile(absolute);
  } catch {
    return undefined;
  }
}

function fileAnswer(
  name: string,
  bytes: Buffer,
  method: string,
  cacheControl: string,
  settings: ConsoleSettings,
): APIGatewayProxyStructuredResultV2 {
  const type = contentTypeOf(name);
  const textual = type.startsWith('text/') || type.startsWith('application/json') || type === 'image/svg+xml';
  return {
    statusCode: 200,
    headers: { 'content-type': type, 'cache-control': cacheControl, ...securityHeaders(settings) },
    body: method === 'HEAD' ? '' : textual ? bytes.toString('utf8') : bytes.toString('base64'),
    isBase64Encoded: method !== 'HEAD' && !textual,
  };
}

/**
 * Answers a request under `/console` from the built console in `root` (an absolute directory):
 * `/console` redirects to `/console/`; `config.json` is the deployment's {@link ConsoleSettings}; a
 * file of the build is sent with its content type (hashed `assets/…` cached for a year, the rest
 * revalidated); any other path without a file extension is a client route and gets `index.html`; a
 * missing file with an extension, or a path that tries to leave `root`, is a 404; methods other than
 * GET and HEAD are 405. A missing build answers 503 saying how to build it.
 */
export async function consoleAnswer(
  root: string,
  method: string,
  rawPath: string,
  settings: ConsoleSettings = {},
): Promise<APIGatewayProxyStructuredResultV2> {
  if (method !== 'GET' && method !== 'HEAD')
    return text(405, 'Method Not Allowed', settings, { allow: 'GET, HEAD' });
  if (rawPath === CONSOLE_PATH) return text(308, '', settings, { location: `${CONSOLE_PATH}/` });
  const relative = consoleFilePath(rawPath);
  if (relative === undefined) return text(404, 'Not Found', settings);
  if (relative === CONFIG_FILE) {
    const config = Buffer.from(JSON.stringify({ oidc: settings.oidc ?? null }));
    return fileAnswer(CONFIG_FILE, config, method, 'no-cache', settings);
  }
  if (relative !== '') {
    const bytes = await fileAt(root, relative);
    if (bytes) {
      const cache = relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
      return fileAnswer(relative, bytes, method, cache, settings);
    }
    if (extname(relative) !== '') return text(404, 'Not Found', settings);
  }
  const index = await fileAt(root, 'index.html');
  if (!index)
    return text(
      503,
      'The console is not built: run `npm run build:console` (npm start builds it).',
      settings,
    );
  return fileAnswer('index.html', index, method, 'no-cache', settings);
}

/** Whether a request path belongs to the console. */
export function isConsolePath(rawPath: string): boolean {
  return rawPath === CONSOLE_PATH || rawPath.startsWith(`${CONSOLE_PATH}/`);
}

/** An HTTP API v2 handler. */
type EventHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/** `handler` with the console of `root` served in front of it at `/console/`, told `settings`. */
export function withConsole(
  handler: EventHandler,
  root: string,
  settings: ConsoleSettings = {},
): EventHandler {
  const absoluteRoot = resolve(root);
  return (event) =>
    isConsolePath(event.rawPath)
      ? consoleAnswer(absoluteRoot, event.requestContext.http.method, event.rawPath, settings)
      : handler(event);
}

/** The console's settings for the API's OIDC settings: sign-in through the issuer, the audience as client id. */
export function consoleSettingsFor(
  oidc: { readonly issuer: string; readonly audience: string } | undefined,
): ConsoleSettings {
  return oidc ? { oidc: { issuer: oidc.issuer, clientId: oidc.audience } } : {};
}
