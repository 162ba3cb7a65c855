/**
 * One rejected input field, in the API's `errors: [{ fieldId, error }]` shape. `fieldId` is the path of
 * the field inside the request body, e.g. `resourceGroup.includedScopes[0]` or `principal.scopeLevel`.
 */
export interface FieldError {
  readonly fieldId: string;
  readonly error: string;
}

/** The outcome of a validation: the normalised value, or every field error found. */
export type Validation<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

/** Builds a field error. */
export function fieldError(fieldId: string, error: string): FieldError {
  return { fieldId, error };
}

/** A successful validation carrying the normalised value. */
export function valid<T>(value: T): Validation<T> {
  return { ok: true, value };
}

/** A failed validation; `errors` should not be empty. */
export function invalid(errors: readonly FieldError[]): Validation<never> {
  return { ok: false, errors };
}

/** The defined errors of a list of optional checks, in order. */
export function compactErrors(...errors: readonly (FieldError | undefined)[]): FieldError[] {
  return errors.filter((error): error is FieldError => error !== undefined);
}

/**
 * Re-roots errors under `prefix`, e.g. `prefixFieldErrors('roleAssignments[2]', errors)` turns
 * `principal.type` into `roleAssignments[2].principal.type` (for bulk endpoints).
 */
export function prefixFieldErrors(prefix: string, errors: readonly FieldError[]): FieldError[] {
  return errors.map((error) => ({
    fieldId: error.fieldId === '' ? prefix : `${prefix}.${error.fieldId}`,
    error: error.error,
  }));
}
