import { describe, expect, it } from 'vitest';
import { MethodNotAllowedError, NotFoundError } from '../../../../functions/api/http/errors.js';
import {
  type ApiRequest,
  createHttpHandler,
  MAX_BODY_BYTES,
  matchRoute,
  type Route,
} from '../../../../functions/api/http/router.js';
import { httpEvent } from './http-event.js';

const reply = (name: string) => async () => ({ data: name });

const anyRequest: ApiRequest = {
  method: 'GET',
  path: '/',
  pathParameters: {},
  query: {},
  headers: {},
  body: undefined,
  correlationId: 'c0',
};

const roleRoutes: Route[] = [
  { method: 'GET', path: '/authz/api/roles', handler: reply('list') },
  { method: 'POST', path: '/authz/api/roles', handler: reply('create') },
  { method: 'GET', path: '/authz/api/roles/{identifier}', handler: reply('get') },
  { method: 'DELETE', path: '/authz/api/roles/{identifier}', handler: reply('delete') },
  { method: 'POST', path: '/authz/api/roleassignments/{identifier}', handler: reply('byId') },
  { method: 'POST', path: '/authz/api/roleassignments/multi', handler: reply('multi') },
  { method: 'PUT', path: '/ng/api/user-groups/{identifier}/member/{userId}', handler: reply('member') },
];

/** A handler whose single route records the request it was given. */
function recordingHandler(route: Omit<Route, 'handler'>, statusCode?: number) {
  const seen: ApiRequest[] = [];
  const handler = createHttpHandler([
    {
      ...route,
      handler: async (request) => {
        seen.push(request);
        return { ...(statusCode === undefined ? {} : { statusCode }), data: { echo: request.body ?? null } };
      },
    },
  ]);
  return { handler, seen };
}

const parseBody = (body: string | undefined) => JSON.parse(body ?? '') as Record<string, unknown>;

describe('Function: matchRoute', () => {
  it.each([
    ['GET', '/authz/api/roles', 'list', {}],
    ['POST', '/authz/api/roles', 'create', {}],
    ['GET', '/authz/api/roles/_account_admin', 'get', { identifier: '_account_admin' }],
    ['get', '/authz/api/roles/r1/', 'get', { identifier: 'r1' }],
    ['GET', '/authz/api/roles/a%20b%2Fc', 'get', { identifier: 'a b/c' }],
    ['POST', '/authz/api/roleassignments/multi', 'multi', {}],
    ['POST', '/authz/api/roleassignments/ra1', 'byId', { identifier: 'ra1' }],
    ['PUT', '/ng/api/user-groups/g1/member/u1', 'member', { identifier: 'g1', userId: 'u1' }],
  ])('routes %s %s to %s with %j', async (method, path, name, pathParameters) => {
    // Act
    const match = matchRoute(roleRoutes, method, path);

    // Assess
    expect(await match.route.handler(anyRequest)).toStrictEqual({ data: name });
    expect(match.pathParameters).toStrictEqual(pathParameters);
  });

  it.each([
    '/authz/api/unknown',
    '/authz/api/roles/r1/extra',
    '/authz/api/roles//',
    '/authz/api/roles/%E0%A4%A',
    '/',
  ])('throws NotFoundError for %s', (path) => {
    // Act
    const act = () => matchRoute(roleRoutes, 'GET', path);

    // Assess
    expect(act).toThrow(NotFoundError);
  });

  it.each([
    ['PUT', '/authz/api/roles', ['GET', 'POST']],
    ['POST', '/authz/api/roles/r1', ['DELETE', 'GET']],
    ['HEAD', '/authz/api/roles', ['GET', 'POST']],
  ])('throws MethodNotAllowedError for %s %s, allowing %j', (method, path, allowed) => {
    // Act
    let thrown: unknown;
    try {
      matchRoute(roleRoutes, method, path);
    } catch (error) {
      thrown = error;
    }

    // Assess
    expect(thrown).toBeInstanceOf(MethodNotAllowedError);
    expect((thrown as MethodNotAllowedError).allowedMethods).toStrictEqual(allowed);
  });
});

describe('Function: createHttpHandler', () => {
  it('gives the route the parsed request and wraps its reply in the envelope', async () => {
    // Prepare
    const { handler, seen } = recordingHandler({ method: 'POST', path: '/things/{id}' }, 201);

    // Act
    const result = await handler(
      httpEvent('POST', '/things/t1', {
        headers: { 'X-Correlation-Id': 'corr-7', 'Content-Type': 'application/json', 'X-Api-Key': 'k' },
        query: { accountIdentifier: 'acc', pageIndex: '2' },
        body: '{"name":"n","tags":{"a":"b"}}',
      }),
    );

    // Assess
    expect(result.statusCode).toBe(201);
    expect(result.headers).toMatchObject({
      'content-type': 'application/json',
      'x-correlation-id': 'corr-7',
    });
    expect(parseBody(result.body)).toStrictEqual({
      status: 'SUCCESS',
      data: { echo: { name: 'n', tags: { a: 'b' } } },
      metaData: null,
      correlationId: 'corr-7',
    });
    expect(seen).toStrictEqual([
      {
        method: 'POST',
        path: '/things/t1',
        pathParameters: { id: 't1' },
        query: { accountIdentifier: 'acc', pageIndex: '2' },
        headers: { 'x-correlation-id': 'corr-7', 'content-type': 'application/json', 'x-api-key': 'k' },
        body: { name: 'n', tags: { a: 'b' } },
        correlationId: 'corr-7',
        sourceIp: '127.0.0.1',
      },
    ]);
  });

  it('answers 200 by default and makes a correlation id when none is given', async () => {
    // Prepare
    const { handler, seen } = recordingHandler({ method: 'GET', path: '/things' });

    // Act
    const result = await handler(httpEvent('GET', '/things'));

    // Assess
    const correlationId = result.headers?.['x-correlation-id'];
    expect(result.statusCode).toBe(200);
    expect(correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(parseBody(result.body).correlationId).toBe(correlationId);
    expect(seen[0]?.correlationId).toBe(correlationId);
    expect(seen[0]?.body).toBeUndefined();
  });

  it.each(['bad id with spaces', 'x'.repeat(129), 'a\r\nset-cookie: x=1'])(
    'replaces the unacceptable correlation id %j with a new one',
    async (given) => {
      // Prepare
      const { handler } = recordingHandler({ method: 'GET', path: '/things' });

      // Act
      const result = await handler(httpEvent('GET', '/things', { headers: { 'x-correlation-id': given } }));

      // Assess
      expect(result.headers?.['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    },
  );

  it('sends the data alone on a raw route', async () => {
    // Prepare
    const handler = createHttpHandler([
      { method: 'GET', path: '/health', raw: true, handler: async () => ({ data: { status: 'ok' } }) },
    ]);

    // Act
    const result = await handler(httpEvent('GET', '/health'));

    // Assess
    expect(result.statusCode).toBe(200);
    expect(result.body).toBe('{"status":"ok"}');
    expect(result.headers?.['x-correlation-id']).toBeTypeOf('string');
  });

  it('sends no body with a 204', async () => {
    // Prepare
    const { handler } = recordingHandler({ method: 'DELETE', path: '/things/{id}' }, 204);

    // Act
    const result = await handler(httpEvent('DELETE', '/things/t1'));

    // Assess
    expect(result.statusCode).toBe(204);
    expect(result.body).toBeUndefined();
  });

  it.each([
    ['an unknown path', 'GET', '/nowhere', 404, 'RESOURCE_NOT_FOUND'],
    ['a known path with the wrong method', 'DELETE', '/things', 405, 'METHOD_NOT_ALLOWED'],
  ])('answers %s with the ERROR envelope', async (_, method, path, status, code) => {
    // Prepare
    const { handler, seen } = recordingHandler({ method: 'POST', path: '/things' });

    // Act
    const result = await handler(httpEvent(method, path, { headers: { 'x-correlation-id': 'c1' } }));

    // Assess
    expect(result.statusCode).toBe(status);
    expect(result.headers).toMatchObject({ 'content-type': 'application/json', 'x-correlation-id': 'c1' });
    expect(parseBody(result.body)).toMatchObject({ status: 'ERROR', code, correlationId: 'c1' });
    expect(seen).toHaveLength(0);
  });

  it.each([
    ['malformed JSON', '{"name":', false],
    ['a bare word', 'hello', false],
    ['JSON followed by junk', '{} {}', false],
  ])('rejects %s with a 400 naming body', async (_, body, isBase64Encoded) => {
    // Prepare
    const { handler, seen } = recordingHandler({ method: 'POST', path: '/things' });

    // Act
    const result = await handler(
      httpEvent('POST', '/things', { body, isBase64Encoded, headers: { 'x-correlation-id': 'c2' } }),
    );

    // Assess
    expect(result.statusCode).toBe(400);
    expect(result.headers?.['x-correlation-id']).toBe('c2');
    const parsed = parseBody(result.body);
    expect(parsed).toMatchObject({ status: 'FAILURE', code: 'INVALID_REQUEST', correlationId: 'c2' });
    expect(parsed.errors).toStrictEqual([{ fieldId: 'body', error: expect.any(String) }]);
    expect(seen).toHaveLength(0);
  });

  it.each([
    ['a body over 256 KiB', JSON.stringify({ text: 'x'.repeat(MAX_BODY_BYTES) }), false],
    ['a base64 body over 256 KiB', Buffer.from('x'.repeat(MAX_BODY_BYTES + 1)).toString('base64'), true],
  ])('rejects %s with a 413 PAYLOAD_TOO_LARGE', async (_, body, isBase64Encoded) => {
    // Prepare
    const { handler, seen } = recordingHandler({ method: 'POST', path: '/things' });

    // Act
    const result = await handler(
      httpEvent('POST', '/things', { body, isBase64Encoded, headers: { 'x-correlation-id': 'c2' } }),
    );

    // Assess
    expect(result.statusCode).toBe(413);
    expect(parseBody(result.body)).toMatchObject({
      status: 'ERROR',
      code: 'PAYLOAD_TOO_LARGE',
      correlationId: 'c2',
    });
    expect(seen).toHaveLength(0);
  });

  it.each([
    ['text/plain', 'text/plain;charset=UTF-8'],
    ['a form', 'application/x-www-form-urlencoded'],
    ['multipart', 'multipart/form-data; boundary=x'],
    ['XML', 'application/xml'],
    ['a JSON look-alike', 'application/jsonp'],
  ])('rejects a JSON body sent as %s with a 415 UNSUPPORTED_MEDIA_TYPE', async (_, contentType) => {
    // Prepare
    const { handler, seen } = recordingHandler({ method: 'POST', path: '/things' });

    // Act
    const result = await handler(
      httpEvent('POST', '/things', { body: '{"a":1}', headers: { 'content-type': contentType } }),
    );

    // Assess
    expect(result.statusCode).toBe(415);
    expect(parseBody(result.body)).toMatchObject({ status: 'ERROR', code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(seen).toHaveLength(0);
  });

  it.each([
    ['application/json', 'application/json'],
    ['JSON with a charset', 'application/json; charset=utf-8'],
    ['a +json type', 'application/vnd.harness+json'],
    ['no content type', undefined],
  ])('accepts a JSON body sent as %s', async (_, contentType) => {
    // Prepare
    const { handler, seen } = recordingHandler({ method: 'POST', path: '/things' });

    // Act
    const result = await handler(
      httpEvent('POST', '/things', {
        body: '{"a":1}',
        ...(contentType === undefined ? {} : { headers: { 'content-type': contentType } }),
      }),
    );

    // Assess
    expect(result.statusCode).toBe(200);
    expect(seen[0]?.body).toStrictEqual({ a: 1 });
  });

  it.each([
    ['an empty body', ''],
    ['a blank body', ' \n '],
  ])('gives the route an undefined body for %s', async (_, body) => {
    // Prepare
    const { handler, seen } = recordingHandler({ method: 'POST', path: '/things' });

    // Act
    const result = await handler(httpEvent('POST', '/things', { body }));

    // Assess
    expect(result.statusCode).toBe(200);
    expect(seen[0]?.body).toBeUndefined();
  });

  it('decodes a base64 body', async () => {
    // Prepare
    const { handler, seen } = recordingHandler({ method: 'POST', path: '/things' });

    // Act
    await handler(
      httpEvent('POST', '/things', {
        body: Buffer.from('{"a":[1]}').toString('base64'),
        isBase64Encoded: true,
      }),
    );

    // Assess
    expect(seen[0]?.body).toStrictEqual({ a: [1] });
  });

  it('serves concurrent requests without mixing their state', async () => {
    // Prepare
    const handler = createHttpHandler([
      {
        method: 'POST',
        path: '/slow/{id}',
        handler: async (request) => {
          await new Promise((resolve) => setTimeout(resolve, Number(request.pathParameters.id)));
          return { data: { id: request.pathParameters.id, body: request.body, cid: request.correlationId } };
        },
      },
    ]);
    const ids = ['30', '1', '15', '5'];

    // Act
    const results = await Promise.all(
      ids.map((id) =>
        handler(
          httpEvent('POST', `/slow/${id}`, {
            body: JSON.stringify({ id }),
            headers: { 'x-correlation-id': `c${id}` },
          }),
        ),
      ),
    );

    // Assess
    expect(results.map((result) => parseBody(result.body).data)).toStrictEqual(
      ids.map((id) => ({ id, body: { id }, cid: `c${id}` })),
    );
    expect(results.map((result) => result.headers?.['x-correlation-id'])).toStrictEqual(
      ids.map((id) => `c${id}`),
    );
  });
});
