import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';

/** What a function does with the table; each level lists its DynamoDB actions explicitly (no wildcards). */
export type TableAccess = 'read' | 'read-and-record-sign-ins' | 'write' | 'write-and-index';

const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query'];
const WRITE_ACTIONS = [
  ...READ_ACTIONS,
  'dynamodb:BatchGetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:ConditionCheckItem',
];

/**
 * Grants `grantee` exactly the actions of `access` on the table (and, for the cleanup job, Query on
 * its GSI1): the authorize path reads (GetItem, Query) — and with OIDC puts sign-in records, only in
 * the audit partitions (`AUDIT#…` leading keys) —, management writes through transactions (whose
 * items need Put/Update/Delete/ConditionCheck), the cleanup job also queries the due index.
 */
export function grantTableAccess(
  grantee: IGrantable,
  table: Table,
  access: TableAccess,
  indexName = 'GSI1',
): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: access === 'read' || access === 'read-and-record-sign-ins' ? READ_ACTIONS : WRITE_ACTIONS,
      resources: [table.tableArn],
    }),
  );
  if (access === 'read-and-record-sign-ins') {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:PutItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*'] } },
      }),
    );
  }
  if (access === 'write-and-index') {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:Query'],
        resources: [`${table.tableArn}/index/${indexName}`],
      }),
    );
  }
}
