#!/usr/bin/env -S node --import tsx
import { App, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { NextgenRbacStack } from '../lib/nextgen-rbac-stack.js';

/**
 * The CDK app: one env-agnostic stack (no account, region or lookups), so `npx cdk synth` works
 * without AWS credentials. Settings come from context keys (defaults in `cdk.json`); cdk-nag's
 * AwsSolutions checks run on every synth.
 */
const app = new App();
const context = (key: string): string | undefined => app.node.tryGetContext(key)?.toString();
const days = Number(context('logRetentionDays') ?? 30);
const retention = Object.values(RetentionDays).find((value) => value === days);
if (retention === undefined) throw new Error(`logRetentionDays ${days} is not a CloudWatch retention period`);
const inviteAcceptUrl = context('inviteAcceptUrl');
const oidcIssuer = context('oidcIssuer');
const oidcAudience = context('oidcAudience');
const oidcJwksUrl = context('oidcJwksUrl');

new NextgenRbacStack(app, context('stackName') ?? 'NextgenRbac', {
  tableRemovalPolicy:
    context('tableRemovalPolicy') === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
  logRetention: retention as RetentionDays,
  throttleRateLimit: Number(context('throttleRateLimit') ?? 100),
  throttleBurstLimit: Number(context('throttleBurstLimit') ?? 200),
  tracing: context('tracing') === 'true',
  auditRetentionMonths: Number(context('auditRetentionMonths') ?? 12),
  ...(inviteAcceptUrl ? { inviteAcceptUrl } : {}),
  ...(oidcIssuer && oidcAudience
    ? {
        oidc: {
          issuer: oidcIssuer,
          audience: oidcAudience,
          ...(oidcJwksUrl ? { jwksUrl: oidcJwksUrl } : {}),
        },
      }
    : {}),
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
