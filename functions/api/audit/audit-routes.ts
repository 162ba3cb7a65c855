import * as z from 'zod';
import type { AuditEvent } from '../../core/audit-event.js';
import { fieldError } from '../../core/validation/field-error.js';
import {
  type AuditRecord,
  auditRecordsNewestFirst,
  DEFAULT_AUDIT_RETENTION_MONTHS,
  findAuditRecord,
} from '../../store/audit-records.js';
import { accountSettingsItem } from '../../store/entities/account-settings.js';
import { accountSettingsOf } from '../../store/readers/user-readers.js';
import type { AuthenticatedRequest } from '../authenticate-request.js';
import { InvalidRequestError, NotFoundError } from '../http/errors.js';
import type { Route } from '../http/router.js';
import { declareRoutes, endpoint } from '../management/declared-route.js';
import type { ManagementContext } from '../management/management-context.js';
import { auditFilterSchema, matchesFilter, resourceScopeDto } from './audit-filter.js';

/**
 * The audit API as Harness's UI calls it (`/audit/api`, harness-core-ui `src/services/audit`):
 * - `POST /audit/api/audits/list?accountIdentifier=&pageIndex=&pageSize=` with `AuditFilterProperties`
 *   → a page of `AuditEventDTO`, newest first, only events at scopes where the caller holds
 *   `core_audit_view`;
 * - `GET /audit/api/auditYaml?accountIdentifier=&auditId=` → `{oldYaml, newYaml}` of one event;
 * - `GET`/`PUT /audit/api/auditSettings?accountIdentifier=` → `{retentionPeriodInMonths}` (PUT needs
 *   `core_account_edit`); records written afterwards are kept that long.
 */

/** The path of the audit list. */
export const AUDIT_LIST_PATH = '/audit/api/audits/list';

/** At most this many events are examined for one listing (its `totalItems` is then a lower bound). */
const MAX_EXAMINED_EVENTS = 10_000;

/** The query of `GET /audit/api/auditYaml`. */
export const auditYamlQuerySchema = z.object({ auditId: z.string().max(200) });

/** The body of `PUT /audit/api/auditSettings` (Harness's `AuditSettingsDTO`). */
export const auditSettingsSchema = z.strictObject({
  retentionPeriodInMonths: z.number().int().min(1).max(120),
});

function auditIdOf(record: AuditRecord, index: number): string {
  return `${record.time}.${record.recordId}.${index}`;
}

function parseAuditId(auditId: string): { time: number; recordId: string; index: number } | undefined {
  const match = /^(\d{1,15})\.([0-9a-f]{1,64})\.(\d{1,5})$/.exec(auditId);
  if (!match) return undefined;
  return { time: Number(match[1]), recordId: String(match[2]), index: Number(match[3]) };
}

function eventDto(record: AuditRecord, event: AuditEvent, index: number) {
  const auditId = auditIdOf(record, index);
  const { principal, tokenIdentifier } = record.actor;
  const { origin } = record;
  return {
    auditId,
    insertId: auditId,
    resourceScope: resourceScopeDto(event.scope),
    httpRequestInfo: origin.method ? { requestMethod: origin.method } : {},
    requestMetadata: origin.clientIp ? { clientIP: origin.clientIp } : {},
    timestamp: record.time,
    authenticationInfo: {
      principal: { type: principal.type, identifier: principal.identifier },
      labels: {
        ...(tokenIdentifier ? { tokenIdentifier } : {}),
        ...(origin.userAgent ? { userAgent: origin.userAgent } : {}),
        ...(origin.correlationId ? { correlationId: origin.correlationId } : {}),
      },
    },
    module: 'CORE',
    resource: {
      type: event.resourceType,
      identifier: event.identifier,
      ...(event.labels ? { labels: event.labels } : {}),
    },
    action: event.action,
    ...(record.truncated ? { internalInfo: { truncated: 'true' } } : {}),
  };
}

/** Whether the caller may see audit events at the event's scope. */
function mayView(auth: AuthenticatedRequest, event: AuditEvent): boolean {
  return auth.policy.evaluator.check(auth.caller, {
    permission: 'core_audit_view',
    resourceType: 'AUDIT',
    resourceScope: event.scope,
  }).permitted;
}

const TAG = 'Audit';

const listAudits = endpoint({
  method: 'POST',
  path: AUDIT_LIST_PATH,
  summary:
    'The audit trail, newest first: AuditEventDTOs matching AuditFilterProperties at scopes where the caller holds core_audit_view',
  tag: TAG,
  scopeFrom: 'account',
  body: auditFilterSchema,
  emptyBody: {},
  paged: true,
  needs: 'per-resource',
  handle: async ({ auth, body: filter, target, page }) => {
    const visible: ReturnType<typeof eventDto>[] = [];
    let examined = 0;
    const window = {
      ...(filter.startTime !== undefined ? { startTime: filter.startTime } : {}),
      ...(filter.endTime !== undefined ? { endTime: filter.endTime } : {}),
    };
    scan: for await (const record of auditRecordsNewestFirst(target, auth.accountId, window)) {
      for (const [index, event] of record.events.entries()) {
        if (++examined > MAX_EXAMINED_EVENTS) break scan;
        if (matchesFilter(record, event, filter) && mayView(auth, event))
          visible.push(eventDto(record, event, index));
      }
    }
    return page(visible);
  },
});

const auditYaml = endpoint({
  method: 'GET',
  path: '/audit/api/auditYaml',
  summary: 'The before and after of one audit event ({oldYaml, newYaml}, JSON documents)',
  tag: TAG,
  scopeFrom: 'account',
  query: auditYamlQuerySchema,
  needs: 'per-resource',
  handle: async ({ auth, query, target }) => {
    const { auditId } = query;
    const id = parseAuditId(auditId);
    if (!id)
      throw new InvalidRequestError('Invalid auditId', [
        fieldError('auditId', 'is not an audit id of this API'),
      ]);
    const record = await findAuditRecord(target, auth.accountId, id.time, id.recordId);
    const event = record?.events[id.index];
    if (!event || !mayView(auth, event)) throw new NotFoundError(`No audit event ${auditId}`);
    const yaml = (image: Record<string, unknown> | undefined) =>
      image ? JSON.stringify(image, null, 2) : undefined;
    const oldYaml = yaml(event.before);
    const newYaml = yaml(event.after);
    return { ...(oldYaml ? { oldYaml } : {}), ...(newYaml ? { newYaml } : {}) };
  },
});

const getSettings = (defaultRetentionMonths: number | undefined) =>
  endpoint({
    method: 'GET',
    path: '/audit/api/auditSettings',
    summary: 'How many months audit records are kept (core_audit_view)',
    tag: TAG,
    scopeFrom: 'account',
    needs: { permission: 'core_audit_view', resourceType: 'AUDIT' },
    handle: async ({ auth }) => ({
      retentionPeriodInMonths:
        accountSettingsOf(auth.policy.items).value.auditRetentionMonths ??
        defaultRetentionMonths ??
        DEFAULT_AUDIT_RETENTION_MONTHS,
    }),
  });

const putSettings = endpoint({
  method: 'PUT',
  path: '/audit/api/auditSettings',
  summary: 'Set how many months audit records written from now on are kept (core_account_edit)',
  tag: TAG,
  scopeFrom: 'account',
  body: auditSettingsSchema,
  needs: {
    check: (scope) => ({
      permission: 'core_account_edit',
      resourceType: 'ACCOUNT',
      resourceIdentifier: scope.accountIdentifier,
      resourceScope: scope,
    }),
  },
  handle: ({ auth, body, now, write }) =>
    write((policy) => {
      const { retentionPeriodInMonths } = body;
      const current = accountSettingsOf(policy.items);
      const at = now();
      const item = accountSettingsItem(
        auth.accountId,
        { ...current.value, auditRetentionMonths: retentionPeriodInMonths },
        {
          createdAt: current.meta?.createdAt ?? at,
          lastModifiedAt: at,
          version: (current.meta?.version ?? 0) + 1,
        },
      );
      return {
        operations: [
          current.meta
            ? { kind: 'replace' as const, item, expectedVersion: current.meta.version }
            : { kind: 'create' as const, item },
        ],
        result: { retentionPeriodInMonths },
      };
    }),
});

/** The audit routes (see the module comment). */
export function auditRoutes(context: ManagementContext): Route[] {
  return declareRoutes(context, [
    listAudits,
    auditYaml,
    getSettings(context.auditRetentionMonths),
    putSettings,
  ]);
}
