import { randomBytes } from 'node:crypto';
import { GetCommand, PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import {
  AUDIT_ACTIONS,
  AUDIT_RESOURCE_TYPES,
  type AuditActor,
  type AuditEvent,
} from '../core/audit-event.js';
import type { ChangeLogTarget } from './change-log.js';
import type { StoredItem } from './items.js';
import { auditPk, auditSk, ENTITY } from './keys.js';

/**
 * The audit trail's storage (DESIGN §14, `docs/data-model.md`): one item per committed write, in the
 * account's `AUDIT#<account>` partition (never in the policy partition that caches read whole),
 * written in the same transaction as the write, kept until its `expiresAt` (the retention), listed
 * newest first. Its events are the write's audited changes; the API expands them into Harness
 * `AuditEventDTO`s, whose `auditId` is `<time>.<recordId>.<index>`.
 */

/** Where a write came from, as the audit trail shows it. */
export interface AuditOrigin {
  readonly correlationId?: string;
  readonly clientIp?: string;
  readonly userAgent?: string;
  readonly method?: string;
}

/** One stored audit record: who wrote, from where, when, and what changed. */
export interface AuditRecord {
  readonly recordId: string;
  readonly time: number;
  readonly actor: AuditActor;
  readonly origin: AuditOrigin;
  readonly events: readonly AuditEvent[];
  /** True when before/after images were left out to keep the item under DynamoDB's 400 KB. */
  readonly truncated?: boolean;
}

/** The retention when neither the account nor the deployment sets one (DESIGN §14: 12 months). */
export const DEFAULT_AUDIT_RETENTION_MONTHS = 12;

/** The largest serialized size of a record's events before their images are dropped (DynamoDB allows 400 KB an item). */
const MAX_EVENTS_BYTES = 300_000;

const DAY_SECONDS = 24 * 3600;

/** A fresh audit record id (URL-safe, no `#` or `.`). */
export function newAuditRecordId(): string {
  return randomBytes(9).toString('hex');
}

/** The record's events, with before/after images dropped when they would not fit in one item. */
function fitting(events: readonly AuditEvent[]): { events: readonly AuditEvent[]; truncated: boolean } {
  if (JSON.stringify(events).length <= MAX_EVENTS_BYTES) return { events, truncated: false };
  return {
    events: events.map(({ before: _before, after: _after, ...event }) => event),
    truncated: true,
  };
}

/** The item of an audit record, expiring `retentionMonths` (30-day months) after it was written. */
export function auditRecordItem(accountId: string, record: AuditRecord, retentionMonths: number): StoredItem {
  const { events, truncated } = fitting(record.events);
  return {
    PK: auditPk(accountId),
    SK: auditSk(record.time, record.recordId),
    entity: ENTITY.AuditRecord,
    recordId: record.recordId,
    time: record.time,
    actor: record.actor,
    origin: record.origin,
    events,
    ...(truncated || record.truncated ? { truncated: true } : {}),
    expiresAt: Math.floor(record.time / 1000) + retentionMonths * 30 * DAY_SECONDS,
  };
}

const scopeSchema = z.union([
  z.object({ level: z.literal('account'), accountIdentifier: z.string() }),
  z.object({ level: z.literal('organization'), accountIdentifier: z.string(), orgIdentifier: z.string() }),
  z.object({
    level: z.literal('project'),
    accountIdentifier: z.string(),
    orgIdentifier: z.string(),
    projectIdentifier: z.string(),
  }),
]);

const recordSchema = z.object({
  recordId: z.string(),
  time: z.number(),
  actor: z.object({
    principal: z.object({
      type: z.enum(['USER', 'SERVICE_ACCOUNT', 'SYSTEM']),
      identifier: z.string(),
    }),
    tokenIdentifier: z.optional(z.string()),
  }),
  origin: z.object({
    correlationId: z.optional(z.string()),
    clientIp: z.optional(z.string()),
    userAgent: z.optional(z.string()),
    method: z.optional(z.string()),
  }),
  events: z.array(
    z.object({
      action: z.enum(AUDIT_ACTIONS),
      resourceType: z.enum(AUDIT_RESOURCE_TYPES),
      identifier: z.string(),
      scope: scopeSchema,
      before: z.optional(z.record(z.string(), z.unknown())),
      after: z.optional(z.record(z.string(), z.unknown())),
      labels: z.optional(z.record(z.string(), z.string())),
    }),
  ),
  truncated: z.optional(z.boolean()),
});

/** Decodes a stored audit record; `undefined` (never a throw) for an item that does not decode. */
export function auditRecordFromItem(item: Record<string, unknown>): AuditRecord | undefined {
  const parsed = recordSchema.safeParse(item);
  return parsed.success ? (parsed.data as AuditRecord) : undefined;
}

/** The time window of a listing, epoch milliseconds, both ends inclusive. */
export interface AuditWindow {
  readonly startTime?: number;
  readonly endTime?: number;
}

/**
 * The account's audit records in `window`, newest first, read page by page with the SDK's paginator
 * (eventually consistent: the audit trail is not on the authorize path). Undecodable items are skipped.
 */
export async function* auditRecordsNewestFirst(
  target: ChangeLogTarget,
  accountId: string,
  window: AuditWindow,
): AsyncGenerator<AuditRecord> {
  const from = auditSk(Math.max(0, window.startTime ?? 0), '0');
  const to = auditSk(Math.max(0, window.endTime ?? Number.MAX_SAFE_INTEGER), '~');
  const pages = paginateQuery(
    { client: target.client, pageSize: 200 },
    {
      TableName: target.tableName,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': auditPk(accountId), ':from': from, ':to': to },
      ScanIndexForward: false,
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      const record = auditRecordFromItem(item);
      if (record) yield record;
    }
  }
}

/** The audit record written at `time` with `recordId` (strongly consistent), or `undefined`. */
export async function findAuditRecord(
  target: ChangeLogTarget,
  accountId: string,
  time: number,
  recordId: string,
): Promise<AuditRecord | undefined> {
  const { Item } = await target.client.send(
    new GetCommand({
      TableName: target.tableName,
      Key: { PK: auditPk(accountId), SK: auditSk(time, recordId) },
      ConsistentRead: true,
    }),
  );
  return Item ? auditRecordFromItem(Item) : undefined;
}

/**
 * Writes a record that has no write of its own (a sign-in) unless a record with its key is already
 * there — another instance saw the same sign-in. True when this call wrote it.
 */
export async function putAuditRecordOnce(target: ChangeLogTarget, item: StoredItem): Promise<boolean> {
  try {
    await target.client.send(
      new PutCommand({
        TableName: target.tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}
