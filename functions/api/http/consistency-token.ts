import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The consistency token of a write response (DESIGN §4 "Consistency choice"): the account version a
 * successful write produced, sent as `x-rbac-consistency-token`. `writeAccount` records each version
 * it commits (or, for a write with nothing to change, the version it read) in the request's store,
 * and the router adds the header to a successful response — so the write path's callers are not
 * changed. The value is opaque to clients: they send it back with `at-least-as-fresh`.
 */

/** The response header that carries the token (and the request header that sends it back). */
export const CONSISTENCY_TOKEN_HEADER = 'x-rbac-consistency-token';

interface TokenStore {
  version?: number;
  /** Set once the request has been answered (also when its deadline answered it 503 early). */
  answered?: true;
}

const requests = new AsyncLocalStorage<TokenStore>();

/** Runs `handle` (one request) with its own token store and returns its result with the token recorded, if any. */
export async function withConsistencyToken<T>(
  handle: () => Promise<T>,
): Promise<{ result: T; token?: string }> {
  const store: TokenStore = {};
  let result: T;
  try {
    result = await requests.run(store, handle);
  } finally {
    store.answered = true;
  }
  return store.version === undefined ? { result } : { result, token: String(store.version) };
}

/** Records that the current request's write brought its account to `version` (the highest one wins). */
export function recordAccountVersion(version: number): void {
  const store = requests.getStore();
  if (store && (store.version === undefined || version > store.version)) store.version = version;
}

/**
 * False once the current request has been answered — e.g. 503 at its deadline while its work was
 * still queued — so queued work it started can be dropped instead of applied unseen; true outside a
 * request.
 */
export function requestStillOpen(): boolean {
  return requests.getStore()?.answered !== true;
}

/** The account version a token names, or `undefined` when it is not one of ours (a non-negative integer). */
export function parseConsistencyToken(token: string): number | undefined {
  if (!/^\d{1,15}$/.test(token)) return undefined;
  return Number(token);
}
