import { AsyncLocalStorage } from 'node:async_hooks';
import type { ActingPrincipalType } from '../core/principal.js';

/** What the request line reports beyond what the router sees: who called, in which account, at what cost. */
export interface RequestTelemetry {
  /** DynamoDB commands sent while serving the request. */
  dynamoDbCalls: number;
  /** The account the request was authenticated against, once known. */
  accountIdentifier?: string;
  /** The type of the authenticated caller, once known. */
  callerType?: ActingPrincipalType;
}

const storage = new AsyncLocalStorage<RequestTelemetry>();

/**
 * Runs `serve` with a fresh {@link RequestTelemetry} visible to everything it awaits (concurrent
 * requests of the local server each see their own) and answers its result and the telemetry.
 */
export async function withRequestTelemetry<T>(
  serve: () => Promise<T>,
): Promise<{ result: T; telemetry: RequestTelemetry }> {
  const telemetry: RequestTelemetry = { dynamoDbCalls: 0 };
  const result = await storage.run(telemetry, serve);
  return { result, telemetry };
}

/** The telemetry of the request being served, if any (none in CLI commands and jobs). */
export function currentRequestTelemetry(): RequestTelemetry | undefined {
  return storage.getStore();
}

/** Notes the account and caller type of the request being served (no-op outside a request). */
export function noteCaller(accountIdentifier: string, callerType?: ActingPrincipalType): void {
  const telemetry = storage.getStore();
  if (!telemetry) return;
  telemetry.accountIdentifier = accountIdentifier;
  if (callerType) telemetry.callerType = callerType;
}
