import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EffectivePermission } from '../../functions/core/evaluator.js';
import { DECISION_FIXTURES } from '../fixtures/decisions/index.js';
import { startChildEngine } from '../support/child-engine.js';
import {
  checkCases,
  effectivePermissionsCases,
  impliedCheckCases,
  whoCanCases,
} from '../support/decision-corpus.js';
import {
  type DecisionEngine,
  disagreement,
  evaluatorEngine,
  principalKey,
  whoCanOf,
} from '../support/decision-engine.js';
import { scopesOf, snapshotOf } from '../support/fixture-world.js';
import { oracleEngine } from '../support/oracle.js';
import { ACC, O1, O2, O2P1, P1, P2, user } from '../support/world-builder.js';

/**
 * The decision corpus (`test/fixtures/decisions/`) run through every engine: our evaluator and the
 * brute-force oracle in this process, Cedar in a child process (its wasm bindings need
 * `--no-turbo-inline-js-wasm-calls`, see `child-engine.ts`). Decisions are compared on
 * all three; explanations and denial codes on the engines that give them; "who can" on all three
 * (natively on ours, by deciding for every principal of the world on the others); "what can P do
 * here" on ours, and the checks its expected answers imply on all three.
 */

interface EngineUnderTest {
  readonly name: string;
  /** Whether the engine names granting assignments and denial codes. */
  readonly explains: boolean;
  readonly open: () => Promise<DecisionEngine & { close?: () => Promise<void> }>;
}

const ENGINES: readonly EngineUnderTest[] = [
  { name: 'evaluator', explains: true, open: async () => evaluatorEngine },
  { name: 'oracle', explains: true, open: async () => oracleEngine },
  { name: 'cedar', explains: false, open: () => startChildEngine('cedar') },
];

/** The corpus' checks, and the checks its "what can P do here" answers imply (decided by every engine). */
const CHECK_CASES = [...checkCases(DECISION_FIXTURES), ...impliedCheckCases(DECISION_FIXTURES)];
const WHO_CAN_CASES = whoCanCases(DECISION_FIXTURES);
const EFFECTIVE_CASES = effectivePermissionsCases(DECISION_FIXTURES);

/** `[title, case]` rows, so that `it.each(…)('%s', …)` names each test by its full, untruncated title. */
const named = <C extends { readonly title: string }>(cases: readonly C[]) =>
  cases.map((item) => [item.title, item] as const);

function isSorted(entries: readonly EffectivePermission[]): boolean {
  return entries.every((item, index) => {
    const previous = entries[index - 1];
    return (
      !previous ||
      (previous.permission.localeCompare(item.permission) ||
        previous.resourceType.localeCompare(item.resourceType)) < 0
    );
  });
}

describe('the decision corpus itself', () => {
  it('names every fixture and every case uniquely, and every fixture asserts something', () => {
    const titles = [...CHECK_CASES, ...WHO_CAN_CASES, ...EFFECTIVE_CASES].map((item) => item.title);
    const fixtureNames = DECISION_FIXTURES.map((fixture) => fixture.name);

    expect(new Set(fixtureNames).size).toBe(fixtureNames.length);
    expect(titles.filter((title, index) => titles.indexOf(title) !== index)).toEqual([]);
    expect(
      DECISION_FIXTURES.filter(
        (fixture) =>
          !fixture.checks?.length && !fixture.whoCan?.length && !fixture.effectivePermissions?.length,
      ).map((fixture) => fixture.name),
    ).toEqual([]);
  });
});

describe('fixture worlds', () => {
  it('become snapshots with identifiers, names, allowed levels and filters filled in', () => {
    // Act
    const snapshot = snapshotOf({
      roles: [{ scope: P1, identifier: 'runner', permissions: ['core_pipeline_execute'] }],
      resourceGroups: [{ scope: P1, identifier: 'everything', resources: 'ALL' }],
      userGroups: [{ scope: O1, identifier: 'devs', users: ['u1'] }],
      assignments: [
        { scope: P1, principal: user('u1'), role: 'runner', resourceGroup: 'everything' },
        {
          identifier: 'named',
          scope: P1,
          principal: user('u2'),
          role: 'runner',
          resourceGroup: 'everything',
          disabled: true,
        },
      ],
    });

    // Assess
    expect(snapshot.accountIdentifier).toBe('acc');
    expect(snapshot.customRoles).toEqual([
      {
        harnessManaged: false,
        scope: P1,
        identifier: 'runner',
        name: 'runner',
        permissions: ['core_pipeline_execute'],
        allowedScopeLevels: ['project'],
      },
    ]);
    expect(snapshot.customResourceGroups[0]).toMatchObject({
      includedScopes: [{ filter: 'EXCLUDING_CHILD_SCOPES', scope: P1 }],
      resourceFilter: { includeAllResources: true, resources: [] },
    });
    expect(snapshot.userGroups).toEqual([{ scope: O1, identifier: 'devs', name: 'devs', users: ['u1'] }]);
    expect(snapshot.roleAssignments.map(({ identifier, disabled }) => [identifier, disabled])).toEqual([
      ['ra1', false],
      ['named', true],
    ]);
  });

  it('list their scopes: the account, the declared and the used ones, with their ancestors', () => {
    expect(
      scopesOf({
        scopes: [O2P1],
        assignments: [
          {
            scope: P2,
            principal: user('u1'),
            role: '_project_viewer',
            resourceGroup: '_all_project_level_resources',
          },
        ],
      }),
    ).toEqual([ACC, O2, O2P1, O1, P2]);
  });
});

describe.each(ENGINES.map((engine) => [engine.name, engine] as const))(
  'decision corpus on %s',
  (name, { explains, open }) => {
    let engine: DecisionEngine & { close?: () => Promise<void> };

    beforeAll(async () => {
      engine = await open();
    }, 60_000);

    afterAll(async () => {
      await engine?.close?.();
    });

    it.each(named(CHECK_CASES))('%s', async (_title, { fixture, principal, assertion }) => {
      // Act
      const [decision] = await engine.decide(snapshotOf(fixture.world), [
        { principal, check: assertion.check },
      ]);

      // Assess
      expect(decision?.permitted, `${name} decision`).toBe(assertion.permitted);
      if (!explains || !decision) return;
      if (decision.permitted) {
        expect(decision.explanations?.length, `${name} names a grant`).toBeGreaterThan(0);
        if (assertion.permitted && assertion.explanation) {
          expect(decision.explanations).toContainEqual(assertion.explanation);
        }
      } else {
        expect(decision.code, `${name} gives a denial code`).toBeDefined();
        if (!assertion.permitted && assertion.code) expect(decision.code).toBe(assertion.code);
      }
    });

    it.each(named(WHO_CAN_CASES))('%s', async (_title, { fixture, assertion }) => {
      // Act
      const allowed = await whoCanOf(engine, snapshotOf(fixture.world), assertion.check);

      // Assess
      expect(allowed.map((item) => principalKey(item.principal))).toEqual(
        assertion.allowed.map((item) => principalKey(item.principal)),
      );
      if (!explains) return;
      for (const [index, expected] of assertion.allowed.entries()) {
        expect(allowed[index]?.explanations?.length).toBeGreaterThan(0);
        if (expected.explanation) expect(allowed[index]?.explanations).toContainEqual(expected.explanation);
      }
    });
  },
);

describe('decision corpus: the evaluator and the oracle agree on explanations and denial codes', () => {
  it.each(named(CHECK_CASES))('%s', async (_title, { fixture, principal, assertion }) => {
    // Prepare
    const world = snapshotOf(fixture.world);
    const request = [{ principal, check: assertion.check }];

    // Act
    const [ours] = await evaluatorEngine.decide(world, request);
    const [oracle] = await oracleEngine.decide(world, request);

    // Assess
    expect(ours && oracle ? disagreement(ours, oracle) : 'no answer').toBeUndefined();
  });
});

describe('decision corpus on evaluator: what can P do here', () => {
  it.each(named(EFFECTIVE_CASES))('%s', async (_title, { fixture, principal, assertion }) => {
    // Act
    const entries = await evaluatorEngine.effectivePermissions?.(
      snapshotOf(fixture.world),
      principal,
      assertion.scope,
    );

    // Assess
    expect(entries).toBeDefined();
    if (!entries) return;
    expect(isSorted(entries), 'sorted by permission, then resource type').toBe(true);
    if (assertion.expected === 'NOTHING') {
      expect(entries).toEqual([]);
      return;
    }
    const find = (permission: string, resourceType: string) =>
      entries.find((item) => item.permission === permission && item.resourceType === resourceType);
    for (const expected of assertion.expected.includes) {
      const found = find(expected.permission, expected.resourceType);
      expect(found).toEqual({ ...expected, grantedBy: expected.grantedBy ?? found?.grantedBy });
    }
    for (const { permission, resourceType } of assertion.expected.excludes ?? []) {
      expect(find(permission, resourceType), `${permission} on ${resourceType}`).toBeUndefined();
    }
  });
});
