import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { aclRoute } from '../../../functions/api/acl/acl-route.js';
import { createHttpHandler } from '../../../functions/api/http/router.js';
import { bootstrapAccount, mintedToken } from '../../../functions/store/bootstrap-account.js';
import type { ChangeLogTarget } from '../../../functions/store/change-log.js';
import { PolicyCache } from '../../../functions/store/policy-cache.js';
import { createTestTable } from '../../support/dynamodb-test-table.js';
import { httpEvent } from '../../unit/api/http/http-event.js';

const ACCOUNT = 'faults';

function faultOf(name: string): Error {
  return Object.assign(new Error(`${name} injected`), { name, $metadata: {} });
}

describe('POST /authz/api/acl fails closed (fault injection with aws-sdk-client-mock)', () => {
  let target: ChangeLogTarget;
  let token: string;

  beforeEach(async () => {
    const table = await createTestTable();
    target = { client: table.client, tableName: table.tableName, now: () => 1_700_000_000_000 };
    token = mintedToken(await bootstrapAccount(target, ACCOUNT));
  });

  const request = () =>
    httpEvent('POST', '/authz/api/acl', {
      query: { accountIdentifier: ACCOUNT },
      headers: { 'x-api-key': token, 'content-type': 'application/json' },
      body: JSON.stringify({
        permissions: [
          {
            resourceScope: { accountIdentifier: ACCOUNT },
            resourceType: 'SECRET',
            permission: 'core_secret_view',
          },
        ],
      }),
    });

  it.each([
    ['throttling', faultOf('ThrottlingException')],
    ['a provisioned-throughput error', faultOf('ProvisionedThroughputExceededException')],
    ['a timeout', faultOf('TimeoutError')],
    ['an internal server error', faultOf('InternalServerError')],
  ])('answers 503 and decides nothing when reading the change log hits %s', async (_name, fault) => {
    // Prepare: a warm cache that would permit the check
    const cache = new PolicyCache(target);
    const handler = createHttpHandler([aclRoute(cache, target.now)]);
    const warm = await handler(request());
    expect(warm.statusCode).toBe(200);
    const mock = mockClient(target.client);
    mock.on(QueryCommand).rejects(fault);

    // Act
    const response = await handler(request());
    mock.restore();

    // Assess
    expect(response.statusCode).toBe(503);
    const body = JSON.parse(String(response.body));
    expect(body).toMatchObject({ status: 'ERROR', code: 'SERVICE_UNAVAILABLE' });
    expect(JSON.stringify(body)).not.toContain('permitted');
    expect(mock.commandCalls(QueryCommand).length).toBeGreaterThan(0);
  });

  it('answers 503 on a cold cache whose load fails, and recovers once DynamoDB answers again', async () => {
    // Prepare
    const cache = new PolicyCache(target);
    const handler = createHttpHandler([aclRoute(cache, target.now)]);
    const mock = mockClient(target.client);
    mock.onAnyCommand().rejects(faultOf('ThrottlingException'));

    // Act
    const failed = await handler(request());
    mock.restore();
    const recovered = await handler(request());

    // Assess
    expect(failed.statusCode).toBe(503);
    expect(recovered.statusCode).toBe(200);
    expect(JSON.parse(String(recovered.body)).data.accessControlList[0].permitted).toBe(true);
  });
});
