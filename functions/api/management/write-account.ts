import { fieldError } from '../../core/validation/field-error.js';
import { recordMetric } from '../../observability/metrics.js';
import {
  type ChangeOperation,
  ChangeTooLargeError,
  commitChange,
  ItemConflictError,
} from '../../store/change-log.js';
import { RetriesExhaustedError, untilCommitted } from '../../store/optimistic-write.js';
import type { AccountPolicy } from '../../store/policy-cache.js';
import { recordAccountVersion, requestStillOpen } from '../http/consistency-token.js';
import {
  ConflictError,
  DeadlineExceededError,
  NotFoundError,
  UndecidableError,
  WriteTooLargeError,
} from '../http/errors.js';
import { writeQueueOf } from './account-write-queue.js';
import { requireNoEscalation, type WriteActor } from './escalation-guard.js';
import type { ManagementContext } from './management-context.js';
import { auditItemOf } from './write-audit.js';

/** The most operations one transaction carries (DynamoDB allows 100; two go to the version and the log). */
export const MAX_OPERATIONS_PER_COMMIT = 90;
/** Attempts before giving up with 503: with the pauses below, about 5 s of contention at most. */
const MAX_ATTEMPTS = 40;

/** {@link contentionPauseMs} lives with the store's one optimistic-write loop; re-exported for callers of this module. */
export { contentionPauseMs } from '../../store/optimistic-write.js';

function tooLarge(field: string, reason: string, cause?: unknown): WriteTooLargeError {
  return new WriteTooLargeError(
    'The change cannot be stored: it exceeds what one atomic write can hold; nothing was applied',
    [fieldError(field, reason)],
    cause === undefined ? undefined : { cause },
  );
}

/** Where a write stands when it is planned again. */
export interface WriteProgress {
  /**
   * True once a prefix of this write has committed (a plan larger than one transaction): the state
   * already holds part of the write, which may have removed what authorized it (a cascade that
   * deletes the caller's own assignments), so such a re-plan finishes the write without re-authorizing.
   */
  readonly continuing: boolean;
}

/** What a write plans against the current policy: the operations, and what to answer once committed. */
export interface WritePlan<T> {
  readonly operations: readonly ChangeOperation[];
  readonly result: T;
  /** The request field a 413 names when the write cannot fit DynamoDB's limits (default `body`). */
  readonly sizeField?: string;
}

/**
 * The operations one commit carries: all of them when those sent in the transaction (all but staged
 * and retired ones) fit {@link MAX_OPERATIONS_PER_COMMIT}, else a prefix — which may not contain
 * staged items (their group would switch before all of them exist), so such a plan is too large.
 */
function commitBatch(operations: readonly ChangeOperation[]): readonly ChangeOperation[] | undefined {
  const transacted = operations.filter(
    (operation) => operation.kind !== 'stage' && operation.kind !== 'retire',
  );
  if (transacted.length <= MAX_OPERATIONS_PER_COMMIT) return operations;
  if (operations.some((operation) => operation.kind === 'stage')) return undefined;
  return operations.slice(0, MAX_OPERATIONS_PER_COMMIT);
}

/**
 * Applies a write to an account with optimistic concurrency: reads the current policy, asks `plan`
 * for operations (plan validates and authorizes against that state and throws 4xx errors), refuses
 * them (403) when they would give anyone access `actor` does not hold (`escalation-guard.ts`), commits
 * them with the change-log entry and the write's audit record (`write-audit.ts`), and re-plans from fresh state when another writer got there first.
 * A plan larger than one transaction is committed in prefixes of {@link MAX_OPERATIONS_PER_COMMIT}
 * and re-planned after each (told so by {@link WriteProgress}), so `plan` must order dependants first
 * (e.g. assignments before what they point at) and be idempotent. After a version conflict it pauses a jittered, growing while before
 * re-planning; an item condition that still fails is a 409, and endless contention a 503. Writes of
 * one account on one instance (one policy cache) run one after another (`account-write-queue.ts`),
 * so they never conflict with each other; only writers on other instances do. A write whose request
 * was answered while it waited (503 at the deadline) is dropped when its turn comes, unapplied.
 */
export function writeAccount<T>(
  context: ManagementContext,
  accountId: string,
  actor: WriteActor,
  plan: (policy: AccountPolicy, progress: WriteProgress) => WritePlan<T> | Promise<WritePlan<T>>,
): Promise<T> {
  return writeQueueOf(context.cache).run(accountId, () => {
    // A request answered while its write waited (503 at its deadline) must not change anything later.
    if (!requestStillOpen()) {
      throw new DeadlineExceededError('The request ran past its deadline before its write started');
    }
    return planAndCommit(context, accountId, actor, plan);
  });
}

type BatchOutcome<T> = { readonly done: true; readonly result: T } | { readonly done: false };

/**
 * {@link writeAccount}'s loop, run when the instance's earlier writes of the account are done: each
 * transaction of the write is retried by the store's optimistic-write loop (`untilCommitted`), and a
 * plan larger than one transaction goes on with its next prefix, told that it is continuing.
 */
async function planAndCommit<T>(
  context: ManagementContext,
  accountId: string,
  actor: WriteActor,
  plan: (policy: AccountPolicy, progress: WriteProgress) => WritePlan<T> | Promise<WritePlan<T>>,
): Promise<T> {
  let continuing = false;
  for (;;) {
    let outcome: BatchOutcome<T>;
    try {
      outcome = await untilCommitted(() => commitNextBatch(context, accountId, actor, plan, { continuing }), {
        maxAttempts: MAX_ATTEMPTS,
        onConflict: () => recordMetric('WriteConflicts'),
      });
    } catch (error) {
      if (!(error instanceof RetriesExhaustedError)) throw error;
      recordMetric('WriteRetriesExhausted');
      throw new UndecidableError('Too many concurrent changes to this account; nothing more was applied', {
        cause: error,
      });
    }
    if (outcome.done) return outcome.result;
    continuing = true;
  }
}

/** Plans on the current policy and commits the plan, or its first transaction's worth; a lost race throws `VersionConflictError`. */
async function commitNextBatch<T>(
  context: ManagementContext,
  accountId: string,
  actor: WriteActor,
  plan: (policy: AccountPolicy, progress: WriteProgress) => WritePlan<T> | Promise<WritePlan<T>>,
  progress: WriteProgress,
): Promise<BatchOutcome<T>> {
  const policy = await context.cache.current(accountId);
  if (!policy) throw new NotFoundError(`Account ${accountId} does not exist`);
  const { operations, result, sizeField = 'body' } = await plan(policy, progress);
  if (operations.length === 0) {
    recordAccountVersion(policy.version);
    return { done: true, result };
  }
  requireNoEscalation(actor, policy, operations);
  const batch = commitBatch(operations);
  if (!batch) throw tooLarge(sizeField, 'it changes too many items besides a group member set at once');
  const audit = auditItemOf(policy, actor, batch, context.now(), context.auditRetentionMonths);
  try {
    const committed = await commitChange(
      context.target,
      accountId,
      policy.version,
      batch,
      audit ? { alsoPut: [audit] } : {},
    );
    recordAccountVersion(committed.version);
  } catch (error) {
    if (error instanceof ChangeTooLargeError) throw tooLarge(sizeField, error.message, error);
    if (error instanceof ItemConflictError) {
      recordMetric('WriteItemConflicts');
      throw new ConflictError(
        'The request conflicts with the current state; it was not applied',
        'CONFLICT',
        {
          cause: error,
        },
      );
    }
    throw error;
  }
  return batch === operations ? { done: true, result } : { done: false };
}
