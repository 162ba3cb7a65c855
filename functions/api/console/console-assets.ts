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

/** The security headers of every console answer: no framing, no sniffing, scripts and styles only from here. */
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
};

function text(
  statusCode: number,
  body: string,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS, ...headers },
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
): APIGatewayProxyStructuredResultV2 {
  const type = contentTypeOf(name);
  const textual = type.startsWith('text/') || type.startsWith('application/json') || type === 'image/svg+xml';
  return {
    statusCode: 200,
    headers: { 'content-type': type, 'cache-control': cacheControl, ...SECURITY_HEADERS },
    body: method === 'HEAD' ? '' : textual ? bytes.toString('utf8') : bytes.toString('base64'),
    isBase64Encoded: method !== 'HEAD' && !textual,
  };
}

/**
 * Answers a request under `/console` from the built console in `root` (an absolute directory):
 * `/console` redirects to `/console/`; a file of the build is sent with its content type (hashed
 * `assets/…` cached for a year, the rest revalidated); any other path without a file extension is a
 * client route and gets `index.html`; a missing file with an extension, or a path that tries to
 * leave `root`, is a 404; methods other than GET and HEAD are 405. A missing build answers 503 saying
 * how to build it.
 */
export async function consoleAnswer(
  root: string,
  method: string,
  rawPath: string,
): Promise<APIGatewayProxyStructuredResultV2> {
  if (method !== 'GET' && method !== 'HEAD') return text(405, 'Method Not Allowed', { allow: 'GET, HEAD' });
  if (rawPath === CONSOLE_PATH) return text(308, '', { location: `${CONSOLE_PATH}/` });
  const relative = consoleFilePath(rawPath);
  if (relative === undefined) return text(404, 'Not Found');
  if (relative !== '') {
    const bytes = await fileAt(root, relative);
    if (bytes) {
      const cache = relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
      return fileAnswer(relative, bytes, method, cache);
    }
    if (extname(relative) !== '') return text(404, 'Not Found');
  }
  const index = await fileAt(root, 'index.html');
  if (!index)
    return text(503, 'The console is not built: run `npm run build:console` (npm start builds it).');
  return fileAnswer('index.html', index, method, 'no-cache');
}

/** Whether a request path belongs to the console. */
export function isConsolePath(rawPath: string): boolean {
  return rawPath === CONSOLE_PATH || rawPath.startsWith(`${CONSOLE_PATH}/`);
}

/** An HTTP API v2 handler. */
type EventHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/** `handler` with the console of `root` served in front of it at `/console/`. */
export function withConsole(handler: EventHandler, root: string): EventHandler {
  const absoluteRoot = resolve(root);
  return (event) =>
    isConsolePath(event.rawPath)
      ? consoleAnswer(absoluteRoot, event.requestContext.http.method, event.rawPath)
      : handler(event);
}
