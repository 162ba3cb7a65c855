import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readAccountVersion } from '../../functions/store/change-log.js';
import { localClientConfig } from '../../functions/store/dynamodb-local.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const REQUESTS = 2_000;

/** Every write endpoint with a JSON body, and a valid-looking body to mutate. */
const TARGETS: { path: string; method: string; seed: Record<string, unknown> }[] = [
  {
    method: 'POST',
    path: '/authz/api/acl',
    seed: { permissions: [{ resourceType: 'SECRET', permission: 'core_secret_view' }] },
  },
  { method: 'POST', path: '/ng/api/organizations', seed: { organization: { identifier: 'o', name: 'O' } } },
  {
    method: 'POST',
    path: '/ng/api/projects',
    seed: { project: { orgIdentifier: 'default', identifier: 'p', name: 'P' } },
  },
  {
    method: 'POST',
    path: '/authz/api/roles',
    seed: { identifier: 'r', name: 'R', permissions: ['core_pipeline_view'] },
  },
  {
    method: 'POST',
    path: '/resourcegroup/api/v2/resourcegroup',
    seed: { resourceGroup: { identifier: 'g', name: 'G', resourceFilter: { includeAllResources: true } } },
  },
  {
    method: 'POST',
    path: '/authz/api/roleassignments',
    seed: {
      roleIdentifier: '_account_viewer',
      resourceGroupIdentifier: '_all_account_level_resources',
      principal: { type: 'SERVICE_ACCOUNT', identifier: 'admin' },
    },
  },
  { method: 'POST', path: '/ng/api/user-groups', seed: { identifier: 'ug', name: 'UG', users: [] } },
  {
    method: 'POST',
    path: '/ng/api/serviceaccount',
    seed: { identifier: 'sa', name: 'SA', email: 'sa@example.com' },
  },
  {
    method: 'POST',
    path: '/ng/api/user/users',
    seed: {
      emails: ['fuzz@example.com'],
      userGroups: [],
      roleBindings: [
        { roleIdentifier: '_account_viewer', resourceGroupIdentifier: '_all_account_level_resources' },
      ],
    },
  },
  { method: 'POST', path: '/ng/api/invites/accept', seed: { token: 'inv.fuzzed.x.y', name: 'N' } },
  {
    method: 'POST',
    path: '/authz/api/access-review/permissions',
    seed: { scope: { accountIdentifier: 'fuzzed', orgIdentifier: 'default' }, resourceType: 'PIPELINE' },
  },
  {
    method: 'POST',
    path: '/authz/api/access-review/principals',
    seed: {
      resourceScope: { accountIdentifier: 'fuzzed' },
      resourceType: 'ORGANIZATION',
      permission: 'core_organization_create',
    },
  },
];

/** Keys that name Object.prototype members; as data they must be neither lost nor a 500. */
const PROTOTYPE_KEYS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];

const junk = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string(), { maxKeys: 3 }),
  fc.string({ minLength: 200, maxLength: 400 }),
  fc.constantFrom(...PROTOTYPE_KEYS).map((key) => JSON.parse(`{"${key}":"v"}`) as unknown),
  fc.constantFrom(...PROTOTYPE_KEYS),
  fc.constantFrom('x/PROJECT/p1', 'default#x', '/ACCOUNT/fuzzed', '../x'),
);

/**
 * Makes a body that is invalid for sure: one field of the seed replaced by junk plus an unknown
 * top-level field, an unknown field at some depth, a junk body, or broken JSON. (A mutation alone could
 * happen to be valid; strict schemas always reject the unknown field.)
 */
function malformed(seed: Record<string, unknown>): fc.Arbitrary<{ body?: unknown; rawBody?: string }> {
  const paths: string[][] = [];
  const walk = (value: unknown, path: string[]) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value)) {
        paths.push([...path, key]);
        walk(inner, [...path, key]);
      }
    }
  };
  walk(seed, []);
  const withField = (path: string[], replacement: unknown) => {
    const copy = structuredClone(seed);
    let cursor = copy as Record<string, unknown>;
    for (const key of path.slice(0, -1)) cursor = cursor[key] as Record<string, unknown>;
    cursor[path.at(-1) as string] = replacement;
    return copy;
  };
  return fc.oneof(
    fc
      .tuple(fc.constantFrom(...paths), junk)
      .map(([path, value]) => ({ body: { ...withField(path, value), unexpectedField: true } })),
    fc
      .tuple(
        fc.constantFrom(...paths),
        fc.string({ minLength: 1, maxLength: 12 }).filter((k) => /^[a-z]+$/i.test(k)),
        junk,
      )
      .map(([path, key, value]) => ({ body: withField([...path.slice(0, -1), `zz${key}`], value) })),
    junk.map((body) => ({ body })),
    fc.string({ maxLength: 30 }).map((rawBody) => ({ rawBody: `{${rawBody}` })),
  );
}

describe(`${REQUESTS} generated malformed requests`, () => {
  let server: TestServer;
  let ddb: DynamoDBDocumentClient;

  beforeAll(async () => {
    server = await startTestServer('fuzzed');
    ddb = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(inject('ddbEndpoint'))));
  });
  afterAll(async () => server.close());

  it('answer 4xx only and change nothing', async () => {
    // Prepare
    const version = () =>
      readAccountVersion(
        { client: ddb, tableName: `e2e-${server.accountId}`, now: Date.now },
        server.accountId,
      );
    const before = await version();
    const samples = fc.sample(
      fc
        .constantFrom(...TARGETS)
        .chain((target) => malformed(target.seed).map((request) => ({ target, request }))),
      { numRuns: REQUESTS, seed: 4242 },
    );
    const statuses = new Map<number, number>();

    // Act
    for (const { target, request } of samples) {
      const { status } = await server.api(
        target.method,
        `${target.path}?accountIdentifier=${server.accountId}`,
        request,
      );
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status < 400 || status >= 500) {
        throw new Error(
          `${target.method} ${target.path} answered ${status} to ${JSON.stringify(request).slice(0, 300)}`,
        );
      }
    }

    // Assess
    expect(await version()).toBe(before);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(REQUESTS);
    expect(statuses.get(400)).toBeGreaterThan(REQUESTS / 2);
  });
});
