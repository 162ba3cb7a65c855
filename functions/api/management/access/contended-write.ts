import { setTimeout as sleep } from 'node:timers/promises';
import type { AccountPolicy } from '../../../store/policy-cache.js';
import { UndecidableError } from '../../http/errors.js';
import type { ManagementContext } from '../management-context.js';
import { type WritePlan, writeAccount } from '../write-account.js';

/** How many times a write is handed to `writeAccount` before its 503 is passed on. */
const ROUNDS = 4;

/** Upper bound of the random pause before round `n + 1`, in milliseconds: `n × STEP_MS`. */
const STEP_MS = 25;

/**
 * {@link writeAccount}, handed the same plan again after a random pause when it gives up under
 * contention (its 503 after its own immediate retries), up to {@link ROUNDS} times. Many concurrent
 * writers of one account then serialize instead of failing: without a pause they re-read and collide
 * in lock step. Safe because a plan is re-made from fresh state each time and must be idempotent.
 */
export async function writeAccess<T>(
  context: ManagementContext,
  accountId: string,
  plan: (policy: AccountPolicy) => WritePlan<T> | Promise<WritePlan<T>>,
): Promise<T> {
  for (let round = 1; ; round++) {
    try {
      return await writeAccount(context, accountId, plan);
    } catch (error) {
      if (!(error instanceof UndecidableError) || round >= ROUNDS) throw error;
      await sleep(Math.random() * round * STEP_MS);
    }
  }
}
