import { readFile } from 'node:fs/promises';
import { validateEntityIdentifier } from '../../functions/core/validation/identifier-rules.js';
import { ExportParseError } from '../firstgen/export-parse-error.js';
import type { FgExport } from '../firstgen/model.js';
import { parseExport } from '../firstgen/parse-export.js';
import { type MappingOptions, mapExport } from '../mapping/map-export.js';
import type { DefaultView, MigrationPlan } from '../mapping/migration-plan.js';
import { PlanFileError, parsePlan } from '../plan/plan-schema.js';
import { CliUsageError } from './cli-usage-error.js';

/** The options every migrate command shares. */
export interface MigrationInputOptions {
  readonly input?: string | undefined;
  readonly mapping?: string | undefined;
  readonly org?: string | undefined;
  readonly account?: string | undefined;
  readonly 'default-view'?: string | undefined;
}

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CliUsageError(`cannot read ${what} ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliUsageError(`${what} ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Reads and parses the export file; an invalid value is a usage error naming its JSON path. */
export async function readExport(path: string): Promise<FgExport> {
  try {
    return parseExport(await readJson(path, 'export file'));
  } catch (error) {
    if (error instanceof ExportParseError)
      throw new CliUsageError(`invalid export ${path}: ${error.message}`);
    throw error;
  }
}

/**
 * Reads a mapping file `{"identifiers": {"<FirstGen id>": "<NextGen identifier>"}}`; every
 * identifier must be a valid NextGen identifier.
 */
export async function readMappingFile(path: string): Promise<Record<string, string>> {
  const json = (await readJson(path, 'mapping file')) as { identifiers?: unknown };
  const identifiers = json?.identifiers;
  if (typeof identifiers !== 'object' || identifiers === null || Array.isArray(identifiers)) {
    throw new CliUsageError(
      `mapping file ${path}: identifiers must be an object of FirstGen id → NextGen identifier`,
    );
  }
  for (const [id, value] of Object.entries(identifiers)) {
    const problem = validateEntityIdentifier(`identifiers.${id}`, value);
    if (problem) throw new CliUsageError(`mapping file ${path}: ${problem.fieldId} ${problem.error}`);
  }
  return identifiers as Record<string, string>;
}

/** The target account: `--account`, else `RBAC_ACCOUNT_ID`, else `default` (the account `npm start` bootstraps). */
export function targetAccount(options: MigrationInputOptions): string {
  return options.account ?? process.env.RBAC_ACCOUNT_ID ?? 'default';
}

function defaultViewOption(value: string | undefined): { defaultView?: DefaultView } {
  if (value === undefined) return {};
  if (value === 'keep' || value === 'remove') return { defaultView: value };
  throw new CliUsageError(`--default-view must be keep or remove, not '${value}'`);
}

/** The mapping options of the command line. */
export async function mappingOptions(options: MigrationInputOptions): Promise<MappingOptions> {
  return {
    targetAccountId: targetAccount(options),
    orgIdentifier: options.org ?? 'default',
    ...defaultViewOption(options['default-view']),
    ...(options.mapping ? { identifierOverrides: await readMappingFile(options.mapping) } : {}),
  };
}

/** The export and its plan, from `--input` (and `--mapping`, `--org`, `--account`). */
export async function planFromInput(
  options: MigrationInputOptions,
): Promise<{ fgExport: FgExport; plan: MigrationPlan }> {
  if (!options.input) throw new CliUsageError('--input <export.json> is required');
  const fgExport = await readExport(options.input);
  return { fgExport, plan: mapExport(fgExport, await mappingOptions(options)) };
}

/**
 * A plan written by `migrate plan --out`, read through the plan schema (`plan-schema.ts`): a
 * mistyped or invalid plan is a usage error naming the offending fields, before anything is written.
 */
export async function readPlanFile(path: string): Promise<MigrationPlan> {
  const json = await readJson(path, 'plan file');
  try {
    return parsePlan(json);
  } catch (error) {
    if (!(error instanceof PlanFileError)) throw error;
    const shown = error.problems.slice(0, 10).map((problem) => `  ${problem.fieldId}: ${problem.error}`);
    const more = error.problems.length > 10 ? [`  … and ${error.problems.length - 10} more`] : [];
    throw new CliUsageError(
      `plan file ${path} is not a valid plan (nothing was written):\n${[...shown, ...more].join('\n')}`,
    );
  }
}
