import { type FieldError, fieldError } from './field-error.js';

/**
 * Entity field rules of reference §8.1, as zod-free primitives. The `*Problem` functions return the
 * error text for a value (or `undefined` when it is acceptable) so that the API layer can reuse them in
 * zod refinements; the `validate*` functions wrap them into {@link FieldError}s.
 */

/** Longest entity identifier. */
export const MAX_IDENTIFIER_LENGTH = 128;

/** Longest entity name. */
export const MAX_NAME_LENGTH = 128;

/** Longest description. */
export const MAX_DESCRIPTION_LENGTH = 1024;

/** Most entries a tag map may hold. */
export const MAX_TAGS = 128;

/** Entity identifier: letters, digits, `_` and `$`, not starting with a digit or `$`, at most 128 characters. */
export const ENTITY_IDENTIFIER_PATTERN = /^[a-zA-Z_][0-9a-zA-Z_$]{0,127}$/;

/** Entity name: letters, digits, space, `-`, `_`, `.` and `/` only. */
export const ENTITY_NAME_PATTERN = /^[0-9a-zA-Z _./-]+$/;

/** Words that may not be used as entity identifiers (reference §8.1; compared case-sensitively). */
export const RESERVED_IDENTIFIERS: ReadonlySet<string> = new Set([
  'or',
  'and',
  'eq',
  'ne',
  'lt',
  'gt',
  'le',
  'ge',
  'div',
  'mod',
  'not',
  'null',
  'true',
  'false',
  'new',
  'var',
  'return',
  'step',
  'parallel',
  'stepGroup',
  'org',
  'account',
  'class',
  'shellScriptProvisioner',
]);

/** Error text of a malformed identifier (reference §8.1). */
export const IDENTIFIER_ERROR =
  'can be 128 characters long and can only contain alphanumeric, underscore and $ characters, and not start with a number or $';

/** Error text of a malformed name (reference §8.1). */
export const NAME_ERROR =
  'can only contain alphanumeric, dot, hyphen, forward slash and underscore characters.';

/** Error text of a blank required value. */
export const BLANK_ERROR = 'cannot be empty';

/** Longest scope identifier (`accountIdentifier`, `orgIdentifier`, `projectIdentifier`). */
export const MAX_SCOPE_IDENTIFIER_LENGTH = 128;

/**
 * A scope identifier wherever one is given (query, body, a check's `resourceScope`): 1–128
 * characters without `/` (the scope-path separator) or `#` (the store's key separator), so that
 * no identifier can spell another scope's path (`x/PROJECT/p1`) or another item's key.
 */
export const SCOPE_IDENTIFIER_PATTERN = /^[^/#]{1,128}$/;

/** Error text of a malformed scope identifier. */
export const SCOPE_IDENTIFIER_ERROR = `must be 1 to ${MAX_SCOPE_IDENTIFIER_LENGTH} characters without '/' or '#'`;

/** The problem with a scope identifier, or `undefined` when it is acceptable. */
export function scopeIdentifierProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  return SCOPE_IDENTIFIER_PATTERN.test(value) ? undefined : SCOPE_IDENTIFIER_ERROR;
}

/** Options of the identifier rule. */
export interface IdentifierRuleOptions {
  /** Accept a blank (missing, null or empty) value, as org/project identifier fields do. */
  readonly allowBlank?: boolean;
}

/** True for `undefined`, `null` and strings holding only whitespace. */
export function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** True when `value` is one of the {@link RESERVED_IDENTIFIERS}. */
export function isReservedIdentifier(value: string): boolean {
  return RESERVED_IDENTIFIERS.has(value);
}

/** The problem with an entity identifier, or `undefined` when it is acceptable. */
export function entityIdentifierProblem(
  value: unknown,
  options: IdentifierRuleOptions = {},
): string | undefined {
  if (isBlank(value)) return options.allowBlank ? undefined : BLANK_ERROR;
  if (typeof value !== 'string') return 'must be a string';
  if (!ENTITY_IDENTIFIER_PATTERN.test(value)) return IDENTIFIER_ERROR;
  if (isReservedIdentifier(value)) return `'${value}' is a reserved word and cannot be used as an identifier`;
  return undefined;
}

/** The problem with an entity name, or `undefined` when it is acceptable. */
export function entityNameProblem(value: unknown): string | undefined {
  if (isBlank(value)) return BLANK_ERROR;
  if (typeof value !== 'string') return 'must be a string';
  if (value.length > MAX_NAME_LENGTH) return `cannot be longer than ${MAX_NAME_LENGTH} characters`;
  if (!ENTITY_NAME_PATTERN.test(value)) return NAME_ERROR;
  return undefined;
}

/** The problem with an optional description, or `undefined` when it is acceptable (absent or null too). */
export function descriptionProblem(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return 'must be a string';
  if (value.length > MAX_DESCRIPTION_LENGTH)
    return `cannot be longer than ${MAX_DESCRIPTION_LENGTH} characters`;
  return undefined;
}

/** A problem found in a tag map: `key` names the offending entry when there is one. */
export interface TagsProblem {
  readonly key?: string;
  readonly message: string;
}

/** True for a plain object (not null, not an array). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The problem with an optional tag map (string keys → string values, at most 128 entries). */
export function tagsProblem(value: unknown): TagsProblem | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) return { message: 'must be an object of string keys and string values' };
  const entries = Object.entries(value);
  if (entries.length > MAX_TAGS) return { message: `cannot hold more than ${MAX_TAGS} tags` };
  const bad = entries.find(([, tagValue]) => typeof tagValue !== 'string');
  return bad ? { key: bad[0], message: `tag '${bad[0]}' must have a string value` } : undefined;
}

/** `parent.key`, or `parent["key"]` when the key is not a plain identifier. */
export function memberPath(parent: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/** Checks an entity identifier field (reference §8.1). */
export function validateEntityIdentifier(
  fieldId: string,
  value: unknown,
  options: IdentifierRuleOptions = {},
): FieldError | undefined {
  const problem = entityIdentifierProblem(value, options);
  return problem === undefined ? undefined : fieldError(fieldId, problem);
}

/** Checks an entity name field (reference §8.1). */
export function validateEntityName(fieldId: string, value: unknown): FieldError | undefined {
  const problem = entityNameProblem(value);
  return problem === undefined ? undefined : fieldError(fieldId, problem);
}

/** Checks an optional description field (≤1024 characters). */
export function validateDescription(fieldId: string, value: unknown): FieldError | undefined {
  const problem = descriptionProblem(value);
  return problem === undefined ? undefined : fieldError(fieldId, problem);
}

/** Checks an optional tag map; a bad entry is reported at `<fieldId>.<key>`. */
export function validateTags(fieldId: string, value: unknown): FieldError | undefined {
  const problem = tagsProblem(value);
  if (problem === undefined) return undefined;
  return fieldError(problem.key === undefined ? fieldId : memberPath(fieldId, problem.key), problem.message);
}
