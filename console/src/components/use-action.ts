import { useCallback, useState } from 'react';
import { type FormErrors, formErrorsOf, NO_ERRORS } from './form-errors';

/** A form's submit action: runs it, and on failure keeps the API's errors sorted onto `fieldIds`. */
export function useAction(fieldIds: readonly string[]): {
  errors: FormErrors;
  run: (action: () => Promise<void>) => Promise<boolean>;
  clear: () => void;
} {
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the field list is fixed per form
  const run = useCallback(async (action: () => Promise<void>) => {
    try {
      await action();
      setErrors(NO_ERRORS);
      return true;
    } catch (error) {
      setErrors(formErrorsOf(error, fieldIds));
      return false;
    }
  }, []);
  return { errors, run, clear: () => setErrors(NO_ERRORS) };
}

/** The message of any failure, for errors shown beside a list. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
