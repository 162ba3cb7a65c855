import type { AccessCheck } from '../../core/access-check.js';
import type { AuthenticatedRequest } from '../authenticate-request.js';
import { AccessDeniedError } from '../http/errors.js';

/**
 * Authorizes a management action with the same evaluator as the ACL endpoint; 403
 * `NG_ACCESS_DENIED` in Harness's wording when the caller lacks the permission.
 */
export function requirePermission(auth: AuthenticatedRequest, check: AccessCheck): void {
  if (auth.policy.evaluator.check(auth.caller, check).permitted) return;
  const target = check.resourceIdentifier ? ` with identifier ${check.resourceIdentifier}` : '';
  throw new AccessDeniedError(
    `Principal of type ${auth.caller.type} with identifier ${auth.caller.identifier} : Missing permission ${check.permission} on ${check.resourceType.toLowerCase()}${target}`,
  );
}
