import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Operation, type Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { applicationMetric } from './application-metric.js';

/** Options of {@link RbacAlarms}. */
export interface RbacAlarmsProps {
  /** The functions whose errors and throttles are watched, by a short name. */
  readonly functions: Readonly<Record<string, IFunction>>;
  /** The API whose 5xx answers are watched. */
  readonly api: HttpApi;
  /** The table whose throttled requests are watched. */
  readonly table: Table;
  /** The dead-letter queue of the cleanup schedule. */
  readonly deadLetterQueue: Queue;
}

const PERIOD = Duration.minutes(5);

/**
 * CloudWatch alarms (DESIGN §11): errors and throttles of each function, API 5xx, DynamoDB throttled
 * requests, any message in the cleanup's dead-letter queue, and the functions' own EMF metrics for
 * undecidable requests (503), writes that gave up after every retry and items that do not decode. Each fires on one bad 5-minute period;
 * missing data is fine (no traffic is not a failure).
 */
export class RbacAlarms extends Construct {
  /** Every alarm, by name. */
  readonly alarms: Record<string, Alarm> = {};

  constructor(scope: Construct, id: string, props: RbacAlarmsProps) {
    super(scope, id);
    for (const [name, fn] of Object.entries(props.functions)) {
      this.add(`${name}Errors`, fn.metricErrors({ period: PERIOD }), `${name} function errors`);
      this.add(`${name}Throttles`, fn.metricThrottles({ period: PERIOD }), `${name} function throttles`);
    }
    this.add(
      'Undecidable',
      applicationMetric('Undecidable', 'Sum', PERIOD),
      'requests answered 503: a decision or write could not be computed',
    );
    this.add(
      'WriteRetriesExhausted',
      applicationMetric('WriteRetriesExhausted', 'Sum', PERIOD),
      'writes given up after every retry lost to concurrent writers',
    );
    this.add(
      'MalformedPolicyItems',
      applicationMetric('MalformedPolicyItems', 'Sum', PERIOD),
      'items of an account that do not decode (each grants nothing until repaired)',
    );
    this.add('Api5xx', props.api.metricServerError({ period: PERIOD }), 'API answered 5xx');
    const operations = [
      Operation.GET_ITEM,
      Operation.QUERY,
      Operation.PUT_ITEM,
      Operation.UPDATE_ITEM,
      Operation.DELETE_ITEM,
      Operation.TRANSACT_WRITE_ITEMS,
      Operation.BATCH_GET_ITEM,
    ];
    this.add(
      'TableThrottles',
      props.table.metricThrottledRequestsForOperations({ operations, period: PERIOD }),
      'DynamoDB throttled requests',
    );
    this.add(
      'CleanupDeadLetters',
      props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: PERIOD,
        statistic: 'Maximum',
      }),
      'invite cleanup events in the dead-letter queue',
    );
  }

  private add(name: string, metric: IMetric, description: string): void {
    this.alarms[name] = new Alarm(this, name, {
      metric,
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: `nextgen-rbac: ${description}`,
    });
  }
}
