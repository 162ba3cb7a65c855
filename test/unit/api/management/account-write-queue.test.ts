import { describe, expect, it } from 'vitest';
import { AccountWriteQueue, writeQueueOf } from '../../../../functions/api/management/account-write-queue.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('AccountWriteQueue', () => {
  it('runs the writes of one account one after another, in arrival order', async () => {
    // Prepare
    const queue = new AccountWriteQueue();
    const events: string[] = [];
    const write = (name: string) => async () => {
      events.push(`start ${name}`);
      await tick();
      events.push(`end ${name}`);
      return name;
    };
    // Act
    const results = await Promise.all([
      queue.run('a', write('1')),
      queue.run('a', write('2')),
      queue.run('a', write('3')),
    ]);
    // Assess
    expect(results).toEqual(['1', '2', '3']);
    expect(events).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('runs writes of different accounts side by side', async () => {
    // Prepare
    const queue = new AccountWriteQueue();
    const events: string[] = [];
    const write = (name: string) => async () => {
      events.push(`start ${name}`);
      await tick();
      events.push(`end ${name}`);
    };
    // Act
    await Promise.all([queue.run('a', write('a')), queue.run('b', write('b'))]);
    // Assess
    expect(events.slice(0, 2).sort()).toEqual(['start a', 'start b']);
  });

  it('goes on after a write that fails, which fails alone, and forgets idle accounts', async () => {
    // Prepare
    const queue = new AccountWriteQueue();
    // Act
    const failed = queue.run('a', async () => {
      throw new Error('refused');
    });
    const next = queue.run('a', async () => 'committed');
    // Assess
    await expect(failed).rejects.toThrow('refused');
    await expect(next).resolves.toBe('committed');
    await tick();
    expect(queue.busyAccounts).toBe(0);
  });

  it('gives each instance its own queue', () => {
    // Prepare
    const one = {};
    const other = {};
    // Act and assess
    expect(writeQueueOf(one)).toBe(writeQueueOf(one));
    expect(writeQueueOf(one)).not.toBe(writeQueueOf(other));
  });
});
