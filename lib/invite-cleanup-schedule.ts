import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeNagFinding, NAG_ACKNOWLEDGEMENTS } from './nag-acknowledgements.js';

/** Options of {@link InviteCleanupSchedule}. */
export interface InviteCleanupScheduleProps {
  /** The cleanup job's function. */
  readonly job: IFunction;
}

/**
 * Runs the invite cleanup hourly (DESIGN §7, §11) through an EventBridge rule: 2 retries, events older
 * than an hour dropped (the next run covers them), and failed events kept 14 days in an encrypted,
 * SSL-only dead-letter queue that an alarm watches.
 */
export class InviteCleanupSchedule extends Construct {
  /** The rule. */
  readonly rule: Rule;
  /** Where invocations that failed every retry land. */
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: InviteCleanupScheduleProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledgeNagFinding(this.deadLetterQueue, NAG_ACKNOWLEDGEMENTS.deadLetterQueue);
    this.rule = new Rule(this, 'Hourly', {
      description: 'Expire and clean up invites (nextgen-rbac)',
      schedule: Schedule.rate(Duration.hours(1)),
      targets: [
        new LambdaFunction(props.job, {
          retryAttempts: 2,
          maxEventAge: Duration.hours(1),
          deadLetterQueue: this.deadLetterQueue,
        }),
      ],
    });
  }
}
