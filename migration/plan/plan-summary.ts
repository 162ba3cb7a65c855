import type { MigrationPlan, MigrationWarning } from '../mapping/migration-plan.js';

/** The counts `migrate plan` prints. */
export interface PlanSummary {
  readonly sourceAccountId: string;
  readonly targetAccountId: string;
  readonly organization: string;
  readonly projects: number;
  readonly userGroups: number;
  readonly users: number;
  readonly roles: number;
  readonly resourceGroups: number;
  readonly roleAssignments: number;
  /** NextGen users created (active members of the account). */
  readonly accountUsers: number;
  readonly defaultView: MigrationPlan['defaultView'];
  readonly warnings: number;
  /** The warnings aggregated per code. */
  readonly warningsByCode: readonly WarningSummary[];
}

/** The warnings of one code: how many, how many groups they concern, and a few examples. */
export interface WarningSummary {
  readonly code: string;
  readonly count: number;
  readonly groups: number;
  readonly examples: readonly string[];
}

const EXAMPLES = 3;

/** The warnings aggregated per code, most frequent first. */
export function summarizeWarnings(warnings: readonly MigrationWarning[]): WarningSummary[] {
  const byCode = new Map<string, { count: number; groups: Set<string>; examples: string[] }>();
  for (const warning of warnings) {
    const entry = byCode.get(warning.code) ?? { count: 0, groups: new Set<string>(), examples: [] };
    entry.count++;
    if (warning.userGroup) entry.groups.add(warning.userGroup);
    if (entry.examples.length < EXAMPLES) {
      entry.examples.push(`${warning.userGroup ? `${warning.userGroup}: ` : ''}${warning.message}`);
    }
    byCode.set(warning.code, entry);
  }
  return [...byCode.entries()]
    .map(([code, entry]) => ({
      code,
      count: entry.count,
      groups: entry.groups.size,
      examples: entry.examples,
    }))
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}

/** Counts of what a plan creates. */
export function summarizePlan(plan: MigrationPlan): PlanSummary {
  return {
    sourceAccountId: plan.sourceAccountId,
    targetAccountId: plan.targetAccountId,
    organization: plan.organization.orgIdentifier,
    projects: plan.projects.length,
    userGroups: plan.userGroups.length,
    users: new Set(plan.userGroups.flatMap((group) => group.users)).size,
    roles: plan.roles.length,
    resourceGroups: plan.resourceGroups.length,
    roleAssignments: plan.assignments.length,
    accountUsers: plan.users.length,
    defaultView: plan.defaultView,
    warnings: plan.warnings.length,
    warningsByCode: summarizeWarnings(plan.warnings),
  };
}

/** The human-readable summary and warnings of a plan. */
export function formatPlan(plan: MigrationPlan): string {
  const summary = summarizePlan(plan);
  const lines = [
    `Migration plan: FirstGen account ${summary.sourceAccountId} → account ${summary.targetAccountId}, organization ${summary.organization}`,
    `  projects to create:         ${summary.projects}`,
    `  user groups to create:      ${summary.userGroups} (${summary.users} members)`,
    `  custom roles to create:     ${summary.roles}`,
    `  resource groups to create:  ${summary.resourceGroups}`,
    `  role assignments to create: ${summary.roleAssignments}`,
    `  users (active account members): ${summary.accountUsers}`,
    `  default all-users view:     ${summary.defaultView}`,
    `Warnings (lossy mappings): ${summary.warnings} in ${summary.warningsByCode.length} kinds (--json lists every one)`,
    ...summary.warningsByCode.flatMap((entry) => [
      `  [${entry.code}] ${entry.count}×${entry.groups > 0 ? `, ${entry.groups} groups` : ''}`,
      ...entry.examples.map((example) => `      e.g. ${example}`),
    ]),
  ];
  return `${lines.join('\n')}\n`;
}
