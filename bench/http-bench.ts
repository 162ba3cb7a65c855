import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { aclRoute } from '../functions/api/acl/acl-route.js';
import { startHttpServer } from '../functions/api/http/local-server.js';
import { createHttpHandler, type Route } from '../functions/api/http/router.js';
import type { AccessCheck } from '../functions/core/access-check.js';
import type { PolicySnapshot } from '../functions/core/policy-snapshot.js';
import type { ActingPrincipal } from '../functions/core/principal.js';
import { type Scope, scopeToParams } from '../functions/core/scope.js';
import { batchPut } from '../functions/store/batch-writer.js';
import { bootstrapAccount, mintedToken } from '../functions/store/bootstrap-account.js';
import { ensureTable } from '../functions/store/create-table.js';
import { localClientConfig } from '../functions/store/dynamodb-local.js';
import { ACCOUNT_META_SK, accountPk } from '../functions/store/keys.js';
import { PolicyCache } from '../functions/store/policy-cache.js';
import { countCalls } from '../test/support/call-counter.js';
import { type Figure, percentile, round } from './figures.js';
import { worldItems } from './world-items.js';

/** A check as the ACL endpoint takes it. */
type Sample = { principal: ActingPrincipal; check: AccessCheck };

function documentClient(endpoint: string): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(endpoint)), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

/** The floor: a route that does exactly one strongly consistent GetItem through the same router. */
function floorRoute(client: DynamoDBDocumentClient, tableName: string, accountId: string): Route {
  return {
    method: 'POST',
    path: '/bench/floor',
    handler: async () => {
      const { Item } = await client.send(
        new GetCommand({
          TableName: tableName,
          Key: { PK: accountPk(accountId), SK: ACCOUNT_META_SK },
          ConsistentRead: true,
        }),
      );
      return { data: { version: Item?.version ?? null } };
    },
  };
}

function aclBody(samples: readonly Sample[]): string {
  const principal = samples[0]?.principal as ActingPrincipal;
  return JSON.stringify({
    principal: { principalIdentifier: principal.identifier, principalType: principal.type },
    permissions: samples.map(({ check }) => ({
      permission: check.permission,
      resourceType: check.resourceType,
      resourceScope: scopeToParams(check.resourceScope as Scope),
      ...(check.resourceIdentifier ? { resourceIdentifier: check.resourceIdentifier } : {}),
    })),
  });
}

async function timed(url: string, token: string, body: string): Promise<number> {
  const start = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'x-api-key': token, 'content-type': 'application/json' },
    body,
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  return performance.now() - start;
}

/** Sends `rounds` pairs of (request, floor request), interleaved so noise hits both; returns both latency lists. */
async function interleaved(
  url: string,
  floorUrl: string,
  token: string,
  bodies: readonly string[],
  rounds: number,
): Promise<{ ours: number[]; floor: number[] }> {
  const ours: number[] = [];
  const floor: number[] = [];
  for (let index = 0; index < rounds; index++) {
    const body = bodies[index % bodies.length] as string;
    if (index % 2 === 0) {
      ours.push(await timed(url, token, body));
      floor.push(await timed(floorUrl, token, body));
    } else {
      floor.push(await timed(floorUrl, token, body));
      ours.push(await timed(url, token, body));
    }
  }
  return { ours, floor };
}

/**
 * The HTTP figures (issue 7): the realistic world loaded into DynamoDB Local, the ACL endpoint served
 * by the same router and local HTTP server as `npm start`, single checks and 100-check batches timed
 * warm against the one-GetItem floor, and DynamoDB calls per batch warm and cold.
 */
export async function measureHttp(
  endpoint: string,
  world: PolicySnapshot,
  scopes: readonly Scope[],
  samples: readonly Sample[],
): Promise<Record<string, Figure>> {
  const tableName = `bench-http-${Date.now()}`;
  const raw = new DynamoDBClient(localClientConfig(endpoint));
  await ensureTable(raw, tableName);
  const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  const target = { client, tableName, now: Date.now };
  const adminToken = mintedToken(await bootstrapAccount(target, world.accountIdentifier));
  const items = worldItems(world, scopes);
  const loadStart = performance.now();
  await batchPut(client, tableName, items, () => {}, 16);
  process.stderr.write(
    `loaded ${items.length} items in ${round((performance.now() - loadStart) / 1000)} s\n`,
  );

  const cacheClient = documentClient(endpoint);
  const counter = countCalls(cacheClient);
  const cache = new PolicyCache({ client: cacheClient, tableName, now: Date.now });
  const handler = createHttpHandler([
    aclRoute(cache, Date.now),
    floorRoute(documentClient(endpoint), tableName, world.accountIdentifier),
  ]);
  const server = await startHttpServer({ handler, port: 0, host: '127.0.0.1' });
  try {
    const url = `${server.url}/authz/api/acl?accountIdentifier=${world.accountIdentifier}`;
    const floorUrl = `${server.url}/bench/floor?accountIdentifier=${world.accountIdentifier}`;
    const single = samples.slice(0, 500).map((sample) => aclBody([sample]));
    const batches = samples
      .slice(0, 100 * 50)
      .reduce<Sample[][]>((all, sample, index) => {
        if (index % 100 === 0) all.push([]);
        all.at(-1)?.push({
          principal: samples[Math.floor(index / 100)]?.principal as ActingPrincipal,
          check: sample.check,
        });
        return all;
      }, [])
      .map(aclBody);

    counter.reset();
    await timed(url, adminToken, single[0] as string);
    const cold = counter.calls.length;
    await interleaved(url, floorUrl, adminToken, single, 200);
    counter.reset();
    await timed(url, adminToken, single[1] as string);
    const warm = counter.calls.length;

    const one = await interleaved(url, floorUrl, adminToken, single, 2_000);
    const hundred = await interleaved(url, floorUrl, adminToken, batches, 300);
    const figure = (ours: number[], floor: number[], p: number): Figure => {
      const value = percentile(ours, p);
      const reference = percentile(floor, p);
      return {
        value: round(value),
        unit: 'ms',
        reference: round(reference),
        ratio: round(value / reference),
      };
    };
    return {
      check_http_p50_ms: figure(one.ours, one.floor, 50),
      check_http_p99_ms: figure(one.ours, one.floor, 99),
      check_batch100_http_p50_ms: figure(hundred.ours, hundred.floor, 50),
      ddb_calls_per_batch_warm: { value: warm, unit: 'calls' },
      ddb_calls_per_batch_cold: {
        value: cold,
        unit: 'calls',
        note: `${items.length} items in the account partition`,
      },
    };
  } finally {
    await server.close();
  }
}
