import type { NgGrant, Selection } from './ng-grant.js';

/**
 * The same access as `grants`, in fewer selections. A permission held on a whole resource type
 * makes every narrower grant of it on that type redundant, so those are dropped; grants that name
 * identifiers are regrouped, per resource type, into one identifier list per distinct permission
 * set (or per permission, when that gives fewer lists), so that each list needs one role × resource
 * group pair instead of one per FirstGen permission. The evaluator unions grants per permission and
 * resource, so nothing is gained or lost: every (permission, resource) pair granted before is
 * granted after, and no other. Deterministic.
 */
export function normalizeGrants(grants: readonly NgGrant[]): NgGrant[] {
  const typeWide = new Set(
    grants.filter((grant) => grant.selection.kind === 'all').map((grant) => wideKey(grant)),
  );
  const kept: NgGrant[] = [];
  const idsByType = new Map<string, Map<string, Set<string>>>();
  const seen = new Set<string>();
  for (const grant of grants) {
    const { resourceType, permission, selection } = grant;
    if (selection.kind !== 'all' && typeWide.has(wideKey(grant))) continue;
    if (selection.kind !== 'ids') {
      const key = `${wideKey(grant)}|${JSON.stringify(selection)}`;
      if (!seen.has(key)) kept.push(grant);
      seen.add(key);
      continue;
    }
    const permissionsById = idsByType.get(resourceType) ?? new Map<string, Set<string>>();
    idsByType.set(resourceType, permissionsById);
    for (const id of selection.ids) {
      const held = permissionsById.get(id) ?? new Set<string>();
      held.add(permission);
      permissionsById.set(id, held);
    }
  }
  for (const resourceType of [...idsByType.keys()].sort()) {
    const permissionsById = idsByType.get(resourceType) ?? new Map();
    kept.push(...identifierGrants(resourceType, permissionsById));
  }
  return kept;
}

function wideKey(grant: NgGrant): string {
  return `${grant.resourceType}|${grant.permission}`;
}

/** The fewer of two exact regroupings: identifiers by permission set, or by permission. */
function identifierGrants(
  resourceType: string,
  permissionsById: ReadonlyMap<string, ReadonlySet<string>>,
): NgGrant[] {
  const bySet = new Map<string, { permissions: string[]; ids: string[] }>();
  const byPermission = new Map<string, string[]>();
  for (const id of [...permissionsById.keys()].sort()) {
    const permissions = [...(permissionsById.get(id) ?? [])].sort();
    const key = permissions.join(',');
    const entry = bySet.get(key) ?? { permissions, ids: [] };
    entry.ids.push(id);
    bySet.set(key, entry);
    for (const permission of permissions) {
      const list = byPermission.get(permission) ?? [];
      list.push(id);
      byPermission.set(permission, list);
    }
  }
  const distinctPermissionLists = new Set([...byPermission.values()].map((ids) => ids.join(','))).size;
  const ids = (list: readonly string[]): Selection => ({ kind: 'ids', ids: list });
  if (bySet.size <= distinctPermissionLists) {
    return [...bySet.values()].flatMap((entry) =>
      entry.permissions.map((permission) => ({ resourceType, permission, selection: ids(entry.ids) })),
    );
  }
  return [...byPermission.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([permission, list]) => ({ resourceType, permission, selection: ids(list) }));
}
