import type { AccessCheck, Decision, GrantExplanation } from '../../core/access-check.js';
import type { Evaluator } from '../../core/evaluator.js';
import type { ActingPrincipal } from '../../core/principal.js';
import {
  accountScope,
  type Scope,
  type ScopeParams,
  scopeFromParams,
  scopeToParams,
} from '../../core/scope.js';
import { fieldError } from '../../core/validation/field-error.js';
import { AccessDeniedError, InvalidRequestError } from '../http/errors.js';
import type { AclRequest, PermissionCheckInput } from './acl-request.js';

/** One entry of the response's `accessControlList`: the check echoed, its decision, and why. */
export interface AccessControlEntry {
  readonly permission: string;
  readonly resourceScope?: Record<string, string>;
  readonly resourceType: string;
  readonly resourceIdentifier?: string;
  readonly resourceAttributes?: Record<string, string>;
  readonly permitted: boolean;
  readonly explanation?: unknown;
  readonly reason?: string;
}

/** The `data` of the ACL response (reference §6.1 `AccessCheckResponse`). */
export interface AccessCheckResponse {
  readonly principal: { principalIdentifier: string; principalType: string };
  readonly accessControlList: readonly AccessControlEntry[];
}

/** The delegation check: may `caller` check access on behalf of another principal of `accountId`? */
export function delegationCheck(accountId: string): AccessCheck {
  return {
    permission: 'core_acl_check',
    resourceType: 'ACCOUNT',
    resourceIdentifier: accountId,
    resourceScope: accountScope(accountId),
  };
}

/**
 * The access check of one permission-check input; 400 naming `field` (e.g. `permissions[3].resourceScope`)
 * when its scope names a project without its organization.
 */
export function accessCheckFrom(input: PermissionCheckInput, field: string): AccessCheck {
  const scope = input.resourceScope ? scopeFromParams(input.resourceScope) : undefined;
  const named = Object.values(input.resourceScope ?? {}).some(Boolean);
  if (named && !scope) {
    throw new InvalidRequestError('Invalid resource scope', [
      fieldError(field, 'a project needs its orgIdentifier and an accountIdentifier'),
    ]);
  }
  return {
    permission: input.permission,
    resourceType: input.resourceType,
    ...(scope ? { resourceScope: scope } : {}),
    ...(input.resourceIdentifier ? { resourceIdentifier: input.resourceIdentifier } : {}),
    ...(input.resourceAttributes && Object.keys(input.resourceAttributes).length > 0
      ? { resourceAttributes: input.resourceAttributes }
      : {}),
  };
}

/**
 * The permission checks of a request made in `accountId`: a check whose `resourceScope` names another
 * account is a 403 (an account's callers never learn about another account's resources); a scope
 * without `accountIdentifier` takes the caller's account.
 */
export function checksInAccount(
  permissions: readonly PermissionCheckInput[],
  accountId: string,
): PermissionCheckInput[] {
  return permissions.map((input, index) => {
    const scope = input.resourceScope;
    if (!scope) return input;
    if (scope.accountIdentifier && scope.accountIdentifier !== accountId) {
      throw new AccessDeniedError(
        `permissions[${index}].resourceScope.accountIdentifier names another account; checks may only name the caller's account ${accountId}`,
      );
    }
    const named = Boolean(scope.orgIdentifier || scope.projectIdentifier);
    return named && !scope.accountIdentifier
      ? { ...input, resourceScope: { ...scope, accountIdentifier: accountId } }
      : input;
  });
}

/** The account a body-only ACL request names: the first check's `resourceScope.accountIdentifier`. */
export function accountNamedByChecks(request: AclRequest): string | undefined {
  return (
    request.permissions.find((input) => input.resourceScope?.accountIdentifier)?.resourceScope
      ?.accountIdentifier ?? undefined
  );
}

function entryOf(
  check: AccessCheck,
  decision: Decision,
  explain: boolean,
  sent: PermissionCheckInput,
): AccessControlEntry {
  const echoedScope = sent.resourceScope ? compactScope(sent.resourceScope) : undefined;
  return {
    permission: check.permission,
    ...(echoedScope && Object.keys(echoedScope).length > 0 ? { resourceScope: echoedScope } : {}),
    resourceType: check.resourceType,
    ...(check.resourceIdentifier ? { resourceIdentifier: check.resourceIdentifier } : {}),
    ...(check.resourceAttributes ? { resourceAttributes: { ...check.resourceAttributes } } : {}),
    permitted: decision.permitted,
    ...(explain
      ? decision.permitted
        ? {
            explanation: explanationDto(decision.explanation),
          }
        : { reason: decision.reason }
      : {}),
  };
}

/** A grant explanation on the wire: the assignment's scope as Harness scope parameters. */
export function explanationDto(explanation: GrantExplanation): Record<string, unknown> {
  return { ...explanation, scope: scopeDto(explanation.scope) };
}

/** A scope on the wire: its Harness parameters, absent levels omitted. */
export function scopeDto(scope: Scope): Record<string, string> {
  return compact(scopeToParams(scope));
}

function compactScope(params: NonNullable<PermissionCheckInput['resourceScope']>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(params).filter((entry): entry is [string, string] => Boolean(entry[1])),
  );
}

function compact(params: ScopeParams): Record<string, string> {
  return Object.fromEntries(
    Object.entries(params).filter((entry): entry is [string, string] => Boolean(entry[1])),
  );
}

/**
 * Decides an ACL request for `caller` in `accountId`: checks for another principal need
 * `core_acl_check` on the account (403 otherwise), checks naming another account are a 403
 * ({@link checksInAccount}); each check is decided by the evaluator, in request order, echoed with the
 * scope as it was sent, and explained when asked.
 */
export function decideAclRequest(
  evaluator: Evaluator,
  accountId: string,
  caller: ActingPrincipal,
  request: AclRequest,
  explain: boolean,
): AccessCheckResponse {
  const subject: ActingPrincipal = request.principal
    ? { type: request.principal.principalType, identifier: request.principal.principalIdentifier }
    : caller;
  const delegated = subject.type !== caller.type || subject.identifier !== caller.identifier;
  if (delegated && !evaluator.check(caller, delegationCheck(accountId)).permitted) {
    throw new AccessDeniedError(
      `Principal of type ${caller.type} with identifier ${caller.identifier} : Missing permission core_acl_check on account with identifier ${accountId}`,
    );
  }
  const inputs = checksInAccount(request.permissions, accountId);
  return {
    principal: { principalIdentifier: subject.identifier, principalType: subject.type },
    accessControlList: inputs.map((input, index) => {
      const check = accessCheckFrom(input, `permissions[${index}].resourceScope`);
      const sent = request.permissions[index] ?? input;
      return entryOf(check, evaluator.check(subject, check), explain, sent);
    }),
  };
}
