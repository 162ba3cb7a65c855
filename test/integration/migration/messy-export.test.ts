import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateMessyExport, MESSY_FIXTURE } from '../../../bench/firstgen-export-generator.js';
import { initializeAccount } from '../../../functions/store/change-log.js';
import { snapshotFromItems } from '../../../functions/store/entities/policy-entities.js';
import { applyPlan, readAccountItems } from '../../../migration/apply/apply-plan.js';
import { parseExport } from '../../../migration/firstgen/parse-export.js';
import { mapExport } from '../../../migration/mapping/map-export.js';
import type { MigrationPlan } from '../../../migration/mapping/migration-plan.js';
import { summarizePlan } from '../../../migration/plan/plan-summary.js';
import { type VerifySummary, verifyMigration } from '../../../migration/verify/verify-migration.js';
import { createTestTable } from '../../support/dynamodb-test-table.js';

const FIXTURE = new URL('../../fixtures/migration/messy-export.json', import.meta.url);
const ACCOUNT = 'messy';
const raw = JSON.parse(readFileSync(FIXTURE, 'utf8'));

describe('a messy export (test/fixtures/migration/messy-export.json): plan, apply, re-apply, verify', () => {
  const fgExport = parseExport(raw);
  let plan: MigrationPlan;
  let first: Awaited<ReturnType<typeof applyPlan>>;
  let second: Awaited<ReturnType<typeof applyPlan>>;
  let summary: VerifySummary;

  beforeAll(async () => {
    const table = await createTestTable();
    const target = { client: table.client, tableName: table.tableName, now: () => 1_800_000_000_000 };
    await initializeAccount(target, ACCOUNT);
    plan = mapExport(fgExport, { targetAccountId: ACCOUNT, orgIdentifier: 'default' });
    first = await applyPlan(target, plan);
    second = await applyPlan(target, plan);
    const items = await readAccountItems(target, ACCOUNT);
    summary = verifyMigration(fgExport, plan, snapshotFromItems(ACCOUNT, [...items.values()]));
  }, 180_000);

  it('is what the generator writes (regenerate with npx tsx bench/firstgen-export-generator.ts --write-fixture)', () => {
    expect(raw).toEqual(JSON.parse(JSON.stringify(generateMessyExport(MESSY_FIXTURE))));
  });

  it('holds the mess it claims: REST and GraphQL groups, nulls, deprecated names, deleted applications, huge groups, busy users', () => {
    const text = JSON.stringify(raw);
    const groups = raw.userGroups as Record<string, unknown>[];
    expect(groups.filter((group) => 'uuid' in group).length).toBeGreaterThan(5);
    expect(groups.filter((group) => 'permissions' in group).length).toBeGreaterThan(40);
    for (const deprecated of [
      'TAG_MANAGEMENT',
      'MANAGE_IP_WHITELISTING',
      'APPLICATION_CREATE_DELETE',
      '"EXECUTE"',
      'MANAGE_USER_AND_USER_GROUPS_AND_API_KEYS',
    ])
      expect(text).toContain(deprecated);
    expect(text).toContain('deletedApp');
    expect(text).toContain('null');
    expect(text).toContain('[]');
    expect(Math.max(...fgExport.userGroups.map((group) => group.memberIds.length))).toBeGreaterThan(2_000);
    const perUser = new Map<string, number>();
    for (const group of fgExport.userGroups)
      for (const id of group.memberIds) perUser.set(id, (perUser.get(id) ?? 0) + 1);
    expect(Math.max(...perUser.values())).toBeGreaterThanOrEqual(24);
  });

  it('plans with warnings aggregated per code, never a crash on applications that no longer exist', () => {
    const codes = summarizePlan(plan).warningsByCode.map((entry) => entry.code);
    expect(codes).toEqual(
      expect.arrayContaining([
        'UNKNOWN_APPLICATION',
        'USER_WITHOUT_EMAIL',
        'DUPLICATE_EMAIL',
        'DYNAMIC_APPLICATIONS',
        'ACCOUNT_ADMIN',
      ]),
    );
    expect(plan.defaultView).toBe('remove');
  });

  it('applies once; the re-apply writes nothing', () => {
    expect(first.itemsWritten).toBeGreaterThan(1_000);
    expect(second).toMatchObject({ itemsWritten: 0, committed: false });
  });

  it('verifies with nothing broadened, nothing by the default view, and ambiguous decisions reported apart', () => {
    expect(summary.totals.broadened).toBe(0);
    expect(summary.totals.defaultView).toBe(0);
    expect(summary.totals.ambiguous).toBeGreaterThan(0);
    expect(summary.users).toBe(fgExport.users.length);
    expect(summary.reasons.every((reason) => reason.examples.length <= 5)).toBe(true);
  });

  it('gives every narrowing, and every ambiguous decision NextGen denies, a documented reason instead of a bare evaluator code', () => {
    const denials = summary.reasons.filter(
      (reason) =>
        reason.outcome === 'narrowed' ||
        (reason.outcome === 'ambiguous' && reason.reason.includes('NextGen denies')),
    );
    expect(denials.map((reason) => reason.reason)).toEqual(
      expect.arrayContaining([expect.stringContaining('PARTIAL_WORKFLOW_EXECUTION')]),
    );
    const undocumented = denials.filter((reason) =>
      /NO_MATCHING|no NextGen equivalent|NextGen denies core_/.test(reason.reason),
    );
    expect(undocumented.map((reason) => reason.reason)).toEqual([]);
    const ambiguous = summary.reasons.filter((reason) => reason.outcome === 'ambiguous');
    expect(ambiguous.every((reason) => /; NextGen (allows|denies \()/.test(reason.reason))).toBe(true);
  });
});
