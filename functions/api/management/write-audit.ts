import { type AuditActor, auditEventsOf, type ItemChange } from '../../core/audit-event.js';
import {
  type AuditRecord,
  auditRecordItem,
  DEFAULT_AUDIT_RETENTION_MONTHS,
  newAuditRecordId,
} from '../../store/audit-records.js';
import type { ChangeOperation } from '../../store/change-log.js';
import type { StoredItem } from '../../store/items.js';
import type { AccountPolicy } from '../../store/policy-cache.js';
import { accountSettingsOf } from '../../store/readers/user-readers.js';
import type { WriteActor } from './escalation-guard.js';

/**
 * The audit record of one committed batch of a write (DESIGN §14): who (the actor, the token it used),
 * from where (correlation id, client IP, user agent), when, and each audited change with its state
 * before and after — secrets and hashes removed. `writeAccount` commits it in the write's own
 * transaction, so there is no write without its record and no record without its write.
 */

function auditActorOf(actor: WriteActor): AuditActor {
  const tokenIdentifier = actor.origin?.tokenIdentifier;
  const principal =
    actor.kind === 'SYSTEM'
      ? { type: 'SYSTEM' as const, identifier: actor.job }
      : (actor.performedBy ?? actor.principal);
  return { principal, ...(tokenIdentifier ? { tokenIdentifier } : {}) };
}

/** The audited changes of `operations` (staged and retired members are not audited: the group's own item records the change). */
function changesOf(policy: AccountPolicy, operations: readonly ChangeOperation[]): ItemChange[] {
  return operations.flatMap((operation) => {
    if (operation.kind === 'stage' || operation.kind === 'retire') return [];
    const before = policy.items.get(operation.kind === 'delete' ? operation.sk : operation.item.SK);
    return {
      kind: operation.kind,
      ...(before ? { before } : {}),
      ...(operation.kind === 'delete' ? {} : { after: operation.item }),
    };
  });
}

/** The audit item of `operations` by `actor` at `now`, or `undefined` when nothing audited changed. */
export function auditItemOf(
  policy: AccountPolicy,
  actor: WriteActor,
  operations: readonly ChangeOperation[],
  now: number,
  defaultRetentionMonths = DEFAULT_AUDIT_RETENTION_MONTHS,
): StoredItem | undefined {
  const events = auditEventsOf(policy.accountId, changesOf(policy, operations));
  if (events.length === 0) return undefined;
  const { origin } = actor;
  const record: AuditRecord = {
    recordId: newAuditRecordId(),
    time: now,
    actor: auditActorOf(actor),
    origin: {
      ...(origin?.correlationId ? { correlationId: origin.correlationId } : {}),
      ...(origin?.clientIp ? { clientIp: origin.clientIp } : {}),
      ...(origin?.userAgent ? { userAgent: origin.userAgent } : {}),
      ...(origin?.method ? { method: origin.method } : {}),
    },
    events,
  };
  const retention = accountSettingsOf(policy.items).value.auditRetentionMonths ?? defaultRetentionMonths;
  return auditRecordItem(policy.accountId, record, retention);
}
