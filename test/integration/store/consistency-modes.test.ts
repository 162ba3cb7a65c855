import { beforeEach, describe, expect, it } from 'vitest';
import { accountScope } from '../../../functions/core/scope.js';
import {
  type ChangeLogTarget,
  commitChange,
  initializeAccount,
} from '../../../functions/store/change-log.js';
import { membershipItem } from '../../../functions/store/entities/users.js';
import { MINIMIZE_LATENCY_INTERVAL_MS, PolicyCache } from '../../../functions/store/policy-cache.js';
import { countCalls } from '../../support/call-counter.js';
import { createTestTable } from '../../support/dynamodb-test-table.js';

const ACCOUNT = 'acc';

describe('PolicyCache consistency modes (DynamoDB Local)', () => {
  let target: ChangeLogTarget;
  let clock: number;
  const meta = () => ({ createdAt: 0, lastModifiedAt: 0, version: 1 });
  const addMember = (version: number, user: string) =>
    commitChange(target, ACCOUNT, version, [
      { kind: 'create', item: membershipItem(ACCOUNT, user, accountScope(ACCOUNT), meta()) },
    ]);

  beforeEach(async () => {
    const table = await createTestTable();
    clock = 1_700_000_000_000;
    target = { client: table.client, tableName: table.tableName, now: () => clock };
    await initializeAccount(target, ACCOUNT);
  });

  it('at-least-as-fresh reads nothing once the cache is at the token, and catches up when it is behind', async () => {
    // Prepare
    const cache = new PolicyCache(target);
    await cache.current(ACCOUNT);
    await addMember(0, 'ann');
    const calls = countCalls(target.client);

    // Act
    const behind = await cache.current(ACCOUNT, { mode: 'at-least-as-fresh', version: 1 });
    const readsWhenBehind = calls.calls.length;
    calls.reset();
    const atToken = await cache.current(ACCOUNT, { mode: 'at-least-as-fresh', version: 1 });

    // Assess
    expect(behind?.version).toBe(1);
    expect(readsWhenBehind).toBe(1);
    expect(atToken?.version).toBe(1);
    expect(calls.calls).toEqual([]);
  });

  it('minimize-latency reads the change log at most once per interval, and sees a write after it', async () => {
    // Prepare
    const cache = new PolicyCache(target);
    await cache.current(ACCOUNT);
    await addMember(0, 'ann');
    const calls = countCalls(target.client);

    // Act
    const within = await Promise.all(
      Array.from({ length: 10 }, () => cache.current(ACCOUNT, { mode: 'minimize-latency' })),
    );
    const readsWithin = calls.calls.length;
    clock += MINIMIZE_LATENCY_INTERVAL_MS;
    const after = await cache.current(ACCOUNT, { mode: 'minimize-latency' });

    // Assess: the write is up to one interval stale, never more
    expect(within.every((policy) => policy?.version === 0)).toBe(true);
    expect(readsWithin).toBe(0);
    expect(after?.version).toBe(1);
    expect(calls.calls).toEqual(['QueryCommand']);
  });

  it('fully-consistent (the default) reads the change log on every request', async () => {
    // Prepare
    const cache = new PolicyCache(target);
    await cache.current(ACCOUNT);
    const calls = countCalls(target.client);

    // Act
    await cache.current(ACCOUNT);
    await cache.current(ACCOUNT, { mode: 'fully-consistent' });

    // Assess
    expect(calls.calls).toEqual(['QueryCommand', 'QueryCommand']);
  });
});
