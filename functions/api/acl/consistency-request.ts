import { fieldError } from '../../core/validation/field-error.js';
import { type Consistency, FULLY_CONSISTENT } from '../../store/policy-cache.js';
import { CONSISTENCY_TOKEN_HEADER, parseConsistencyToken } from '../http/consistency-token.js';
import { InvalidRequestError } from '../http/errors.js';
import type { ApiRequest } from '../http/router.js';

/** The request header that chooses how fresh a check's answer must be (DESIGN §4 "Consistency choice"). */
export const CONSISTENCY_HEADER = 'x-rbac-consistency';

/** The values `x-rbac-consistency` accepts. */
export const CONSISTENCY_MODES = ['fully-consistent', 'at-least-as-fresh', 'minimize-latency'] as const;

/**
 * The consistency a check request asks for: `fully-consistent` when it sends no `x-rbac-consistency`;
 * `at-least-as-fresh` needs `x-rbac-consistency-token` (a token of a write response). Anything else
 * is a 400 naming the header.
 */
export function requestedConsistency(request: ApiRequest): Consistency {
  const mode = request.headers[CONSISTENCY_HEADER];
  if (mode === undefined || mode === 'fully-consistent') return FULLY_CONSISTENT;
  if (mode === 'minimize-latency') return { mode };
  if (mode === 'at-least-as-fresh') {
    const token = request.headers[CONSISTENCY_TOKEN_HEADER];
    const version = token === undefined ? undefined : parseConsistencyToken(token);
    if (version === undefined) {
      throw new InvalidRequestError(`${CONSISTENCY_TOKEN_HEADER} is required with at-least-as-fresh`, [
        fieldError(CONSISTENCY_TOKEN_HEADER, 'must be the consistency token of a write response'),
      ]);
    }
    return { mode, version };
  }
  throw new InvalidRequestError(`${CONSISTENCY_HEADER} is not a consistency mode`, [
    fieldError(CONSISTENCY_HEADER, `must be one of ${CONSISTENCY_MODES.join(', ')}`),
  ]);
}
