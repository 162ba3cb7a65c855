import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ManagementContext } from '../../../../functions/api/management/management-context.js';
import { openApiDocument } from '../../../../functions/api/openapi/openapi-document.js';
import { apiRoutes } from '../../../../functions/api/routes.js';

const routes = apiRoutes({} as ManagementContext);
const document = openApiDocument(routes);

type Operation = {
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, unknown>;
  security?: unknown[];
};

function operation(method: string, path: string): Operation | undefined {
  return document.paths[path]?.[method.toLowerCase()] as Operation | undefined;
}

function routeKey(method: string, path: string): string {
  return `${method} ${path}`;
}

describe('the OpenAPI document', () => {
  it.each(routes.map((route) => [route.method, route.path]))('lists %s %s', (method, path) => {
    // Act
    const found = operation(method, path);
    // Assess
    expect(found, `${method} ${path} is missing from the document`).toBeDefined();
    expect(found?.responses).toHaveProperty('200');
  });

  it('describes every route with its own declaration, and each method and path once', () => {
    // Prepare
    const served = routes.map((route) => routeKey(route.method, route.path));
    const undescribed = routes
      .filter((route) => !route.doc)
      .map((route) => routeKey(route.method, route.path));
    // Assess
    expect(undescribed).toEqual([]);
    expect(new Set(served).size).toBe(served.length);
  });

  it('is the document checked in as docs/openapi.json (run `npm run openapi` after changing a route)', () => {
    // Prepare
    const checkedIn = JSON.parse(readFileSync('docs/openapi.json', 'utf8'));
    // Assess
    expect(checkedIn).toEqual(JSON.parse(JSON.stringify(document)));
  });

  it('declares OpenAPI 3.1 with the x-api-key scheme and the error envelopes', () => {
    // Assess
    expect(document.openapi).toBe('3.1.0');
    expect(document.components).toMatchObject({
      securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } },
      schemas: { Error: expect.any(Object), Failure: expect.any(Object), Success: expect.any(Object) },
    });
  });

  it.each(
    routes.filter((route) => route.doc?.body).map((route) => [route.method, route.path] as [string, string]),
  )('gives %s %s a strict JSON body schema from its zod schema', (method, path) => {
    // Act
    const schema = operation(method, path)?.requestBody?.content['application/json']?.schema as
      | { type?: string; items?: { type?: string } }
      | undefined;
    // Assess: objects (and objects in a list) are strict; Harness's list and string bodies stay as they are
    const objectSchema = schema?.type === 'array' && schema.items?.type !== 'string' ? schema.items : schema;
    if (schema?.type === 'string' || (schema?.type === 'array' && schema.items?.type === 'string')) {
      expect(schema).toBeDefined();
    } else {
      expect(objectSchema).toMatchObject({ type: 'object', additionalProperties: false });
    }
  });

  it.each(routes.filter((route) => route.path.includes('{')).map((route) => [route.method, route.path]))(
    'declares the path parameters of %s %s',
    (method, path) => {
      // Prepare
      const names = [...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => name);
      // Act
      const declared = operation(method, path)?.parameters?.filter((parameter) => parameter.in === 'path');
      // Assess
      expect(declared?.map((parameter) => parameter.name)).toEqual(names);
    },
  );

  it('requires accountIdentifier on authenticated routes and no authentication on /health', () => {
    // Act
    const roles = operation('GET', '/authz/api/roles');
    const health = operation('GET', '/health');
    // Assess
    expect(roles?.parameters).toContainEqual(
      expect.objectContaining({ name: 'accountIdentifier', required: true }),
    );
    expect(roles?.parameters).toContainEqual(expect.objectContaining({ name: 'pageSize' }));
    expect(health?.security).toEqual([]);
    expect(health?.responses).not.toHaveProperty('401');
  });
});
