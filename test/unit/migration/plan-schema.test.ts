import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseExport } from '../../../migration/firstgen/parse-export.js';
import { mapExport } from '../../../migration/mapping/map-export.js';
import { PlanFileError, parsePlan } from '../../../migration/plan/plan-schema.js';

const fgExport = parseExport(
  JSON.parse(readFileSync(new URL('../../../examples/firstgen-export.json', import.meta.url), 'utf8')),
);
// biome-ignore lint/suspicious/noExplicitAny: a plan file as parsed JSON, mistyped on purpose
type PlanJson = Record<string, any>;
const plan = mapExport(fgExport, { targetAccountId: 'acc', orgIdentifier: 'default' });
/** The plan as `migrate plan --out` writes it, parsed back, with `change` applied. */
const planFile = (change: (json: PlanJson) => void = () => {}) => {
  const json = JSON.parse(JSON.stringify(plan));
  change(json);
  return json;
};
const problemsOf = (json: unknown) => {
  try {
    parsePlan(json);
    return [];
  } catch (error) {
    if (error instanceof PlanFileError) return error.problems.map((problem) => problem.fieldId);
    throw error;
  }
};

describe('the plan file schema (migrate apply --plan)', () => {
  it('accepts what migrate plan --out writes, unchanged', () => {
    expect(parsePlan(planFile())).toEqual(plan);
  });

  it.each<[string, (json: PlanJson) => void, string]>([
    ['a role whose name is a number', (json) => (json.roles[0].name = 42), 'roles[0].name'],
    [
      'a role with an unknown permission',
      (json) => (json.roles[0].permissions = ['core_fly']),
      'roles[0].permissions[0]',
    ],
    [
      'a role with a reserved identifier',
      (json) => (json.roles[0].identifier = '_mine'),
      'roles[0].identifier',
    ],
    [
      'a resource group listing identifiers of child scopes',
      (json) => {
        const shared = json.resourceGroups.find((group: PlanJson) => group.scope.level === 'organization');
        shared.resourceFilter.resources = [{ resourceType: 'PIPELINE', identifiers: ['x'] }];
      },
      '.resourceFilter.resources[0].identifiers',
    ],
    [
      'an assignment to a role not in the plan',
      (json) => (json.assignments[0].roleIdentifier = 'fg_role_nope'),
      'assignments[0].roleIdentifier',
    ],
    [
      'a user group member that is not a string',
      (json) => (json.userGroups[0].users = [7]),
      'userGroups[0].users[0]',
    ],
    ['a user without a valid e-mail', (json) => (json.users[0].email = 'nobody'), 'users[0].email'],
    ['an unknown default view', (json) => (json.defaultView = 'maybe'), 'defaultView'],
    ['a missing field', (json) => delete json.projects, 'projects'],
    [
      'a scope in another account',
      (json) => (json.userGroups[0].scope.accountIdentifier = 'other'),
      'userGroups[0].scope',
    ],
  ])('refuses %s, naming the field', (_name, change, field) => {
    const problems = problemsOf(planFile(change));
    expect(problems.some((problem) => problem.endsWith(field) || problem === field)).toBe(true);
  });
});
