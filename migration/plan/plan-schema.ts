import * as z from 'zod';
import {
  descriptionField,
  identifierField,
  nameField,
  opaqueIdField,
} from '../../functions/api/management/entity-fields.js';
import { findManagedResourceGroup } from '../../functions/core/managed-resource-groups.js';
import { findManagedRole } from '../../functions/core/managed-roles.js';
import type { CustomResourceGroup } from '../../functions/core/resource-group.js';
import type { CustomRole } from '../../functions/core/role.js';
import type { Scope } from '../../functions/core/scope.js';
import { scopePath } from '../../functions/core/scope.js';
import type { FieldError } from '../../functions/core/validation/field-error.js';
import { validateCustomResourceGroup } from '../../functions/core/validation/resource-group-validation.js';
import { validateCustomRole } from '../../functions/core/validation/role-validation.js';
import type { MigrationPlan } from '../mapping/migration-plan.js';

/**
 * The schema of a plan file (`migrate plan --out`, read by `migrate apply --plan`): every field typed
 * with the management API's field schemas, then every role and resource group checked with the very
 * rules the API applies (`validateCustomRole`, `validateCustomResourceGroup`), and every assignment's
 * role, resource group and user group resolved. A plan that fails is never written.
 */

const accountIdField = opaqueIdField;

const scopeSchema = z.discriminatedUnion('level', [
  z.strictObject({ level: z.literal('account'), accountIdentifier: accountIdField }),
  z.strictObject({
    level: z.literal('organization'),
    accountIdentifier: accountIdField,
    orgIdentifier: identifierField,
  }),
  z.strictObject({
    level: z.literal('project'),
    accountIdentifier: accountIdField,
    orgIdentifier: identifierField,
    projectIdentifier: identifierField,
  }),
]);

const organizationScopeSchema = z.strictObject({
  level: z.literal('organization'),
  accountIdentifier: accountIdField,
  orgIdentifier: identifierField,
});

const projectScopeSchema = z.strictObject({
  level: z.literal('project'),
  accountIdentifier: accountIdField,
  orgIdentifier: identifierField,
  projectIdentifier: identifierField,
});

const identifierMap = z.record(z.string(), identifierField);

const roleSchema = z.strictObject({
  identifier: z.string(),
  name: z.string(),
  description: z.string().optional(),
  tags: z.record(z.string(), z.string()).optional(),
  permissions: z.array(z.string()),
  allowedScopeLevels: z.array(z.enum(['account', 'organization', 'project'])),
  harnessManaged: z.literal(false),
  scope: scopeSchema,
});

const resourceGroupSchema = z.strictObject({
  identifier: z.string(),
  name: z.string(),
  description: z.string().optional(),
  color: z.string().optional(),
  tags: z.record(z.string(), z.string()).optional(),
  allowedScopeLevels: z.array(z.enum(['account', 'organization', 'project'])),
  includedScopes: z.array(
    z.strictObject({
      filter: z.enum(['INCLUDING_CHILD_SCOPES', 'EXCLUDING_CHILD_SCOPES']),
      scope: scopeSchema.optional(),
    }),
  ),
  resourceFilter: z.strictObject({
    includeAllResources: z.boolean(),
    resources: z.array(
      z.strictObject({
        resourceType: z.string(),
        identifiers: z.array(z.string()).optional(),
        attributeFilter: z
          .strictObject({ attributeName: z.string(), attributeValues: z.array(z.string()) })
          .optional(),
      }),
    ),
  }),
  harnessManaged: z.literal(false),
  scope: scopeSchema,
});

const assignmentSchema = z.strictObject({
  identifier: identifierField,
  scope: scopeSchema,
  roleIdentifier: z.string().min(1),
  resourceGroupIdentifier: z.string().min(1),
  principal: z.strictObject({
    type: z.literal('USER_GROUP'),
    identifier: identifierField,
    scopeLevel: z.literal('account'),
  }),
  disabled: z.boolean(),
  managed: z.literal(false),
});

const plannedUserSchema = z.strictObject({
  userId: opaqueIdField,
  email: z.email('must be a valid email address').max(254),
  name: z.string().max(1024).optional(),
});

const planSchema = z.strictObject({
  sourceAccountId: z.string().min(1),
  targetAccountId: accountIdField,
  organization: organizationScopeSchema,
  defaultView: z.enum(['keep', 'remove']),
  projects: z.array(
    z.strictObject({
      appId: z.string().min(1),
      scope: projectScopeSchema,
      name: nameField,
      description: descriptionField.transform((value) => value ?? undefined).optional(),
    }),
  ),
  appIdentifiers: z.record(
    z.string(),
    z.strictObject({
      services: identifierMap,
      environments: identifierMap,
      workflows: identifierMap,
      pipelines: identifierMap,
      templates: identifierMap,
    }),
  ),
  users: z.array(plannedUserSchema),
  userGroups: z.array(
    z.strictObject({
      fgId: z.string().min(1),
      identifier: identifierField,
      scope: scopeSchema,
      name: nameField,
      description: z.string().optional(),
      users: z.array(opaqueIdField),
    }),
  ),
  roles: z.array(roleSchema),
  resourceGroups: z.array(resourceGroupSchema),
  assignments: z.array(assignmentSchema),
  warnings: z.array(
    z.strictObject({ code: z.string(), userGroup: z.string().optional(), message: z.string() }),
  ),
});

/** A plan file that does not satisfy the schema; `problems` name each offending field by its JSON path. */
export class PlanFileError extends Error {
  override readonly name = 'PlanFileError';

  /** Builds the error from the offending fields. */
  constructor(readonly problems: readonly FieldError[]) {
    super(problems.map((problem) => `${problem.fieldId}: ${problem.error}`).join('; '));
  }
}

function jsonPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

function sameRole(validated: CustomRole, planned: CustomRole): boolean {
  return (
    JSON.stringify([...validated.permissions].sort()) === JSON.stringify([...planned.permissions].sort())
  );
}

function crossChecks(plan: MigrationPlan): FieldError[] {
  const problems: FieldError[] = [];
  const account = plan.targetAccountId;
  const inAccount = (path: string, scope: Scope) => {
    if (scope.accountIdentifier !== account)
      problems.push({ fieldId: path, error: `scope must be in account ${account}` });
  };
  const roles = new Set<string>();
  plan.roles.forEach((role, index) => {
    inAccount(`roles[${index}].scope`, role.scope);
    const result = validateCustomRole(role, role.scope);
    if (!result.ok) {
      for (const error of result.errors)
        problems.push({ fieldId: `roles[${index}].${error.fieldId}`, error: error.error });
    } else if (!sameRole(result.value, role)) {
      problems.push({ fieldId: `roles[${index}].permissions`, error: 'must not repeat a permission' });
    }
    roles.add(`${scopePath(role.scope)}#${role.identifier}`);
  });
  const resourceGroups = new Set<string>();
  plan.resourceGroups.forEach((group: CustomResourceGroup, index) => {
    inAccount(`resourceGroups[${index}].scope`, group.scope);
    const result = validateCustomResourceGroup(
      {
        ...group,
        includedScopes: group.includedScopes.map((selector) => ({
          filter: selector.filter,
          accountIdentifier: selector.scope?.accountIdentifier ?? null,
          orgIdentifier:
            selector.scope && 'orgIdentifier' in selector.scope ? selector.scope.orgIdentifier : null,
          projectIdentifier:
            selector.scope && 'projectIdentifier' in selector.scope ? selector.scope.projectIdentifier : null,
        })),
      },
      group.scope,
    );
    if (!result.ok) {
      for (const error of result.errors) {
        const field = error.fieldId.replace(/^resourceGroup\./, '');
        problems.push({ fieldId: `resourceGroups[${index}].${field}`, error: error.error });
      }
    }
    resourceGroups.add(`${scopePath(group.scope)}#${group.identifier}`);
  });
  const groups = new Set(plan.userGroups.map((group) => group.identifier));
  for (const [index, group] of plan.userGroups.entries())
    inAccount(`userGroups[${index}].scope`, group.scope);
  plan.assignments.forEach((assignment, index) => {
    const path = `assignments[${index}]`;
    inAccount(`${path}.scope`, assignment.scope);
    const at = scopePath(assignment.scope);
    const role = findManagedRole(assignment.roleIdentifier);
    if (
      !roles.has(`${at}#${assignment.roleIdentifier}`) &&
      !role?.allowedScopeLevels.includes(assignment.scope.level)
    )
      problems.push({
        fieldId: `${path}.roleIdentifier`,
        error: `no role ${assignment.roleIdentifier} at ${at}`,
      });
    const managed = findManagedResourceGroup(assignment.resourceGroupIdentifier);
    if (
      !resourceGroups.has(`${at}#${assignment.resourceGroupIdentifier}`) &&
      !managed?.allowedScopeLevels.includes(assignment.scope.level)
    )
      problems.push({
        fieldId: `${path}.resourceGroupIdentifier`,
        error: `no resource group ${assignment.resourceGroupIdentifier} at ${at}`,
      });
    if (!groups.has(assignment.principal.identifier))
      problems.push({ fieldId: `${path}.principal.identifier`, error: 'must name a user group of the plan' });
  });
  inAccount('organization', plan.organization);
  for (const [index, project] of plan.projects.entries())
    inAccount(`projects[${index}].scope`, project.scope);
  return problems;
}

/**
 * Parses a plan file's JSON through the schema, then checks it with the API's own rules; throws a
 * {@link PlanFileError} naming every offending field (nothing is written by the caller then).
 */
export function parsePlan(json: unknown): MigrationPlan {
  const parsed = planSchema.safeParse(json);
  if (!parsed.success) {
    throw new PlanFileError(
      parsed.error.issues.map((issue) => ({
        fieldId: jsonPath(issue.path) || '(root)',
        error: issue.message,
      })),
    );
  }
  const plan = parsed.data as MigrationPlan;
  const problems = crossChecks(plan);
  if (problems.length > 0) throw new PlanFileError(problems);
  return plan;
}
