import type { AccessCheck } from '../../functions/core/access-check.js';
import { Evaluator } from '../../functions/core/evaluator.js';
import type { PolicySnapshot } from '../../functions/core/policy-snapshot.js';
import { type ActingPrincipal, ALL_USERS_GROUP_IDENTIFIERS } from '../../functions/core/principal.js';
import { accountScope, type Scope, scopePath } from '../../functions/core/scope.js';
import { FirstGenAccess } from '../firstgen/firstgen-evaluator.js';
import type { FgExport, FgUserGroup } from '../firstgen/model.js';
import type { MigrationPlan } from '../mapping/migration-plan.js';
import {
  COMBINED_EXECUTION_REASON,
  PARTIAL_EXECUTION_REASON,
  type VerifyCheck,
  verifyChecks,
} from './verify-checks.js';

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
 * The flattened comparisons: every check, the NextGen sub-checks of each (`sub[c]…sub[c+1]` index
 * `ng`), whether its FirstGen decision for a user is the OR of the decisions for each of the user's
 * groups (`decomposable`), and the contiguous ranges of each application.
 */
interface Plan {
  readonly checks: readonly VerifyCheck[];
  readonly ng: readonly AccessCheck[];
  readonly sub: Int32Array;
  readonly decomposable: Uint8Array;
  readonly ranges: readonly {
    readonly appId: string;
    readonly from: number;
    readonly to: number;
    readonly project?: Scope;
  }[];
}

/**
 * FirstGen decisions that are the OR over the user's groups: each permission decides alone (account
 * permissions — implications have one premise —, CRUD on everything but pipelines, CREATE, running
 * an environment-less workflow). Pipeline CRUD (the cross-permission step), execution in an
 * environment and pipeline execution combine permissions of different groups.
 */
function isDecomposable(check: VerifyCheck): boolean {
  if (check.appId === undefined) return true;
  if (check.category.startsWith('CREATE ')) return true;
  if (/^(READ|UPDATE|DELETE) /.test(check.category)) return !check.category.endsWith(' PIPELINE');
  return check.category.includes('environment-less workflow');
}

function flatten(checks: readonly VerifyCheck[], projectOf: ReadonlyMap<string, Scope>): Plan {
  const ng: AccessCheck[] = [];
  const sub = new Int32Array(checks.length + 1);
  const decomposable = new Uint8Array(checks.length);
  const ranges: { appId: string; from: number; to: number; project?: Scope }[] = [];
  checks.forEach((check, c) => {
    sub[c] = ng.length;
    ng.push(...check.nextGen);
    decomposable[c] = isDecomposable(check) ? 1 : 0;
    const appId = check.appId ?? '';
    const last = ranges[ranges.length - 1];
    if (last && last.appId === appId) last.to = c + 1;
    else {
      const project = projectOf.get(appId);
      ranges.push({ appId, from: c, to: c + 1, ...(project ? { project } : {}) });
    }
  });
  sub[checks.length] = ng.length;
  return { checks, ng, sub, decomposable, ranges };
}

/** One subject's decisions: FirstGen under both readings per check, NextGen per sub-check. */
interface Decisions {
  readonly main: Uint8Array;
  readonly literal: Uint8Array;
  readonly ng: Uint8Array;
}

function decideAll(
  plan: Plan,
  readings: Readings,
  evaluator: Evaluator,
  principal: ActingPrincipal,
): Decisions {
  const main = new Uint8Array(plan.checks.length);
  const literal = new Uint8Array(plan.checks.length);
  const ng = new Uint8Array(plan.ng.length);
  for (const range of plan.ranges) {
    if (
      range.project &&
      !readings.main.hasPermissionsIn(range.appId) &&
      evaluator.effectivePermissions(principal, range.project).length === 0
    )
      continue;
    for (let c = range.from; c < range.to; c++) {
      const check = plan.checks[c] as VerifyCheck;
      main[c] = check.firstGen(readings.main) ? 1 : 0;
      literal[c] = check.firstGen(readings.literal) ? 1 : 0;
      for (let j = plan.sub[c] as number; j < (plan.sub[c + 1] as number); j++)
        ng[j] = evaluator.check(principal, plan.ng[j] as AccessCheck).permitted ? 1 : 0;
    }
  }
  return { main, literal, ng };
}

function orInto(target: Uint8Array, source: Uint8Array): void {
  for (let index = 0; index < target.length; index++)
    target[index] = (target[index] as number) | (source[index] as number);
}

/**
 * Compares, for every user group and every user of the export and every comparison of
 * {@link verifyChecks}, FirstGen's decision under both readings (`FirstGenAccess` main and
 * literal) with the NextGen decision of our evaluator over `snapshot` — the target account as
 * stored. A group is judged through a probe user who is a member of that group only. A user's
 * NextGen decisions are the OR, per NextGen check, of those of the user's groups and of the
 * account's all-users group (an account member), which is exactly how the evaluator unions grants;
 * the FirstGen decisions that are an OR over groups are combined the same way and the others
 * decided for the user. Users with grants of their own (direct assignments, memberships below the
 * account) are decided directly. Each subject's report is handed to `onSubject` as soon as it is
 * complete and only aggregated counts are kept, so memory stays bounded by groups × checks and the
 * number of distinct reasons, never by decisions.
 */
export function verifyMigration(
  fgExport: FgExport,
  plan: MigrationPlan,
  snapshot: PolicySnapshot,
  onSubject: (report: SubjectReport) => void = () => {},
  options: VerifyOptions = {},
): VerifySummary {
  const checks = verifyChecks(fgExport, plan);
  const projectOf = new Map(plan.projects.map((project) => [project.appId, project.scope as Scope]));
  const flat = flatten(checks, projectOf);
  const groupIdentifier = new Map(plan.userGroups.map((group) => [group.fgId, group.identifier]));
  const planned = new Set(plan.userGroups.map((group) => `${scopePath(group.scope)}#${group.identifier}`));
  const account = accountScope(plan.targetAccountId);
  const evaluator = new Evaluator({
    ...snapshot,
    userGroups: snapshot.userGroups.map((group) =>
      planned.has(`${scopePath(group.scope)}#${group.identifier}`)
        ? { ...group, users: [...group.users, `${PROBE_PREFIX}${group.identifier}`] }
        : group,
    ),
    scopeMemberships: [...snapshot.scopeMemberships, { userId: MEMBER_PROBE, scope: account }],
  });
  const locateCodes = flat.ng.map((ngCheck) => {
    const decision = evaluator.check({ type: 'USER', identifier: NOBODY }, ngCheck);
    return 'code' in decision ? decision.code : undefined;
  });
  const totals = emptyCounts();
  const reasons = new Map<string, ReasonSummary>();
  const emit = (report: SubjectReport) => {
    for (const outcome of OUTCOMES) totals[outcome] += report.counts[outcome];
    for (const entry of report.reasons) {
      const key = `${entry.outcome}|${entry.reason}`;
      const summary = reasons.get(key) ?? { ...entry, count: 0, examples: [], groups: 0, users: 0 };
      summary.count += entry.count;
      if (report.kind === 'group') summary.groups++;
      else summary.users++;
      for (const example of entry.examples) {
        if (summary.examples.length < EXAMPLES_OVERALL)
          summary.examples.push(`${report.identifier}: ${example}`);
      }
      reasons.set(key, summary);
    }
    onSubject(report);
  };
  const judge = new Judge(flat, evaluator, locateCodes);
  const byGroup = new Map<string, Decisions>();
  for (const group of fgExport.userGroups) {
    const identifier = groupIdentifier.get(group.id) ?? group.id;
    const principal: ActingPrincipal = { type: 'USER', identifier: `${PROBE_PREFIX}${identifier}` };
    const decisions = decideAll(flat, readingsOf([group], fgExport), evaluator, principal);
    byGroup.set(group.id, decisions);
    emit(judge.report({ kind: 'group', identifier, name: group.name }, decisions, undefined, principal));
  }
  const memberView = decideAll(flat, readingsOf([], fgExport), evaluator, {
    type: 'USER',
    identifier: MEMBER_PROBE,
  });
  const groupsOf = new Map<string, FgUserGroup[]>();
  for (const group of fgExport.userGroups) {
    for (const member of group.memberIds) {
      const list = groupsOf.get(member) ?? [];
      list.push(group);
      groupsOf.set(member, list);
    }
  }
  const ownGrants = usersWithOwnGrants(snapshot);
  const accountMembers = new Set(
    snapshot.scopeMemberships.filter((m) => m.scope.level === 'account').map((m) => m.userId),
  );
  for (const user of fgExport.users) {
    const groups = groupsOf.get(user.id) ?? [];
    const who = { kind: 'user' as const, identifier: user.id, name: user.email ?? user.name ?? user.id };
    const principal: ActingPrincipal = { type: 'USER', identifier: user.id };
    if (options.decideUsersDirectly || ownGrants.has(user.id)) {
      emit(
        judge.report(
          who,
          decideAll(flat, readingsOf(groups, fgExport), evaluator, principal),
          undefined,
          principal,
        ),
      );
      continue;
    }
    const combined: Decisions = {
      main: new Uint8Array(flat.checks.length),
      literal: new Uint8Array(flat.checks.length),
      ng: new Uint8Array(flat.ng.length),
    };
    for (const group of groups) {
      const decisions = byGroup.get(group.id);
      if (!decisions) continue;
      orInto(combined.main, decisions.main);
      orInto(combined.literal, decisions.literal);
      orInto(combined.ng, decisions.ng);
    }
    if (groups.length > 1) {
      const readings = readingsOf(groups, fgExport);
      for (const range of flat.ranges) {
        if (!readings.main.hasPermissionsIn(range.appId)) continue;
        for (let c = range.from; c < range.to; c++) {
          if (flat.decomposable[c]) continue;
          const check = flat.checks[c] as VerifyCheck;
          combined.main[c] = check.firstGen(readings.main) ? 1 : 0;
          combined.literal[c] = check.firstGen(readings.literal) ? 1 : 0;
        }
      }
    }
    emit(judge.report(who, combined, accountMembers.has(user.id) ? memberView.ng : undefined, principal));
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

/** Options of {@link verifyMigration}. */
export interface VerifyOptions {
  /** Decide every user on its own instead of combining its groups' decisions (the reference the combination is tested against). */
  readonly decideUsersDirectly?: boolean;
}

const MEMBER_PROBE = '__verify_account_member__';
const NOBODY = '__verify_nobody__';

function readingsOf(groups: readonly FgUserGroup[], fgExport: FgExport): Readings {
  return {
    main: new FirstGenAccess(groups, fgExport.applications, 'main'),
    literal: new FirstGenAccess(groups, fgExport.applications, 'literal'),
  };
}

/** Users whose NextGen access is not only their groups' and the account's all-users group: they are decided directly. */
function usersWithOwnGrants(snapshot: PolicySnapshot): Set<string> {
  const users = new Set<string>();
  for (const assignment of snapshot.roleAssignments)
    if (assignment.principal.type === 'USER') users.add(assignment.principal.identifier);
  for (const membership of snapshot.scopeMemberships)
    if (membership.scope.level !== 'account') users.add(membership.userId);
  return users;
}

interface Readings {
  readonly main: FirstGenAccess;
  readonly literal: FirstGenAccess;
}

/** Turns one subject's decisions into its report: outcome and reason per comparison, aggregated. */
class Judge {
  /** For each workflow-execution check, the indexes of its run, rollback and abort checks. */
  private readonly executionSiblings = new Map<number, readonly number[]>();

  constructor(
    private readonly plan: Plan,
    private readonly evaluator: Evaluator,
    private readonly locateCodes: readonly (string | undefined)[],
  ) {
    const byExecution = new Map<string, number[]>();
    plan.checks.forEach((check, c) => {
      if (check.executionOf === undefined) return;
      const siblings = byExecution.get(check.executionOf) ?? [];
      siblings.push(c);
      byExecution.set(check.executionOf, siblings);
    });
    for (const siblings of byExecution.values())
      for (const c of siblings) this.executionSiblings.set(c, siblings);
  }

  report(
    who: { kind: 'group' | 'user'; identifier: string; name: string },
    decisions: Decisions,
    memberView: Uint8Array | undefined,
    principal: ActingPrincipal,
  ): SubjectReport {
    const { plan } = this;
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
    for (let c = 0; c < plan.checks.length; c++) {
      const check = plan.checks[c] as VerifyCheck;
      const main = decisions.main[c] === 1;
      const literal = decisions.literal[c] === 1;
      const from = plan.sub[c] as number;
      const to = plan.sub[c + 1] as number;
      let own = to > from;
      let withView = to > from;
      let denied = -1;
      for (let j = from; j < to; j++) {
        const mine = decisions.ng[j] === 1;
        if (!mine) own = false;
        if (!mine && memberView?.[j] !== 1) {
          withView = false;
          if (denied < 0) denied = j;
        }
      }
      if (main !== literal) {
        record(
          'ambiguous',
          `${check.category}: the main reading ${main ? 'allows' : 'denies'}, the literal reading ${literal ? 'allows' : 'denies'}; NextGen ${withView ? 'allows' : `denies (${this.deniedBecause(c, denied, decisions)})`}`,
          check,
        );
        continue;
      }
      if (main === withView) {
        counts.equal++;
        continue;
      }
      if (main) {
        record('narrowed', `${check.category}: ${this.deniedBecause(c, denied, decisions)}`, check);
      } else if (!own || this.grantedByDefaultView(check, principal)) {
        record(
          'defaultView',
          `${check.category}: granted by the default all-users view of the account`,
          check,
        );
      } else {
        record('broadened', this.broadenedReason(check, principal), check);
      }
    }
    return { ...who, counts, reasons: [...reasons.values()].sort((a, b) => b.count - a.count) };
  }

  /** True when one of the check's NextGen decisions is granted through the account's all-users group. */
  private grantedByDefaultView(check: VerifyCheck, principal: ActingPrincipal): boolean {
    return check.nextGen.some((ngCheck) => {
      const decision = this.evaluator.check(principal, ngCheck);
      return decision.permitted && decision.explanation.viaUserGroup === ALL_USERS_GROUP_IDENTIFIERS.account;
    });
  }

  /**
   * Why NextGen denies check `c`: the decision table's documented reason; for a workflow execution,
   * whether FirstGen allows only some of run, rollback and abort (or all three only by combining
   * permissions); else the denied NextGen permission and its code.
   */
  private deniedBecause(c: number, denied: number, decisions: Decisions): string {
    const check = this.plan.checks[c] as VerifyCheck;
    if (check.narrowedBecause) return check.narrowedBecause;
    if (check.ambiguousNarrowedBecause && decisions.main[c] === 1 && decisions.literal[c] === 0)
      return check.ambiguousNarrowedBecause;
    const siblings = this.executionSiblings.get(c);
    if (siblings) {
      return siblings.every((sibling) => decisions.main[sibling] === 1)
        ? COMBINED_EXECUTION_REASON
        : PARTIAL_EXECUTION_REASON;
    }
    if (denied < 0) return 'no NextGen equivalent';
    const ngCheck = this.plan.ng[denied] as AccessCheck;
    return `NextGen denies ${ngCheck.permission} (${this.locateCodes[denied] ?? 'NO_MATCHING_ASSIGNMENT'})`;
  }

  private broadenedReason(check: VerifyCheck, principal: ActingPrincipal): string {
    const grants = check.nextGen.flatMap((ngCheck) => {
      const decision = this.evaluator.check(principal, ngCheck);
      return decision.permitted
        ? [
            `${ngCheck.permission} via ${decision.explanation.roleIdentifier} on ${decision.explanation.resourceGroupIdentifier}`,
          ]
        : [];
    });
    return `${check.category}: FirstGen denies, NextGen grants ${grants.join(', ')}`;
  }
}
