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
  readonly userGroups: readonly PlannedUserGroup[];
  readonly roles: readonly CustomRole[];
  readonly resourceGroups: readonly CustomResourceGroup[];
  readonly assignments: readonly RoleAssignment[];
  readonly warnings: readonly MigrationWarning[];
}
