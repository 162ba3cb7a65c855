import type { ApiClient, Scope } from '../api/client';
import { describeScope } from '../context';

/**
 * The user id a principal field means: an e-mail is looked up among the scope's members (exact,
 * case-insensitive); anything else is taken as the id itself.
 */
export async function resolveUserId(client: ApiClient, scope: Scope, typed: string): Promise<string> {
  const value = typed.trim();
  if (!value.includes('@')) return value;
  const found = await client.listUsers(scope, { searchTerm: value, pageSize: 100 });
  const match = found.content.find((user) => user.email?.toLowerCase() === value.toLowerCase());
  if (!match) throw new Error(`No member of the ${describeScope(scope)} has the e-mail ${value}.`);
  return match.userId;
}
