import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { paginateQuery } from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError } from '../api/http/errors.js';
import type { WriteActor } from '../api/management/escalation-guard.js';
import type { ManagementContext } from '../api/management/management-context.js';
import { MAX_OPERATIONS_PER_COMMIT, writeAccount } from '../api/management/write-account.js';
import { cleanupAction } from '../core/invite.js';
import type { ChangeOperation } from '../store/change-log.js';
import { inviteItem } from '../store/entities/invites.js';
import { entityKey, itemsFiled } from '../store/indexed-items.js';
import { dueTimeKey, ENTITY, INVITES_DUE_GSI1PK, inviteSk, userSk } from '../store/keys.js';
import { type AccountPolicy, PolicyCache } from '../store/policy-cache.js';
import { findInvite, findUser } from '../store/readers/user-readers.js';
import { GSI1_NAME } from '../store/table-definition.js';

/** The cleanup job acts as a system actor: it only removes, and the guard refuses anything else. */
const CLEANUP_ACTOR: WriteActor = { kind: 'SYSTEM', job: 'invite cleanup' };

/**
 * The invite cleanup job (DESIGN §7), run hourly in AWS and by `POST /local/jobs/invite-cleanup`.
 *
 * It pages through GSI1 `INVITE_DUE`, where every invite is indexed by the time the job next has to
 * act on it (link expiry while `PENDING`, the deletion time once `EXPIRED`), reading only the invites
 * due by now. The index is eventually consistent, so it only nominates candidates: each account's
 * candidates are decided against the account's strongly consistent state and written through
 * `writeAccount` (one change-log transaction under the account's version), so an invite accepted,
 * resent or deleted meanwhile is re-read and left alone, and nothing is ever half-deleted. A
 * `PENDING` invite past its link expiry is marked `EXPIRED` (and re-indexed at its deletion time);
 * an invite past its deletion time is deleted with its user when that user is still pending and has
 * no other invite. Accepted users are never touched (an accepted invite no longer exists, and active
 * users are never deleted). Idempotent: a second run at the same time finds nothing due.
 * DynamoDB's TTL on invites is a backstop only.
 */

/** Candidates read from the index per page. */
export const CLEANUP_PAGE_SIZE = 100;

/** How often one account's state is reloaded after an item conflict before the run gives up. */
const MAX_RELOADS = 3;

/** The time budget when the caller gives no deadline. */
export const DEFAULT_CLEANUP_BUDGET_MS = 5 * 60 * 1000;

/** What one run did. */
export interface InviteCleanupResult {
  /** Invites marked `EXPIRED`. */
  readonly expired: number;
  /** Invites deleted (each with its pending user when no other invite keeps it). */
  readonly deleted: number;
}

/** Where the job runs and how it tells time. */
export interface InviteCleanupOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** The clock (epoch ms) every decision is made with. */
  readonly now: () => number;
  /** Stop starting new work once `now()` reaches this time (epoch ms on the same clock). */
  readonly deadlineMs?: number;
}

/** One committed step for an account: its counts and the candidates still to look at. */
interface AccountStep extends InviteCleanupResult {
  readonly remaining: readonly string[];
}

/**
 * Plans one transaction for `accountId` against its current state: the candidates are taken in order
 * until the next one would not fit into one commit; those left over are returned as `remaining`.
 */
function planStep(policy: AccountPolicy, candidates: readonly string[], now: number) {
  const invitesPerUser = new Map<string, number>();
  for (const item of itemsFiled(policy.items, entityKey(ENTITY.Invite), (i) => i.entity === ENTITY.Invite)) {
    const userId = String(item.userId);
    invitesPerUser.set(userId, (invitesPerUser.get(userId) ?? 0) + 1);
  }
  const operations: ChangeOperation[] = [];
  let expired = 0;
  let deleted = 0;
  let taken = 0;
  for (const inviteId of candidates) {
    const found = findInvite(policy.items, policy.accountId, inviteId);
    const action = found ? cleanupAction(found.value, now) : 'NONE';
    const step: ChangeOperation[] = [];
    if (found && action === 'EXPIRE') {
      const { value, meta } = found;
      const item = inviteItem(
        policy.accountId,
        { ...value, state: 'EXPIRED' },
        { ...meta, version: meta.version + 1, lastModifiedAt: now },
      );
      step.push({ kind: 'replace', item, expectedVersion: meta.version });
    }
    const userId = found?.value.userId ?? '';
    const lastInviteOfUser = (invitesPerUser.get(userId) ?? 0) <= 1;
    if (found && action === 'DELETE') {
      step.push({ kind: 'delete', sk: inviteSk(inviteId) });
      if (lastInviteOfUser && findUser(policy.items, userId)?.value.status === 'PENDING') {
        step.push({ kind: 'delete', sk: userSk(userId) });
      }
    }
    if (operations.length + step.length > MAX_OPERATIONS_PER_COMMIT) break;
    operations.push(...step);
    taken++;
    if (action === 'EXPIRE') expired++;
    if (action === 'DELETE') {
      deleted++;
      invitesPerUser.set(userId, (invitesPerUser.get(userId) ?? 1) - 1);
    }
  }
  const result: AccountStep = { expired, deleted, remaining: candidates.slice(taken) };
  return { operations, result };
}

/** Processes the candidates of one account in as many transactions as needed, within the deadline. */
async function cleanAccount(
  context: ManagementContext,
  accountId: string,
  candidates: readonly string[],
  pastDeadline: () => boolean,
): Promise<InviteCleanupResult> {
  let expired = 0;
  let deleted = 0;
  let remaining = candidates;
  let conflicts = 0;
  while (remaining.length > 0 && !pastDeadline()) {
    let step: AccountStep;
    try {
      step = await writeAccount(context, accountId, CLEANUP_ACTOR, (policy) =>
        planStep(policy, remaining, context.now()),
      );
    } catch (error) {
      if (error instanceof NotFoundError) break;
      // An item changed outside the change log (DynamoDB's TTL backstop removed an invite): reload and re-plan.
      if (error instanceof ConflictError && ++conflicts <= MAX_RELOADS) {
        context.cache.clear();
        continue;
      }
      throw error;
    }
    expired += step.expired;
    deleted += step.deleted;
    remaining = step.remaining;
  }
  return { expired, deleted };
}

/** The account and invite named by an index entry's `GSI1SK` (`<due>#<accountId>#<inviteId>`). */
function candidateOf(item: Record<string, unknown>): { accountId: string; inviteId: string } | undefined {
  const [, accountId, inviteId] = String(item.GSI1SK).split('#');
  return accountId && inviteId ? { accountId, inviteId } : undefined;
}

/**
 * Runs the invite cleanup once: marks invites past their link expiry `EXPIRED` and deletes invites
 * past their deletion time with their pending users (see the module comment). Stops starting new
 * work at `deadlineMs`; whatever is left is due again on the next run. Returns the counts.
 */
export async function runInviteCleanup(options: InviteCleanupOptions): Promise<InviteCleanupResult> {
  const { client, tableName, now } = options;
  const deadline = options.deadlineMs ?? now() + DEFAULT_CLEANUP_BUDGET_MS;
  const pastDeadline = () => now() >= deadline;
  const context: ManagementContext = {
    cache: new PolicyCache({ client, tableName, now }),
    target: { client, tableName, now },
    now,
  };
  let expired = 0;
  let deleted = 0;
  const pages = paginateQuery(
    { client, pageSize: CLEANUP_PAGE_SIZE },
    {
      TableName: tableName,
      IndexName: GSI1_NAME,
      KeyConditionExpression: 'GSI1PK = :pk AND GSI1SK < :until',
      ExpressionAttributeValues: { ':pk': INVITES_DUE_GSI1PK, ':until': dueTimeKey(now() + 1) },
    },
  );
  for await (const page of pages) {
    const byAccount = new Map<string, string[]>();
    for (const item of page.Items ?? []) {
      const candidate = candidateOf(item);
      if (!candidate) continue;
      byAccount.set(candidate.accountId, [...(byAccount.get(candidate.accountId) ?? []), candidate.inviteId]);
    }
    for (const [accountId, candidates] of byAccount) {
      if (pastDeadline()) break;
      const counts = await cleanAccount(context, accountId, candidates, pastDeadline);
      expired += counts.expired;
      deleted += counts.deleted;
    }
    if (pastDeadline()) break;
  }
  return { expired, deleted };
}
