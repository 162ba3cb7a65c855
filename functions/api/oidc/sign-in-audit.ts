import { signInEvent } from '../../core/audit-event.js';
import {
  auditRecordItem,
  DEFAULT_AUDIT_RETENTION_MONTHS,
  putAuditRecordOnce,
} from '../../store/audit-records.js';
import type { ChangeLogTarget } from '../../store/change-log.js';
import type { AccountPolicy } from '../../store/policy-cache.js';
import { accountSettingsOf } from '../../store/readers/user-readers.js';
import type { CallerOrigin } from '../authenticate-request.js';
import { UndecidableError } from '../http/errors.js';
import type { SignInSession } from './oidc-verifier.js';

/** A user signed in through OIDC: the account's policy, the user her token maps to, the sign-in, the request. */
export interface SignIn {
  readonly policy: AccountPolicy;
  readonly userId: string;
  readonly session: SignInSession;
  readonly origin: CallerOrigin;
}

/** Records a sign-in in the audit trail before the request it came with is served; throws 503 when it cannot. */
export type SignInRecorder = (signIn: SignIn) => Promise<void>;

/** Sign-ins remembered per instance beyond which the expired, then the oldest, are forgotten. */
const DEFAULT_REMEMBERED = 10_000;

/** One sign-in into one account (a token may map to users of several accounts). */
function keyOf(accountId: string, session: SignInSession): string {
  return `${accountId}#${session.id}`;
}

/**
 * The audit trail's `LOGIN` events (DESIGN §14): the first request of each OIDC sign-in (one per
 * bearer token) writes one record — keyed by the token's issue time and sign-in id, written only if
 * absent, so every instance that sees the token agrees on one record — and later requests with the
 * same token write nothing (remembered per instance until the token expires). A request whose sign-in
 * cannot be recorded is not served (503): no sign-in without its record.
 */
export function signInRecorder(
  target: ChangeLogTarget,
  options: { readonly defaultRetentionMonths?: number; readonly maxRemembered?: number } = {},
): SignInRecorder {
  const remembered = new Map<string, number>();
  const inFlight = new Map<string, Promise<void>>();
  const maxRemembered = options.maxRemembered ?? DEFAULT_REMEMBERED;

  const remember = (key: string, session: SignInSession): void => {
    remembered.set(key, session.expiresAt);
    if (remembered.size <= maxRemembered) return;
    const now = target.now();
    for (const [id, expiresAt] of remembered) if (expiresAt <= now) remembered.delete(id);
    for (const id of remembered.keys()) {
      if (remembered.size <= maxRemembered) break;
      remembered.delete(id);
    }
  };

  const write = async ({ policy, userId, session, origin }: SignIn): Promise<void> => {
    const retention =
      accountSettingsOf(policy.items).value.auditRetentionMonths ??
      options.defaultRetentionMonths ??
      DEFAULT_AUDIT_RETENTION_MONTHS;
    const item = auditRecordItem(
      policy.accountId,
      {
        recordId: session.id,
        time: session.issuedAt,
        actor: { principal: { type: 'USER', identifier: userId } },
        origin: {
          correlationId: origin.correlationId,
          method: origin.method,
          ...(origin.clientIp ? { clientIp: origin.clientIp } : {}),
          ...(origin.userAgent ? { userAgent: origin.userAgent } : {}),
        },
        events: [signInEvent(policy.accountId, userId)],
      },
      retention,
    );
    try {
      await putAuditRecordOnce(target, item);
    } catch (error) {
      throw new UndecidableError('The sign-in could not be recorded in the audit trail; nothing was served', {
        cause: error,
      });
    }
    remember(keyOf(policy.accountId, session), session);
  };

  return async (signIn) => {
    const key = keyOf(signIn.policy.accountId, signIn.session);
    if (remembered.has(key)) return;
    let pending = inFlight.get(key);
    if (!pending) {
      pending = write(signIn).finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    await pending;
  };
}
