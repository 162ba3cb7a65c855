import * as z from 'zod';
import type { RouteDoc } from '../http/route-doc.js';
import type { Route } from '../http/router.js';

/** A JSON Schema object as OpenAPI 3.1 embeds it. */
type JsonSchema = Record<string, unknown>;

/** One OpenAPI parameter object. */
interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query';
  readonly required: boolean;
  readonly schema: JsonSchema;
  readonly description?: string;
}

/** The OpenAPI 3.1 document of the API (only the parts this generator writes). */
export interface OpenApiDocument {
  readonly openapi: '3.1.0';
  readonly info: { readonly title: string; readonly version: string; readonly description: string };
  readonly security: readonly Record<string, readonly string[]>[];
  readonly paths: Record<string, Record<string, unknown>>;
  readonly components: Record<string, unknown>;
}

const SCOPE_PARAMETERS: readonly Parameter[] = [
  {
    name: 'accountIdentifier',
    in: 'query',
    required: true,
    schema: { type: 'string' },
    description: 'The account',
  },
  {
    name: 'orgIdentifier',
    in: 'query',
    required: false,
    schema: { type: 'string' },
    description: 'The organization',
  },
  {
    name: 'projectIdentifier',
    in: 'query',
    required: false,
    schema: { type: 'string' },
    description: 'The project',
  },
];

const PAGING_PARAMETERS: readonly Parameter[] = [
  { name: 'pageIndex', in: 'query', required: false, schema: { type: 'integer', minimum: 0, default: 0 } },
  {
    name: 'pageSize',
    in: 'query',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: 100, default: 50 },
  },
  { name: 'searchTerm', in: 'query', required: false, schema: { type: 'string' } },
];

const ERROR_RESPONSES = {
  '400': { description: 'Invalid input; `errors` names each field', ref: 'Failure' },
  '401': { description: 'Missing, invalid or expired `x-api-key`', ref: 'Error' },
  '403': { description: 'Not permitted (`NG_ACCESS_DENIED`) or a token of another account', ref: 'Error' },
  '404': { description: 'Not found', ref: 'Error' },
  '409': { description: 'Conflict, duplicate or limit reached', ref: 'Error' },
  '429': { description: 'Throttled', ref: 'Error' },
  '503': { description: 'The policy could not be read; nothing was decided', ref: 'Error' },
} as const;

const COMPONENTS = {
  securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } },
  schemas: {
    Success: {
      type: 'object',
      required: ['status', 'data', 'metaData', 'correlationId'],
      properties: {
        status: { const: 'SUCCESS' },
        data: {},
        metaData: { type: 'null' },
        correlationId: { type: 'string' },
      },
    },
    Page: {
      type: 'object',
      required: ['content', 'pageIndex', 'pageSize', 'totalItems', 'totalPages'],
      properties: {
        content: { type: 'array', items: {} },
        pageIndex: { type: 'integer' },
        pageSize: { type: 'integer' },
        totalItems: { type: 'integer' },
        totalPages: { type: 'integer' },
      },
    },
    Error: {
      type: 'object',
      required: ['status', 'code', 'message', 'correlationId'],
      properties: {
        status: { const: 'ERROR' },
        code: { type: 'string' },
        message: { type: 'string' },
        correlationId: { type: 'string' },
      },
    },
    Failure: {
      type: 'object',
      required: ['status', 'code', 'message', 'errors'],
      properties: {
        status: { const: 'FAILURE' },
        code: { const: 'INVALID_REQUEST' },
        message: { type: 'string' },
        correlationId: { type: 'string' },
        errors: {
          type: 'array',
          items: {
            type: 'object',
            required: ['fieldId', 'error'],
            properties: { fieldId: { type: 'string' }, error: { type: 'string' } },
          },
        },
      },
    },
  },
} as const;

/** The JSON Schema of a zod schema as the client sends it (input side, draft 2020-12, as OpenAPI 3.1 uses). */
function jsonSchemaOf(schema: z.core.$ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
}

function pathParameters(path: string): Parameter[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => ({
    name: name as string,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
}

function queryParameters(schema: z.core.$ZodType | undefined, taken: ReadonlySet<string>): Parameter[] {
  if (!schema) return [];
  const json = jsonSchemaOf(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {})
    .filter(([name]) => !taken.has(name))
    .map(([name, property]) => ({ name, in: 'query', required: required.has(name), schema: property }));
}

function parametersOf(route: Route, doc: RouteDoc): Parameter[] {
  const fixed = [
    ...pathParameters(route.path),
    ...(doc.scoped === false
      ? []
      : doc.accountOptional
        ? SCOPE_PARAMETERS.map((parameter) => ({ ...parameter, required: false }))
        : SCOPE_PARAMETERS),
    ...(doc.paged ? PAGING_PARAMETERS : []),
  ];
  return [...fixed, ...queryParameters(doc.query, new Set(fixed.map((parameter) => parameter.name)))];
}

function successResponse(route: Route, doc: RouteDoc): Record<string, unknown> {
  if (route.raw) return { description: doc.summary, content: { 'application/json': { schema: {} } } };
  const data = doc.paged ? { $ref: '#/components/schemas/Page' } : {};
  const schema = { allOf: [{ $ref: '#/components/schemas/Success' }, { properties: { data } }] };
  return { description: 'Success envelope', content: { 'application/json': { schema } } };
}

function errorResponses(doc: RouteDoc): Record<string, unknown> {
  const applicable = Object.entries(ERROR_RESPONSES).filter(
    ([status]) => doc.authenticated !== false || !['401', '403'].includes(status),
  );
  return Object.fromEntries(
    applicable.map(([status, { description, ref }]) => [
      status,
      { description, content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } },
    ]),
  );
}

function operationOf(route: Route, doc: RouteDoc): Record<string, unknown> {
  const parameters = parametersOf(route, doc);
  return {
    operationId: `${route.method.toLowerCase()}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_, next = '') => next.toUpperCase())}`,
    summary: doc.summary,
    tags: [doc.tag],
    ...(doc.authenticated === false ? { security: [] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(doc.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchemaOf(doc.body) } },
          },
        }
      : {}),
    responses: { '200': successResponse(route, doc), ...errorResponses(doc) },
  };
}

/**
 * A route's description: its own (declared with it); a route without one is still listed, so the
 * document never hides an endpoint (and the OpenAPI test fails on it).
 */
function docOf(route: Route): RouteDoc {
  return route.doc ?? { summary: `${route.method} ${route.path}`, tag: 'Other' };
}

/**
 * Builds the OpenAPI 3.1 document of the given routes from the same zod schemas their handlers parse
 * with (DESIGN §6): paths, scope and paging parameters, bodies, the success envelope and every error shape.
 */
export function openApiDocument(routes: readonly Route[]): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    paths[route.path] = {
      ...paths[route.path],
      [route.method.toLowerCase()]: operationOf(route, docOf(route)),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'nextgen-rbac',
      version: '0.1.0',
      description:
        'Scope-based role access control (Harness NextGen model): access checks and the management API. ' +
        'Authenticate with `x-api-key: sat.… | pat.…`; scope with accountIdentifier/orgIdentifier/projectIdentifier.',
    },
    security: [{ apiKey: [] }],
    paths,
    components: { ...COMPONENTS },
  };
}
