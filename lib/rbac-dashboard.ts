import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Dashboard, GraphWidget, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { MetricName } from '../functions/observability/telemetry-names.js';
import { applicationMetric } from './application-metric.js';

/** Options of {@link RbacDashboard}. */
export interface RbacDashboardProps {
  /** The functions whose invocations, errors and durations are shown, by a short name. */
  readonly functions: Readonly<Record<string, IFunction>>;
  /** The API whose requests and errors are shown. */
  readonly api: HttpApi;
}

const PERIOD = Duration.minutes(5);

function sums(...names: MetricName[]): IMetric[] {
  return names.map((name) => applicationMetric(name, 'Sum', PERIOD));
}

function percentiles(name: MetricName): IMetric[] {
  return ['p50', 'p99', 'Maximum'].map((statistic) =>
    applicationMetric(name, statistic, PERIOD).with({ label: `${name} ${statistic}` }),
  );
}

/**
 * One CloudWatch dashboard of the service: decisions (checks, allowed, denied, undecidable), API
 * answers (4xx, 5xx, latency), DynamoDB calls per request, the policy cache (cold loads, their items
 * and durations, catch-up sizes and durations), writes (conflicts, item conflicts, exhausted
 * retries), invite cleanup, and each function's invocations, errors and duration.
 */
export class RbacDashboard extends Construct {
  /** The dashboard. */
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: RbacDashboardProps) {
    super(scope, id);
    const functions = Object.entries(props.functions);
    this.dashboard = new Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(3),
      widgets: [
        [
          new GraphWidget({
            title: 'Access checks',
            left: sums('Checks', 'ChecksAllowed', 'ChecksDenied'),
            right: sums('Undecidable'),
            width: 12,
          }),
          new GraphWidget({
            title: 'API answers',
            left: [props.api.metricCount({ period: PERIOD }), ...sums('ClientErrors', 'ServerErrors')],
            right: percentiles('RequestLatency'),
            width: 12,
          }),
        ],
        [
          new GraphWidget({
            title: 'DynamoDB calls per request',
            left: percentiles('DynamoDbCallsPerRequest'),
            width: 8,
          }),
          new GraphWidget({
            title: 'Policy cache cold loads',
            left: sums('PolicyCacheColdLoads', 'MalformedPolicyItems'),
            right: [
              ...percentiles('PolicyCacheColdLoadDuration'),
              ...percentiles('PolicyCacheColdLoadItems'),
            ],
            width: 8,
          }),
          new GraphWidget({
            title: 'Policy cache catch-ups',
            left: percentiles('PolicyCacheCatchUpChanges'),
            right: percentiles('PolicyCacheCatchUpDuration'),
            width: 8,
          }),
        ],
        [
          new GraphWidget({
            title: 'Writes under contention',
            left: sums('WriteConflicts', 'WriteItemConflicts', 'WriteRetriesExhausted'),
            width: 8,
          }),
          new GraphWidget({
            title: 'Invite cleanup',
            left: sums('InvitesExpired', 'InvitesDeleted'),
            width: 8,
          }),
          new GraphWidget({
            title: 'Functions',
            left: functions.flatMap(([name, fn]) => [
              fn.metricInvocations({ period: PERIOD, label: `${name} invocations` }),
              fn.metricErrors({ period: PERIOD, label: `${name} errors` }),
            ]),
            right: functions.map(([name, fn]) =>
              fn.metricDuration({ period: PERIOD, statistic: 'p99', label: `${name} p99 duration` }),
            ),
            width: 8,
          }),
        ],
      ],
    });
  }
}
