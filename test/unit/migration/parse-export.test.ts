import { describe, expect, it } from 'vitest';
import { ExportParseError } from '../../../migration/firstgen/export-parse-error.js';
import { parseExport } from '../../../migration/firstgen/parse-export.js';

const app = {
  id: 'a1',
  name: 'Payments App',
  environments: [{ id: 'e1', name: 'prod', environmentType: 'PROD' }],
};

function groupExport(group: Record<string, unknown>) {
  return { accountId: 'acc', users: [], applications: [app], userGroups: [group] };
}

function onlyPermission(permission: Record<string, unknown>) {
  const parsed = parseExport(
    groupExport({ id: 'g1', name: 'G', permissions: { appPermissions: [permission] } }),
  );
  return parsed.userGroups[0]?.appPermissions[0];
}

describe('parseExport: GraphQL shape and its normalisation quirks (reference firstgen §3.2)', () => {
  it('reads an app filter without ids as ALL whatever its type, and ids without a type as SELECTED', () => {
    // Act
    const emptyExclude = onlyPermission({
      permissionType: 'ALL',
      applications: { filterType: 'EXCLUDE_SELECTED', appIds: [] },
      actions: ['READ'],
    });
    const untyped = onlyPermission({
      permissionType: 'ALL',
      applications: { appIds: ['a1'] },
      actions: ['READ'],
    });
    // Assess
    expect(emptyExclude?.appFilter).toEqual({ kind: 'ALL' });
    expect(untyped?.appFilter).toEqual({ kind: 'SELECTED', ids: ['a1'] });
  });

  it('treats null and [] alike and reads empty environment filter types as both types', () => {
    // Act
    const nullTypes = onlyPermission({
      permissionType: 'ENV',
      applications: { filterType: 'ALL', appIds: null },
      environments: { filterTypes: null, envIds: [] },
      actions: ['READ'],
    });
    // Assess
    expect(nullTypes).toMatchObject({ type: 'ENV', filter: { kind: 'TYPES', types: ['PROD', 'NON_PROD'] } });
  });

  it.each([
    [{ filterTypes: ['ALL_WORKFLOWS'] }, { kind: 'ALL' }],
    [{ workflowIds: ['w1'] }, { kind: 'SELECTED', ids: ['w1'] }],
    [{ envIds: ['e1'] }, { kind: 'BY_ENV', types: [], envIds: ['e1'], templates: false }],
    [{ filterTypes: [] }, { kind: 'BY_ENV', types: ['PROD', 'NON_PROD'], envIds: [], templates: true }],
    [
      { filterTypes: ['PRODUCTION_WORKFLOWS', 'WORKFLOW_TEMPLATES'] },
      { kind: 'BY_ENV', types: ['PROD'], envIds: [], templates: true },
    ],
  ])('reads workflow filter %j', (workflows, expected) => {
    // Act
    const permission = onlyPermission({
      permissionType: 'WORKFLOW',
      applications: { filterType: 'ALL' },
      workflows,
      actions: ['READ'],
    });
    // Assess
    expect(permission).toMatchObject({ type: 'WORKFLOW', filter: expected });
  });

  it('maps GraphQL words to internal ones and expands the deprecated EXECUTE action', () => {
    // Act
    const parsed = parseExport(
      groupExport({
        id: 'g1',
        name: 'G',
        users: { nodes: [{ id: 'u1' }, { id: 'u2' }] },
        permissions: {
          accountPermissions: { accountPermissionTypes: ['VIEW_AUDITS', 'ADMINISTER_CE', 'TAG_MANAGEMENT'] },
          appPermissions: [
            { permissionType: 'DEPLOYMENT', applications: { filterType: 'ALL' }, actions: ['EXECUTE'] },
          ],
        },
      }),
    );
    // Assess
    const group = parsed.userGroups[0];
    expect(group?.memberIds).toEqual(['u1', 'u2']);
    expect(group?.accountPermissions).toEqual(['AUDIT_VIEWER', 'CE_ADMIN', 'MANAGE_TAGS']);
    expect(group?.appPermissions[0]?.actions).toEqual([
      'EXECUTE_WORKFLOW',
      'EXECUTE_PIPELINE',
      'EXECUTE_WORKFLOW_ROLLBACK',
      'ABORT_WORKFLOW',
    ]);
    expect(parsed.users.map((user) => user.id)).toEqual(['u1', 'u2']);
  });
});

describe('parseExport: REST shape (reference firstgen §3.3)', () => {
  it('reads internal words, filter discriminators and memberIds', () => {
    // Act
    const parsed = parseExport(
      groupExport({
        uuid: 'q2',
        name: 'K8S_Deployer',
        memberIds: ['u9'],
        accountPermissions: { permissions: ['CE_VIEWER'] },
        appPermissions: [
          {
            permissionType: 'DEPLOYMENT',
            appFilter: { type: 'AppFilter', filterType: 'SELECTED', ids: ['a1'] },
            entityFilter: { type: 'EnvFilter', filterTypes: ['NON_PROD'], ids: null },
            actions: ['EXECUTE_WORKFLOW_ROLLBACK'],
          },
          {
            permissionType: 'PIPELINE',
            appFilter: { type: 'AppFilter', filterType: 'SELECTED', ids: ['a1'] },
            entityFilter: { type: 'GenericEntityFilter', filterType: 'SELECTED', ids: ['p1'] },
            actions: ['READ'],
          },
        ],
      }),
    );
    // Assess
    const group = parsed.userGroups[0];
    expect(group).toMatchObject({ id: 'q2', memberIds: ['u9'], accountPermissions: ['CE_VIEWER'] });
    expect(group?.appPermissions[0]).toMatchObject({
      type: 'DEPLOYMENT',
      filter: { kind: 'TYPES', types: ['NON_PROD'] },
      actions: ['EXECUTE_WORKFLOW_ROLLBACK'],
    });
    expect(group?.appPermissions[1]).toMatchObject({
      type: 'PIPELINE',
      filter: { kind: 'SELECTED', ids: ['p1'] },
    });
  });
});

describe('parseExport: errors name the JSON path of the invalid value', () => {
  it.each([
    [{ accountId: 5 }, 'accountId'],
    [
      {
        accountId: 'a',
        applications: [
          { id: 'a1', name: 'x', environments: [{ id: 'e', name: 'e', environmentType: 'QA' }] },
        ],
      },
      'applications[0].environments[0].environmentType',
    ],
    [
      {
        accountId: 'a',
        userGroups: [
          { id: 'g', name: 'G', permissions: { accountPermissions: { accountPermissionTypes: [7] } } },
        ],
      },
      'userGroups[0].permissions.accountPermissions.accountPermissionTypes[0]',
    ],
    [
      {
        accountId: 'a',
        userGroups: [
          {
            id: 'g',
            name: 'G',
            permissions: {
              appPermissions: [
                { permissionType: 'ALL', applications: { filterType: 'ALL', appIds: ['x'] }, actions: [] },
              ],
            },
          },
        ],
      },
      'userGroups[0].permissions.appPermissions[0].applications.filterType',
    ],
    [
      {
        accountId: 'a',
        userGroups: [
          { id: 'g', name: 'G' },
          { id: 'g', name: 'H' },
        ],
      },
      'userGroups[1].id',
    ],
  ])('rejects %j at %s', (json, path) => {
    // Act
    let caught: unknown;
    try {
      parseExport(json);
    } catch (error) {
      caught = error;
    }
    // Assess
    expect(caught).toBeInstanceOf(ExportParseError);
    expect((caught as ExportParseError).path).toBe(path);
  });
});

describe('parseExport: values the reference does not list are left out with a note, never granted', () => {
  const permissions = {
    accountPermissions: { accountPermissionTypes: ['read_users_and_groups', 'MANAGE_SOMETHING_NEW'] },
    appPermissions: [
      { permissionType: 'ALL', applications: { filterType: 'ALL' }, actions: ['read', 'FLY'] },
      { permissionType: 'QUANTUM', applications: { filterType: 'ALL' }, actions: ['READ'] },
    ],
  };

  it('reads known words in any letter case and notes every unknown one by its path', () => {
    // Act
    const [group] = parseExport(groupExport({ id: 'g1', name: '', description: 5, permissions })).userGroups;
    // Assess
    expect(group?.accountPermissions).toEqual(['USER_PERMISSION_READ']);
    expect(group?.appPermissions).toEqual([
      { type: 'ALL_APP_ENTITIES', appFilter: { kind: 'ALL' }, actions: ['READ'] },
    ]);
    expect(group?.name).toBe('g1');
    expect(group?.description).toBeUndefined();
    expect(group?.ignored).toEqual([
      'userGroups[0].description: a description that is not text is left out',
      'userGroups[0].name: the group has no name, so it is named after its id',
      'userGroups[0].permissions.accountPermissions.accountPermissionTypes[1]: unknown account permission "MANAGE_SOMETHING_NEW" is not migrated',
      'userGroups[0].permissions.appPermissions[0].actions[1]: unknown action "FLY" is not migrated',
      'userGroups[0].permissions.appPermissions[1].permissionType: unknown application permission type "QUANTUM" is not migrated',
    ]);
  });

  it('holds no note for a group whose every value is known', () => {
    // Act
    const [group] = parseExport(
      groupExport({
        id: 'g1',
        name: 'G',
        permissions: { accountPermissions: { accountPermissionTypes: ['VIEW_AUDITS'] } },
      }),
    ).userGroups;
    // Assess
    expect(group?.ignored).toBeUndefined();
  });
});
