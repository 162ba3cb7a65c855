import { describe, expect, it } from 'vitest';
import type { PolicySnapshot, ScopeMembership } from '../../../functions/core/policy-snapshot.js';
import type { ServiceAccount, UserGroup } from '../../../functions/core/principal.js';
import type { CustomResourceGroup } from '../../../functions/core/resource-group.js';
import type { CustomRole } from '../../../functions/core/role.js';
import type { RoleAssignment } from '../../../functions/core/role-assignment.js';
import { accountScope, organizationScope, projectScope } from '../../../functions/core/scope.js';
import { apiKeyItem, tokenItem } from '../../../functions/store/entities/credentials.js';
import { snapshotFromItems } from '../../../functions/store/entities/policy-entities.js';
import { customResourceGroupItem } from '../../../functions/store/entities/resource-groups.js';
import {
  roleAssignmentItem,
  roleAssignmentKeyItem,
} from '../../../functions/store/entities/role-assignments.js';
import { customRoleItem } from '../../../functions/store/entities/roles.js';
import { scopeItem } from '../../../functions/store/entities/scopes.js';
import { serviceAccountItem } from '../../../functions/store/entities/service-accounts.js';
import {
  userGroupItem,
  userGroupItems,
  userGroupMemberItem,
} from '../../../functions/store/entities/user-groups.js';
import { membershipItem } from '../../../functions/store/entities/users.js';
import type { StoredItem } from '../../../functions/store/items.js';
import { ACCOUNT_META_SK, accountPk, ENTITY, userSk } from '../../../functions/store/keys.js';

const ACC = 'acc';
const account = accountScope(ACC);
const org = organizationScope(ACC, 'org');
const project = projectScope(ACC, 'org', 'prj');
const meta = { createdAt: 1_700_000_000_000, lastModifiedAt: 1_700_000_001_000, version: 7 };

type SnapshotList = Exclude<keyof PolicySnapshot, 'accountIdentifier'>;

interface RoundTripCase {
  readonly name: string;
  readonly list: SnapshotList;
  readonly item: StoredItem;
  readonly expected: unknown;
}

const minimalRole: CustomRole = {
  harnessManaged: false,
  scope: org,
  identifier: 'reader',
  name: 'Reader',
  permissions: ['core_project_view'],
  allowedScopeLevels: ['organization'],
};
const fullRole: CustomRole = {
  ...minimalRole,
  scope: project,
  description: 'Reads things',
  tags: { team: 'a', empty: '' },
  permissions: ['core_pipeline_view', 'core_pipeline_execute'],
  allowedScopeLevels: ['project'],
};
const minimalGroup: CustomResourceGroup = {
  harnessManaged: false,
  scope: account,
  identifier: 'all',
  name: 'All',
  allowedScopeLevels: ['account'],
  includedScopes: [{ filter: 'INCLUDING_CHILD_SCOPES', scope: account }],
  resourceFilter: { includeAllResources: true, resources: [] },
};
const fullGroup: CustomResourceGroup = {
  harnessManaged: false,
  scope: org,
  identifier: 'some',
  name: 'Some',
  description: 'Some resources',
  color: '#0063F7',
  tags: { env: 'prod' },
  allowedScopeLevels: ['organization'],
  includedScopes: [
    { filter: 'EXCLUDING_CHILD_SCOPES', scope: org },
    { filter: 'INCLUDING_CHILD_SCOPES', scope: project },
  ],
  resourceFilter: {
    includeAllResources: false,
    resources: [
      { resourceType: 'PIPELINE' },
      { resourceType: 'SECRET', identifiers: ['s1', 's2'] },
      {
        resourceType: 'CONNECTOR',
        attributeFilter: { attributeName: 'category', attributeValues: ['CLOUD'] },
      },
    ],
  },
};
const userAssignment: RoleAssignment = {
  identifier: 'ra-user',
  scope: project,
  roleIdentifier: '_project_viewer',
  resourceGroupIdentifier: '_all_project_level_resources',
  principal: { type: 'USER', identifier: 'u1' },
  disabled: false,
  managed: false,
};
const groupAssignment: RoleAssignment = {
  identifier: 'ra-group',
  scope: project,
  roleIdentifier: 'reader',
  resourceGroupIdentifier: 'some',
  principal: { type: 'USER_GROUP', identifier: 'devs', scopeLevel: 'organization' },
  disabled: true,
  managed: true,
};
const plainUserGroup: UserGroup = { identifier: 'devs', scope: org, name: 'Developers', users: ['u1', 'u2'] };
const managedUserGroup: UserGroup = {
  identifier: '_account_all_users',
  scope: account,
  name: 'All Account Users',
  users: [],
  harnessManaged: true,
};
const serviceAccount: ServiceAccount = { identifier: 'bot', scope: project };

function withoutUsers(group: UserGroup): Omit<UserGroup, 'users'> {
  const { users: _users, ...head } = group;
  return head;
}
const membership: ScopeMembership = { userId: 'u1', scope: project };

const cases: readonly RoundTripCase[] = [
  {
    name: 'custom role (minimal)',
    list: 'customRoles',
    item: customRoleItem(ACC, minimalRole, meta),
    expected: minimalRole,
  },
  {
    name: 'custom role (all fields)',
    list: 'customRoles',
    item: customRoleItem(ACC, fullRole, meta),
    expected: fullRole,
  },
  {
    name: 'custom resource group (minimal)',
    list: 'customResourceGroups',
    item: customResourceGroupItem(ACC, minimalGroup, meta),
    expected: minimalGroup,
  },
  {
    name: 'custom resource group (all fields)',
    list: 'customResourceGroups',
    item: customResourceGroupItem(ACC, fullGroup, meta),
    expected: fullGroup,
  },
  {
    name: 'role assignment to a user',
    list: 'roleAssignments',
    item: roleAssignmentItem(ACC, userAssignment, meta),
    expected: userAssignment,
  },
  {
    name: 'role assignment to a user group with scope level',
    list: 'roleAssignments',
    item: roleAssignmentItem(ACC, groupAssignment, meta),
    expected: groupAssignment,
  },
  {
    name: 'user group (its own item: no members)',
    list: 'userGroups',
    item: userGroupItem(ACC, { ...withoutUsers(plainUserGroup), incarnation: 'i1' }, meta),
    expected: { ...plainUserGroup, users: [] },
  },
  {
    name: 'managed user group',
    list: 'userGroups',
    item: userGroupItem(ACC, { ...withoutUsers(managedUserGroup), incarnation: 'i2' }, meta),
    expected: managedUserGroup,
  },
  {
    name: 'service account',
    list: 'serviceAccounts',
    item: serviceAccountItem(
      ACC,
      { ...serviceAccount, name: 'Bot', email: 'bot@acc.example', description: 'CI', tags: { ci: 'yes' } },
      meta,
    ),
    expected: serviceAccount,
  },
  {
    name: 'membership',
    list: 'scopeMemberships',
    item: membershipItem(ACC, membership.userId, membership.scope, meta),
    expected: membership,
  },
];

/** What the DocumentClient hands back: a deep copy of what was written. */
function throughTable(item: StoredItem): Record<string, unknown> {
  return structuredClone(item);
}

/** True when some attribute at any depth is `undefined` (the DocumentClient rejects those). */
function hasUndefined(value: unknown): boolean {
  if (value === undefined) return true;
  if (Array.isArray(value)) return value.some(hasUndefined);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(hasUndefined);
  return false;
}

describe('items → snapshot round trip', () => {
  it.each(cases)('$name', ({ list, item, expected }) => {
    const snapshot = snapshotFromItems(ACC, [throughTable(item)]);
    expect(snapshot.accountIdentifier).toBe(ACC);
    expect(snapshot[list]).toStrictEqual([expected]);
    for (const other of Object.keys(snapshot) as (keyof PolicySnapshot)[]) {
      if (other !== 'accountIdentifier' && other !== list) expect(snapshot[other]).toEqual([]);
    }
  });

  it.each(cases)('$name item carries keys, entity and bookkeeping, and no undefined', ({ item }) => {
    expect(item.PK).toBe(accountPk(ACC));
    expect(typeof item.SK).toBe('string');
    expect(Object.values(ENTITY)).toContain(item.entity);
    expect(item).toMatchObject({
      version: 7,
      createdAt: meta.createdAt,
      lastModifiedAt: meta.lastModifiedAt,
    });
    expect(typeof item.scopePath).toBe('string');
    expect(hasUndefined(item)).toBe(false);
  });

  it('reads a whole partition, keeping order and ignoring non-policy items', () => {
    const items: Record<string, unknown>[] = [
      { PK: accountPk(ACC), SK: ACCOUNT_META_SK, entity: ENTITY.Account, version: 12 },
      scopeItem(ACC, org, { name: 'Org', description: 'd', tags: { a: 'b' } }, meta),
      roleAssignmentKeyItem(ACC, userAssignment),
      { PK: accountPk(ACC), SK: userSk('u1'), entity: ENTITY.User, userId: 'u1', email: 'u1@example.com' },
      { PK: accountPk(ACC), SK: 'FUTURE#x', entity: 'SomethingNew', identifier: 'x' },
      apiKeyItem(
        ACC,
        {
          identifier: 'k1',
          name: 'Key',
          apiKeyType: 'SERVICE_ACCOUNT',
          parentIdentifier: 'bot',
          scope: project,
        },
        meta,
      ),
      tokenItem(
        ACC,
        {
          tokenId: 'tok1',
          identifier: 't1',
          name: 'Token',
          apiKeyIdentifier: 'k1',
          apiKeyType: 'SERVICE_ACCOUNT',
          parentIdentifier: 'bot',
          scope: project,
          secretHash: '0'.repeat(64),
          validFrom: meta.createdAt,
          validTo: meta.createdAt + 1000,
        },
        meta,
      ),
      ...cases.map((c) => c.item),
      ...userGroupItems(ACC, plainUserGroup, meta, 'i1').slice(1),
    ].map((item) => structuredClone(item));
    const snapshot = snapshotFromItems(ACC, items);
    expect(snapshot).toStrictEqual({
      accountIdentifier: ACC,
      customRoles: [minimalRole, fullRole],
      customResourceGroups: [minimalGroup, fullGroup],
      roleAssignments: [userAssignment, groupAssignment],
      userGroups: [plainUserGroup, managedUserGroup],
      serviceAccounts: [serviceAccount],
      scopeMemberships: [membership],
    });
  });

  it('returns an empty snapshot for no items', () => {
    expect(snapshotFromItems(ACC, [])).toStrictEqual({
      accountIdentifier: ACC,
      customRoles: [],
      customResourceGroups: [],
      roleAssignments: [],
      userGroups: [],
      serviceAccounts: [],
      scopeMemberships: [],
    });
  });

  it('assembles a group from its own item and the member items of its incarnation only', () => {
    // Prepare: the group's items, plus a member of an earlier incarnation of it.
    const items = userGroupItems(ACC, plainUserGroup, meta, 'now');
    const stale = userGroupMemberItem(ACC, {
      groupScope: org,
      groupIdentifier: 'devs',
      incarnation: 'before',
      userId: 'u9',
    });
    // Act
    const snapshot = snapshotFromItems(ACC, [...items, stale].map(throughTable));
    // Assess
    expect(items.map((item) => item.SK)).toEqual([
      'UG#/ACCOUNT/acc/ORGANIZATION/org#devs',
      'UGMEMBER#now#u1',
      'UGMEMBER#now#u2',
    ]);
    expect(items[1]).toStrictEqual({
      PK: 'ACCOUNT#acc',
      SK: 'UGMEMBER#now#u1',
      entity: 'UserGroupMember',
      scopePath: '/ACCOUNT/acc/ORGANIZATION/org',
      identifier: 'devs',
      incarnation: 'now',
      userId: 'u1',
    });
    expect(snapshot.userGroups).toStrictEqual([plainUserGroup]);
  });

  it('rejects a member item whose key does not match its incarnation and user', () => {
    const item = {
      ...userGroupMemberItem(ACC, {
        groupScope: org,
        groupIdentifier: 'devs',
        incarnation: 'i',
        userId: 'u1',
      }),
      userId: 'u2',
    };
    expect(() => snapshotFromItems(ACC, [item])).toThrow(
      /Malformed UserGroupMember item .*SK does not match/,
    );
  });

  it('rejects a malformed item, naming it', () => {
    const item = { ...customRoleItem(ACC, minimalRole, meta), permissions: 'core_project_view' };
    expect(() => snapshotFromItems(ACC, [item])).toThrow(/Malformed Role item .*SK=ROLE#.*permissions/);
  });

  it('rejects an item whose scope is in another account', () => {
    const item = { ...membershipItem(ACC, 'u1', org, meta), scope: organizationScope('other', 'org') };
    expect(() => snapshotFromItems(ACC, [item])).toThrow(/another account/);
  });
});

describe('domain → item', () => {
  it('stores a role assignment with its GSI1 keys and the principal as a map', () => {
    expect(roleAssignmentItem(ACC, groupAssignment, meta)).toStrictEqual({
      PK: 'ACCOUNT#acc',
      SK: 'RA#/ACCOUNT/acc/ORGANIZATION/org/PROJECT/prj#ra-group',
      entity: 'RoleAssignment',
      GSI1PK: 'ACCOUNT#acc#RA_BY_PRINCIPAL#USER_GROUP#devs',
      GSI1SK: '/ACCOUNT/acc/ORGANIZATION/org/PROJECT/prj#ra-group',
      scope: project,
      scopePath: '/ACCOUNT/acc/ORGANIZATION/org/PROJECT/prj',
      identifier: 'ra-group',
      roleIdentifier: 'reader',
      resourceGroupIdentifier: 'some',
      principal: { type: 'USER_GROUP', identifier: 'devs', scopeLevel: 'organization' },
      disabled: true,
      managed: true,
      ...meta,
    });
  });

  it('stores the uniqueness guard of an assignment', () => {
    expect(roleAssignmentKeyItem(ACC, userAssignment)).toStrictEqual({
      PK: 'ACCOUNT#acc',
      SK: 'RAKEY#/ACCOUNT/acc/ORGANIZATION/org/PROJECT/prj#_project_viewer#_all_project_level_resources#USER#-#u1',
      entity: 'RoleAssignmentKey',
      roleAssignmentIdentifier: 'ra-user',
    });
  });

  it('stores a membership with its GSI1 keys', () => {
    expect(membershipItem(ACC, 'u1', org, meta)).toStrictEqual({
      PK: 'ACCOUNT#acc',
      SK: 'MEMBER#u1#/ACCOUNT/acc/ORGANIZATION/org',
      entity: 'Membership',
      GSI1PK: 'ACCOUNT#acc#MEMBERS#/ACCOUNT/acc/ORGANIZATION/org',
      GSI1SK: 'u1',
      userId: 'u1',
      scope: org,
      scopePath: '/ACCOUNT/acc/ORGANIZATION/org',
      ...meta,
    });
  });

  it('stores a scope with its details, omitting absent ones', () => {
    expect(scopeItem(ACC, project, { name: 'Project' }, meta)).toStrictEqual({
      PK: 'ACCOUNT#acc',
      SK: 'SCOPE#/ACCOUNT/acc/ORGANIZATION/org/PROJECT/prj',
      entity: 'Scope',
      scope: project,
      scopePath: '/ACCOUNT/acc/ORGANIZATION/org/PROJECT/prj',
      name: 'Project',
      ...meta,
    });
  });

  it('stores the extra service-account fields', () => {
    expect(
      serviceAccountItem(ACC, { ...serviceAccount, name: 'Bot', email: 'bot@x.example' }, meta),
    ).toStrictEqual({
      PK: 'ACCOUNT#acc',
      SK: 'SA#bot',
      entity: 'ServiceAccount',
      scope: project,
      scopePath: '/ACCOUNT/acc/ORGANIZATION/org/PROJECT/prj',
      identifier: 'bot',
      name: 'Bot',
      email: 'bot@x.example',
      ...meta,
    });
  });

  it('does not share arrays with the domain object', () => {
    const item = customRoleItem(ACC, fullRole, meta);
    expect(item.permissions).toEqual(fullRole.permissions);
    expect(item.permissions).not.toBe(fullRole.permissions);
  });

  it('rejects an entity of another account', () => {
    expect(() => customRoleItem('other', minimalRole, meta)).toThrow(/does not belong to account/);
  });
});
