import { Evaluator } from '../../functions/core/evaluator.js';
import type { PolicySnapshot } from '../../functions/core/policy-snapshot.js';
import { sameScope } from '../../functions/core/scope.js';
import { FirstGenAccess } from '../firstgen/firstgen-evaluator.js';
import type { FgExport, FgUserGroup } from '../firstgen/model.js';
import type { MigrationPlan } from '../mapping/migration-plan.js';
import { type VerifyCheck, verifyChecks } from './verify-checks.js';

/** The outcome of one comparison. */
export type Comparison = 'equal' | 'narrowed' | 'broadened';

/** A comparison that is not `equal`, with the reason NextGen differs. */
export interface Finding {
  readonly outcome: Exclude<Comparison, 'equal'>;
  readonly check: string;
  readonly reason: string;
}

/** The comparisons of one user group (as a member holding only that group) or one user. */
export interface SubjectReport {
  readonly kind: 'group' | 'user';
  readonly identifier: string;
  readonly name: string;
  readonly equal: number;
  readonly narrowed: number;
  readonly broadened: number;
  readonly findings: readonly Finding[];
}

/** The equivalence report of DESIGN §10. */
export interface VerifyReport {
  readonly checksPerSubject: number;
  readonly totals: { readonly equal: number; readonly narrowed: number; readonly broadened: number };
  readonly groups: readonly SubjectReport[];
  readonly users: readonly SubjectReport[];
}

const PROBE_PREFIX = '__verify_member_of__';

/**
 * Compares, for every user group and every user of the export and every comparison of
 * {@link verifyChecks}, FirstGen's decision (the FirstGen evaluator over the export) with the
 * NextGen decision of our evaluator over `snapshot` — the target account as stored. A group is
 * judged through a probe user who is a member of that group only.
 */
export function verifyMigration(
  fgExport: FgExport,
  plan: MigrationPlan,
  snapshot: PolicySnapshot,
): VerifyReport {
  const checks = verifyChecks(fgExport, plan);
  const groupIdentifier = new Map(plan.userGroups.map((group) => [group.fgId, group.identifier]));
  const probeSnapshot: PolicySnapshot = {
    ...snapshot,
    userGroups: snapshot.userGroups.map((group) => {
      const planned = plan.userGroups.find(
        (candidate) => candidate.identifier === group.identifier && sameScope(candidate.scope, group.scope),
      );
      return planned ? { ...group, users: [...group.users, `${PROBE_PREFIX}${planned.identifier}`] } : group;
    }),
  };
  const evaluator = new Evaluator(probeSnapshot);
  const subject = (
    kind: 'group' | 'user',
    identifier: string,
    name: string,
    principalId: string,
    groups: readonly FgUserGroup[],
  ) =>
    compare(
      kind,
      identifier,
      name,
      checks,
      new FirstGenAccess(groups, fgExport.applications),
      (check) =>
        check.nextGen.length > 0 &&
        check.nextGen.every(
          (ngCheck) => evaluator.check({ type: 'USER', identifier: principalId }, ngCheck).permitted,
        ),
      evaluator,
      principalId,
    );
  const groups = fgExport.userGroups.map((group) => {
    const identifier = groupIdentifier.get(group.id) ?? group.id;
    return subject('group', identifier, group.name, `${PROBE_PREFIX}${identifier}`, [group]);
  });
  const users = fgExport.users.map((user) =>
    subject(
      'user',
      user.id,
      user.email ?? user.name ?? user.id,
      user.id,
      fgExport.userGroups.filter((group) => group.memberIds.includes(user.id)),
    ),
  );
  const sum = (key: 'equal' | 'narrowed' | 'broadened') =>
    [...groups, ...users].reduce((total, report) => total + report[key], 0);
  return {
    checksPerSubject: checks.length,
    totals: { equal: sum('equal'), narrowed: sum('narrowed'), broadened: sum('broadened') },
    groups,
    users,
  };
}

function compare(
  kind: 'group' | 'user',
  identifier: string,
  name: string,
  checks: readonly VerifyCheck[],
  access: FirstGenAccess,
  nextGenAllows: (check: VerifyCheck) => boolean,
  evaluator: Evaluator,
  principalId: string,
): SubjectReport {
  let equal = 0;
  const findings: Finding[] = [];
  for (const check of checks) {
    const before = check.firstGen(access);
    const after = nextGenAllows(check);
    if (before === after) {
      equal++;
    } else if (before) {
      findings.push({
        outcome: 'narrowed',
        check: check.label,
        reason: narrowedReason(check, evaluator, principalId),
      });
    } else {
      findings.push({
        outcome: 'broadened',
        check: check.label,
        reason: broadenedReason(check, evaluator, principalId),
      });
    }
  }
  const count = (outcome: Finding['outcome']) =>
    findings.filter((finding) => finding.outcome === outcome).length;
  return {
    kind,
    identifier,
    name,
    equal,
    narrowed: count('narrowed'),
    broadened: count('broadened'),
    findings,
  };
}

function narrowedReason(check: VerifyCheck, evaluator: Evaluator, principalId: string): string {
  if (check.narrowedBecause) return check.narrowedBecause;
  if (check.nextGen.length === 0) return 'no NextGen equivalent';
  for (const ngCheck of check.nextGen) {
    const decision = evaluator.check({ type: 'USER', identifier: principalId }, ngCheck);
    if (!decision.permitted) return `NextGen denies ${ngCheck.permission}: ${decision.reason}`;
  }
  return 'NextGen denies';
}

function broadenedReason(check: VerifyCheck, evaluator: Evaluator, principalId: string): string {
  const grants = check.nextGen.map((ngCheck) => {
    const decision = evaluator.check({ type: 'USER', identifier: principalId }, ngCheck);
    return decision.permitted
      ? `${ngCheck.permission} via ${decision.explanation.roleIdentifier} on ${decision.explanation.resourceGroupIdentifier} (${decision.explanation.roleAssignmentIdentifier})`
      : '';
  });
  return `FirstGen denies but NextGen grants ${grants.filter(Boolean).join(', ')}`;
}
