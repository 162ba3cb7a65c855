import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, type RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { deployedEndpoints } from '../functions/api/route-table.js';
import { ApiFunction } from './api-function.js';
import { InviteCleanupSchedule } from './invite-cleanup-schedule.js';
import { acknowledgeNagFinding, NAG_ACKNOWLEDGEMENTS } from './nag-acknowledgements.js';
import { RbacAlarms } from './rbac-alarms.js';
import { RbacDashboard } from './rbac-dashboard.js';
import { RbacHttpApi } from './rbac-http-api.js';
import { RbacTable } from './rbac-table.js';
import { SnapshotBucket } from './snapshot-bucket.js';
import { grantTableAccess } from './table-access.js';

/** Settings of the stack (from CDK context keys in `bin/app.ts`). */
export interface NextgenRbacStackProps extends StackProps {
  /** What happens to the table when the stack is deleted (context `tableRemovalPolicy`, default retain). */
  readonly tableRemovalPolicy: RemovalPolicy;
  /** Retention of every log group (context `logRetentionDays`, default 30). */
  readonly logRetention: RetentionDays;
  /** Stage throttling: steady requests per second (context `throttleRateLimit`, default 100). */
  readonly throttleRateLimit: number;
  /** Stage throttling: burst (context `throttleBurstLimit`, default 200). */
  readonly throttleBurstLimit: number;
  /** The page invite mails link to (context `inviteAcceptUrl`; default the console's `<ApiUrl>/console/invite`). */
  readonly inviteAcceptUrl?: string;
  /** Active X-Ray tracing with the Powertools Tracer on every function (context `tracing`, default off). */
  readonly tracing?: boolean;
  /** Months audit records are kept unless an account sets its own (context `auditRetentionMonths`, default 12). */
  readonly auditRetentionMonths?: number;
  /** Optional OIDC user authentication: the issuer, audience and (optionally) JWKS URL of users' JWTs. */
  readonly oidc?: { readonly issuer: string; readonly audience: string; readonly jwksUrl?: string };
}

function entry(relative: string): string {
  return fileURLToPath(new URL(`../functions/${relative}`, import.meta.url));
}

/**
 * The whole product in one env-agnostic stack (no lookups): the table, the snapshot bucket and its
 * stream-fed publisher, the authorize, management, invite-cleanup and console functions with
 * least-privilege grants (the console's has none), the HTTP API, the hourly cleanup schedule with its
 * dead-letter queue, the `InviteSent` event bus, a CloudWatch dashboard and alarms.
 */
export class NextgenRbacStack extends Stack {
  constructor(scope: Construct, id: string, props: NextgenRbacStackProps) {
    super(scope, id, props);
    const { table } = new RbacTable(this, 'Store', { removalPolicy: props.tableRemovalPolicy });
    const inviteEvents = new EventBus(this, 'InviteEvents', {
      description: 'nextgen-rbac InviteSent events',
    });
    const tableEnvironment = { TABLE_NAME: table.tableName };
    const apiEnvironment = {
      ...tableEnvironment,
      AUDIT_RETENTION_MONTHS: String(props.auditRetentionMonths ?? 12),
      ...(props.oidc
        ? {
            OIDC_ISSUER: props.oidc.issuer,
            OIDC_AUDIENCE: props.oidc.audience,
            ...(props.oidc.jwksUrl ? { OIDC_JWKS_URL: props.oidc.jwksUrl } : {}),
          }
        : {}),
    };
    const authorize = new ApiFunction(this, 'Authorize', {
      entry: entry('api/lambda/authorize-handler.ts'),
      description: 'nextgen-rbac access checks (POST /authz/api/acl)',
      memorySize: 1024,
      timeout: Duration.seconds(10),
      environment: apiEnvironment,
      logRetention: props.logRetention,
      tracing: props.tracing ?? false,
    }).function;
    const management = new ApiFunction(this, 'Management', {
      entry: entry('api/lambda/management-handler.ts'),
      description: 'nextgen-rbac management API',
      memorySize: 1024,
      timeout: Duration.seconds(29),
      environment: {
        ...apiEnvironment,
        EVENT_BUS_NAME: inviteEvents.eventBusName,
      },
      logRetention: props.logRetention,
      tracing: props.tracing ?? false,
    }).function;
    const cleanup = new ApiFunction(this, 'InviteCleanup', {
      entry: entry('jobs/invite-cleanup-handler.ts'),
      description: 'nextgen-rbac hourly invite expiry and cleanup',
      memorySize: 512,
      timeout: Duration.minutes(5),
      environment: tableEnvironment,
      logRetention: props.logRetention,
      tracing: props.tracing ?? false,
    }).function;
    const consoleFunction = new ApiFunction(this, 'Console', {
      entry: entry('api/lambda/console-handler.ts'),
      description: 'nextgen-rbac web console (static assets at /console/)',
      memorySize: 256,
      timeout: Duration.seconds(5),
      environment: props.oidc ? { OIDC_ISSUER: props.oidc.issuer, OIDC_AUDIENCE: props.oidc.audience } : {},
      logRetention: props.logRetention,
      tracing: props.tracing ?? false,
      afterBundling: (outputDir) => [
        `node --import tsx console/build.ts --out ${JSON.stringify(`${outputDir}/console`)}`,
      ],
    }).function;
    const snapshots = new SnapshotBucket(this, 'Snapshots');
    const snapshotEnvironment = { SNAPSHOT_BUCKET: snapshots.bucket.bucketName };
    authorize.addEnvironment('SNAPSHOT_BUCKET', snapshots.bucket.bucketName);
    management.addEnvironment('SNAPSHOT_BUCKET', snapshots.bucket.bucketName);
    const publisher = new ApiFunction(this, 'SnapshotPublisher', {
      entry: entry('jobs/snapshot-publisher-handler.ts'),
      description: 'nextgen-rbac account policy snapshots, published from the change log stream',
      memorySize: 1024,
      timeout: Duration.minutes(2),
      environment: { ...tableEnvironment, ...snapshotEnvironment },
      logRetention: props.logRetention,
      tracing: props.tracing ?? false,
    }).function;
    const streamArn = table.tableStreamArn;
    if (!streamArn) throw new Error('the table has no stream');
    publisher.addEventSourceMapping('ChangeLogStream', {
      eventSourceArn: streamArn,
      startingPosition: StartingPosition.LATEST,
      batchSize: 100,
      maxBatchingWindow: Duration.seconds(5),
      retryAttempts: 3,
      filters: [
        FilterCriteria.filter({
          eventName: FilterRule.isEqual('INSERT'),
          dynamodb: { NewImage: { entity: { S: FilterRule.isEqual('Change') } } },
        }),
      ],
    });
    publisher.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
        resources: [streamArn],
      }),
    );
    snapshots.grant(authorize, 'read');
    snapshots.grant(management, 'read');
    snapshots.grant(publisher, 'publish');
    for (const fn of [authorize, management, publisher]) {
      acknowledgeNagFinding(fn, NAG_ACKNOWLEDGEMENTS.snapshotObjects);
    }
    grantTableAccess(publisher, table, 'read');
    grantTableAccess(authorize, table, props.oidc ? 'read-and-record-sign-ins' : 'read');
    grantTableAccess(management, table, 'write');
    grantTableAccess(cleanup, table, 'write-and-index');
    inviteEvents.grantPutEventsTo(management);

    const http = new RbacHttpApi(this, 'Http', {
      endpoints: deployedEndpoints(),
      authorizeFunction: authorize,
      managementFunction: management,
      consoleFunction,
      throttleRateLimit: props.throttleRateLimit,
      throttleBurstLimit: props.throttleBurstLimit,
      logRetention: props.logRetention,
    });
    const consoleUrl = `${http.api.apiEndpoint}/console/`;
    management.addEnvironment('INVITE_ACCEPT_URL', props.inviteAcceptUrl ?? `${consoleUrl}invite`);
    const schedule = new InviteCleanupSchedule(this, 'InviteCleanupSchedule', { job: cleanup });
    new RbacDashboard(this, 'Dashboard', {
      functions: {
        Authorize: authorize,
        Management: management,
        InviteCleanup: cleanup,
        Console: consoleFunction,
      },
      api: http.api,
    });
    new RbacAlarms(this, 'Alarms', {
      functions: {
        Authorize: authorize,
        Management: management,
        InviteCleanup: cleanup,
        SnapshotPublisher: publisher,
        Console: consoleFunction,
      },
      api: http.api,
      table,
      deadLetterQueue: schedule.deadLetterQueue,
    });

    new CfnOutput(this, 'ApiUrl', { value: http.api.apiEndpoint, description: 'Base URL of the API' });
    new CfnOutput(this, 'ConsoleUrl', { value: consoleUrl, description: 'The web console' });
    new CfnOutput(this, 'SnapshotBucketName', {
      value: snapshots.bucket.bucketName,
      description: 'Account policy snapshots',
    });
    new CfnOutput(this, 'TableName', { value: table.tableName, description: 'The DynamoDB table' });
    new CfnOutput(this, 'EventBusName', {
      value: inviteEvents.eventBusName,
      description: 'InviteSent events',
    });
  }
}
