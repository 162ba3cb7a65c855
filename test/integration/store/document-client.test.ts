import { createServer } from 'node:net';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { createStoreClient, DEFAULT_STORE_TIMEOUTS } from '../../../functions/store/document-client.js';
import { localClientConfig } from '../../../functions/store/dynamodb-local.js';
import { isStoreUnavailable } from '../../../functions/store/store-unavailable.js';
import { startStallProxy } from '../../support/stall-proxy.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A port of 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no address');
  return address.port;
}

async function failureOf(endpoint: string) {
  const store = createStoreClient(localClientConfig(endpoint));
  cleanups.push(() => store.destroy());
  const started = Date.now();
  const error = await store.raw.send(new ListTablesCommand({})).then(
    () => undefined,
    (thrown: unknown) => thrown as Error & { $metadata?: { attempts?: number } },
  );
  return { error, ms: Date.now() - started };
}

describe('Function: createStoreClient against a store that does not answer', () => {
  it('gives up on a store that accepts connections and never answers within five seconds, after its attempts', async () => {
    // Prepare
    const stalled = await startStallProxy();
    cleanups.push(() => stalled.close());

    // Act
    const { error, ms } = await failureOf(stalled.endpoint);

    // Assess
    expect(error?.name).toBe('TimeoutError');
    expect(error?.$metadata?.attempts).toBe(DEFAULT_STORE_TIMEOUTS.maxAttempts);
    expect(isStoreUnavailable(error)).toBe(true);
    expect(ms).toBeGreaterThanOrEqual(DEFAULT_STORE_TIMEOUTS.requestTimeoutMs);
    expect(ms).toBeLessThan(5_000);
  });

  it('gives up at once on a refused connection, after its attempts', async () => {
    // Act
    const { error, ms } = await failureOf(`http://127.0.0.1:${await closedPort()}`);

    // Assess
    expect(isStoreUnavailable(error)).toBe(true);
    expect(error?.$metadata?.attempts).toBe(DEFAULT_STORE_TIMEOUTS.maxAttempts);
    expect(ms).toBeLessThan(2_000);
  });
});
