import { ASSIGNABLE_STATUSES, findPermission } from '../permission-catalogue.js';
import type { CustomRole } from '../role.js';
import type { Scope, ScopeLevel } from '../scope.js';
import {
  compactErrors,
  type FieldError,
  fieldError,
  invalid,
  type Validation,
  valid,
} from './field-error.js';
import {
  validateDescription,
  validateEntityIdentifier,
  validateEntityName,
  validateTags,
} from './identifier-rules.js';

/** A custom role as sent by a client (the fields of the Harness `RoleDTO` we read). */
export interface CustomRoleInput {
  readonly identifier: string;
  readonly name: string;
  readonly permissions: readonly string[];
  readonly allowedScopeLevels?: readonly string[] | null;
  readonly description?: string | null;
  readonly tags?: Readonly<Record<string, string>> | null;
}

/** Error text of a permission that is unknown, not assignable, or not allowed at the role's level (reference §8.2). */
export const INVALID_PERMISSIONS_ERROR =
  'Some of the specified permissions in the role are invalid or cannot be given at this scope. Please check the permissions again';

/** Error text of a body identifier that differs from the path identifier on update. */
export const ROLE_IDENTIFIER_MISMATCH_ERROR = 'Role identifier in the request body and the url do not match';

/**
 * Error text of an update that changes a custom role's levels. (Harness says "Cannot change the the
 * scopes…"; we drop the doubled word.)
 */
export const ROLE_SCOPES_CHANGE_ERROR = 'Cannot change the scopes at which this role can be used.';

/** Error text of a custom role whose `allowedScopeLevels` is not exactly its own scope level (reference §8.2). */
export function roleLevelError(level: ScopeLevel): string {
  return `This custom role can be only used at '${level}' level. Please set the allowedScopeLevels to contain only the ${level} level.`;
}

/** Why a permission cannot be put into a role at `level`, or `undefined` when it can. */
function permissionProblem(identifier: string, level: ScopeLevel): string | undefined {
  const permission = findPermission(identifier);
  if (!permission) return `'${identifier}' does not exist`;
  if (!ASSIGNABLE_STATUSES.includes(permission.status)) {
    return `'${identifier}' has status ${permission.status} and cannot be put into a role`;
  }
  if (!permission.allowedScopeLevels.includes(level))
    return `'${identifier}' cannot be given at ${level} level`;
  return undefined;
}

/** True when `levels` is non-empty and every entry is `level` (a set equal to `{level}`). */
function onlyLevel(levels: readonly string[], level: ScopeLevel): boolean {
  return levels.length > 0 && levels.every((candidate) => candidate === level);
}

/** True when the two level lists hold the same set of levels. */
function sameLevels(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((level) => right.has(level));
}

/** Checks the permission list: one error per offending permission, at its first index. */
function permissionErrors(permissions: readonly string[], level: ScopeLevel): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  permissions.forEach((identifier, index) => {
    if (seen.has(identifier)) return;
    seen.add(identifier);
    const problem = permissionProblem(identifier, level);
    if (problem)
      errors.push(fieldError(`permissions[${index}]`, `${INVALID_PERMISSIONS_ERROR}: ${problem}.`));
  });
  return errors;
}

/** The role's checks; `checkLevels` is false when an update has already judged `allowedScopeLevels`. */
function checkCustomRole(input: CustomRoleInput, scope: Scope, checkLevels: boolean): Validation<CustomRole> {
  const levels = input.allowedScopeLevels ?? [];
  const errors = compactErrors(
    validateEntityIdentifier('identifier', input.identifier) ??
      (input.identifier.startsWith('_')
        ? fieldError('identifier', 'custom roles cannot start with _')
        : undefined),
    validateEntityName('name', input.name),
    validateDescription('description', input.description),
    validateTags('tags', input.tags),
    checkLevels && levels.length > 0 && !onlyLevel(levels, scope.level)
      ? fieldError('allowedScopeLevels', roleLevelError(scope.level))
      : undefined,
  );
  errors.push(...permissionErrors(input.permissions, scope.level));
  if (errors.length > 0) return invalid(errors);
  return valid({
    identifier: input.identifier,
    name: input.name,
    ...(typeof input.description === 'string' ? { description: input.description } : {}),
    ...(input.tags ? { tags: { ...input.tags } } : {}),
    permissions: [...new Set(input.permissions)],
    allowedScopeLevels: [scope.level],
    harnessManaged: false,
    scope,
  });
}

/**
 * Validates a custom role to be created at `scope` (reference §8.1–8.2): entity identifier not starting
 * with `_`, entity name, description ≤1024 and tags ≤128 (Harness leaves role descriptions and tags
 * unbounded; we bound them like every other entity), `allowedScopeLevels` omitted/empty or exactly
 * `[scope.level]`, and every permission known, of an assignable status and allowed at the level (each
 * offender is reported at `permissions[i]`). The value has duplicate permissions removed (first
 * occurrence kept) and `allowedScopeLevels = [scope.level]`.
 */
export function validateCustomRole(input: CustomRoleInput, scope: Scope): Validation<CustomRole> {
  return checkCustomRole(input, scope, true);
}

/**
 * Validates the replacement of `existing` (found by `pathIdentifier`): the body identifier must equal the
 * path (and the stored role), the levels cannot change, and the body must pass every create rule at the
 * role's own scope. The value keeps the stored scope and levels.
 */
export function validateRoleUpdate(
  existing: CustomRole,
  input: CustomRoleInput,
  pathIdentifier: string,
): Validation<CustomRole> {
  if (input.identifier !== pathIdentifier || input.identifier !== existing.identifier) {
    return invalid([fieldError('identifier', ROLE_IDENTIFIER_MISMATCH_ERROR)]);
  }
  const levels = input.allowedScopeLevels ?? [];
  const levelsChanged = levels.length > 0 && !sameLevels(levels, existing.allowedScopeLevels);
  const result = checkCustomRole(input, existing.scope, false);
  if (!levelsChanged) return result;
  const levelError = fieldError('allowedScopeLevels', ROLE_SCOPES_CHANGE_ERROR);
  return invalid(result.ok ? [levelError] : [levelError, ...result.errors]);
}
