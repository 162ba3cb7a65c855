import { isPermissionApplicable } from '../../functions/core/permission-catalogue.js';
import type { ResourceSelector } from '../../functions/core/resource-group.js';
import { type NgGrant, type Selection, selectionKey } from './ng-grant.js';

/** Permissions on one selection of one resource type. */
export interface GrantBucket {
  readonly resourceType: string;
  readonly selection: Selection;
  readonly permissions: readonly string[];
}

/**
 * Groups grants into (role, resource group) pairs without widening any of them. A role × resource
 * group pair grants every role permission on every selected resource it applies to, so a pair may
 * hold several resource types only when no permission of one bucket applies to another bucket's
 * type unless that bucket holds it too. Buckets are sorted, so the result is deterministic.
 */
export function packGrants(grants: readonly NgGrant[]): GrantBucket[][] {
  const buckets = new Map<string, { resourceType: string; selection: Selection; permissions: Set<string> }>();
  for (const grant of grants) {
    const key = `${grant.resourceType}|${selectionKey(grant.selection)}`;
    const bucket = buckets.get(key) ?? {
      resourceType: grant.resourceType,
      selection: grant.selection,
      permissions: new Set(),
    };
    bucket.permissions.add(grant.permission);
    buckets.set(key, bucket);
  }
  const pairs: GrantBucket[][] = [];
  for (const key of [...buckets.keys()].sort()) {
    const raw = buckets.get(key);
    if (!raw) continue;
    const bucket: GrantBucket = { ...raw, permissions: [...raw.permissions].sort() };
    const pair = pairs.find((candidate) => candidate.every((other) => compatible(bucket, other)));
    if (pair) pair.push(bucket);
    else pairs.push([bucket]);
  }
  return pairs;
}

function compatible(a: GrantBucket, b: GrantBucket): boolean {
  if (a.resourceType === b.resourceType) return false;
  const leaks = (from: GrantBucket, to: GrantBucket) =>
    from.permissions.some(
      (permission) =>
        isPermissionApplicable(permission, to.resourceType) && !to.permissions.includes(permission),
    );
  return !leaks(a, b) && !leaks(b, a);
}

/** The resource-group selector of a bucket. */
export function bucketSelector(bucket: GrantBucket): ResourceSelector {
  const { resourceType, selection } = bucket;
  switch (selection.kind) {
    case 'all':
      return { resourceType };
    case 'attribute':
      return {
        resourceType,
        attributeFilter: { attributeName: selection.name, attributeValues: [...selection.values].sort() },
      };
    case 'ids':
      return { resourceType, identifiers: [...selection.ids].sort() };
  }
}
