/**
 * The names the functions log and publish under, shared with the stack (`lib/`), whose dashboard and
 * alarms must name exactly what the functions emit. Pure constants: no Powertools import.
 */

/** The `service` of every log line and the `service` dimension of every metric. */
export const SERVICE_NAME = 'nextgen-rbac';

/** The CloudWatch namespace of the EMF metrics. */
export const METRICS_NAMESPACE = 'NextgenRbac';

/** Every application metric with its CloudWatch unit. */
export const METRIC_UNITS = {
  /** Access checks decided (one ACL request carries up to 1,000). */
  Checks: 'Count',
  /** Checks answered `permitted: true`. */
  ChecksAllowed: 'Count',
  /** Checks answered `permitted: false`. */
  ChecksDenied: 'Count',
  /** Requests answered 503: a decision or write that could not be computed (never an allow). */
  Undecidable: 'Count',
  /** Requests answered 4xx. */
  ClientErrors: 'Count',
  /** Requests answered 5xx (503 included). */
  ServerErrors: 'Count',
  /** Time from the request's arrival to its response. */
  RequestLatency: 'Milliseconds',
  /** DynamoDB commands one request sent. */
  DynamoDbCallsPerRequest: 'Count',
  /** Full reads of an account partition by the policy cache (cold, too old, gap or bulk load). */
  PolicyCacheColdLoads: 'Count',
  /** Items read by one cold load. */
  PolicyCacheColdLoadItems: 'Count',
  /** How long one cold load took (partition pages, snapshot and evaluator build). */
  PolicyCacheColdLoadDuration: 'Milliseconds',
  /** Change-log entries replayed by one catch-up (0 on the usual warm request). */
  PolicyCacheCatchUpChanges: 'Count',
  /** How long one catch-up took (the change-log Query and any replay). */
  PolicyCacheCatchUpDuration: 'Milliseconds',
  /** Items of an account that did not decode when the policy cache read them (each grants nothing). */
  MalformedPolicyItems: 'Count',
  /** Writes that lost the optimistic-concurrency race and were re-planned (one per retry). */
  WriteConflicts: 'Count',
  /** Writes refused with 409 because an item condition still failed on fresh state. */
  WriteItemConflicts: 'Count',
  /** Writes given up with 503 after every retry lost to concurrent writers. */
  WriteRetriesExhausted: 'Count',
  /** Invites the cleanup job marked expired. */
  InvitesExpired: 'Count',
  /** Expired invites the cleanup job deleted. */
  InvitesDeleted: 'Count',
} as const;

/** The name of an application metric. */
export type MetricName = keyof typeof METRIC_UNITS;
