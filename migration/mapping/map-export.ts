import {
  ALL_ACCOUNT_LEVEL_RESOURCES,
  ALL_RESOURCES_INCLUDING_CHILD_SCOPES,
} from '../../functions/core/managed-resource-groups.js';
import { findManagedRole } from '../../functions/core/managed-roles.js';
import type {
  CustomResourceGroup,
  ResourceSelector,
  ScopeSelector,
} from '../../functions/core/resource-group.js';
import type { CustomRole } from '../../functions/core/role.js';
import type { RoleAssignment } from '../../functions/core/role-assignment.js';
import {
  accountScope,
  type OrganizationScope,
  organizationScope,
  projectScope,
  type Scope,
  scopePath,
} from '../../functions/core/scope.js';
import { withImplied } from '../firstgen/account-permission-implications.js';
import { appFilterCovers, effectivePermissions } from '../firstgen/app-permission-scope.js';
import {
  type AccountPermission,
  APP_ACTIONS,
  type FgApplication,
  type FgExport,
  type FgUserGroup,
} from '../firstgen/model.js';
import { usersBroadenedByDefaultView } from '../verify/default-view.js';
import { ACCOUNT_PERMISSION_TABLE } from './account-permission-table.js';
import { appGrants } from './app-grants.js';
import { camelCaseIdentifier, IdentifierNamespace, sanitizedName, stableHash } from './identifiers.js';
import type {
  AppIdentifiers,
  DefaultView,
  MigrationPlan,
  MigrationWarning,
  PlannedUser,
  PlannedUserGroup,
  ProjectPlan,
} from './migration-plan.js';
import type { NgGrant } from './ng-grant.js';
import { normalizeGrants } from './normalize-grants.js';
import { bucketSelector, type GrantBucket, packGrants } from './pack-grants.js';

/** The identifier prefix of the role assignments a migration creates (they are the migration's own). */
export const MIGRATION_ASSIGNMENT_PREFIX = 'fg_ra_';

/** Choices of the mapping: the target account and organization, and identifier overrides by FirstGen id. */
export interface MappingOptions {
  readonly targetAccountId: string;
  readonly orgIdentifier: string;
  /** NextGen identifier to use instead of the generated one, keyed by the FirstGen id of an application, entity or user group. */
  readonly identifierOverrides?: Readonly<Record<string, string>>;
  /**
   * Keep or remove NextGen's default all-users view of the account; absent, whichever gives zero
   * broadened decisions (remove as soon as the view would give one migrated user more than FirstGen).
   */
  readonly defaultView?: DefaultView;
}

/** The account permissions of FirstGen's default Account Administrator group (reference firstgen §4.10). */
export const ADMINISTRATOR_ACCOUNT_PERMISSIONS: readonly AccountPermission[] = [
  'USER_PERMISSION_MANAGEMENT',
  'ACCOUNT_MANAGEMENT',
  'MANAGE_APPLICATIONS',
  'TEMPLATE_MANAGEMENT',
  'USER_PERMISSION_READ',
  'AUDIT_VIEWER',
  'MANAGE_TAGS',
  'MANAGE_ACCOUNT_DEFAULTS',
  'CE_ADMIN',
  'CE_VIEWER',
  'MANAGE_CLOUD_PROVIDERS',
  'MANAGE_CONNECTORS',
  'MANAGE_APPLICATION_STACKS',
  'MANAGE_DELEGATES',
  'MANAGE_ALERT_NOTIFICATION_RULES',
  'MANAGE_DELEGATE_PROFILES',
  'MANAGE_CONFIG_AS_CODE',
  'MANAGE_SECRETS',
  'MANAGE_SECRET_MANAGERS',
  'MANAGE_AUTHENTICATION_SETTINGS',
  'MANAGE_IP_WHITELIST',
  'MANAGE_DEPLOYMENT_FREEZES',
  'MANAGE_PIPELINE_GOVERNANCE_STANDARDS',
  'MANAGE_API_KEYS',
  'MANAGE_CUSTOM_DASHBOARDS',
  'CREATE_CUSTOM_DASHBOARDS',
  'MANAGE_SSH_AND_WINRM',
  'MANAGE_RESTRICTED_ACCESS',
];

/**
 * True when a group holds everything FirstGen's Account Administrator holds: every administrator
 * account permission and `ALL_APP_ENTITIES` on all applications with every action. Decided from the
 * permissions, never from the name (reference firstgen §4.10).
 */
export function isAdministratorEquivalent(group: FgUserGroup): boolean {
  const held = new Set(group.accountPermissions);
  return (
    ADMINISTRATOR_ACCOUNT_PERMISSIONS.every((permission) => held.has(permission)) &&
    group.appPermissions.some(
      (permission) =>
        permission.type === 'ALL_APP_ENTITIES' &&
        permission.appFilter.kind === 'ALL' &&
        APP_ACTIONS.every((action) => permission.actions.includes(action)),
    )
  );
}

const FREEZE_OVERRIDE = 'core_deploymentfreeze_override';

/**
 * The NextGen permissions of an administrator-equivalent group: those of `_account_admin`, without
 * `core_deploymentfreeze_override` unless the group also holds ALLOW_DEPLOYMENTS_DURING_FREEZE
 * (FirstGen's Account Administrator does not: reference firstgen §4.8, §4.10).
 */
export function administratorPermissions(group: FgUserGroup): string[] {
  const admin = findManagedRole('_account_admin');
  if (!admin) throw new Error('managed role _account_admin is missing');
  const override = group.accountPermissions.includes('ALLOW_DEPLOYMENTS_DURING_FREEZE');
  return admin.permissions.filter((permission) => override || permission !== FREEZE_OVERRIDE);
}

/** Collects generated roles, resource groups and assignments, each once. */
class PlanBuilder {
  readonly roles = new Map<string, CustomRole>();
  readonly resourceGroups = new Map<string, CustomResourceGroup>();
  readonly assignments = new Map<string, RoleAssignment>();

  role(scope: Scope, permissions: readonly string[], name?: string): string {
    const sorted = [...new Set(permissions)].sort();
    const hash = stableHash(sorted.join(','));
    const identifier = `fg_role_${hash}`;
    this.roles.set(`${scopePath(scope)}#${identifier}`, {
      identifier,
      name: name ?? `FirstGen role ${hash.slice(0, 8)}`,
      description: 'Generated by nextgen-rbac migrate from FirstGen permissions',
      permissions: sorted,
      allowedScopeLevels: [scope.level],
      harnessManaged: false,
      scope,
    });
    return identifier;
  }

  resourceGroup(
    scope: Scope,
    includedScopes: readonly ScopeSelector[],
    resources: readonly ResourceSelector[],
  ): string {
    const hash = stableHash(
      JSON.stringify({
        includedScopes: includedScopes.map((s) => [s.filter, s.scope && scopePath(s.scope)]),
        resources,
      }),
    );
    const identifier = `fg_rg_${hash}`;
    this.resourceGroups.set(`${scopePath(scope)}#${identifier}`, {
      identifier,
      name: `FirstGen resources ${hash.slice(0, 8)}`,
      description: 'Generated by nextgen-rbac migrate from FirstGen permissions',
      allowedScopeLevels: [scope.level],
      includedScopes,
      resourceFilter: { includeAllResources: false, resources },
      harnessManaged: false,
      scope,
    });
    return identifier;
  }

  assign(group: string, scope: Scope, roleIdentifier: string, resourceGroupIdentifier: string): void {
    const identifier = `${MIGRATION_ASSIGNMENT_PREFIX}${stableHash([group, scopePath(scope), roleIdentifier, resourceGroupIdentifier].join('|'))}`;
    this.assignments.set(`${scopePath(scope)}#${identifier}`, {
      identifier,
      scope,
      roleIdentifier,
      resourceGroupIdentifier,
      principal: { type: 'USER_GROUP', identifier: group, scopeLevel: 'account' },
      disabled: false,
      managed: false,
    });
  }

  /** One role and resource group per packed pair, assigned to the group at `scope`. */
  pairs(
    group: string,
    scope: Scope,
    includedScopes: readonly ScopeSelector[],
    pairs: readonly GrantBucket[][],
  ): void {
    for (const pair of pairs) {
      const role = this.role(
        scope,
        pair.flatMap((bucket) => bucket.permissions),
      );
      const resourceGroup = this.resourceGroup(scope, includedScopes, pair.map(bucketSelector));
      this.assign(group, scope, role, resourceGroup);
    }
  }
}

/**
 * The pure mapping of a FirstGen export to the NextGen entities of `docs/migration.md`: a project
 * per application in the chosen organization, an account-scope user group per FirstGen group with
 * the same members, and custom roles, resource groups and role assignments that carry over every
 * permission the decision table supports. Lossy mappings become warnings. Deterministic.
 */
export function mapExport(fgExport: FgExport, options: MappingOptions): MigrationPlan {
  const overrides = options.identifierOverrides ?? {};
  const account = accountScope(options.targetAccountId);
  const organization = organizationScope(options.targetAccountId, options.orgIdentifier);
  const warnings: MigrationWarning[] = [];
  const projectIds = new IdentifierNamespace();
  const projects: ProjectPlan[] = [];
  const appIdentifiers: Record<string, AppIdentifiers> = {};
  for (const app of fgExport.applications) {
    const identifier = projectIds.claim(
      overrides[app.id] ?? camelCaseIdentifier(app.name) ?? `app_${stableHash(app.id)}`,
    );
    projects.push({
      appId: app.id,
      scope: projectScope(options.targetAccountId, options.orgIdentifier, identifier),
      name: sanitizedName(app.name),
      ...(app.description ? { description: app.description } : {}),
    });
    appIdentifiers[app.id] = entityIdentifiers(app, overrides);
  }
  const projectOf = new Map(projects.map((project) => [project.appId, project.scope]));
  const builder = new PlanBuilder();
  const groupIds = new IdentifierNamespace();
  const userGroups: PlannedUserGroup[] = [];
  for (const group of fgExport.userGroups) {
    const identifier = groupIds.claim(
      overrides[group.id] ?? camelCaseIdentifier(group.name) ?? `group_${stableHash(group.id)}`,
    );
    userGroups.push({
      fgId: group.id,
      identifier,
      scope: account,
      name: sanitizedName(group.name),
      users: [...group.memberIds],
    });
    const warn = groupWarner(warnings, identifier);
    for (const note of group.ignored ?? []) warn('EXPORT_VALUE_IGNORED', note);
    if (isAdministratorEquivalent(group)) {
      const permissions = administratorPermissions(group);
      builder.assign(
        identifier,
        account,
        builder.role(account, permissions, 'FirstGen Account Administrator'),
        ALL_RESOURCES_INCLUDING_CHILD_SCOPES,
      );
      warn(
        'ACCOUNT_ADMIN',
        `${group.name} holds every FirstGen administrator permission: bound on ${ALL_RESOURCES_INCLUDING_CHILD_SCOPES} to a custom role of _account_admin's permissions${permissions.includes(FREEZE_OVERRIDE) ? '' : ` without ${FREEZE_OVERRIDE} (FirstGen's administrator lacks ALLOW_DEPLOYMENTS_DURING_FREEZE)`}`,
      );
      continue;
    }
    mapAccountPermissions(builder, identifier, account, group, warn);
    mapAppPermissions(
      builder,
      identifier,
      organization,
      fgExport.applications,
      appIdentifiers,
      projectOf,
      group,
      warn,
    );
  }
  const users = plannedUsers(fgExport, warnings);
  return {
    sourceAccountId: fgExport.accountId,
    targetAccountId: options.targetAccountId,
    organization,
    projects,
    appIdentifiers,
    users,
    defaultView: chooseDefaultView(fgExport, options, organization, users, warnings),
    userGroups,
    roles: [...builder.roles.values()],
    resourceGroups: [...builder.resourceGroups.values()],
    assignments: [...builder.assignments.values()],
    warnings,
  };
}

/**
 * The exported users who become active users and members of the account: those with an e-mail
 * (lower-cased), the first of several with the same address. Users without an e-mail and
 * duplicates keep their group memberships only (warned). Group members missing from the export's
 * users are users without an e-mail (the parser adds them).
 */
function plannedUsers(fgExport: FgExport, warnings: MigrationWarning[]): PlannedUser[] {
  const users: PlannedUser[] = [];
  const byEmail = new Map<string, string>();
  const seen = new Set<string>();
  for (const user of fgExport.users) {
    if (seen.has(user.id)) continue;
    seen.add(user.id);
    const email = user.email?.trim().toLowerCase();
    if (!email || !EMAIL.test(email)) {
      warnings.push({
        code: 'USER_WITHOUT_EMAIL',
        message: `user ${user.id} has no valid e-mail: not created as a NextGen user (group memberships kept)`,
      });
      continue;
    }
    const holder = byEmail.get(email);
    if (holder !== undefined) {
      warnings.push({
        code: 'DUPLICATE_EMAIL',
        message: `user ${user.id} has the e-mail of user ${holder}: not created as a NextGen user (group memberships kept)`,
      });
      continue;
    }
    byEmail.set(email, user.id);
    users.push({ userId: user.id, email, ...(user.name ? { name: user.name } : {}) });
  }
  return users;
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

function chooseDefaultView(
  fgExport: FgExport,
  options: MappingOptions,
  organization: OrganizationScope,
  users: readonly PlannedUser[],
  warnings: MigrationWarning[],
): DefaultView {
  const broadened = usersBroadenedByDefaultView(
    fgExport,
    { targetAccountId: options.targetAccountId, organization },
    users.map((user) => user.userId),
  );
  const view = options.defaultView ?? (broadened.length > 0 ? 'remove' : 'keep');
  warnings.push({
    code: view === 'keep' ? 'DEFAULT_VIEW_KEPT' : 'DEFAULT_VIEW_REMOVED',
    message:
      view === 'keep'
        ? `NextGen's default all-users view of the account (_account_all_users → _account_viewer) is kept: ${broadened.length} migrated users would gain views FirstGen did not give`
        : `NextGen's default all-users view of the account (_account_all_users → _account_viewer) is removed: kept, it would give ${broadened.length} migrated users views FirstGen did not give`,
  });
  return view;
}

function groupWarner(
  warnings: MigrationWarning[],
  userGroup: string,
): (code: string, message: string) => void {
  const seen = new Set<string>();
  return (code, message) => {
    if (seen.has(message)) return;
    seen.add(message);
    warnings.push({ code, userGroup, message });
  };
}

/** NextGen identifiers of an application's entities; workflows and pipelines share the pipeline namespace. */
function entityIdentifiers(app: FgApplication, overrides: Readonly<Record<string, string>>): AppIdentifiers {
  const assign = (entities: readonly { id: string; name: string }[], namespace: IdentifierNamespace) =>
    Object.fromEntries(
      entities.map((entity) => [
        entity.id,
        namespace.claim(
          overrides[entity.id] ?? camelCaseIdentifier(entity.name) ?? `entity_${stableHash(entity.id)}`,
        ),
      ]),
    );
  const pipelineNamespace = new IdentifierNamespace();
  const pipelines = assign(app.pipelines, pipelineNamespace);
  const workflows = assign(app.workflows, pipelineNamespace);
  return {
    services: assign(app.services, new IdentifierNamespace()),
    environments: assign(app.environments, new IdentifierNamespace()),
    templates: assign(app.templates, new IdentifierNamespace()),
    pipelines,
    workflows,
  };
}

function mapAccountPermissions(
  builder: PlanBuilder,
  group: string,
  account: Scope,
  fgGroup: FgUserGroup,
  warn: (code: string, message: string) => void,
): void {
  const held = withImplied(fgGroup.accountPermissions);
  const plain: string[] = [];
  const projectPermissions: string[] = [];
  const connectorPermissions: string[] = [];
  const connectorCategories = new Set<string>();
  const managedRoles = new Set<string>();
  for (const permission of held) {
    const row = ACCOUNT_PERMISSION_TABLE[permission];
    const missing = (row.requires ?? []).filter((required) => !held.has(required));
    if (row.fidelity === 'unsupported' || row.fidelity === 'not-applicable') {
      warn(
        `ACCOUNT_PERMISSION_${row.fidelity === 'unsupported' ? 'UNSUPPORTED' : 'DROPPED'}`,
        `${permission} is not migrated: ${row.note}`,
      );
    } else if (missing.length > 0) {
      warn(
        'ACCOUNT_PERMISSION_NARROWED',
        `${permission} is not migrated without ${missing.join(', ')}: ${row.note}`,
      );
      continue;
    } else if (row.fidelity === 'narrowed') {
      warn('ACCOUNT_PERMISSION_NARROWED', `${permission} is narrowed: ${row.note}`);
    }
    if (row.managedRole) managedRoles.add(row.managedRole);
    for (const grant of row.grants) {
      if (grant.includingChildScopes) projectPermissions.push(...grant.permissions);
      else if (grant.connectorCategories) {
        connectorPermissions.push(...grant.permissions);
        for (const category of grant.connectorCategories) connectorCategories.add(category);
      } else plain.push(...grant.permissions);
    }
  }
  if (plain.length > 0)
    builder.assign(group, account, builder.role(account, plain), ALL_ACCOUNT_LEVEL_RESOURCES);
  if (projectPermissions.length > 0) {
    builder.assign(
      group,
      account,
      builder.role(account, projectPermissions),
      ALL_RESOURCES_INCLUDING_CHILD_SCOPES,
    );
  }
  if (connectorPermissions.length > 0) {
    const resourceGroup = builder.resourceGroup(
      account,
      [{ filter: 'EXCLUDING_CHILD_SCOPES', scope: account }],
      [
        {
          resourceType: 'CONNECTOR',
          attributeFilter: { attributeName: 'category', attributeValues: [...connectorCategories].sort() },
        },
      ],
    );
    builder.assign(group, account, builder.role(account, connectorPermissions), resourceGroup);
  }
  for (const role of [...managedRoles].sort())
    builder.assign(group, account, role, ALL_ACCOUNT_LEVEL_RESOURCES);
}

function mapAppPermissions(
  builder: PlanBuilder,
  group: string,
  organization: Scope,
  applications: readonly FgApplication[],
  appIdentifiers: Readonly<Record<string, AppIdentifiers>>,
  projectOf: ReadonlyMap<string, Scope>,
  fgGroup: FgUserGroup,
  warn: (code: string, message: string) => void,
): void {
  const known = new Set(applications.map((app) => app.id));
  for (const permission of fgGroup.appPermissions) {
    const { appFilter } = permission;
    if (appFilter.kind !== 'ALL') {
      const unknown = appFilter.ids.filter((id) => !known.has(id));
      if (unknown.length > 0)
        warn('UNKNOWN_APPLICATION', `application ids not in the export are ignored: ${unknown.join(', ')}`);
    }
    if (appFilter.kind !== 'SELECTED' && permission.actions.length > 0) {
      warn(
        'DYNAMIC_APPLICATIONS',
        `a ${appFilter.kind} application filter is resolved to today's applications; projects created later are not covered`,
      );
    }
  }
  const sharedByGrants = new Map<string, { grants: NgGrant[]; projects: Scope[] }>();
  for (const app of applications) {
    const project = projectOf.get(app.id);
    const identifiers = appIdentifiers[app.id];
    if (!project || !identifiers) continue;
    const effective = fgGroup.appPermissions
      .filter((permission) => appFilterCovers(permission.appFilter, app.id))
      .flatMap(effectivePermissions);
    if (effective.length === 0) continue;
    const grants = normalizeGrants(appGrants(app, identifiers, effective, warn));
    const byIdentifier = grants.filter((grant) => grant.selection.kind === 'ids');
    const shared = grants.filter((grant) => grant.selection.kind !== 'ids');
    if (byIdentifier.length > 0) {
      builder.pairs(
        group,
        project,
        [{ filter: 'EXCLUDING_CHILD_SCOPES', scope: project }],
        packGrants(byIdentifier),
      );
    }
    if (shared.length > 0) {
      const key = JSON.stringify(packGrants(shared));
      const entry = sharedByGrants.get(key) ?? { grants: shared, projects: [] };
      entry.projects.push(project);
      sharedByGrants.set(key, entry);
    }
  }
  for (const { grants, projects } of sharedByGrants.values()) {
    const included = projects.map((scope): ScopeSelector => ({ filter: 'EXCLUDING_CHILD_SCOPES', scope }));
    builder.pairs(group, organization, included, packGrants(grants));
  }
}
