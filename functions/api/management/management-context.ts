import type { ChangeLogTarget } from '../../store/change-log.js';
import type { PolicyCache } from '../../store/policy-cache.js';

/** What management routes need: the policy cache for reads and authorization, the table for writes, the clock. */
export interface ManagementContext {
  readonly cache: PolicyCache;
  readonly target: ChangeLogTarget;
  readonly now: () => number;
}
