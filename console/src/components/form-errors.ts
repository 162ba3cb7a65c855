import { ApiError } from '../api/client';

/** An API failure split for a form: messages next to the fields they name, and the rest above the form. */
export interface FormErrors {
  readonly byField: Readonly<Record<string, string>>;
  readonly general: readonly string[];
}

/** No errors. */
export const NO_ERRORS: FormErrors = { byField: {}, general: [] };

function owns(fieldId: string, named: string): boolean {
  return named === fieldId || named.startsWith(`${fieldId}.`) || named.startsWith(`${fieldId}[`);
}

/**
 * Sorts the errors of `error` onto the form's fields: an `errors[].fieldId` goes to the field whose
 * API name it is or is under (`permissions[3]` → `permissions`); field errors no field owns, and the
 * message of errors without field errors, are general.
 */
export function formErrorsOf(error: unknown, fieldIds: readonly string[]): FormErrors {
  if (error === undefined) return NO_ERRORS;
  if (!(error instanceof ApiError)) return { byField: {}, general: [String(error)] };
  const byField: Record<string, string> = {};
  const general: string[] = [];
  for (const fieldError of error.fieldErrors) {
    const owner = [...fieldIds]
      .sort((a, b) => b.length - a.length)
      .find((fieldId) => owns(fieldId, fieldError.fieldId));
    if (owner === undefined) general.push(`${fieldError.fieldId}: ${fieldError.error}`);
    else byField[owner] = byField[owner] ? `${byField[owner]}; ${fieldError.error}` : fieldError.error;
  }
  if (error.fieldErrors.length === 0) general.push(error.message);
  return { byField, general };
}
