import { setTimeout as sleep } from 'node:timers/promises';
import { VersionConflictError } from './change-log.js';

/**
 * The one optimistic-write loop of the store (DESIGN §5): every writer of an account — the API's
 * `writeAccount`, bootstrap, the settings writer — reads the account's version, plans, and commits
 * on that version; when another writer got there first (`VersionConflictError`) it pauses a
 * jittered, growing while and tries again from a fresh read, a bounded number of times.
 */

/** The first retry waits up to this long; each later one up to twice as long as the one before. */
const BACKOFF_BASE_MS = 5;
/** The longest pause between two attempts. */
const BACKOFF_CAP_MS = 250;

/** Every attempt of a write lost the race for the account's version. */
export class RetriesExhaustedError extends Error {
  override readonly name = 'RetriesExhaustedError';
}

/**
 * A random pause in [0, min(cap, base × 2^attempt)) ("full jitter"): writers that collided do not
 * re-read and collide again in lock step, so many concurrent writers of one account serialize.
 */
export function contentionPauseMs(attempt: number, random: () => number = Math.random): number {
  return random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
}

/** How {@link untilCommitted} retries. */
export interface RetryOptions {
  /** Attempts before {@link RetriesExhaustedError}. */
  readonly maxAttempts: number;
  /** Told of each lost race (e.g. to count it). */
  readonly onConflict?: () => void;
}

/**
 * Runs `attempt` (which reads, plans and commits) until it does not lose the race: a
 * `VersionConflictError` starts it again after {@link contentionPauseMs}; any other error ends it.
 */
export async function untilCommitted<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
  for (let number = 1; number <= options.maxAttempts; number++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      options.onConflict?.();
      if (number < options.maxAttempts) await sleep(contentionPauseMs(number));
    }
  }
  throw new RetriesExhaustedError(`every one of ${options.maxAttempts} attempts lost to concurrent writers`);
}
