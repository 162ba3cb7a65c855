import type {
  AttributeDefinition,
  CreateTableCommandInput,
  UpdateTimeToLiveCommandInput,
} from '@aws-sdk/client-dynamodb';

/**
 * The single source of truth for the single-table layout (DESIGN §5).
 *
 * Everything here is plain data: the CDK construct reads it to declare the table, and
 * {@link createTableInput} derives the `CreateTable` request used by `npm start` and the tests, so the
 * deployed table and the local one cannot drift. The string values deliberately equal the values of
 * the matching CDK enums (`AttributeType.STRING` is `'S'`, `BillingMode.PAY_PER_REQUEST` is
 * `'PAY_PER_REQUEST'`, `ProjectionType.ALL` is `'ALL'`, `StreamViewType.NEW_AND_OLD_IMAGES` is
 * `'NEW_AND_OLD_IMAGES'`). This module must not import CDK.
 */

/** DynamoDB scalar attribute type of a key attribute: string, number or binary. */
export type KeyAttributeType = 'S' | 'N' | 'B';

/** A key attribute: its name and scalar type. */
export interface KeyAttribute {
  /** Attribute name as stored on every item that takes part in the key. */
  readonly name: string;
  /** Scalar type of the attribute. */
  readonly type: KeyAttributeType;
}

/** A partition key plus a sort key. */
export interface CompositeKey {
  /** The partition (HASH) key. */
  readonly partitionKey: KeyAttribute;
  /** The sort (RANGE) key. */
  readonly sortKey: KeyAttribute;
}

/** A global secondary index: its name, its composite key and what it projects. */
export interface GlobalSecondaryIndexDefinition extends CompositeKey {
  /** Index name, used as `IndexName` in queries. */
  readonly indexName: string;
  /** Projection of the index; `ALL` copies every attribute. */
  readonly projection: 'ALL';
}

/** The table's primary key: `PK` (HASH, string) and `SK` (RANGE, string). */
export const TABLE_KEYS = {
  partitionKey: { name: 'PK', type: 'S' },
  sortKey: { name: 'SK', type: 'S' },
} as const satisfies CompositeKey;

/** Name of the generic global secondary index `GSI1`. */
export const GSI1_NAME = 'GSI1';

/** The generic index `GSI1` on `GSI1PK`/`GSI1SK` (strings), projecting all attributes. Eventually consistent. */
export const GSI1 = {
  indexName: GSI1_NAME,
  partitionKey: { name: 'GSI1PK', type: 'S' },
  sortKey: { name: 'GSI1SK', type: 'S' },
  projection: 'ALL',
} as const satisfies GlobalSecondaryIndexDefinition;

/** Every global secondary index of the table (add one only with a reason, DESIGN §5). */
export const GSI_DEFINITIONS: readonly GlobalSecondaryIndexDefinition[] = [GSI1];

/** The TTL attribute: epoch seconds after which DynamoDB may delete the item. */
export const TTL_ATTRIBUTE = 'expiresAt';

/** The stream view type of the table's change stream. */
export const STREAM_VIEW_TYPE = 'NEW_AND_OLD_IMAGES';

/** Billing mode: on-demand capacity. */
export const BILLING_MODE = 'PAY_PER_REQUEST';

/** The whole definition as one object, for consumers that prefer a single import. */
export const TABLE_DEFINITION = {
  keys: TABLE_KEYS,
  globalSecondaryIndexes: GSI_DEFINITIONS,
  timeToLiveAttribute: TTL_ATTRIBUTE,
  streamViewType: STREAM_VIEW_TYPE,
  billingMode: BILLING_MODE,
} as const;

/** Every key attribute of the table and its indexes, each name once, in declaration order. */
export function keyAttributeDefinitions(): AttributeDefinition[] {
  const byName = new Map<string, KeyAttributeType>();
  const all = [TABLE_KEYS, ...GSI_DEFINITIONS].flatMap((key) => [key.partitionKey, key.sortKey]);
  for (const attribute of all) {
    const known = byName.get(attribute.name);
    if (known !== undefined && known !== attribute.type) {
      throw new Error(`Key attribute ${attribute.name} is declared as both ${known} and ${attribute.type}`);
    }
    byName.set(attribute.name, attribute.type);
  }
  return [...byName].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
}

/**
 * The `CreateTable` request for a table named `tableName`, derived from the definition above.
 * TTL is not part of `CreateTable`: apply {@link timeToLiveInput} after the table is active.
 */
export function createTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    AttributeDefinitions: keyAttributeDefinitions(),
    KeySchema: [
      { AttributeName: TABLE_KEYS.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: TABLE_KEYS.sortKey.name, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: GSI_DEFINITIONS.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: index.projection },
    })),
    BillingMode: BILLING_MODE,
    StreamSpecification: { StreamEnabled: true, StreamViewType: STREAM_VIEW_TYPE },
  };
}

/** The `UpdateTimeToLive` request that enables TTL on {@link TTL_ATTRIBUTE} for `tableName`. */
export function timeToLiveInput(tableName: string): UpdateTimeToLiveCommandInput {
  return {
    TableName: tableName,
    TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
  };
}
