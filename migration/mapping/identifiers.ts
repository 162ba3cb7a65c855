import { createHash } from 'node:crypto';
import {
  isReservedIdentifier,
  MAX_IDENTIFIER_LENGTH,
  MAX_NAME_LENGTH,
} from '../../functions/core/validation/identifier-rules.js';

/**
 * Identifier and name generation (reference firstgen §6.3, the migrator's CAMEL_CASE format) and
 * the deterministic identifiers of generated roles, resource groups and assignments.
 */

function stripAccents(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

/**
 * The migrator's sanitised name: trimmed, accents stripped, every character other than letters,
 * digits, `-`, `_` and whitespace replaced by `_`, and `_` prefixed unless it starts with a letter.
 */
export function sanitizedName(name: string): string {
  const cleaned = stripAccents(name.trim()).replace(/[^-0-9a-zA-Z_\s]/g, '_');
  const prefixed = /^[a-zA-Z]/.test(cleaned) ? cleaned : `_${cleaned}`;
  return prefixed.replace(/\s+/g, ' ').slice(0, MAX_NAME_LENGTH);
}

/**
 * The migrator's CAMEL_CASE identifier of a name (computed from the sanitised name):
 * `Payments App` → `paymentsApp`, `Non-Production Support` → `nonProductionSupport`,
 * `ReadOnlyUserGroup` → `readonlyusergroup`, `2nd Team` → `_2ndTeam`. Returns `undefined` when the
 * name has no letter or digit. A reserved word gets a trailing `_`; the result is cut to 128 characters.
 */
export function camelCaseIdentifier(name: string): string | undefined {
  const words = stripAccents(sanitizedName(name))
    .replace(/[^A-Za-z0-9]/g, ' ')
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => word.length > 0);
  if (words.length === 0) return undefined;
  const joined = words
    .map((word, index) => (index === 0 ? word : word[0]?.toUpperCase() + word.slice(1)))
    .join('');
  const identifier = /^[0-9]/.test(joined) ? `_${joined}` : joined;
  const safe = isReservedIdentifier(identifier) ? `${identifier}_` : identifier;
  return safe.slice(0, MAX_IDENTIFIER_LENGTH);
}

/** How many hex digits {@link stableHash} gives. */
export const STABLE_HASH_LENGTH = 16;

/** A short, stable hash of a canonical text (16 hex characters of SHA-256). */
export function stableHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, STABLE_HASH_LENGTH);
}

/**
 * Hands out identifiers unique within one namespace (a project's pipelines, the account's user
 * groups…): the preferred identifier, or it with `_2`, `_3`… appended when already taken, in the
 * order of the calls (export order, so the result is deterministic).
 */
export class IdentifierNamespace {
  private readonly taken = new Set<string>();

  /** Reserves `preferred` (or the next free suffixed form) and returns it. */
  claim(preferred: string): string {
    let candidate = preferred;
    for (let suffix = 2; this.taken.has(candidate); suffix++) {
      const tail = `_${suffix}`;
      candidate = `${preferred.slice(0, MAX_IDENTIFIER_LENGTH - tail.length)}${tail}`;
    }
    this.taken.add(candidate);
    return candidate;
  }
}
