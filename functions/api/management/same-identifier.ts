import { fieldError } from '../../core/validation/field-error.js';
import { InvalidRequestError } from '../http/errors.js';

/**
 * 400 naming `field` unless the identifier the body gives is the one of the path: an update names
 * its resource in the path, and cannot rename it.
 */
export function requireSameIdentifier(inBody: string, inPath: string, field = 'identifier'): void {
  if (inBody !== inPath) {
    throw new InvalidRequestError('The identifier in the body differs from the one in the path', [
      fieldError(field, `must equal the identifier in the path (${inPath})`),
    ]);
  }
}
