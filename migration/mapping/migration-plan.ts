import type { UserGroup } from '../../functions/core/principal.js';
import type { CustomResourceGroup } from '../../functions/core/resource-group.js';
import type { CustomRole } from '../../functions/core/role.js';
import type { RoleAssignment } from '../../functions/core/role-assignment.js';
import type { OrganizationScope, ProjectScope } from '../../functions/core/scope.js';

/** NextGen identifiers of one application's entities, by FirstGen id (workflows become pipelines). */
export interface AppIdentifiers {
  readonly services: Readonly<Record<string, string>>;
  readonly environments: Readonly<Record<string, string>>;
  readonly workflows: Readonly<Record<string, string>>;
  readonly pipelines: Readonly<Record<string, string>>;
  readonly templates: Readonly<Record<string, string>>;
}

/** A project to create for an application. */
export interface ProjectPlan {
  readonly appId: string;
  readonly scope: ProjectScope;
  readonly name: string;
  readonly description?: string;
}

/** A lossy or noteworthy mapping, reported by `migrate plan` (never silently dropped). */
export interface MigrationWarning {
  readonly code: string;
  /** The NextGen identifier of the user group concerned, when there is one. */
  readonly userGroup?: string;
  readonly message: string;
}

/** A user to create (or make active) as a member of the target account: the FirstGen id and its e-mail. */
export interface PlannedUser {
  readonly userId: string;
  /** Lower-case, unique within the plan. */
  readonly email: string;
  readonly name?: string;
}

/**
 * What happens to NextGen's default all-users view of the account (`_account_all_users` bound to
 * `_account_viewer`), which every migrated user receives as an account member: kept, or removed.
 */
export type DefaultView = 'keep' | 'remove';

/** A user group to create, with the FirstGen group it comes from. */
export type PlannedUserGroup = UserGroup & { readonly fgId: string };

/**
 * Everything the migration creates in the target account, as plain JSON-serialisable data
 * (`migrate plan --out` writes it, `migrate apply --plan` reads it). Deterministic: the same export
 * and options always give the same plan.
 */
export interface MigrationPlan {
  readonly sourceAccountId: string;
  readonly targetAccountId: string;
  readonly organization: OrganizationScope;
  readonly projects: readonly ProjectPlan[];
  readonly appIdentifiers: Readonly<Record<string, AppIdentifiers>>;
  /** Every exported user with an e-mail: an active user and member of the account. */
  readonly users: readonly PlannedUser[];
  /** The account's default all-users view after the migration. */
  readonly defaultView: DefaultView;
  readonly userGroups: readonly PlannedUserGroup[];
  readonly roles: readonly CustomRole[];
  readonly resourceGroups: readonly CustomResourceGroup[];
  readonly assignments: readonly RoleAssignment[];
  readonly warnings: readonly MigrationWarning[];
}
