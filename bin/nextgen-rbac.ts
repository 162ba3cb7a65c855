#!/usr/bin/env -S node --import tsx
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ensureConsoleBuilt } from '../console/build.js';
import { serve } from '../functions/api/local/serve.js';
import { maxUsersFromEnv, setAccountSettings } from '../functions/store/account-settings.js';
import { bootstrapAccount } from '../functions/store/bootstrap-account.js';
import {
  CLI_STORE_TIMEOUTS,
  createStoreClient,
  storeTimeoutsFromEnv,
} from '../functions/store/document-client.js';
import { localClientConfig } from '../functions/store/dynamodb-local.js';
import { CliUsageError } from '../migration/cli/cli-usage-error.js';
import { MIGRATE_USAGE, runMigrate } from '../migration/cli/migrate-command.js';

/** Exit codes of the CLI (DESIGN §9). */
export const EXIT = { ok: 0, failure: 1, usage: 2, broadenedAccess: 3 } as const;

const USAGE = `Usage: nextgen-rbac <command> [options]

Commands:
  serve [--port N] [--account ID] [--data-dir DIR] [--max-users N] [--new-admin-token]
        run the API locally on an embedded DynamoDB Local (what npm start runs), with the
        web console at /console/ (built first when missing or stale); an existing account is
        left as it is (its .local/admin-token keeps working) unless --new-admin-token;
        --max-users (or RBAC_MAX_USERS) sets the account's seat limit
  bootstrap --account ID [--table NAME] [--endpoint URL] [--max-users N] [--new-admin-token]
        create the account, its default org and the admin service account and print its admin
        token once; an existing account is left as it is, and gets a new admin token only with
        --new-admin-token; --max-users sets the account's seat limit
${MIGRATE_USAGE}  help  show this text
`;

class UsageError extends Error {}

/** The `--max-users` value as a seat limit; a usage error unless a non-negative integer. */
function maxUsersOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed = maxUsersFromEnv(value);
    if (parsed === undefined) throw new Error('empty');
    return parsed;
  } catch {
    throw new UsageError('--max-users must be a non-negative integer');
  }
}

async function targetTable(values: {
  table?: string;
  endpoint?: string;
}): Promise<{ endpoint?: string; tableName: string }> {
  if (values.table)
    return { tableName: values.table, ...(values.endpoint ? { endpoint: values.endpoint } : {}) };
  try {
    const local = JSON.parse(await readFile('.local/dynamodb.json', 'utf8')) as {
      endpoint: string;
      tableName: string;
    };
    return { tableName: local.tableName, endpoint: values.endpoint ?? local.endpoint };
  } catch {
    throw new UsageError('no --table given and no .local/dynamodb.json (run npm start first)');
  }
}

/** Builds the console served at `/console/` when its build is missing or stale; a failed build only warns. */
async function buildConsole(): Promise<void> {
  try {
    await ensureConsoleBuilt({ log: (line) => process.stdout.write(`${line}\n`) });
  } catch (error) {
    process.stderr.write(
      `The console could not be built (the API still serves): ${(error as Error).message}\n`,
    );
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help') {
    process.stdout.write(USAGE);
    return EXIT.ok;
  }
  if (command === 'serve') {
    const { values } = parseArgs({
      args: rest,
      options: {
        port: { type: 'string' },
        account: { type: 'string' },
        'data-dir': { type: 'string' },
        'max-users': { type: 'string' },
        'new-admin-token': { type: 'boolean' },
      },
    });
    const port = values.port === undefined ? undefined : Number(values.port);
    if (port !== undefined && !Number.isInteger(port)) throw new UsageError('--port must be an integer');
    const maxUsers = maxUsersOption(values['max-users']);
    await buildConsole();
    const server = await serve({
      ...(maxUsers !== undefined ? { maxUsers } : {}),
      ...(port !== undefined ? { port } : {}),
      ...(values.account ? { accountId: values.account } : {}),
      ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
      ...(values['new-admin-token'] ? { newAdminToken: true } : {}),
    });
    const stop = () => {
      server.close().finally(() => process.exit(EXIT.ok));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return new Promise<number>(() => {});
  }
  if (command === 'bootstrap') {
    const { values } = parseArgs({
      args: rest,
      options: {
        account: { type: 'string' },
        table: { type: 'string' },
        endpoint: { type: 'string' },
        'max-users': { type: 'string' },
        'new-admin-token': { type: 'boolean' },
      },
    });
    if (!values.account) throw new UsageError('--account is required');
    const maxUsers = maxUsersOption(values['max-users']);
    const { endpoint, tableName } = await targetTable(values);
    const { client, destroy } = createStoreClient(
      endpoint ? localClientConfig(endpoint) : {},
      storeTimeoutsFromEnv(CLI_STORE_TIMEOUTS, process.env.RBAC_STORE_REQUEST_TIMEOUT_MS),
    );
    try {
      const target = { client, tableName, now: Date.now };
      const result = await bootstrapAccount(target, values.account, {
        newAdminToken: values['new-admin-token'] ?? false,
      });
      if (maxUsers !== undefined) {
        await setAccountSettings(target, values.account, { maxUsers });
        process.stderr.write(`Seat limit of ${values.account}: ${maxUsers} users\n`);
      }
      process.stderr.write(`${result.createdAccount ? 'Created' : 'Found'} account ${values.account}\n`);
      if (result.adminToken !== undefined) process.stdout.write(`Admin token: ${result.adminToken}\n`);
      else
        process.stderr.write(
          'The account exists and was left as it is; --new-admin-token mints a new admin token\n',
        );
      return EXIT.ok;
    } finally {
      destroy();
    }
  }
  if (command === 'migrate') {
    return runMigrate(rest, { out: process.stdout, err: process.stderr, now: Date.now });
  }
  throw new UsageError(`unknown command '${command}'`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (
      error instanceof UsageError ||
      error instanceof CliUsageError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      process.stderr.write(`nextgen-rbac: ${(error as Error).message}\n\n${USAGE}`);
      process.exit(EXIT.usage);
    }
    process.stderr.write(`nextgen-rbac: ${(error as Error).message ?? String(error)}\n`);
    process.exit(EXIT.failure);
  },
);
