import { App, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUTHORIZE_PATHS, deployedEndpoints } from '../../functions/api/route-table.js';
import { NextgenRbacStack, type NextgenRbacStackProps } from '../../lib/nextgen-rbac-stack.js';
import { CONSOLE_ROUTE_PATHS } from '../../lib/rbac-http-api.js';

const CONSOLE_DESCRIPTION = 'nextgen-rbac web console (static assets at /console/)';

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };

/** The stack as `bin/app.ts` builds it with its defaults; bundling is skipped (the synth test bundles). */
function synthesize(
  removal = RemovalPolicy.RETAIN,
  extra: Partial<NextgenRbacStackProps> = {},
): { app: App; template: Template } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new NextgenRbacStack(app, 'NextgenRbac', {
    tableRemovalPolicy: removal,
    logRetention: RetentionDays.ONE_MONTH,
    throttleRateLimit: 100,
    throttleBurstLimit: 200,
    ...extra,
  });
  return { app, template: Template.fromStack(stack) };
}

function resourcesOf(template: Template, type: string): Record<string, Resource> {
  return template.findResources(type) as Record<string, Resource>;
}

function logicalIdOf(template: Template, type: string, description: string): string {
  const [id] = Object.entries(resourcesOf(template, type)).find(
    ([, resource]) => resource.Properties.Description === description,
  ) ?? [undefined];
  if (!id) throw new Error(`no ${type} described as ${description}`);
  return id;
}

describe('the stack', () => {
  let template: Template;

  beforeAll(() => {
    template = synthesize().template;
  });

  it('declares the single table from the shared definition: keys, GSI1, on-demand, PITR, protection, TTL, streams, retained', () => {
    // Assess
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: {
        KeySchema: [
          { AttributeName: 'PK', KeyType: 'HASH' },
          { AttributeName: 'SK', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
        GlobalSecondaryIndexes: [
          Match.objectLike({
            IndexName: 'GSI1',
            KeySchema: [
              { AttributeName: 'GSI1PK', KeyType: 'HASH' },
              { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          }),
        ],
      },
    });
  });

  it('can be told to destroy the table instead (context tableRemovalPolicy=destroy)', () => {
    // Act
    const destroyable = synthesize(RemovalPolicy.DESTROY).template;
    // Assess
    destroyable.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: { DeletionProtectionEnabled: false },
    });
  });

  it('runs five functions on Node.js 22, ARM64, each with its own log group kept 30 days; the four with data get the table', () => {
    // Prepare
    const functions = Object.values(resourcesOf(template, 'AWS::Lambda::Function'));
    const isConsole = (fn: Resource) => fn.Properties.Description === CONSOLE_DESCRIPTION;
    // Assess
    expect(functions).toHaveLength(5);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
        Environment: { Variables: { NODE_OPTIONS: '--enable-source-maps', LOG_LEVEL: 'INFO' } },
      });
      expect(fn.Properties.TracingConfig).toBeUndefined();
    }
    for (const fn of functions.filter((candidate) => !isConsole(candidate))) {
      expect(fn.Properties).toMatchObject({
        Environment: { Variables: { TABLE_NAME: { Ref: expect.any(String) } } },
      });
    }
    const consoleFunction = functions.find(isConsole);
    expect(consoleFunction?.Properties.Environment).toEqual({
      Variables: { NODE_OPTIONS: '--enable-source-maps', LOG_LEVEL: 'INFO' },
    });
    const logGroups = Object.values(resourcesOf(template, 'AWS::Logs::LogGroup'));
    expect(logGroups).toHaveLength(6);
    for (const group of logGroups) expect(group.Properties.RetentionInDays).toBe(30);
  });

  it.each([
    ['nextgen-rbac access checks (POST /authz/api/acl)', 1024, 10],
    ['nextgen-rbac management API', 1024, 29],
    ['nextgen-rbac hourly invite expiry and cleanup', 512, 300],
    [CONSOLE_DESCRIPTION, 256, 5],
  ])('sizes %s at %i MB and %i s', (description, memory, timeout) => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: description,
      MemorySize: memory,
      Timeout: timeout,
    });
  });

  it('routes every endpoint of the route table, the ACL to the authorize function, the console to its function, and nothing local', () => {
    // Prepare
    const routes = Object.values(resourcesOf(template, 'AWS::ApiGatewayV2::Route')).map(
      (route) => route.Properties,
    );
    const integrations = resourcesOf(template, 'AWS::ApiGatewayV2::Integration');
    const authorizeId = logicalIdOf(
      template,
      'AWS::Lambda::Function',
      'nextgen-rbac access checks (POST /authz/api/acl)',
    );
    const consoleId = logicalIdOf(template, 'AWS::Lambda::Function', CONSOLE_DESCRIPTION);
    const targetOf = (route: Record<string, unknown>): string => {
      const [, parts] = (route.Target as { 'Fn::Join': [string, [string, { Ref: string }]] })['Fn::Join'];
      return JSON.stringify(integrations[parts[1].Ref]?.Properties.IntegrationUri);
    };
    // Assess
    const consoleKeys = CONSOLE_ROUTE_PATHS.flatMap((path) => [`GET ${path}`, `HEAD ${path}`]);
    const keys = routes.map((route) => route.RouteKey).sort();
    const expected = [
      ...deployedEndpoints().map((endpoint) => `${endpoint.method} ${endpoint.path}`),
      ...consoleKeys,
    ].sort();
    expect(keys).toEqual(expected);
    for (const route of routes) {
      expect(targetOf(route).includes(consoleId), String(route.RouteKey)).toBe(
        consoleKeys.includes(String(route.RouteKey)),
      );
    }
    expect(keys.length).toBeGreaterThan(40);
    expect(keys.filter((key) => String(key).includes('/local/'))).toEqual([]);
    for (const route of routes) {
      const toAuthorize = targetOf(route).includes(authorizeId);
      expect(toAuthorize, String(route.RouteKey)).toBe(
        AUTHORIZE_PATHS.includes(String(route.RouteKey).split(' ')[1] ?? ''),
      );
    }
  });

  it('throttles the $default stage and writes access logs', () => {
    // Assess
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
    });
  });

  it('runs the invite cleanup hourly with retries and an encrypted, SSL-only dead-letter queue', () => {
    // Prepare
    const [queueId] = Object.keys(resourcesOf(template, 'AWS::SQS::Queue'));
    // Assess
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1209600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      Targets: [
        Match.objectLike({
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
        }),
      ],
    });
  });

  it('has the InviteSent event bus and lets only the management function put events on it', () => {
    // Prepare
    const statements = Object.values(resourcesOf(template, 'AWS::IAM::Policy')).flatMap(
      (policy) => (policy.Properties.PolicyDocument as { Statement: { Action: unknown }[] }).Statement,
    );
    // Assess
    template.resourceCountIs('AWS::Events::EventBus', 1);
    const putEvents = statements.filter((statement) =>
      JSON.stringify(statement.Action).includes('events:PutEvents'),
    );
    expect(putEvents).toHaveLength(1);
    expect(JSON.stringify(putEvents[0])).toContain('InviteEvents');
  });

  it('alarms on function errors and throttles, API 5xx, DynamoDB throttles, dead letters, undecidable requests and exhausted write retries', () => {
    // Prepare
    const alarms = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm')).map(
      (alarm) => alarm.Properties,
    );
    const metricNames = alarms.map((alarm) =>
      alarm.MetricName
        ? String(alarm.MetricName)
        : JSON.stringify(alarm.Metrics).match(/"MetricName":"(\w+)"/)?.[1],
    );
    // Assess
    expect(alarms).toHaveLength(16);
    expect(metricNames.filter((name) => name === 'Errors')).toHaveLength(5);
    expect(metricNames.filter((name) => name === 'Throttles')).toHaveLength(5);
    expect(metricNames).toEqual(
      expect.arrayContaining(['5xx', 'ThrottledRequests', 'ApproximateNumberOfMessagesVisible']),
    );
    for (const name of ['Undecidable', 'WriteRetriesExhausted', 'MalformedPolicyItems']) {
      expect(alarms).toContainEqual(
        expect.objectContaining({
          MetricName: name,
          Namespace: 'NextgenRbac',
          Dimensions: [{ Name: 'service', Value: 'nextgen-rbac' }],
          Statistic: 'Sum',
        }),
      );
    }
    for (const alarm of alarms) {
      expect(alarm).toMatchObject({
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      });
    }
  });

  it('grants least privilege on the table: named actions only, read-only for the authorize path', () => {
    // Prepare
    const policies = Object.values(resourcesOf(template, 'AWS::IAM::Policy'));
    const statements = policies.flatMap(
      (policy) =>
        (
          policy.Properties.PolicyDocument as {
            Statement: { Action: string | string[]; Resource: unknown }[];
          }
        ).Statement,
    );
    const actions = statements.flatMap((statement) => [statement.Action].flat());
    const authorizePolicy = policies.find((policy) =>
      JSON.stringify(policy.Properties.Roles).includes('AuthorizeFunctionServiceRole'),
    );
    // Assess
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
    expect(JSON.stringify(statements)).not.toMatch(/"Resource":"\*"/);
    if (!authorizePolicy) throw new Error('the authorize function has no policy');
    const authorizeActions = (
      authorizePolicy.Properties.PolicyDocument as { Statement: { Action: string[] }[] }
    ).Statement.flatMap((statement) => statement.Action);
    expect(authorizeActions.sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:Query',
      's3:GetObject',
      's3:ListBucket',
    ]);
  });

  it('keeps snapshots in a private, encrypted, TLS-only bucket that the API reads and only the stream-fed publisher writes', () => {
    // Prepare
    const policies = Object.values(resourcesOf(template, 'AWS::IAM::Policy'));
    const writers = policies.filter((policy) => JSON.stringify(policy).includes('s3:PutObject'));
    // Assess
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    expect(writers).toHaveLength(1);
    expect(JSON.stringify(writers[0]?.Properties.Roles)).toContain('SnapshotPublisher');
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      StartingPosition: 'LATEST',
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({
              eventName: ['INSERT'],
              dynamodb: { NewImage: { entity: { S: ['Change'] } } },
            }),
          },
        ],
      },
    });
    const apiWithBucket = Object.values(resourcesOf(template, 'AWS::Lambda::Function')).filter(
      (fn) => (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.SNAPSHOT_BUCKET,
    );
    expect(apiWithBucket).toHaveLength(3);
  });

  it('passes optional OIDC settings (context oidcIssuer, oidcAudience) to the API and console functions only when given', () => {
    // Act
    const withOidc = synthesize(RemovalPolicy.RETAIN, {
      oidc: { issuer: 'https://login.example.com/', audience: 'rbac' },
    }).template;
    // Assess
    const variables = (t: Template) =>
      Object.values(resourcesOf(t, 'AWS::Lambda::Function')).map(
        (fn) => (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables,
      );
    expect(
      variables(withOidc).filter((env) => env.OIDC_ISSUER === 'https://login.example.com/'),
    ).toHaveLength(3);
    expect(variables(withOidc).filter((env) => env.OIDC_AUDIENCE === 'rbac')).toHaveLength(3);
    expect(variables(template).some((env) => 'OIDC_ISSUER' in env)).toBe(false);
  });

  it('lets the authorize function put sign-in records, in the audit partitions only, when OIDC is on', () => {
    // Act
    const withOidc = synthesize(RemovalPolicy.RETAIN, {
      oidc: { issuer: 'https://login.example.com/', audience: 'rbac' },
    }).template;
    // Assess
    const authorizeStatements = Object.values(resourcesOf(withOidc, 'AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify(policy.Properties.Roles).includes('AuthorizeFunctionServiceRole'))
      .flatMap(
        (policy) =>
          (
            policy.Properties.PolicyDocument as {
              Statement: { Action: string | string[]; Condition?: unknown }[];
            }
          ).Statement,
      );
    const puts = authorizeStatements.filter((statement) =>
      [statement.Action].flat().includes('dynamodb:PutItem'),
    );
    expect(puts).toEqual([
      expect.objectContaining({
        Action: 'dynamodb:PutItem',
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*'] } },
      }),
    ]);
    expect(authorizeStatements.flatMap((statement) => [statement.Action].flat())).not.toContain(
      'dynamodb:UpdateItem',
    );
  });

  it('has one dashboard graphing the EMF metrics the functions publish', () => {
    // Prepare
    const dashboards = Object.values(resourcesOf(template, 'AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboards[0]?.Properties.DashboardBody);
    // Assess
    expect(dashboards).toHaveLength(1);
    for (const name of [
      'Checks',
      'ChecksAllowed',
      'ChecksDenied',
      'Undecidable',
      'ClientErrors',
      'ServerErrors',
      'DynamoDbCallsPerRequest',
      'PolicyCacheColdLoads',
      'PolicyCacheCatchUpChanges',
      'MalformedPolicyItems',
      'WriteConflicts',
      'WriteRetriesExhausted',
    ]) {
      expect(body).toContain(`\\"NextgenRbac\\",\\"${name}\\",\\"service\\",\\"nextgen-rbac\\"`);
    }
  });

  it('traces actively with the Powertools Tracer only when context tracing=true', () => {
    // Act
    const traced = synthesize(RemovalPolicy.RETAIN, { tracing: true });
    Validations.of(traced.app).addPlugins(new AwsSolutionsChecks(traced.app));
    // Assess
    const functions = Object.values(resourcesOf(traced.template, 'AWS::Lambda::Function'));
    expect(functions).toHaveLength(5);
    for (const fn of functions) {
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
      expect(fn.Properties.Environment).toMatchObject({ Variables: { POWERTOOLS_TRACE_ENABLED: 'true' } });
    }
    expect(() => traced.app.synth()).not.toThrow();
  });

  it('outputs the API URL, the console URL, the snapshot bucket, the table name and the event bus name', () => {
    // Assess
    expect(Object.keys(template.findOutputs('*')).sort()).toEqual([
      'ApiUrl',
      'ConsoleUrl',
      'EventBusName',
      'SnapshotBucketName',
      'TableName',
    ]);
    expect(JSON.stringify(template.findOutputs('ConsoleUrl'))).toContain('/console/');
  });

  it('links invite mails to the console acceptance page on the API origin, unless inviteAcceptUrl says otherwise', () => {
    // Prepare
    const managementEnv = (t: Template) =>
      Object.values(resourcesOf(t, 'AWS::Lambda::Function')).find(
        (fn) => fn.Properties.Description === 'nextgen-rbac management API',
      )?.Properties.Environment as { Variables: Record<string, unknown> };
    // Act
    const custom = synthesize(RemovalPolicy.RETAIN, {
      inviteAcceptUrl: 'https://admin.example.com/accept',
    }).template;
    // Assess
    const joined = JSON.stringify(managementEnv(template).Variables.INVITE_ACCEPT_URL);
    expect(joined).toContain('ApiEndpoint');
    expect(joined).toContain('/console/invite');
    expect(managementEnv(custom).Variables.INVITE_ACCEPT_URL).toBe('https://admin.example.com/accept');
  });
});

describe('cdk-nag (AwsSolutions)', () => {
  it('finds nothing that is not acknowledged with a reason', () => {
    // Prepare
    const { app } = synthesize();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    // Act
    const synth = () => app.synth();
    // Assess
    expect(synth).not.toThrow();
  });
});
