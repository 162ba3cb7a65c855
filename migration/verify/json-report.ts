import type { SubjectReport, VerifySummary } from './verify-migration.js';

/**
 * Streams the `migrate verify --json` document: `{"groups": [...], "users": [...], "totals": …,
 * "summary": …}`, one subject at a time as the comparison produces it, so no single string holds
 * the whole report. Groups must come before users (the order of `verifyMigration`).
 */
export class JsonReportWriter {
  private section: 'none' | 'group' | 'user' = 'none';
  private first = true;

  /** Writes to `out`. */
  constructor(private readonly out: NodeJS.WritableStream) {}

  /** Appends one subject's report. */
  subject(report: SubjectReport): void {
    if (this.section === 'none') {
      this.out.write('{\n"groups": [');
      this.section = 'group';
    }
    if (report.kind === 'user' && this.section === 'group') {
      this.out.write('\n],\n"users": [');
      this.section = 'user';
      this.first = true;
    }
    this.out.write(`${this.first ? '\n' : ',\n'}${JSON.stringify(report)}`);
    this.first = false;
  }

  /** Closes the arrays and writes the totals and the summary. */
  finish(summary: VerifySummary): void {
    if (this.section === 'none') this.out.write('{\n"groups": [');
    if (this.section !== 'user') this.out.write('\n],\n"users": [');
    const { totals, ...rest } = summary;
    this.out.write(
      `\n],\n"totals": ${JSON.stringify(totals)},\n"summary": ${JSON.stringify(rest, null, 1)}\n}\n`,
    );
  }
}
