import { describe, expect, it } from 'vitest';
import { AccessDeniedError } from '../../../../functions/api/http/errors.js';
import { actingAs, requireNoEscalation } from '../../../../functions/api/management/escalation-guard.js';
import type { AccessCheck } from '../../../../functions/core/access-check.js';
import { findManagedRole } from '../../../../functions/core/managed-roles.js';
import { applicableResourceTypes } from '../../../../functions/core/permission-catalogue.js';
import type { PolicySnapshot } from '../../../../functions/core/policy-snapshot.js';
import type { ActingPrincipal } from '../../../../functions/core/principal.js';
import type { ChangeOperation } from '../../../../functions/store/change-log.js';
import { tokenItem } from '../../../../functions/store/entities/credentials.js';
import { ESCALATION_WRITES } from '../../../fixtures/escalation/writes.js';
import { scopesOf, snapshotOf } from '../../../support/fixture-world.js';
import { oracleDecide } from '../../../support/oracle.js';
import { operationsBetween, policyOfSnapshot, TEST_ITEM_META } from '../../../support/snapshot-items.js';
import type { WriteFixture } from '../../../support/write-fixture.js';

/**
 * The corpus of writes (`test/fixtures/escalation/`) through the anti-escalation guard, each outcome
 * checked against the brute-force oracle: an allowed write gives nobody a (permission, resource) that
 * neither it nor the caller held; a refused one names a gain the oracle confirms.
 */

function tokenFor(account: string, owner: ActingPrincipal): ChangeOperation {
  return {
    kind: 'create',
    item: tokenItem(
      account,
      {
        tokenId: 'minted',
        identifier: 'minted',
        name: 'minted',
        apiKeyIdentifier: 'key',
        apiKeyType: owner.type,
        parentIdentifier: owner.identifier,
        scope: { level: 'account', accountIdentifier: account },
        secretHash: 'hash',
        validFrom: 0,
        validTo: 1,
      },
      TEST_ITEM_META,
    ),
  };
}

/** The checks worth asking in a fixture: every permission its roles hold, on every type, scope and named resource. */
function universe(fixture: WriteFixture, worlds: readonly PolicySnapshot[]): AccessCheck[] {
  const permissions = new Set<string>();
  const identifiers = new Set<string>();
  for (const world of worlds) {
    for (const role of world.customRoles)
      for (const permission of role.permissions) permissions.add(permission);
    for (const assignment of world.roleAssignments) {
      for (const permission of findManagedRole(assignment.roleIdentifier)?.permissions ?? [])
        permissions.add(permission);
    }
    for (const group of world.customResourceGroups) {
      for (const selector of group.resourceFilter.resources)
        for (const id of selector.identifiers ?? []) identifiers.add(id);
    }
  }
  const scopes = scopesOf(fixture.after ?? fixture.world);
  return [...permissions].flatMap((permission) =>
    applicableResourceTypes(permission).flatMap((resourceType) =>
      scopes.flatMap((resourceScope) => [
        { permission, resourceType, resourceScope },
        ...[...identifiers].map((resourceIdentifier) => ({
          permission,
          resourceType,
          resourceScope,
          resourceIdentifier,
        })),
      ]),
    ),
  );
}

function principalsOf(worlds: readonly PolicySnapshot[]): ActingPrincipal[] {
  const keys = new Map<string, ActingPrincipal>();
  for (const world of worlds) {
    for (const membership of world.scopeMemberships)
      keys.set(`USER#${membership.userId}`, { type: 'USER', identifier: membership.userId });
    for (const group of world.userGroups)
      for (const id of group.users) keys.set(`USER#${id}`, { type: 'USER', identifier: id });
    for (const account of world.serviceAccounts)
      keys.set(`SA#${account.identifier}`, { type: 'SERVICE_ACCOUNT', identifier: account.identifier });
    for (const { principal } of world.roleAssignments) {
      if (principal.type !== 'USER_GROUP')
        keys.set(`${principal.type}#${principal.identifier}`, {
          type: principal.type,
          identifier: principal.identifier,
        });
    }
  }
  return [...keys.values()];
}

function refusal(fixture: WriteFixture, before: PolicySnapshot, after: PolicySnapshot): string | undefined {
  const operations = [
    ...operationsBetween(before, after),
    ...(fixture.credentialFor ? [tokenFor(before.accountIdentifier, fixture.credentialFor)] : []),
  ];
  try {
    requireNoEscalation(actingAs(fixture.caller), policyOfSnapshot(before), operations);
    return undefined;
  } catch (error) {
    if (error instanceof AccessDeniedError) return error.message;
    throw error;
  }
}

describe('Corpus: writes through the anti-escalation guard, checked by the oracle', () => {
  it.each(ESCALATION_WRITES.map((fixture) => [fixture.name, fixture] as const))('%s', (_name, fixture) => {
    // Prepare
    const before = snapshotOf(fixture.world);
    const after = snapshotOf(fixture.after ?? fixture.world);
    const checks = universe(fixture, [before, after]);
    const principals = principalsOf([before, after]);
    const callerHolds = (check: AccessCheck) => oracleDecide(before, fixture.caller, check);
    // Act
    const refused = refusal(fixture, before, after);
    // Assess
    if (fixture.expected === 'ALLOWED') {
      expect(refused).toBeUndefined();
      for (const check of checks) {
        if (callerHolds(check)) continue;
        for (const principal of principals) {
          expect(oracleDecide(after, principal, check) && !oracleDecide(before, principal, check)).toBe(
            false,
          );
        }
        if (fixture.credentialFor) expect(oracleDecide(before, fixture.credentialFor, check)).toBe(false);
      }
      return;
    }
    const { refusedFor, permission, beyondOracle } = fixture.expected;
    expect(refused).toContain(`${refusedFor.type} ${refusedFor.identifier}`);
    expect(refused).toContain(`${permission} on`);
    if (beyondOracle) return;
    const confirmed = checks.some(
      (check) =>
        check.permission === permission &&
        !callerHolds(check) &&
        (fixture.credentialFor
          ? oracleDecide(before, refusedFor, check)
          : oracleDecide(after, refusedFor, check) && !oracleDecide(before, refusedFor, check)),
    );
    expect(confirmed).toBe(true);
  });
});
