import type { AccountPermission } from './model.js';

/** Whether the reference states an implication (`stated`) or we infer it (`derived`). */
export type ImplicationBasis = 'stated' | 'derived';

/** One implication between FirstGen account permissions and where it comes from (`docs/migration.md`). */
export interface AccountPermissionImplication {
  readonly from: AccountPermission;
  readonly implies: readonly AccountPermission[];
  readonly basis: ImplicationBasis;
  /** The reference section (or product description) backing it. */
  readonly source: string;
}

/**
 * Every implication between FirstGen account permissions either FirstGen reading uses. The main
 * reading applies all of them; the literal reading only the `stated` ones. Deliberately absent:
 * MANAGE_DEPLOYMENT_FREEZES ⇒ ALLOW_DEPLOYMENTS_DURING_FREEZE — deploying during a freeze needs
 * ALLOW_DEPLOYMENTS_DURING_FREEZE itself (reference firstgen §4.8), which even the Account
 * Administrator lacks (§4.10).
 */
export const ACCOUNT_PERMISSION_IMPLICATIONS: readonly AccountPermissionImplication[] = [
  {
    from: 'USER_PERMISSION_MANAGEMENT',
    implies: ['USER_PERMISSION_READ'],
    basis: 'stated',
    source:
      'reference firstgen §2.2 row 3, §2.6, §4.9: managing users requires reading them in the same group',
  },
  {
    from: 'MANAGE_USER_AND_USER_GROUPS_AND_API_KEYS',
    implies: ['USER_PERMISSION_MANAGEMENT', 'USER_PERMISSION_READ', 'MANAGE_API_KEYS'],
    basis: 'derived',
    source: 'reference firstgen §2.2 row 31: the deprecated combined permission, read by its name',
  },
  {
    from: 'VIEW_USER_AND_USER_GROUPS_AND_API_KEYS',
    implies: ['USER_PERMISSION_READ'],
    basis: 'derived',
    source: 'reference firstgen §2.2 row 32: the deprecated combined permission, read by its name',
  },
  {
    from: 'MANAGE_CUSTOM_DASHBOARDS',
    implies: ['CREATE_CUSTOM_DASHBOARDS'],
    basis: 'derived',
    source:
      'reference firstgen §2.2 rows 8–9 and the product description (RBAC permission table): managing dashboards is read as including creating them',
  },
  {
    from: 'CE_ADMIN',
    implies: ['CE_VIEWER'],
    basis: 'derived',
    source:
      'reference firstgen §4.9: every group is created with CE_VIEWER, so a CE admin is read as a CE viewer',
  },
];

/** The permissions together with everything they imply under the reading (a closed set). */
export function withImplied(
  permissions: Iterable<AccountPermission>,
  basis: 'all' | 'stated' = 'all',
): Set<AccountPermission> {
  const implications = new Map<AccountPermission, AccountPermission[]>();
  for (const implication of ACCOUNT_PERMISSION_IMPLICATIONS) {
    if (basis === 'stated' && implication.basis !== 'stated') continue;
    implications.set(implication.from, [...implication.implies]);
  }
  const result = new Set<AccountPermission>();
  const pending = [...permissions];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (result.has(next)) continue;
    result.add(next);
    pending.push(...(implications.get(next) ?? []));
  }
  return result;
}
