import { readFile } from 'node:fs/promises';
import type { ChangeLogTarget } from '../../functions/store/change-log.js';
import {
  CLI_STORE_TIMEOUTS,
  createStoreClient,
  storeTimeoutsFromEnv,
} from '../../functions/store/document-client.js';
import { localClientConfig } from '../../functions/store/dynamodb-local.js';
import { CliUsageError } from './cli-usage-error.js';

/** A connected table and a way to close the connection. */
export interface OpenTable {
  readonly target: ChangeLogTarget;
  close(): void;
}

/**
 * Opens the table named by `--table`/`--endpoint`, or the local one of `.local/dynamodb.json` when
 * no `--table` is given (DESIGN §8–§9, as `bootstrap` does).
 */
export async function openTable(
  values: { table?: string | undefined; endpoint?: string | undefined },
  now: () => number,
): Promise<OpenTable> {
  let tableName = values.table;
  let endpoint = values.endpoint;
  if (!tableName) {
    try {
      const local = JSON.parse(await readFile('.local/dynamodb.json', 'utf8')) as {
        endpoint: string;
        tableName: string;
      };
      tableName = local.tableName;
      endpoint = endpoint ?? local.endpoint;
    } catch {
      throw new CliUsageError('no --table given and no .local/dynamodb.json (run npm start first)');
    }
  }
  const { client, destroy } = createStoreClient(
    endpoint ? localClientConfig(endpoint) : {},
    storeTimeoutsFromEnv(CLI_STORE_TIMEOUTS, process.env.RBAC_STORE_REQUEST_TIMEOUT_MS),
  );
  return { target: { client, tableName, now }, close: destroy };
}
