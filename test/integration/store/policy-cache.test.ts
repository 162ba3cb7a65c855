import { beforeEach, describe, expect, it } from 'vitest';
import type { AccessCheck } from '../../../functions/core/access-check.js';
import type { ActingPrincipal } from '../../../functions/core/principal.js';
import type { RoleAssignment } from '../../../functions/core/role-assignment.js';
import { projectScope } from '../../../functions/core/scope.js';
import {
  type ChangeLogTarget,
  commitChange,
  ItemConflictError,
  initializeAccount,
  readAccountVersion,
  VersionConflictError,
} from '../../../functions/store/change-log.js';
import { roleAssignmentItem } from '../../../functions/store/entities/role-assignments.js';
import { membershipItem } from '../../../functions/store/entities/users.js';
import { roleAssignmentSk } from '../../../functions/store/keys.js';
import { PolicyCache } from '../../../functions/store/policy-cache.js';
import { countCalls } from '../../support/call-counter.js';
import { createTestTable } from '../../support/dynamodb-test-table.js';

const ACCOUNT = 'acc';
const P1 = projectScope(ACCOUNT, 'default', 'p1');
const ANN: ActingPrincipal = { type: 'USER', identifier: 'ann' };
const EDIT_PIPELINE: AccessCheck = {
  permission: 'core_pipeline_edit',
  resourceType: 'PIPELINE',
  resourceScope: P1,
  resourceIdentifier: 'deploy',
};
const ADMIN: RoleAssignment = {
  identifier: 'ann_admin',
  scope: P1,
  roleIdentifier: '_project_admin',
  resourceGroupIdentifier: '_all_project_level_resources',
  principal: { type: 'USER', identifier: 'ann' },
  disabled: false,
  managed: false,
};

describe('PolicyCache over the change log (DynamoDB Local)', () => {
  let target: ChangeLogTarget;
  const now = 1_700_000_000_000;

  beforeEach(async () => {
    const table = await createTestTable();
    target = { client: table.client, tableName: table.tableName, now: () => now };
    await initializeAccount(target, ACCOUNT);
  });

  const meta = () => ({ createdAt: now, lastModifiedAt: now, version: 1 });

  async function grant(expectedVersion: number): Promise<void> {
    await commitChange(target, ACCOUNT, expectedVersion, [
      { kind: 'create', item: membershipItem(ACCOUNT, 'ann', P1, meta()) },
      { kind: 'create', item: roleAssignmentItem(ACCOUNT, ADMIN, meta()) },
    ]);
  }

  it('sees a grant on the very next check and a revoke on the one after', async () => {
    // Prepare
    const cache = new PolicyCache(target);
    const before = await cache.current(ACCOUNT);

    // Act
    await grant(0);
    const afterGrant = await cache.current(ACCOUNT);
    await commitChange(target, ACCOUNT, 1, [{ kind: 'delete', sk: roleAssignmentSk(P1, ADMIN.identifier) }]);
    const afterRevoke = await cache.current(ACCOUNT);

    // Assess
    expect(before?.evaluator.check(ANN, EDIT_PIPELINE).permitted).toBe(false);
    expect(afterGrant?.evaluator.check(ANN, EDIT_PIPELINE).permitted).toBe(true);
    expect(afterRevoke?.version).toBe(2);
    expect(afterRevoke?.evaluator.check(ANN, EDIT_PIPELINE).permitted).toBe(false);
  });

  it('costs exactly one DynamoDB call when warm, changed or not', async () => {
    // Prepare
    const cache = new PolicyCache(target);
    const counter = countCalls(target.client);
    await cache.current(ACCOUNT);
    const coldCalls = counter.calls.length;

    // Act
    counter.reset();
    await cache.current(ACCOUNT);
    const warmUnchanged = [...counter.calls];
    await grant(0);
    counter.reset();
    const policy = await cache.current(ACCOUNT);
    const warmChanged = [...counter.calls];

    // Assess
    expect(coldCalls).toBe(3);
    expect(warmUnchanged).toEqual(['QueryCommand']);
    expect(warmChanged).toEqual(['QueryCommand']);
    expect(policy?.evaluator.check(ANN, EDIT_PIPELINE).permitted).toBe(true);
  });

  it('builds the same state cold as warm', async () => {
    // Prepare
    const warm = new PolicyCache(target);
    await warm.current(ACCOUNT);
    await grant(0);

    // Act
    const fromWarm = await warm.current(ACCOUNT);
    const fromCold = await new PolicyCache(target).current(ACCOUNT);

    // Assess
    expect(fromCold?.version).toBe(fromWarm?.version);
    expect(fromCold?.evaluator.check(ANN, EDIT_PIPELINE)).toEqual(
      fromWarm?.evaluator.check(ANN, EDIT_PIPELINE),
    );
  });

  it('answers undefined for an account that does not exist', async () => {
    expect(await new PolicyCache(target).current('nobody')).toBeUndefined();
  });

  it('lets exactly one of two writers of the same version win, and writes nothing for the loser', async () => {
    // Act
    const results = await Promise.allSettled([grant(0), grant(0)]);

    // Assess
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(VersionConflictError);
    expect(await readAccountVersion(target, ACCOUNT)).toBe(1);
  });

  it('rejects a duplicate create as an item conflict and leaves the version alone', async () => {
    // Prepare
    await grant(0);

    // Act
    const attempt = commitChange(target, ACCOUNT, 1, [
      { kind: 'create', item: roleAssignmentItem(ACCOUNT, ADMIN, meta()) },
    ]);

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(ItemConflictError);
    expect(await readAccountVersion(target, ACCOUNT)).toBe(1);
  });

  describe('an item that does not decode', () => {
    const BOB: ActingPrincipal = { type: 'USER', identifier: 'bob' };
    const BOB_ADMIN: RoleAssignment = {
      ...ADMIN,
      identifier: 'bob_admin',
      principal: { type: 'USER', identifier: 'bob' },
    };

    /** Ann and Bob both administer P1; then Bob's assignment is overwritten with one missing its role. */
    async function grantBothThenBreakBob(): Promise<void> {
      await commitChange(target, ACCOUNT, 0, [
        { kind: 'create', item: membershipItem(ACCOUNT, 'ann', P1, meta()) },
        { kind: 'create', item: membershipItem(ACCOUNT, 'bob', P1, meta()) },
        { kind: 'create', item: roleAssignmentItem(ACCOUNT, ADMIN, meta()) },
        { kind: 'create', item: roleAssignmentItem(ACCOUNT, BOB_ADMIN, meta()) },
      ]);
      const { roleIdentifier: _dropped, ...broken } = roleAssignmentItem(ACCOUNT, BOB_ADMIN, meta());
      await commitChange(target, ACCOUNT, 1, [{ kind: 'replace', item: broken, expectedVersion: 1 }]);
    }

    function reportingCache(reports: string[]): PolicyCache {
      return new PolicyCache({
        ...target,
        observer: {
          coldLoaded: () => {},
          caughtUp: () => {},
          malformedItem: (accountId, sortKey) => reports.push(`${accountId} ${sortKey}`),
        },
      });
    }

    it('grants nothing, is reported, and leaves the account’s other decisions standing (cold load)', async () => {
      // Prepare
      await grantBothThenBreakBob();
      const reports: string[] = [];

      // Act
      const policy = await reportingCache(reports).current(ACCOUNT);

      // Assess
      expect(policy?.version).toBe(2);
      expect(policy?.evaluator.check(ANN, EDIT_PIPELINE).permitted).toBe(true);
      expect(policy?.evaluator.check(BOB, EDIT_PIPELINE).permitted).toBe(false);
      expect(reports).toEqual([`${ACCOUNT} ${roleAssignmentSk(P1, BOB_ADMIN.identifier)}`]);
    });

    it('takes away what its key granted when a warm cache replays it', async () => {
      // Prepare
      const reports: string[] = [];
      const cache = reportingCache(reports);
      await cache.current(ACCOUNT);

      // Act
      await grantBothThenBreakBob();
      const policy = await cache.current(ACCOUNT);

      // Assess
      expect(policy?.version).toBe(2);
      expect(policy?.evaluator.check(ANN, EDIT_PIPELINE).permitted).toBe(true);
      expect(policy?.evaluator.check(BOB, EDIT_PIPELINE).permitted).toBe(false);
      expect(reports).toEqual([`${ACCOUNT} ${roleAssignmentSk(P1, BOB_ADMIN.identifier)}`]);
    });
  });
});
