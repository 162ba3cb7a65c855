import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  MAX_REQUEST_BYTES,
  type RunningHttpServer,
  startHttpServer,
} from '../../../../functions/api/http/local-server.js';
import { type ApiRequest, createHttpHandler } from '../../../../functions/api/http/router.js';

const seen: ApiRequest[] = [];

const handler = createHttpHandler([
  { method: 'GET', path: '/health', raw: true, handler: async () => ({ data: { status: 'ok' } }) },
  {
    method: 'POST',
    path: '/echo/{name}',
    handler: async (request) => {
      seen.push(request);
      return {
        statusCode: 201,
        data: { name: request.pathParameters.name, body: request.body, query: request.query },
      };
    },
  },
]);

let server: RunningHttpServer;

/** Sends a request with a chunked body (no content-length), which fetch cannot do portably. */
function sendChunked(url: string, chunks: readonly Buffer[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      { method: 'POST', headers: { 'transfer-encoding': 'chunked' } },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    request.on('error', reject);
    for (const chunk of chunks) request.write(chunk);
    request.end();
  });
}

describe('Function: startHttpServer', () => {
  beforeAll(async () => {
    server = await startHttpServer({ handler, port: 0 });
  });

  afterAll(async () => {
    await server.close();
  });

  it('listens on a free port of 127.0.0.1', () => {
    // Assess
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
  });

  it('serves a raw route without the envelope', async () => {
    // Act
    const response = await fetch(`${server.url}/health`);

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.json()).toStrictEqual({ status: 'ok' });
  });

  it('turns a POST into an event and sends the enveloped reply back', async () => {
    // Act
    const response = await fetch(`${server.url}/echo/a%20b?accountIdentifier=acc&tag=x&tag=y`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Correlation-Id': 'corr-42', 'X-Api-Key': 'sat.k' },
      body: JSON.stringify({ hello: 'wörld' }),
    });

    // Assess
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-correlation-id')).toBe('corr-42');
    expect(await response.json()).toStrictEqual({
      status: 'SUCCESS',
      data: { name: 'a b', body: { hello: 'wörld' }, query: { accountIdentifier: 'acc', tag: 'x,y' } },
      metaData: null,
      correlationId: 'corr-42',
    });
    const request = seen.at(-1);
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/echo/a%20b');
    expect(request?.headers).toMatchObject({ 'content-type': 'application/json', 'x-api-key': 'sat.k' });
  });

  it.each([
    ['an unknown path', 'GET', '/nowhere', undefined, 404, 'ERROR', 'RESOURCE_NOT_FOUND'],
    ['a wrong method', 'DELETE', '/health', undefined, 405, 'ERROR', 'METHOD_NOT_ALLOWED'],
    ['malformed JSON', 'POST', '/echo/x', '{"a":', 400, 'FAILURE', 'INVALID_REQUEST'],
    [
      'a body that is not JSON by its content type',
      'POST',
      '/echo/x',
      'a=b',
      415,
      'ERROR',
      'UNSUPPORTED_MEDIA_TYPE',
    ],
  ])('answers %s with its error envelope', async (_, method, path, body, status, kind, code) => {
    // Act
    const response = await fetch(`${server.url}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { body, headers: { 'content-type': status === 415 ? 'text/plain' : 'application/json' } }),
    });

    // Assess
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/json');
    const correlationId = response.headers.get('x-correlation-id');
    expect(await response.json()).toMatchObject({ status: kind, code, correlationId });
  });

  it('rejects a body over 1 MiB with a 413 before the handler sees it', async () => {
    // Prepare
    const before = seen.length;

    // Act
    const response = await fetch(`${server.url}/echo/big`, {
      method: 'POST',
      body: 'x'.repeat(MAX_REQUEST_BYTES + 1),
    });

    // Assess
    expect(response.status).toBe(413);
    expect(response.headers.get('x-correlation-id')).toBeTruthy();
    expect(await response.json()).toMatchObject({ status: 'ERROR', code: 'PAYLOAD_TOO_LARGE' });
    expect(seen.length).toBe(before);
  });

  it('rejects a chunked body that grows past 1 MiB with a 413', async () => {
    // Prepare
    const chunk = Buffer.alloc(256 * 1024, 'x');

    // Act
    const response = await sendChunked(`${server.url}/echo/big`, [chunk, chunk, chunk, chunk, chunk]);

    // Assess
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it.each([
    ['with a content-length', 8 * 1024 * 1024, false],
    ['chunked', 4 * 1024 * 1024, true],
  ])(
    'lets a client that sends its whole oversize body before reading (%s) read the 413',
    async (_, size, chunked) => {
      // Prepare: a raw TCP client that writes everything first, as curl --data-binary or Python's urllib do
      const { port } = new URL(server.url);
      const head = [
        'POST /echo/big HTTP/1.1',
        `host: 127.0.0.1:${port}`,
        'content-type: application/json',
        chunked ? 'transfer-encoding: chunked' : `content-length: ${size}`,
        '',
        '',
      ].join('\r\n');
      const payload = Buffer.alloc(size, 'x');
      const body = chunked
        ? Buffer.concat([Buffer.from(`${size.toString(16)}\r\n`), payload, Buffer.from('\r\n0\r\n\r\n')])
        : payload;

      // Act
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1');
        let received = '';
        socket.on('error', reject);
        socket.write(head);
        socket.write(body, (error) => {
          if (error) return reject(error);
          // Only now start reading, as a client that sends first and reads after does.
          socket.on('data', (data) => {
            received += data.toString('utf8');
          });
          socket.on('end', () => resolve(received));
        });
      });

      // Assess
      expect(answer.startsWith('HTTP/1.1 413')).toBe(true);
      expect(answer).toContain('"code":"PAYLOAD_TOO_LARGE"');
    },
  );

  it('answers 500 without details when the handler itself throws', async () => {
    // Prepare
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const failing = await startHttpServer({
      handler: async () => {
        throw new Error('secret detail');
      },
    });

    try {
      // Act
      const response = await fetch(`${failing.url}/anything`);

      // Assess
      expect(response.status).toBe(500);
      const text = await response.text();
      expect(text).not.toContain('secret');
      expect(JSON.parse(text)).toMatchObject({
        status: 'ERROR',
        code: 'INTERNAL_ERROR',
        message: 'Internal error',
      });
      expect(write).toHaveBeenCalledTimes(1);
    } finally {
      write.mockRestore();
      await failing.close();
    }
  });

  it('closes even with an idle keep-alive connection open', async () => {
    // Prepare
    const other = await startHttpServer({ handler });
    await (await fetch(`${other.url}/health`)).text();

    // Act
    await other.close();

    // Assess
    await expect(fetch(`${other.url}/health`)).rejects.toThrow();
  });
});
