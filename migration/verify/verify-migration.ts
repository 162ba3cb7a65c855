import type { AccessCheck } from '../../functions/core/access-check.js';
import { Evaluator } from '../../functions/core/evaluator.js';
import type { PolicySnapshot } from '../../functions/core/policy-snapshot.js';
import { type ActingPrincipal, ALL_USERS_GROUP_IDENTIFIERS } from '../../functions/core/principal.js';
import { type Scope, scopePath } from '../../functions/core/scope.js';
import { FirstGenAccess } from '../firstgen/firstgen-evaluator.js';
import type { FgExport, FgUserGroup } from '../firstgen/model.js';
import type { MigrationPlan } from '../mapping/migration-plan.js';
import { type VerifyCheck, verifyChecks } from './verify-checks.js';

/**
 * The outcome of one comparison: `equal`; `narrowed` (FirstGen allowed, NextGen denies);
 * `broadened` (NextGen allows what FirstGen did not); `ambiguous` (the two readings of FirstGen's
 * rules disagree, so there is no single FirstGen decision to compare with); `defaultView` (NextGen
 * allows only through the account's default all-users view, which FirstGen did not give).
 */
export type Outcome = 'equal' | 'narrowed' | 'broadened' | 'ambiguous' | 'defaultView';

/** Every outcome, in report order. */
export const OUTCOMES: readonly Outcome[] = ['equal', 'narrowed', 'broadened', 'ambiguous', 'defaultView'];

/** Counts per outcome. */
export type OutcomeCounts = Record<Outcome, number>;

/** Decisions of one outcome that share a reason, with a few examples. */
export interface ReasonCount {
  readonly outcome: Exclude<Outcome, 'equal'>;
  readonly reason: string;
  count: number;
  readonly examples: string[];
}

/** The comparisons of one user group (as a member holding only that group) or one user, aggregated by reason. */
export interface SubjectReport {
  readonly kind: 'group' | 'user';
  readonly identifier: string;
  readonly name: string;
  readonly counts: OutcomeCounts;
  readonly reasons: readonly ReasonCount[];
}

/** A reason over every subject: how many decisions and how many groups and users it concerns. */
export interface ReasonSummary extends ReasonCount {
  groups: number;
  users: number;
}

/** The totals of a verification (DESIGN §10), without the per-subject reports (those are streamed). */
export interface VerifySummary {
  readonly checksPerSubject: number;
  readonly groups: number;
  readonly users: number;
  readonly totals: OutcomeCounts;
  /** Whether the account's default all-users view is in place in the table. */
  readonly defaultView: 'kept' | 'removed';
  readonly reasons: readonly ReasonSummary[];
}

const PROBE_PREFIX = '__verify_member_of__';
const EXAMPLES_PER_SUBJECT = 3;
const EXAMPLES_OVERALL = 5;

/** Zero of every outcome. */
export function emptyCounts(): OutcomeCounts {
  return { equal: 0, narrowed: 0, broadened: 0, ambiguous: 0, defaultView: 0 };
}

/** True when the report has any decision that gives access FirstGen did not (broadened or by the default view). */
export function gainsAccess(counts: OutcomeCounts): boolean {
  return counts.broadened > 0 || counts.defaultView > 0;
}

/**
 * Compares, for every user group and every user of the export and every comparison of
 * {@link verifyChecks}, FirstGen's decision under both readings (`FirstGenAccess` main and
 * literal) with the NextGen decision of our evaluator over `snapshot` — the target account as
 * stored. A group is judged through a probe user who is a member of that group only. Each
 * subject's report is handed to `onSubject` as soon as it is complete and only aggregated counts
 * are kept, so memory stays bounded by the number of subjects and distinct reasons, not decisions.
 */
export function verifyMigration(
  fgExport: FgExport,
  plan: MigrationPlan,
  snapshot: PolicySnapshot,
  onSubject: (report: SubjectReport) => void = () => {},
): VerifySummary {
  const checks = verifyChecks(fgExport, plan);
  const byApp = groupByApp(checks);
  const projectOf = new Map(plan.projects.map((project) => [project.appId, project.scope]));
  const groupIdentifier = new Map(plan.userGroups.map((group) => [group.fgId, group.identifier]));
  const planned = new Set(plan.userGroups.map((group) => `${scopePath(group.scope)}#${group.identifier}`));
  const evaluator = new Evaluator({
    ...snapshot,
    userGroups: snapshot.userGroups.map((group) =>
      planned.has(`${scopePath(group.scope)}#${group.identifier}`)
        ? { ...group, users: [...group.users, `${PROBE_PREFIX}${group.identifier}`] }
        : group,
    ),
  });
  const totals = emptyCounts();
  const reasons = new Map<string, ReasonSummary>();
  const subject = (
    kind: 'group' | 'user',
    identifier: string,
    name: string,
    principalId: string,
    groups: readonly FgUserGroup[],
  ) => {
    const report = compareSubject(
      { kind, identifier, name },
      byApp,
      projectOf,
      {
        main: new FirstGenAccess(groups, fgExport.applications, 'main'),
        literal: new FirstGenAccess(groups, fgExport.applications, 'literal'),
      },
      evaluator,
      { type: 'USER', identifier: principalId },
    );
    for (const outcome of OUTCOMES) totals[outcome] += report.counts[outcome];
    for (const entry of report.reasons) {
      const key = `${entry.outcome}|${entry.reason}`;
      const summary = reasons.get(key) ?? { ...entry, count: 0, examples: [], groups: 0, users: 0 };
      summary.count += entry.count;
      if (kind === 'group') summary.groups++;
      else summary.users++;
      for (const example of entry.examples) {
        if (summary.examples.length < EXAMPLES_OVERALL) summary.examples.push(`${identifier}: ${example}`);
      }
      reasons.set(key, summary);
    }
    onSubject(report);
  };
  for (const group of fgExport.userGroups) {
    const identifier = groupIdentifier.get(group.id) ?? group.id;
    subject('group', identifier, group.name, `${PROBE_PREFIX}${identifier}`, [group]);
  }
  const groupsOf = new Map<string, FgUserGroup[]>();
  for (const group of fgExport.userGroups) {
    for (const member of group.memberIds) {
      const list = groupsOf.get(member) ?? [];
      list.push(group);
      groupsOf.set(member, list);
    }
  }
  for (const user of fgExport.users) {
    subject('user', user.id, user.email ?? user.name ?? user.id, user.id, groupsOf.get(user.id) ?? []);
  }
  const defaultViewKept = snapshot.roleAssignments.some(
    (assignment) =>
      !assignment.disabled &&
      assignment.scope.level === 'account' &&
      assignment.principal.type === 'USER_GROUP' &&
      assignment.principal.identifier === ALL_USERS_GROUP_IDENTIFIERS.account,
  );
  return {
    checksPerSubject: checks.length,
    groups: fgExport.userGroups.length,
    users: fgExport.users.length,
    totals,
    defaultView: defaultViewKept ? 'kept' : 'removed',
    reasons: [...reasons.values()].sort(
      (a, b) => OUTCOMES.indexOf(b.outcome) - OUTCOMES.indexOf(a.outcome) || b.count - a.count,
    ),
  };
}

/** The checks of the account (key `''`) and of each application. */
function groupByApp(checks: readonly VerifyCheck[]): Map<string, VerifyCheck[]> {
  const byApp = new Map<string, VerifyCheck[]>();
  for (const check of checks) {
    const key = check.appId ?? '';
    const list = byApp.get(key) ?? [];
    list.push(check);
    byApp.set(key, list);
  }
  return byApp;
}

interface Readings {
  readonly main: FirstGenAccess;
  readonly literal: FirstGenAccess;
}

function compareSubject(
  who: { kind: 'group' | 'user'; identifier: string; name: string },
  byApp: ReadonlyMap<string, readonly VerifyCheck[]>,
  projectOf: ReadonlyMap<string, Scope>,
  readings: Readings,
  evaluator: Evaluator,
  principal: ActingPrincipal,
): SubjectReport {
  const counts = emptyCounts();
  const reasons = new Map<string, ReasonCount>();
  const record = (outcome: Exclude<Outcome, 'equal'>, reason: string, check: VerifyCheck) => {
    counts[outcome]++;
    const key = `${outcome}|${reason}`;
    const entry = reasons.get(key) ?? { outcome, reason, count: 0, examples: [] };
    entry.count++;
    if (entry.examples.length < EXAMPLES_PER_SUBJECT) entry.examples.push(check.label);
    reasons.set(key, entry);
  };
  for (const [appId, checks] of byApp) {
    const project = appId === '' ? undefined : projectOf.get(appId);
    if (
      project &&
      !readings.main.hasPermissionsIn(appId) &&
      evaluator.effectivePermissions(principal, project).length === 0
    ) {
      counts.equal += checks.length;
      continue;
    }
    for (const check of checks) compareOne(check, readings, evaluator, principal, counts, record);
  }
  return { ...who, counts, reasons: [...reasons.values()].sort((a, b) => b.count - a.count) };
}

function compareOne(
  check: VerifyCheck,
  readings: Readings,
  evaluator: Evaluator,
  principal: ActingPrincipal,
  counts: OutcomeCounts,
  record: (outcome: Exclude<Outcome, 'equal'>, reason: string, check: VerifyCheck) => void,
): void {
  const main = check.firstGen(readings.main);
  const literal = check.firstGen(readings.literal);
  if (main !== literal) {
    record(
      'ambiguous',
      `${check.category}: the main reading ${main ? 'allows' : 'denies'}, the literal reading ${literal ? 'allows' : 'denies'}`,
      check,
    );
    return;
  }
  const decisions = check.nextGen.map((ngCheck) => ({
    ngCheck,
    decision: evaluator.check(principal, ngCheck),
  }));
  const allowed = decisions.length > 0 && decisions.every(({ decision }) => decision.permitted);
  if (main === allowed) {
    counts.equal++;
    return;
  }
  if (main) {
    record('narrowed', narrowedReason(check, decisions), check);
    return;
  }
  const viaDefaultView = decisions.some(
    ({ decision }) =>
      decision.permitted && decision.explanation.viaUserGroup === ALL_USERS_GROUP_IDENTIFIERS.account,
  );
  if (viaDefaultView) {
    record('defaultView', `${check.category}: granted by the default all-users view of the account`, check);
    return;
  }
  record('broadened', broadenedReason(check, decisions), check);
}

type Decided = { ngCheck: AccessCheck; decision: ReturnType<Evaluator['check']> };

function narrowedReason(check: VerifyCheck, decisions: readonly Decided[]): string {
  if (check.narrowedBecause) return `${check.category}: ${check.narrowedBecause}`;
  if (decisions.length === 0) return `${check.category}: no NextGen equivalent`;
  const denied = decisions.find(({ decision }) => !decision.permitted);
  return denied
    ? `${check.category}: NextGen denies ${denied.ngCheck.permission}${'code' in denied.decision ? ` (${denied.decision.code})` : ''}`
    : `${check.category}: NextGen denies`;
}

function broadenedReason(check: VerifyCheck, decisions: readonly Decided[]): string {
  const grants = decisions.flatMap(({ ngCheck, decision }) =>
    decision.permitted
      ? [
          `${ngCheck.permission} via ${decision.explanation.roleIdentifier} on ${decision.explanation.resourceGroupIdentifier}`,
        ]
      : [],
  );
  return `${check.category}: FirstGen denies, NextGen grants ${grants.join(', ')}`;
}
