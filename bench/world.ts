import type { AccessCheck } from '../functions/core/access-check.js';
import type { PolicySnapshot, ScopeMembership } from '../functions/core/policy-snapshot.js';
import type { ActingPrincipal, UserGroup } from '../functions/core/principal.js';
import type { CustomResourceGroup } from '../functions/core/resource-group.js';
import type { CustomRole } from '../functions/core/role.js';
import type { RoleAssignment } from '../functions/core/role-assignment.js';
import { accountScope, organizationScope, projectScope, type Scope } from '../functions/core/scope.js';

/** Size of the benchmark world (issue: 20 orgs, 200 projects, 10k users, 1k groups, 20k assignments). */
export interface WorldSize {
  orgs: number;
  projectsPerOrg: number;
  users: number;
  groups: number;
  groupsPerUser: number;
  assignments: number;
  customRoles: number;
  customResourceGroups: number;
}

/** The realistic world of the benchmark issue. */
export const REALISTIC_WORLD: WorldSize = {
  orgs: 20,
  projectsPerOrg: 10,
  users: 10_000,
  groups: 1_000,
  groupsPerUser: 10,
  assignments: 20_000,
  customRoles: 200,
  customResourceGroups: 500,
};

/** Permissions the benchmark's checks ask about. */
export const BENCH_PERMISSIONS = [
  'core_pipeline_view',
  'core_pipeline_execute',
  'core_pipeline_edit',
  'core_secret_view',
  'core_secret_access',
  'core_environment_access',
  'core_connector_view',
  'core_service_access',
];

/** The resource type each benchmark permission is checked on. */
export const TYPE_OF: Readonly<Record<string, string>> = {
  core_pipeline_view: 'PIPELINE',
  core_pipeline_execute: 'PIPELINE',
  core_pipeline_edit: 'PIPELINE',
  core_secret_view: 'SECRET',
  core_secret_access: 'SECRET',
  core_environment_access: 'ENVIRONMENT',
  core_connector_view: 'CONNECTOR',
  core_service_access: 'SERVICE',
};

/** A small deterministic PRNG (mulberry32) so every run builds the same world. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Builds the benchmark world and the scopes it uses. */
export function buildWorld(
  size: WorldSize,
  seed = 42,
): { world: PolicySnapshot; scopes: Scope[]; projects: Scope[] } {
  const rnd = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
  const account = accountScope('bench');
  const orgs = Array.from({ length: size.orgs }, (_, o) => organizationScope('bench', `org${o}`));
  const projects = orgs.flatMap((org) =>
    Array.from({ length: size.projectsPerOrg }, (_, p) =>
      projectScope('bench', org.level === 'organization' ? org.orgIdentifier : '', `proj${p}`),
    ),
  );
  const scopes: Scope[] = [account, ...orgs, ...projects];
  const users = Array.from({ length: size.users }, (_, u) => `user${u}`);
  const memberships: ScopeMembership[] = users.flatMap((userId) => [
    { userId, scope: pick(projects) },
    { userId, scope: pick(projects) },
  ]);
  const groups: UserGroup[] = Array.from({ length: size.groups }, (_, g) => ({
    identifier: `group${g}`,
    name: `group${g}`,
    scope: g < size.groups / 5 ? account : g < size.groups / 2 ? pick(orgs) : pick(projects),
    users: [],
  }));
  const members = groups.map(() => [] as string[]);
  for (const userId of users) {
    for (let n = 0; n < size.groupsPerUser; n++) members[Math.floor(rnd() * groups.length)]?.push(userId);
  }
  const userGroups = groups.map((group, index) => ({ ...group, users: [...new Set(members[index])] }));
  const customRoles: CustomRole[] = Array.from({ length: size.customRoles }, (_, r) => {
    const scope = pick(scopes);
    return {
      harnessManaged: false,
      scope,
      identifier: `role${r}`,
      name: `role${r}`,
      allowedScopeLevels: [scope.level],
      permissions: BENCH_PERMISSIONS.filter(() => rnd() < 0.4),
    };
  });
  const customResourceGroups: CustomResourceGroup[] = Array.from(
    { length: size.customResourceGroups },
    (_, g) => {
      const scope = pick(scopes);
      const type = pick(Object.values(TYPE_OF));
      return {
        harnessManaged: false,
        scope,
        identifier: `rg${g}`,
        name: `rg${g}`,
        allowedScopeLevels: [scope.level],
        includedScopes: [
          { filter: rnd() < 0.5 ? 'INCLUDING_CHILD_SCOPES' : 'EXCLUDING_CHILD_SCOPES', scope },
        ],
        resourceFilter:
          rnd() < 0.3
            ? { includeAllResources: true, resources: [] }
            : {
                includeAllResources: false,
                resources: [
                  rnd() < 0.5 ? { resourceType: type } : { resourceType: type, identifiers: ['r1', 'r2'] },
                ],
              },
      };
    },
  );
  const managedAt: Record<Scope['level'], [string, string][]> = {
    account: [
      ['_account_viewer', '_all_account_level_resources'],
      ['_account_admin', '_all_resources_including_child_scopes'],
    ],
    organization: [
      ['_organization_viewer', '_all_organization_level_resources'],
      ['_organization_admin', '_all_resources_including_child_scopes'],
    ],
    project: [
      ['_project_viewer', '_all_project_level_resources'],
      ['_pipeline_executor', '_all_project_level_resources'],
      ['_project_admin', '_all_project_level_resources'],
    ],
  };
  const roleAssignments: RoleAssignment[] = Array.from({ length: size.assignments }, (_, a) => {
    const custom = a % 3 === 0;
    const role = custom ? pick(customRoles) : undefined;
    const scope = role ? role.scope : rnd() < 0.05 ? account : rnd() < 0.2 ? pick(orgs) : pick(projects);
    const rgs = customResourceGroups.filter((g) => g.scope === scope);
    const [managedRole, managedGroup] = pick(managedAt[scope.level]);
    const group = userGroups[Math.floor(rnd() * userGroups.length)] as UserGroup;
    const principal =
      rnd() < 0.6
        ? { type: 'USER_GROUP' as const, identifier: group.identifier, scopeLevel: group.scope.level }
        : { type: 'USER' as const, identifier: pick(users) };
    return {
      identifier: `ra${a}`,
      scope: principal.type === 'USER_GROUP' && rnd() < 0.5 ? group.scope : scope,
      roleIdentifier: role?.identifier ?? managedRole,
      resourceGroupIdentifier: role && rgs.length > 0 ? pick(rgs).identifier : managedGroup,
      principal,
      disabled: rnd() < 0.05,
      managed: false,
    };
  });
  return {
    world: {
      accountIdentifier: 'bench',
      customRoles,
      customResourceGroups,
      roleAssignments,
      userGroups,
      serviceAccounts: [],
      scopeMemberships: memberships,
    },
    scopes,
    projects,
  };
}

/** One benchmark check: who asks, and about what. */
export interface BenchCheck {
  readonly principal: ActingPrincipal;
  readonly check: AccessCheck;
}

/** Deterministic checks: a random user asks about a random resource in a random project. */
export function buildChecks(
  users: number,
  projects: readonly Scope[],
  count: number,
  seed = 7,
): BenchCheck[] {
  const rnd = random(seed);
  return Array.from({ length: count }, () => {
    const permission = BENCH_PERMISSIONS[Math.floor(rnd() * BENCH_PERMISSIONS.length)] as string;
    return {
      principal: { type: 'USER' as const, identifier: `user${Math.floor(rnd() * users)}` },
      check: {
        permission,
        resourceType: TYPE_OF[permission] as string,
        resourceScope: projects[Math.floor(rnd() * projects.length)] as Scope,
        resourceIdentifier: rnd() < 0.5 ? 'r1' : 'r9',
      },
    };
  });
}
