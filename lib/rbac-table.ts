import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import {
  GSI_DEFINITIONS,
  type KeyAttribute,
  TABLE_KEYS,
  TTL_ATTRIBUTE,
} from '../functions/store/table-definition.js';

const ATTRIBUTE_TYPES = {
  S: AttributeType.STRING,
  N: AttributeType.NUMBER,
  B: AttributeType.BINARY,
} as const;

function attribute(key: KeyAttribute) {
  return { name: key.name, type: ATTRIBUTE_TYPES[key.type] };
}

/** Options of {@link RbacTable}. */
export interface RbacTableProps {
  /** What happens to the table when the stack is deleted; RETAIN unless asked otherwise. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The single table (DESIGN §5), declared from `functions/store/table-definition.ts` — the same source
 * `npm start` and the tests create their tables from: on-demand, point-in-time recovery, deletion
 * protection, TTL on `expiresAt`, streams with new and old images.
 */
export class RbacTable extends Construct {
  /** The table. */
  readonly table: Table;

  constructor(scope: Construct, id: string, props: RbacTableProps) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: attribute(TABLE_KEYS.partitionKey),
      sortKey: attribute(TABLE_KEYS.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.removalPolicy === RemovalPolicy.RETAIN,
      timeToLiveAttribute: TTL_ATTRIBUTE,
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
      removalPolicy: props.removalPolicy,
    });
    for (const index of GSI_DEFINITIONS) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
        projectionType: ProjectionType.ALL,
      });
    }
  }
}
