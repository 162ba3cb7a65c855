import * as z from 'zod';
import { fieldError } from '../../core/validation/field-error.js';
import { readChangesAfter } from '../../store/readers/change-feed-reader.js';
import { delegationCheck, scopeDto } from '../acl/acl-decision.js';
import { InvalidRequestError } from '../http/errors.js';
import type { Route } from '../http/router.js';
import { declareRoutes, endpoint } from '../management/declared-route.js';
import type { ManagementContext } from '../management/management-context.js';

/** The path of the change feed. */
export const CHANGE_FEED_PATH = '/authz/api/changes';

/** The most versions one page answers, and the default. */
export const MAX_CHANGE_PAGE_SIZE = 100;
const DEFAULT_CHANGE_PAGE_SIZE = 50;

/** The query of the change feed (besides `accountIdentifier`): the version to read after and the page size. */
export const changeFeedQuerySchema = z.object({
  since: z.string().regex(/^\d{1,12}$/, 'must be a version: a non-negative integer'),
  pageSize: z.optional(z.string().regex(/^\d{1,3}$/, `must be an integer from 1 to ${MAX_CHANGE_PAGE_SIZE}`)),
});

function pageSizeOf(text: string | undefined): number {
  const pageSize = text === undefined ? DEFAULT_CHANGE_PAGE_SIZE : Number(text);
  if (pageSize < 1 || pageSize > MAX_CHANGE_PAGE_SIZE) {
    throw new InvalidRequestError(`pageSize must be an integer from 1 to ${MAX_CHANGE_PAGE_SIZE}`, [
      fieldError('pageSize', `must be an integer from 1 to ${MAX_CHANGE_PAGE_SIZE}`),
    ]);
  }
  return pageSize;
}

/**
 * `GET /authz/api/changes?accountIdentifier=&since=<version>&pageSize=` — the change feed (DESIGN
 * §14, `docs/api.md`): what changed in the account after version `since`, oldest first, one entry
 * per committed version with the entities it created, updated or deleted (type, identifier, scope;
 * never content, secrets or hashes), and `nextSince` to ask with next. Needs `core_acl_check` on the
 * account: the feed is for services that keep decisions of other principals, which is what that
 * permission lets them ask. When versions after `since` are no longer in the log (it keeps 7 days),
 * or a bulk load replaced the account, it answers `resyncRequired: true`: read the state again and
 * continue from `currentVersion`.
 */
const changeFeed = endpoint({
  method: 'GET',
  path: CHANGE_FEED_PATH,
  summary:
    'Change feed: what changed after version since, oldest first, one entry per version (needs core_acl_check)',
  tag: 'Change feed',
  scopeFrom: 'account',
  query: changeFeedQuerySchema,
  needs: { check: (scope) => delegationCheck(scope.accountIdentifier) },
  handle: async ({ auth, query, target }) => {
    const pageSize = pageSizeOf(query.pageSize);
    const since = Number(query.since);
    const currentVersion = auth.policy.version;
    if (since > currentVersion) {
      throw new InvalidRequestError(`since is after the account's current version ${currentVersion}`, [
        fieldError('since', `must be at most the account's current version ${currentVersion}`),
      ]);
    }
    const page = await readChangesAfter(target, auth.accountId, since, pageSize);
    const first = page.entries[0];
    const expired = since < currentVersion && (first === undefined || first.version !== since + 1);
    const resyncRequired = expired || page.entries.some((entry) => entry.fullReload);
    const entries = resyncRequired ? [] : page.entries;
    return {
      accountIdentifier: auth.accountId,
      since,
      currentVersion,
      resyncRequired,
      changes: entries.map((entry) => ({
        version: entry.version,
        changedAt: entry.changedAt,
        entities: entry.entities.map((entity) => ({ ...entity, scope: scopeDto(entity.scope) })),
      })),
      nextSince: resyncRequired ? currentVersion : (entries.at(-1)?.version ?? since),
      hasMore: !resyncRequired && page.hasMore,
    };
  },
});

/** The change feed's route (see {@link changeFeed}). */
export function changeFeedRoutes(context: ManagementContext): Route[] {
  return declareRoutes(context, [changeFeed]);
}
