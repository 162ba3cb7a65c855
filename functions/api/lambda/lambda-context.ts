import { countDynamoDbCallsPerRequest, policyCacheMetrics } from '../../observability/instrumentation.js';
import { traceAwsClient } from '../../observability/tracing.js';
import type { ChangeLogTarget } from '../../store/change-log.js';
import { createStoreClient } from '../../store/document-client.js';
import { PolicyCache } from '../../store/policy-cache.js';
import { createSnapshotClient } from '../../store/snapshots/s3-client.js';
import { type SnapshotStore, s3SnapshotStore } from '../../store/snapshots/snapshot-store.js';
import type { HttpHandlerOptions } from '../http/router.js';
import type { ManagementContext } from '../management/management-context.js';
import { oidcSettingsFromEnv } from '../oidc/oidc-settings.js';
import { oidcVerifier } from '../oidc/oidc-verifier.js';
import { signInRecorder } from '../oidc/sign-in-audit.js';

/** The environment a Lambda function of the API reads (set by the CDK stack). */
export interface LambdaEnvironment {
  readonly TABLE_NAME?: string;
  readonly [name: string]: string | undefined;
}

/**
 * What every API function builds once per container: a DynamoDB document client (with the store
 * timeouts of {@link createStoreClient}), the per-account
 * policy cache (kept warm across invocations, which is what makes a warm check one round trip) and
 * the wall clock and the default audit retention (`AUDIT_RETENTION_MONTHS`); DynamoDB calls are
 * counted per request, the cache reports its loads as metrics, and the client is traced when tracing
 * is on (`observability/tracing.ts`). With `SNAPSHOT_BUCKET`, cold accounts load from their snapshot
 * there. 500s at cold start when `TABLE_NAME` is missing, rather than running unconfigured.
 */
export async function lambdaContext(env: LambdaEnvironment): Promise<ManagementContext> {
  const tableName = env.TABLE_NAME;
  if (!tableName) throw new Error('TABLE_NAME is not set');
  const store = createStoreClient();
  await traceAwsClient(store.raw, env);
  const client = countDynamoDbCallsPerRequest(store.client);
  const now = Date.now;
  const snapshots = snapshotStoreFromEnv(env);
  const retention = Number(env.AUDIT_RETENTION_MONTHS);
  return {
    cache: new PolicyCache({
      client,
      tableName,
      now,
      observer: policyCacheMetrics,
      ...(snapshots ? { snapshots } : {}),
    }),
    target: { client, tableName, now },
    now,
    ...(Number.isSafeInteger(retention) && retention > 0 ? { auditRetentionMonths: retention } : {}),
  };
}

/** The account snapshots in the bucket `SNAPSHOT_BUCKET` (set by the stack), or none when it is unset. */
export function snapshotStoreFromEnv(env: LambdaEnvironment): SnapshotStore | undefined {
  const bucket = env.SNAPSHOT_BUCKET;
  return bucket ? s3SnapshotStore({ client: createSnapshotClient(), bucket }) : undefined;
}

/**
 * The HTTP options of an API function: OIDC bearer verification when `OIDC_ISSUER` and
 * `OIDC_AUDIENCE` are set (stack props `oidcIssuer`, `oidcAudience`), each sign-in recorded in the
 * audit trail of `target`'s table; else API keys only.
 */
export function lambdaHttpOptions(env: LambdaEnvironment, target: ChangeLogTarget): HttpHandlerOptions {
  const oidc = oidcSettingsFromEnv(env);
  if (!oidc) return {};
  const retention = Number(env.AUDIT_RETENTION_MONTHS);
  return {
    verifyIdentity: oidcVerifier(oidc, Date.now),
    recordSignIn: signInRecorder(
      target,
      Number.isSafeInteger(retention) && retention > 0 ? { defaultRetentionMonths: retention } : {},
    ),
  };
}
