import { RemovalPolicy } from 'aws-cdk-lib';
import { Effect, type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeNagFinding, NAG_ACKNOWLEDGEMENTS } from './nag-acknowledgements.js';

/** The key prefix every snapshot object lives under (`functions/store/snapshots/snapshot-store.ts`). */
export const SNAPSHOT_PREFIX = 'policy-snapshots/';

/** What a function does with the snapshots: read them (API functions) or also publish them. */
export type SnapshotAccess = 'read' | 'publish';

/**
 * The private bucket of account policy snapshots (DESIGN §4): no public access, S3-managed
 * encryption, TLS only, retained with the stack's data. Snapshots are derived data (the table is the
 * source of truth), so there are no versions or replicas to keep.
 */
export class SnapshotBucket extends Construct {
  /** The bucket. */
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledgeNagFinding(this.bucket, NAG_ACKNOWLEDGEMENTS.snapshotAccessLogs);
  }

  /**
   * Grants exactly `s3:GetObject` (and `s3:PutObject` to publish) on the snapshot objects, and
   * `s3:ListBucket` limited to their prefix, so a missing snapshot answers 404 rather than 403.
   */
  grant(grantee: IGrantable, access: SnapshotAccess): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: access === 'read' ? ['s3:GetObject'] : ['s3:GetObject', 's3:PutObject'],
        resources: [this.bucket.arnForObjects(`${SNAPSHOT_PREFIX}*`)],
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${SNAPSHOT_PREFIX}*`] } },
      }),
    );
  }
}
