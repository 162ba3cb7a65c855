import type { ReasonSummary, SubjectReport, VerifySummary } from './verify-migration.js';
import { gainsAccess } from './verify-migration.js';

/** How many subjects the text report lists one by one when there are many. */
export const LISTED_SUBJECTS = 10;

/** Subjects in report order: most access gained first, then most narrowed and ambiguous. */
export function bySeverity(a: SubjectReport, b: SubjectReport): number {
  const gained = (s: SubjectReport) => s.counts.broadened + s.counts.defaultView;
  const lost = (s: SubjectReport) => s.counts.narrowed + s.counts.ambiguous;
  return gained(b) - gained(a) || lost(b) - lost(a) || a.identifier.localeCompare(b.identifier);
}

function subjectLine(report: SubjectReport): string {
  const { equal, narrowed, broadened, ambiguous, defaultView } = report.counts;
  return `  ${report.kind.padEnd(5)} ${report.identifier.padEnd(28)} equal ${String(equal).padStart(6)}  narrowed ${String(narrowed).padStart(5)}  ambiguous ${String(ambiguous).padStart(5)}  broadened ${broadened}  default view ${defaultView}${report.name !== report.identifier ? `  (${report.name})` : ''}`;
}

function reasonLines(reason: ReasonSummary): string[] {
  return [
    `  [${reason.outcome}] ${reason.reason}: ${reason.count} decisions, ${reason.groups} groups, ${reason.users} users`,
    ...reason.examples.slice(0, 3).map((example) => `      e.g. ${example}`),
  ];
}

const HEADINGS = {
  broadened: 'BROADENED (NextGen allows what FirstGen did not):',
  defaultView: "GRANTED BY NEXTGEN'S DEFAULT ALL-USERS VIEW (not in FirstGen; use --default-view remove):",
  ambiguous: 'Ambiguous (the two readings of the FirstGen rules disagree; not counted as equal):',
  narrowed: 'Narrowed (FirstGen allowed, NextGen denies):',
} as const;

/**
 * The human-readable equivalence report: totals, every reason aggregated (decisions, groups and
 * users affected, a few examples), and the subjects — all of them when there are few, else the
 * {@link LISTED_SUBJECTS} most affected (`--json` and `--html` have every one).
 */
export function formatReport(summary: VerifySummary, subjects: readonly SubjectReport[]): string {
  const { equal, narrowed, broadened, ambiguous, defaultView } = summary.totals;
  const lines = [
    `Equivalence report: ${summary.groups} groups and ${summary.users} users, ${summary.checksPerSubject} comparisons each`,
    `  equal ${equal}, narrowed ${narrowed}, ambiguous ${ambiguous}, broadened ${broadened}, default view ${defaultView}`,
    `  NextGen's default all-users view of the account is ${summary.defaultView}`,
  ];
  for (const outcome of ['broadened', 'defaultView', 'ambiguous', 'narrowed'] as const) {
    const reasons = summary.reasons.filter((reason) => reason.outcome === outcome);
    if (reasons.length === 0) continue;
    lines.push(HEADINGS[outcome], ...reasons.flatMap(reasonLines));
  }
  const total = summary.groups + summary.users;
  lines.push(
    total <= subjects.length
      ? 'Per group and per user:'
      : `Most affected groups and users (${subjects.length} of ${total}; --json or --html for all):`,
    ...subjects.map(subjectLine),
  );
  lines.push(
    `Result: ${equal} equal, ${narrowed} narrowed, ${ambiguous} ambiguous, ${broadened} broadened, ${defaultView} by the default view — ${gainsAccess(summary.totals) ? 'VERIFICATION FAILED: access was broadened' : 'no user gains access FirstGen did not give'}`,
  );
  return `${lines.join('\n')}\n`;
}
