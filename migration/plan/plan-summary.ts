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
  readonly warnings: number;
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
    warnings: plan.warnings.length,
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
    `Warnings (lossy mappings): ${summary.warnings}`,
    ...plan.warnings.map(formatWarning),
  ];
  return `${lines.join('\n')}\n`;
}

function formatWarning(warning: MigrationWarning): string {
  return `  [${warning.code}]${warning.userGroup ? ` ${warning.userGroup}:` : ''} ${warning.message}`;
}
