import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** One accepted cdk-nag finding: its id (with the finding in brackets when the rule has several) and why. */
export interface NagAcknowledgement {
  readonly id: string;
  readonly reason: string;
}

/**
 * Every cdk-nag (AwsSolutions) finding the stack accepts, each acknowledged on the construct it is
 * about (README, "Deploy to AWS"). Any other finding fails `cdk synth` and the infra tests.
 */
export const NAG_ACKNOWLEDGEMENTS = {
  basicExecutionRole: {
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: 'The function uses the AWS managed basic execution role only to write to its own log group.',
  },
  nodeRuntime: {
    id: 'AwsSolutions-L1',
    reason:
      'DESIGN §11 fixes Node.js 22 for every function; the runtime is upgraded deliberately, not by default.',
  },
  authenticationInFunctions: {
    id: 'AwsSolutions-APIG4',
    reason:
      'Routes authenticate in the functions (x-api-key tokens checked against the cached account policy), as the Harness API contract requires; /health, /openapi.json and the invite accept are public by design.',
  },
  xrayTracing: {
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'With tracing on (context tracing=true), X-Ray PutTraceSegments and PutTelemetryRecords take no resource ARN; CDK grants them on * and nothing else.',
  },
  snapshotAccessLogs: {
    id: 'AwsSolutions-S1',
    reason:
      "The snapshot bucket holds derived, regenerable data written only by the publisher function; its reads and writes are in the functions' logs, so S3 server access logs would add a second log bucket without adding an audit trail.",
  },
  snapshotObjects: {
    id: 'AwsSolutions-IAM5[Resource::<SnapshotsBucket4B2233F7.Arn>/policy-snapshots/*]',
    reason:
      'Snapshot objects are one per account under policy-snapshots/; the grant names that prefix and the object actions exactly (GetObject, PutObject for the publisher).',
  },
  deadLetterQueue: {
    id: 'AwsSolutions-SQS3',
    reason: 'This queue is itself the dead-letter queue of the invite cleanup schedule.',
  },
} as const satisfies Record<string, NagAcknowledgement>;

/** Acknowledges one finding on `construct` and everything below it. */
export function acknowledgeNagFinding(construct: IConstruct, acknowledgement: NagAcknowledgement): void {
  Validations.of(construct).acknowledge(acknowledgement);
}
