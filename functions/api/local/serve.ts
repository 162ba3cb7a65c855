import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { S3Client } from '@aws-sdk/client-s3';
import { countDynamoDbCallsPerRequest, policyCacheMetrics } from '../../observability/instrumentation.js';
import { maxUsersFromEnv, setAccountSettings } from '../../store/account-settings.js';
import { bootstrapAccount } from '../../store/bootstrap-account.js';
import { ensureTable } from '../../store/create-table.js';
import { authenticate } from '../../store/credentials.js';
import {
  createStoreClient,
  LOCAL_STORE_TIMEOUTS,
  storeTimeoutsFromEnv,
} from '../../store/document-client.js';
import { LOCAL_REGION, localClientConfig, startDynamoDbLocal } from '../../store/dynamodb-local.js';
import { PolicyCache } from '../../store/policy-cache.js';
import {
  LOCAL_SNAPSHOT_BUCKET,
  type LocalBlobStore,
  localS3Client,
  startLocalBlobStore,
} from '../../store/snapshots/local-blob-store.js';
import {
  type LocalSnapshotPoller,
  startLocalSnapshotPoller,
} from '../../store/snapshots/local-snapshot-poller.js';
import { SnapshotPublisher } from '../../store/snapshots/snapshot-publisher.js';
import { s3SnapshotStore } from '../../store/snapshots/snapshot-store.js';
import { CONSOLE_PATH, consoleSettingsFor, withConsole } from '../console/console-assets.js';
import { startHttpServer } from '../http/local-server.js';
import { createHttpHandler, DEFAULT_LOCAL_DEADLINE_MS } from '../http/router.js';
import { type OidcSettings, oidcSettingsFromEnv } from '../oidc/oidc-settings.js';
import { oidcVerifier } from '../oidc/oidc-verifier.js';
import { signInRecorder } from '../oidc/sign-in-audit.js';
import { apiRoutes } from '../routes.js';
import { createLocalMailbox } from './local-mailbox.js';
import { localRoutes } from './local-routes.js';
import { createOffsetClock } from './offset-clock.js';

/** Options of the local server (DESIGN §8); environment variables fill what is not given. */
export interface ServeOptions {
  readonly port?: number;
  readonly accountId?: string;
  readonly dataDir?: string;
  readonly endpoint?: string;
  readonly tableName?: string;
  readonly stateDir?: string;
  readonly log?: (line: string) => void;
  /** The built console served at `/console/` (default `console/dist` of the repository). */
  readonly consoleDir?: string;
  /** An S3-compatible endpoint for account snapshots (default `BLOB_ENDPOINT`; unset = start s3rver). */
  readonly blobEndpoint?: string;
  /** The bucket at `blobEndpoint` (default `SNAPSHOT_BUCKET`, else the local bucket). */
  readonly snapshotBucket?: string;
  /** The snapshot poller's pause between rounds, in milliseconds (default 2 s). */
  readonly snapshotPollMs?: number;
  /** The account's seat limit (`maxUsers`); default `RBAC_MAX_USERS`, unset = leave as stored (unlimited on a new account). */
  readonly maxUsers?: number;
  /** Mint a new admin token even when the account already exists (`serve --new-admin-token`). */
  readonly newAdminToken?: boolean;
  /**
   * How long a request may run before it is answered 503 `DEADLINE_EXCEEDED`, in milliseconds;
   * default `RBAC_REQUEST_DEADLINE_MS`, else {@link DEFAULT_LOCAL_DEADLINE_MS}.
   */
  readonly requestDeadlineMs?: number;
  /**
   * OIDC user sign-in (bearer JWTs of this issuer for this audience, and the console's sign-in through
   * it); default from `OIDC_ISSUER`, `OIDC_AUDIENCE` (and `OIDC_JWKS_URL`), unset = API tokens only.
   */
  readonly oidc?: OidcSettings;
}

/** A positive whole number of milliseconds from `RBAC_REQUEST_DEADLINE_MS`; undefined when unset. */
export function deadlineFromEnv(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) {
    throw new Error(
      `RBAC_REQUEST_DEADLINE_MS must be a positive integer (milliseconds), not ${JSON.stringify(value)}`,
    );
  }
  return parsed;
}

/** The console's build folder in the repository (`npm start` builds it, `console/build.ts`). */
export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../../console/dist', import.meta.url));

/** The path of the console's invite acceptance page; mails link to `<server>/console/invite?token=…`. */
export const INVITE_PAGE_PATH = `${CONSOLE_PATH}/invite`;

/** A running local server. */
export interface RunningServer {
  readonly url: string;
  /** The admin token: newly minted, else the still-stored one of `.local/admin-token`, else none. */
  readonly adminToken: string | undefined;
  close(): Promise<void>;
}

/**
 * `npm start`: starts DynamoDB Local (unless `DYNAMODB_ENDPOINT` points elsewhere) and the local blob
 * store for account snapshots (s3rver, unless `BLOB_ENDPOINT` points elsewhere), creates the table
 * from the shared definition, bootstraps the account, writes `.local/admin-token`,
 * `.local/dynamodb.json` and `.local/blobs.json`, publishes snapshots from an in-process poller (the
 * local stand-in for the stream consumer), and serves the API, the local-only routes and the built console (`/console/`)
 * on 127.0.0.1; invite mails link to the console's acceptance page.
 */
export async function serve(options: ServeOptions = {}): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const accountId = options.accountId ?? process.env.RBAC_ACCOUNT_ID ?? 'default';
  const tableName = options.tableName ?? process.env.TABLE_NAME ?? 'nextgen-rbac';
  const port = options.port ?? Number(process.env.PORT ?? 3000);
  const stateDir = resolve(options.stateDir ?? '.local');
  const externalEndpoint = options.endpoint ?? process.env.DYNAMODB_ENDPOINT;
  const localDeadlineMs =
    options.requestDeadlineMs ??
    deadlineFromEnv(process.env.RBAC_REQUEST_DEADLINE_MS) ??
    DEFAULT_LOCAL_DEADLINE_MS;
  const ddb = externalEndpoint
    ? undefined
    : await startDynamoDbLocal(options.dataDir ? { dataDir: options.dataDir } : {});
  const endpoint = externalEndpoint ?? (ddb as { endpoint: string }).endpoint;
  const { client: storeClient, raw } = createStoreClient(
    localClientConfig(endpoint),
    storeTimeoutsFromEnv(LOCAL_STORE_TIMEOUTS, process.env.RBAC_STORE_REQUEST_TIMEOUT_MS),
  );
  const client = countDynamoDbCallsPerRequest(storeClient);
  const externalBlobs = options.blobEndpoint ?? process.env.BLOB_ENDPOINT;
  let blobs: LocalBlobStore | undefined;
  let s3: S3Client | undefined;
  let poller: LocalSnapshotPoller | undefined;
  const stopAll = async () => {
    await poller?.stop();
    raw.destroy();
    s3?.destroy();
    await blobs?.stop();
    await ddb?.stop();
  };
  try {
    blobs = externalBlobs
      ? undefined
      : await startLocalBlobStore(options.dataDir ? { directory: resolve(options.dataDir, 'blobs') } : {});
    const blobEndpoint = externalBlobs ?? (blobs as LocalBlobStore).endpoint;
    const bucket = options.snapshotBucket ?? process.env.SNAPSHOT_BUCKET ?? LOCAL_SNAPSHOT_BUCKET;
    const prefix = `${tableName}/`;
    s3 = localS3Client(blobEndpoint);
    const snapshots = s3SnapshotStore({ client: s3, bucket, prefix });
    await ensureTable(raw, tableName);
    const clock = createOffsetClock();
    const bootstrapped = await bootstrapAccount({ client, tableName, now: clock.now }, accountId, {
      newAdminToken: options.newAdminToken ?? false,
    });
    const maxUsers = options.maxUsers ?? maxUsersFromEnv(process.env.RBAC_MAX_USERS);
    if (maxUsers !== undefined) {
      await setAccountSettings({ client, tableName, now: clock.now }, accountId, { maxUsers });
    }
    await mkdir(stateDir, { recursive: true });
    await writeFile(
      resolve(stateDir, 'dynamodb.json'),
      `${JSON.stringify({ endpoint, tableName, region: LOCAL_REGION }, null, 2)}\n`,
    );
    await writeFile(
      resolve(stateDir, 'blobs.json'),
      `${JSON.stringify({ endpoint: blobEndpoint, bucket, prefix, region: LOCAL_REGION }, null, 2)}\n`,
    );
    const cache = new PolicyCache({
      client,
      tableName,
      now: clock.now,
      observer: policyCacheMetrics,
      snapshots,
    });
    const adminToken = await adminTokenAfterStart(
      bootstrapped.adminToken,
      resolve(stateDir, 'admin-token'),
      (stored) =>
        cache
          .current(accountId)
          .then(
            (policy) =>
              policy !== undefined && authenticate(policy.tokens, accountId, stored, clock.now()).ok,
          ),
    );
    log(
      adminToken === undefined
        ? `Account ${accountId} exists; its admin token was not changed (serve --new-admin-token mints one)`
        : `Admin token: ${adminToken}${bootstrapped.adminToken === undefined ? ' (unchanged, from .local/admin-token)' : ''}`,
    );
    poller = startLocalSnapshotPoller({
      publisher: new SnapshotPublisher({ cache, snapshots, now: clock.now }),
      accounts: () => new Set([accountId, ...cache.knownAccounts()]),
      ...(options.snapshotPollMs === undefined ? {} : { intervalMs: options.snapshotPollMs }),
    });
    const target = { client, tableName, now: clock.now };
    const mailbox = createLocalMailbox();
    let acceptUrlBase = INVITE_PAGE_PATH;
    const oidc = options.oidc ?? oidcSettingsFromEnv(process.env);
    const api = createHttpHandler(
      [
        ...apiRoutes({
          cache,
          target,
          now: clock.now,
          invites: { notifier: mailbox, acceptUrlBase: () => acceptUrlBase },
        }),
        ...localRoutes(clock, { mailbox, client, tableName, now: clock.now }),
      ],
      {
        localDeadlineMs,
        ...(oidc
          ? { verifyIdentity: oidcVerifier(oidc, clock.now), recordSignIn: signInRecorder(target) }
          : {}),
      },
    );
    const handler = withConsole(api, options.consoleDir ?? DEFAULT_CONSOLE_DIR, consoleSettingsFor(oidc));
    const server = await startHttpServer({ handler, port, host: '127.0.0.1' });
    acceptUrlBase = `${server.url}${INVITE_PAGE_PATH}`;
    log(`nextgen-rbac listening on ${server.url}`);
    return {
      url: server.url,
      adminToken,
      close: async () => {
        await server.close();
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * The admin token after a start: a minted one is written to `tokenFile` (owner-only); otherwise the
 * file is left alone and its token, when it still authenticates, is still the admin token (a start on
 * an existing account changes nothing, DESIGN §8).
 */
async function adminTokenAfterStart(
  minted: string | undefined,
  tokenFile: string,
  authenticates: (token: string) => Promise<boolean>,
): Promise<string | undefined> {
  if (minted !== undefined) {
    await writeFile(tokenFile, `${minted}\n`, { mode: 0o600 });
    return minted;
  }
  const stored = (await readFile(tokenFile, 'utf8').catch(() => '')).trim();
  return stored !== '' && (await authenticates(stored)) ? stored : undefined;
}
