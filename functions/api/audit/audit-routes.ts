import * as z from 'zod';
import type { AuditEvent } from '../../core/audit-event.js';
import { fieldError } from '../../core/validation/field-error.js';
import {
  type AuditRecord,
  auditRecordsNewestFirst,
  DEFAULT_AUDIT_RETENTION_MONTHS,
  findAuditRecord,
} from '../../store/audit-records.js';
import { accountSettingsOf } from '../../store/readers/user-readers.js';
import { accountSettingsItem } from '../../store/user-items.js';
import { type AuthenticatedRequest, authenticateRequest } from '../authenticate-request.js';
import { pageOf } from '../http/envelope.js';
import { InvalidRequestError, NotFoundError } from '../http/errors.js';
import { pagingFromQuery, parseInput } from '../http/parse.js';
import type { ApiRequest, Route } from '../http/router.js';
import { actingAs } from '../management/escalation-guard.js';
import type { ManagementContext } from '../management/management-context.js';
import { requirePermission } from '../management/require-permission.js';
import { writeAccount } from '../management/write-account.js';
import { type AuditFilter, auditFilterSchema, matchesFilter, resourceScopeDto } from './audit-filter.js';

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

async function listAudits(context: ManagementContext, request: ApiRequest) {
  const auth = await authenticateRequest(request, context.cache, context.now());
  const { pageIndex, pageSize } = pagingFromQuery(request.query);
  const filter: AuditFilter = parseInput(auditFilterSchema, request.body ?? {});
  const visible: ReturnType<typeof eventDto>[] = [];
  let examined = 0;
  const window = {
    ...(filter.startTime !== undefined ? { startTime: filter.startTime } : {}),
    ...(filter.endTime !== undefined ? { endTime: filter.endTime } : {}),
  };
  scan: for await (const record of auditRecordsNewestFirst(context.target, auth.accountId, window)) {
    for (const [index, event] of record.events.entries()) {
      if (++examined > MAX_EXAMINED_EVENTS) break scan;
      if (matchesFilter(record, event, filter) && mayView(auth, event))
        visible.push(eventDto(record, event, index));
    }
  }
  return { data: pageOf(visible, pageIndex, pageSize) };
}

async function auditYaml(context: ManagementContext, request: ApiRequest) {
  const auth = await authenticateRequest(request, context.cache, context.now());
  const { auditId } = parseInput(auditYamlQuerySchema, request.query);
  const id = parseAuditId(auditId);
  if (!id)
    throw new InvalidRequestError('Invalid auditId', [
      fieldError('auditId', 'is not an audit id of this API'),
    ]);
  const record = await findAuditRecord(context.target, auth.accountId, id.time, id.recordId);
  const event = record?.events[id.index];
  if (!event || !mayView(auth, event)) throw new NotFoundError(`No audit event ${auditId}`);
  const yaml = (image: Record<string, unknown> | undefined) =>
    image ? JSON.stringify(image, null, 2) : undefined;
  const oldYaml = yaml(event.before);
  const newYaml = yaml(event.after);
  return { data: { ...(oldYaml ? { oldYaml } : {}), ...(newYaml ? { newYaml } : {}) } };
}

async function getSettings(context: ManagementContext, request: ApiRequest) {
  const auth = await authenticateRequest(request, context.cache, context.now());
  requirePermission(auth, {
    permission: 'core_audit_view',
    resourceType: 'AUDIT',
    resourceScope: { level: 'account', accountIdentifier: auth.accountId },
  });
  const months =
    accountSettingsOf(auth.policy.items).value.auditRetentionMonths ??
    context.auditRetentionMonths ??
    DEFAULT_AUDIT_RETENTION_MONTHS;
  return { data: { retentionPeriodInMonths: months } };
}

async function putSettings(context: ManagementContext, request: ApiRequest) {
  const auth = await authenticateRequest(request, context.cache, context.now());
  const { retentionPeriodInMonths } = parseInput(auditSettingsSchema, request.body);
  return writeAccount(context, auth.accountId, actingAs(auth), (policy) => {
    requirePermission(
      { ...auth, policy },
      {
        permission: 'core_account_edit',
        resourceType: 'ACCOUNT',
        resourceIdentifier: auth.accountId,
      },
    );
    const current = accountSettingsOf(policy.items);
    const now = context.now();
    const item = accountSettingsItem(
      auth.accountId,
      { ...current.value, auditRetentionMonths: retentionPeriodInMonths },
      {
        createdAt: current.meta?.createdAt ?? now,
        lastModifiedAt: now,
        version: (current.meta?.version ?? 0) + 1,
      },
    );
    return {
      operations: [
        current.meta
          ? { kind: 'replace' as const, item, expectedVersion: current.meta.version }
          : { kind: 'create' as const, item },
      ],
      result: { data: { retentionPeriodInMonths } },
    };
  });
}

/** The audit routes (see the module comment). */
export function auditRoutes(context: ManagementContext): Route[] {
  return [
    { method: 'POST', path: AUDIT_LIST_PATH, handler: (request) => listAudits(context, request) },
    { method: 'GET', path: '/audit/api/auditYaml', handler: (request) => auditYaml(context, request) },
    { method: 'GET', path: '/audit/api/auditSettings', handler: (request) => getSettings(context, request) },
    { method: 'PUT', path: '/audit/api/auditSettings', handler: (request) => putSettings(context, request) },
  ];
}
