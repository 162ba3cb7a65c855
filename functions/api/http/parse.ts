import type * as z from 'zod';
import { type FieldError, fieldError } from '../../core/validation/field-error.js';
import { InvalidRequestError } from './errors.js';

/** The default page size when `pageSize` is not given. */
export const DEFAULT_PAGE_SIZE = 50;

/** The largest accepted `pageSize` (DESIGN §6.1). */
export const MAX_PAGE_SIZE = 100;

/** The fieldId of an error about the whole value when no `fieldPrefix` is given. */
const ROOT_FIELD = 'body';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

type PathSegment = PropertyKey;

function segmentText(segment: PathSegment, first: boolean): string {
  if (typeof segment === 'number') return `[${segment}]`;
  const name = typeof segment === 'symbol' ? (segment.description ?? '') : segment;
  if (IDENTIFIER.test(name)) return first ? name : `.${name}`;
  return `[${JSON.stringify(name)}]`;
}

/**
 * The dotted path of a field: `permissions[3].resourceType`, re-rooted under `prefix` when given
 * (`body` or `body.` → `body.permissions[3].resourceType`). Keys that are not identifiers are written
 * `["some key"]`. The empty path is the prefix itself, or `body` without one.
 */
function fieldPath(path: readonly PathSegment[], prefix: string | undefined): string {
  const root = prefix === undefined ? '' : prefix.replace(/\.$/, '');
  let text = root;
  for (const segment of path) text += segmentText(segment, text === '');
  return text === '' ? ROOT_FIELD : text;
}

/** One FieldError per zod issue; an unknown-keys issue yields one FieldError per unknown key. */
function fieldErrorsOf(issues: readonly z.core.$ZodIssue[], prefix: string | undefined): FieldError[] {
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => fieldError(fieldPath([...issue.path, key], prefix), 'Unknown field'))
      : [fieldError(fieldPath(issue.path, prefix), issue.message)],
  );
}

function summary(errors: readonly FieldError[]): string {
  const [first] = errors;
  if (!first) return 'Invalid request';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return `Invalid request: ${first.fieldId}: ${first.error}${more}`;
}

/**
 * A zod (v4) schema that parses to `T`: a classic `zod` schema, or a `zod/mini` one where bundle size
 * matters (the authorize function).
 */
export interface ParsingSchema<T> {
  safeParse(
    value: unknown,
  ): { success: true; data: T } | { success: false; error: { issues: readonly z.core.$ZodIssue[] } };
}

/**
 * Parses `value` with a zod (v4) schema, classic or mini, and returns the parsed output.
 *
 * @param schema - The schema; use `z.strictObject` so unknown fields are rejected.
 * @param value - The input, e.g. `request.body`.
 * @param fieldPrefix - Optional root of every fieldId, e.g. `body` (or `body.`).
 * @throws InvalidRequestError (400) naming every failing field as a dotted path with `[i]` for array
 * indexes (`permissions[3].resourceType`), one error per unknown key of a strict object.
 */
export function parseInput<T>(schema: ParsingSchema<T>, value: unknown, fieldPrefix?: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = fieldErrorsOf(result.error.issues, fieldPrefix);
  throw new InvalidRequestError(summary(errors), errors, { cause: result.error });
}

function integerParameter(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d{1,15}$/.test(raw)) return Number.NaN;
  return Number(raw);
}

/**
 * The paging of a list request from its query: `pageIndex` (default 0, ≥ 0) and `pageSize`
 * (default {@link DEFAULT_PAGE_SIZE}, 1..{@link MAX_PAGE_SIZE}).
 *
 * @throws InvalidRequestError (400) naming `pageIndex` and/or `pageSize` when not integers in range.
 */
export function pagingFromQuery(query: Record<string, string | undefined>): {
  pageIndex: number;
  pageSize: number;
} {
  const pageIndex = integerParameter(query.pageIndex) ?? 0;
  const pageSize = integerParameter(query.pageSize) ?? DEFAULT_PAGE_SIZE;
  const errors: FieldError[] = [];
  if (!Number.isSafeInteger(pageIndex)) {
    errors.push(fieldError('pageIndex', 'must be a non-negative integer'));
  }
  if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    errors.push(fieldError('pageSize', `must be an integer from 1 to ${MAX_PAGE_SIZE}`));
  }
  if (errors.length > 0) throw new InvalidRequestError(summary(errors), errors);
  return { pageIndex, pageSize };
}
