import { randomUUID } from 'node:crypto';

/** The request and response header that carries the correlation id. */
export const CORRELATION_ID_HEADER = 'x-correlation-id';

const ACCEPTABLE = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The correlation id of a request: its `x-correlation-id` header when that is 1–128 characters of
 * `[A-Za-z0-9._:-]` (anything else could inject into logs or headers), else a new random UUID.
 *
 * @param headers - The request headers, names lower-cased.
 */
export function correlationIdOf(headers: Readonly<Record<string, string | undefined>> | undefined): string {
  const given = headers?.[CORRELATION_ID_HEADER]?.trim();
  return given !== undefined && ACCEPTABLE.test(given) ? given : randomUUID();
}
