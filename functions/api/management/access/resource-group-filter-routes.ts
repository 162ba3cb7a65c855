import * as z from 'zod';
import { type Scope, scopeFromParams } from '../../../core/scope.js';
import { type FieldError, fieldError } from '../../../core/validation/field-error.js';
import type { AuthenticatedRequest } from '../../authenticate-request.js';
import { InvalidRequestError } from '../../http/errors.js';
import type { Route } from '../../http/router.js';
import { declareRoutes, endpoint } from '../declared-route.js';
import type { ManagementContext } from '../management-context.js';
import { requireExistingScope } from '../request-scope.js';
import type { ResourceGroupResponse } from './access-responses.js';
import { visibleGroups } from './resource-group-routes.js';

/**
 * `POST /resourcegroup/api/resourcegroup/filter` (the Harness UI's resource-group picker) and
 * `POST /resourcegroup/api/v2/resourcegroup/filter`: the resource groups of a scope matching Harness's
 * `ResourceGroupFilterDTO`. Both answer pages of the v2 `ResourceGroupResponse` (the picker reads only
 * identifier, name and colour).
 */

/** Harness's `ResourceGroupFilterDTO`; the scope fields, when given, must be the query's account. */
export const resourceGroupFilterSchema = z.strictObject({
  accountIdentifier: z.string().max(128).nullish(),
  orgIdentifier: z.string().max(128).nullish(),
  projectIdentifier: z.string().max(128).nullish(),
  searchTerm: z.string().max(256).nullish(),
  identifierFilter: z.array(z.string().max(128)).max(1000).nullish(),
  resourceSelectorFilterList: z
    .array(
      z.strictObject({ resourceType: z.string().max(64), resourceIdentifier: z.string().max(256).nullish() }),
    )
    .max(1000)
    .nullish(),
  managedFilter: z.enum(['NO_FILTER', 'ONLY_MANAGED', 'ONLY_CUSTOM']).nullish(),
  scopeLevelFilter: z.array(z.string().max(32)).max(3).nullish(),
});

type Filter = z.infer<typeof resourceGroupFilterSchema>;

/** The body's scope when it names one (of the caller's account), else the query's. */
function filterScope(queryScope: Scope, filter: Filter): Scope {
  if (!filter.accountIdentifier && !filter.orgIdentifier && !filter.projectIdentifier) return queryScope;
  const errors: FieldError[] = [];
  const account = filter.accountIdentifier ?? queryScope.accountIdentifier;
  if (account !== queryScope.accountIdentifier) {
    errors.push(
      fieldError('accountIdentifier', `must be the query's account (${queryScope.accountIdentifier})`),
    );
  }
  for (const field of ['orgIdentifier', 'projectIdentifier'] as const) {
    if (/[#/]/.test(filter[field] ?? '')) errors.push(fieldError(field, "must not contain '/' or '#'"));
  }
  const scope = scopeFromParams({ ...filter, accountIdentifier: account });
  if (!scope) errors.push(fieldError('orgIdentifier', 'required with projectIdentifier'));
  if (errors.length > 0 || !scope) throw new InvalidRequestError('Invalid scope in the filter', errors);
  return scope;
}

/** Whether a group selects a resource of the filter's type (and identifier, when given). */
function selects(
  group: ResourceGroupResponse,
  selector: { resourceType: string; resourceIdentifier?: string | null | undefined },
): boolean {
  const filter = group.resourceGroup.resourceFilter as {
    includeAllResources: boolean;
    resources: { resourceType: string; identifiers?: string[] }[];
  };
  if (filter.includeAllResources) return true;
  return filter.resources.some(
    (resource) =>
      resource.resourceType === selector.resourceType &&
      (!selector.resourceIdentifier ||
        !resource.identifiers ||
        resource.identifiers.includes(selector.resourceIdentifier)),
  );
}

/** The groups of the filter's scope (default: the query's) that the caller may view and the filter selects. */
function filterGroups(auth: AuthenticatedRequest, queryScope: Scope, filter: Filter) {
  const scope = requireExistingScope(auth.policy, filterScope(queryScope, filter));
  const identifiers = filter.identifierFilter?.length ? new Set(filter.identifierFilter) : undefined;
  return visibleGroups(auth, scope, filter.searchTerm ?? undefined).filter(
    (group) =>
      (!identifiers || identifiers.has(String(group.resourceGroup.identifier))) &&
      (filter.managedFilter !== 'ONLY_MANAGED' || group.harnessManaged) &&
      (filter.managedFilter !== 'ONLY_CUSTOM' || !group.harnessManaged) &&
      (!filter.resourceSelectorFilterList?.length ||
        filter.resourceSelectorFilterList.every((selector) => selects(group, selector))),
  );
}

const filterAt = (path: string, summary: string) =>
  endpoint({
    method: 'POST',
    path,
    summary,
    tag: 'Resource groups',
    body: resourceGroupFilterSchema,
    emptyBody: {},
    paged: true,
    needs: 'per-resource',
    handle: async ({ auth, scope, body, page }) => page(filterGroups(auth, scope, body)),
  });

/** The resource-group filter routes (v1 path of the UI picker, and v2). */
export function resourceGroupFilterRoutes(context: ManagementContext): Route[] {
  return declareRoutes(context, [
    filterAt(
      '/resourcegroup/api/resourcegroup/filter',
      'Resource groups matching a ResourceGroupFilterDTO (the UI picker; v2 response shape)',
    ),
    filterAt(
      '/resourcegroup/api/v2/resourcegroup/filter',
      'Resource groups matching a ResourceGroupFilterDTO',
    ),
  ]);
}
