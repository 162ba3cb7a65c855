import type { SubjectReport, VerifyReport } from './verify-migration.js';

function line(report: SubjectReport): string {
  return `  ${report.kind.padEnd(5)} ${report.identifier.padEnd(28)} equal ${String(report.equal).padStart(5)}  narrowed ${String(report.narrowed).padStart(4)}  broadened ${report.broadened}${report.name !== report.identifier ? `  (${report.name})` : ''}`;
}

/** The human-readable equivalence report: one line per group and user, then every broadened and narrowed finding. */
export function formatReport(report: VerifyReport): string {
  const subjects = [...report.groups, ...report.users];
  const lines = [
    `Equivalence report (${report.checksPerSubject} comparisons per group and per user)`,
    ...report.groups.map(line),
    ...report.users.map(line),
  ];
  for (const outcome of ['broadened', 'narrowed'] as const) {
    const findings = subjects.flatMap((subject) =>
      subject.findings
        .filter((finding) => finding.outcome === outcome)
        .map((finding) => ({ subject, finding })),
    );
    if (findings.length === 0) continue;
    lines.push(
      outcome === 'broadened'
        ? 'BROADENED (NextGen allows what FirstGen did not):'
        : 'Narrowed (FirstGen allowed, NextGen denies):',
    );
    for (const { subject, finding } of findings) {
      lines.push(`  ${subject.kind} ${subject.identifier}: ${finding.check} — ${finding.reason}`);
    }
  }
  const { equal, narrowed, broadened } = report.totals;
  lines.push(
    `Result: ${equal} equal, ${narrowed} narrowed, ${broadened} broadened — ${broadened === 0 ? 'no user gains access FirstGen did not give' : 'VERIFICATION FAILED: access was broadened'}`,
  );
  return `${lines.join('\n')}\n`;
}
