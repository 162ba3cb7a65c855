import type { ChangeLogTarget } from '../../store/change-log.js';
import type { PolicyCache } from '../../store/policy-cache.js';
import type { InviteDelivery } from './invites/invite-notifier.js';

/** What management routes need: the policy cache for reads and authorization, the table for writes, the clock. */
export interface ManagementContext {
  readonly cache: PolicyCache;
  readonly target: ChangeLogTarget;
  readonly now: () => number;
  /** How invites are delivered (EventBridge in AWS, the local mailbox locally); without it, inviting answers 503. */
  readonly invites?: InviteDelivery;
  /** Months audit records are kept when the account sets none (stack context `auditRetentionMonths`; default 12). */
  readonly auditRetentionMonths?: number;
}
