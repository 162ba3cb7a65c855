import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { snapshotFromItems } from '../../functions/store/entities/policy-entities.js';
import { applyPlan, readAccountItems } from '../apply/apply-plan.js';
import { exportFromGraphql } from '../export/graphql-export.js';
import { formatPlan, summarizePlan } from '../plan/plan-summary.js';
import { bySeverity, formatReport, LISTED_SUBJECTS } from '../verify/format-report.js';
import { writeHtmlReport } from '../verify/html-report.js';
import { JsonReportWriter } from '../verify/json-report.js';
import {
  gainsAccess,
  type SubjectReport,
  type VerifySummary,
  verifyMigration,
} from '../verify/verify-migration.js';
import { CliUsageError } from './cli-usage-error.js';
import { planFromInput, readPlanFile } from './read-migration-input.js';
import { openTable } from './table-target.js';

/** Where a command writes: results to `out`, progress and diagnostics to `err`. */
export interface CommandIo {
  readonly out: NodeJS.WritableStream;
  readonly err: NodeJS.WriteStream | NodeJS.WritableStream;
  readonly now: () => number;
}

/** Usage of the migrate subcommands (DESIGN §9). */
export const MIGRATE_USAGE = `  migrate plan --input FILE [--org ID] [--account ID] [--mapping FILE] [--default-view keep|remove]
        [--out plan.json] [--json]
        map a FirstGen export to NextGen and print what would be created; writes nothing
  migrate apply (--input FILE | --plan plan.json) [--org ID] [--account ID] [--mapping FILE]
        [--default-view keep|remove] [--endpoint URL] [--table NAME] [--json]
        create the plan's entities (idempotent, resumable); progress on stderr
  migrate verify --input FILE [--org ID] [--account ID] [--mapping FILE] [--endpoint URL] [--table NAME]
        [--json] [--html report.html]
        compare every user's FirstGen access with the migrated NextGen access; exit 3 if any is broadened
  migrate export --graphql-url URL --api-key KEY --account ID --out FILE
        page through a FirstGen GraphQL endpoint and write the export file
  (--account defaults to RBAC_ACCOUNT_ID or 'default'; the table to .local/dynamodb.json)
`;

const COMMON = {
  input: { type: 'string' },
  'default-view': { type: 'string' },
  org: { type: 'string' },
  account: { type: 'string' },
  mapping: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const TABLE = { endpoint: { type: 'string' }, table: { type: 'string' } } as const;

/** Runs `migrate <subcommand> …` and returns the exit code (0 ok, 3 broadened access). */
export async function runMigrate(args: readonly string[], io: CommandIo): Promise<number> {
  const [subcommand, ...rest] = args;
  switch (subcommand) {
    case 'plan':
      return migratePlan(rest, io);
    case 'apply':
      return migrateApply(rest, io);
    case 'verify':
      return migrateVerify(rest, io);
    case 'export':
      return migrateExport(rest, io);
    default:
      throw new CliUsageError(
        subcommand ? `unknown migrate command '${subcommand}'` : 'migrate needs a command',
      );
  }
}

async function migratePlan(args: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: { ...COMMON, out: { type: 'string' } } });
  const { plan } = await planFromInput(values);
  if (values.out) await writeFile(values.out, `${JSON.stringify(plan, null, 2)}\n`);
  io.out.write(
    values.json
      ? `${JSON.stringify({ summary: summarizePlan(plan), warnings: plan.warnings }, null, 2)}\n`
      : formatPlan(plan),
  );
  return 0;
}

async function migrateApply(args: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: { ...COMMON, ...TABLE, plan: { type: 'string' } },
  });
  if (values.plan && values.input) throw new CliUsageError('give either --input or --plan, not both');
  const plan = values.plan ? await readPlanFile(values.plan) : (await planFromInput(values)).plan;
  const table = await openTable(values, io.now);
  const bar = new SingleBar({
    stream: io.err as NodeJS.WriteStream,
    format: 'apply [{bar}] {value}/{total} items',
    noTTYOutput: true,
    notTTYSchedule: 1000,
  });
  let started = false;
  try {
    const result = await applyPlan(table.target, plan, {
      onProgress: (written, total) => {
        if (!started) {
          bar.start(total, written);
          started = true;
        } else bar.update(written);
      },
    });
    if (started) bar.stop();
    if (values.json) io.out.write(`${JSON.stringify(result, null, 2)}\n`);
    else if (result.itemsWritten === 0 && !result.committed) {
      io.out.write(
        `Nothing to write: account ${plan.targetAccountId} already matches the plan (${result.itemsPlanned} items); wrote 0 items\n`,
      );
    } else {
      io.out.write(
        `Applied: wrote ${result.itemsWritten} of ${result.itemsPlanned} planned items to account ${plan.targetAccountId} (version ${result.version})\n`,
      );
    }
    return 0;
  } finally {
    if (started) bar.stop();
    table.close();
  }
}

async function migrateVerify(args: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: { ...COMMON, ...TABLE, html: { type: 'string' } },
  });
  const { fgExport, plan } = await planFromInput(values);
  const table = await openTable(values, io.now);
  try {
    const items = await readAccountItems(table.target, plan.targetAccountId);
    const snapshot = snapshotFromItems(plan.targetAccountId, [...items.values()]);
    items.clear();
    const subjects = fgExport.userGroups.length + fgExport.users.length;
    const keepAll = values.html !== undefined || (!values.json && subjects <= TEXT_LISTS_ALL);
    const kept: SubjectReport[] = [];
    const json = values.json ? new JsonReportWriter(io.out) : undefined;
    const summary = verifyMigration(fgExport, plan, snapshot, (report) => {
      json?.subject(report);
      if (keepAll) kept.push(report);
      else if (!values.json) keepMostAffected(kept, report);
    });
    if (json) json.finish(summary);
    else io.out.write(formatReport(summary, keepAll ? kept : kept.sort(bySeverity)));
    if (values.html) {
      await writeHtmlFile(
        values.html,
        `FirstGen ${plan.sourceAccountId} → NextGen ${plan.targetAccountId}`,
        summary,
        kept,
      );
      io.err.write(`wrote the HTML report to ${values.html}\n`);
    }
    return gainsAccess(summary.totals) ? 3 : 0;
  } finally {
    table.close();
  }
}

/** With at most this many groups and users, the text report lists each one. */
const TEXT_LISTS_ALL = 50;

/** Keeps the {@link LISTED_SUBJECTS} most affected reports (bounded memory for the text report). */
function keepMostAffected(kept: SubjectReport[], report: SubjectReport): void {
  kept.push(report);
  if (kept.length > LISTED_SUBJECTS * 4) {
    kept.sort(bySeverity);
    kept.length = LISTED_SUBJECTS;
  }
}

async function writeHtmlFile(
  path: string,
  title: string,
  summary: VerifySummary,
  subjects: readonly SubjectReport[],
): Promise<void> {
  const stream = createWriteStream(path);
  writeHtmlReport((chunk) => stream.write(chunk), title, summary, [...subjects].sort(bySeverity));
  await new Promise<void>((resolvePromise, reject) => {
    stream.once('error', reject);
    stream.end(resolvePromise);
  });
}

async function migrateExport(args: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      'graphql-url': { type: 'string' },
      'api-key': { type: 'string' },
      account: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const url = values['graphql-url'];
  const apiKey = values['api-key'];
  if (!url || !apiKey || !values.account || !values.out) {
    throw new CliUsageError('migrate export needs --graphql-url, --api-key, --account and --out');
  }
  const fgExport = await exportFromGraphql({
    url,
    apiKey,
    accountId: values.account,
    onPage: (what, count) => io.err.write(`exported ${count} ${what}\n`),
  });
  await writeFile(values.out, `${JSON.stringify(fgExport, null, 2)}\n`);
  io.out.write(
    `Exported ${fgExport.userGroups.length} user groups, ${fgExport.applications.length} applications and ${fgExport.users.length} users to ${values.out}\n`,
  );
  return 0;
}
