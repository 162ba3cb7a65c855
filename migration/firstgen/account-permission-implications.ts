import type { AccountPermission } from './model.js';

/**
 * Account permissions that imply others (DERIVED, documented in `docs/migration.md`): the deprecated
 * combined permissions stand for their parts, managing users needs reading them (FirstGen rejects
 * one without the other), a dashboard manager can create dashboards, a CE admin can view, and a
 * deployment-freeze manager can lift a freeze and so deploy during it.
 */
const IMPLIES: Partial<Record<AccountPermission, readonly AccountPermission[]>> = {
  MANAGE_USER_AND_USER_GROUPS_AND_API_KEYS: [
    'USER_PERMISSION_MANAGEMENT',
    'USER_PERMISSION_READ',
    'MANAGE_API_KEYS',
  ],
  VIEW_USER_AND_USER_GROUPS_AND_API_KEYS: ['USER_PERMISSION_READ'],
  USER_PERMISSION_MANAGEMENT: ['USER_PERMISSION_READ'],
  MANAGE_CUSTOM_DASHBOARDS: ['CREATE_CUSTOM_DASHBOARDS'],
  CE_ADMIN: ['CE_VIEWER'],
  MANAGE_DEPLOYMENT_FREEZES: ['ALLOW_DEPLOYMENTS_DURING_FREEZE'],
};

/** The permissions together with everything they imply (a closed set). */
export function withImplied(permissions: Iterable<AccountPermission>): Set<AccountPermission> {
  const result = new Set<AccountPermission>();
  const pending = [...permissions];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (result.has(next)) continue;
    result.add(next);
    pending.push(...(IMPLIES[next] ?? []));
  }
  return result;
}
