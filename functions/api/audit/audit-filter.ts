import * as z from 'zod';
import type { AuditEvent } from '../../core/audit-event.js';
import type { Scope } from '../../core/scope.js';
import type { AuditRecord } from '../../store/audit-records.js';

/**
 * `AuditFilterProperties` (harness-core-ui `src/services/audit`): every field Harness declares is
 * accepted; `modules`, `environments`, `filterType` and `tags` are accepted and ignored (every event
 * of this product is module `CORE`, none has an environment or tags). Unknown fields are a 400.
 */
export const auditFilterSchema = z.strictObject({
  scopes: z
    .array(
      z.strictObject({
        accountIdentifier: z.string().max(128).optional(),
        orgIdentifier: z.string().max(128).optional(),
        projectIdentifier: z.string().max(128).optional(),
        labels: z.record(z.string(), z.string()).optional(),
      }),
    )
    .max(100)
    .optional(),
  resources: z
    .array(
      z.strictObject({
        type: z.string().max(64),
        identifier: z.string().max(256),
        labels: z.record(z.string(), z.string()).optional(),
      }),
    )
    .max(100)
    .optional(),
  principals: z
    .array(
      z.strictObject({
        type: z.enum(['USER', 'SYSTEM', 'API_KEY', 'SERVICE_ACCOUNT']),
        identifier: z.string().max(256),
      }),
    )
    .max(100)
    .optional(),
  actions: z
    .array(
      z.enum([
        'CREATE',
        'UPDATE',
        'RESTORE',
        'DELETE',
        'UPSERT',
        'INVITE',
        'RESEND_INVITE',
        'REVOKE_INVITE',
        'ADD_COLLABORATOR',
        'REMOVE_COLLABORATOR',
        'CREATE_TOKEN',
        'REVOKE_TOKEN',
        'LOGIN',
        'LOGIN2FA',
        'UNSUCCESSFUL_LOGIN',
        'ADD_MEMBERSHIP',
        'REMOVE_MEMBERSHIP',
      ]),
    )
    .max(50)
    .optional(),
  modules: z.array(z.string().max(64)).max(50).optional(),
  environments: z
    .array(z.strictObject({ identifier: z.string().max(128), type: z.enum(['PreProduction', 'Production']) }))
    .max(100)
    .optional(),
  filterType: z.string().max(64).optional(),
  staticFilter: z.enum(['EXCLUDE_LOGIN_EVENTS', 'EXCLUDE_SYSTEM_EVENTS']).optional(),
  startTime: z.number().int().nonnegative().optional(),
  endTime: z.number().int().nonnegative().optional(),
  tags: z.record(z.string(), z.string()).optional(),
});

/** A parsed `AuditFilterProperties` body. */
export type AuditFilter = z.infer<typeof auditFilterSchema>;

function withinScope(event: AuditEvent, wanted: NonNullable<AuditFilter['scopes']>[number]): boolean {
  const { scope } = event;
  if (wanted.accountIdentifier && wanted.accountIdentifier !== scope.accountIdentifier) return false;
  if (wanted.orgIdentifier && (scope.level === 'account' || scope.orgIdentifier !== wanted.orgIdentifier)) {
    return false;
  }
  if (
    wanted.projectIdentifier &&
    (scope.level !== 'project' || scope.projectIdentifier !== wanted.projectIdentifier)
  ) {
    return false;
  }
  return true;
}

/** Whether one event of `record` passes the filter (every given criterion; each list is an "any of"). */
export function matchesFilter(record: AuditRecord, event: AuditEvent, filter: AuditFilter): boolean {
  const { principal } = record.actor;
  if (filter.startTime !== undefined && record.time < filter.startTime) return false;
  if (filter.endTime !== undefined && record.time > filter.endTime) return false;
  if (filter.actions?.length && !filter.actions.includes(event.action)) return false;
  if (filter.staticFilter === 'EXCLUDE_SYSTEM_EVENTS' && principal.type === 'SYSTEM') return false;
  if (filter.staticFilter === 'EXCLUDE_LOGIN_EVENTS' && event.action === 'LOGIN') return false;
  if (
    filter.principals?.length &&
    !filter.principals.some(
      (wanted) => wanted.type === principal.type && wanted.identifier === principal.identifier,
    )
  ) {
    return false;
  }
  if (
    filter.resources?.length &&
    !filter.resources.some(
      (wanted) => wanted.type === event.resourceType && wanted.identifier === event.identifier,
    )
  ) {
    return false;
  }
  return !filter.scopes?.length || filter.scopes.some((wanted) => withinScope(event, wanted));
}

/** The scope of an event as Harness's `ResourceScopeDTO`. */
export function resourceScopeDto(scope: Scope): Record<string, string> {
  return {
    accountIdentifier: scope.accountIdentifier,
    ...(scope.level !== 'account' ? { orgIdentifier: scope.orgIdentifier } : {}),
    ...(scope.level === 'project' ? { projectIdentifier: scope.projectIdentifier } : {}),
  };
}
