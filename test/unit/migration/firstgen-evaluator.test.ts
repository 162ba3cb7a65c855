import { describe, expect, it } from 'vitest';
import { FirstGenAccess } from '../../../migration/firstgen/firstgen-evaluator.js';
import type { AppPermission, FgApplication, FgUserGroup } from '../../../migration/firstgen/model.js';

const APP: FgApplication = {
  id: 'a1',
  name: 'App',
  services: [{ id: 's1', name: 's1' }],
  provisioners: [],
  templates: [],
  environments: [
    { id: 'prod', name: 'prod', environmentType: 'PROD' },
    { id: 'qa', name: 'qa', environmentType: 'NON_PROD' },
  ],
  workflows: [
    { id: 'wProd', name: 'wProd', envId: 'prod', templatized: false },
    { id: 'wQa', name: 'wQa', envId: 'qa', templatized: false },
    { id: 'wBuild', name: 'wBuild', templatized: false },
    { id: 'wTpl', name: 'wTpl', templatized: true },
  ],
  pipelines: [
    {
      id: 'pQa',
      name: 'pQa',
      stages: [{ type: 'DEPLOYMENT', workflowId: 'wQa', envId: 'qa' }, { type: 'APPROVAL' }],
    },
    {
      id: 'pMixed',
      name: 'pMixed',
      stages: [
        { type: 'DEPLOYMENT', workflowId: 'wQa', envId: 'qa' },
        { type: 'DEPLOYMENT', workflowId: 'wProd', envId: 'prod' },
      ],
    },
    { id: 'pEmpty', name: 'pEmpty', stages: [] },
    { id: 'pBroken', name: 'pBroken', stages: [{ type: 'DEPLOYMENT' }] },
  ],
};
const OTHER: FgApplication = { ...APP, id: 'a2', name: 'Other' };

function access(...permissions: AppPermission[]): FirstGenAccess {
  const group: FgUserGroup = {
    id: 'g',
    name: 'g',
    memberIds: [],
    accountPermissions: [],
    appPermissions: permissions,
  };
  return new FirstGenAccess([group], [APP, OTHER]);
}

const NON_PROD = { kind: 'TYPES', types: ['NON_PROD'] } as const;
const PROD = { kind: 'TYPES', types: ['PROD'] } as const;

describe('FirstGen evaluator (reference firstgen §4)', () => {
  it('applies SELECTED, ALL and EXCLUDE_SELECTED app filters against the current apps (§4.2)', () => {
    const read = (appFilter: AppPermission['appFilter']) =>
      access({ type: 'SERVICE', appFilter, filter: { kind: 'ALL' }, actions: ['READ'] });
    expect(read({ kind: 'SELECTED', ids: ['a1'] }).canActOnEntity(OTHER, 'SERVICE', 's1', 'READ')).toBe(
      false,
    );
    expect(read({ kind: 'ALL' }).canActOnEntity(OTHER, 'SERVICE', 's1', 'READ')).toBe(true);
    expect(read({ kind: 'EXCLUDE_SELECTED', ids: ['a1'] }).canActOnEntity(APP, 'SERVICE', 's1', 'READ')).toBe(
      false,
    );
    expect(
      read({ kind: 'EXCLUDE_SELECTED', ids: ['a1'] }).canActOnEntity(OTHER, 'SERVICE', 's1', 'READ'),
    ).toBe(true);
  });

  it('unions permissions and ignores a permission without actions (§4.1, §4.4)', () => {
    const user = access(
      { type: 'SERVICE', appFilter: { kind: 'ALL' }, filter: { kind: 'ALL' }, actions: [] },
      {
        type: 'SERVICE',
        appFilter: { kind: 'ALL' },
        filter: { kind: 'SELECTED', ids: ['s1'] },
        actions: ['DELETE'],
      },
    );
    expect(user.canActOnEntity(APP, 'SERVICE', 's1', 'READ')).toBe(false);
    expect(user.canActOnEntity(APP, 'SERVICE', 's1', 'DELETE')).toBe(true);
  });

  it('treats CREATE as an app-level flag limited by environment type for environments (§4.4)', () => {
    const user = access({ type: 'ENV', appFilter: { kind: 'ALL' }, filter: NON_PROD, actions: ['CREATE'] });
    expect(user.canCreate(APP, 'ENV', 'NON_PROD')).toBe(true);
    expect(user.canCreate(APP, 'ENV', 'PROD')).toBe(false);
    expect(user.canActOnEntity(APP, 'ENV', 'qa', 'UPDATE')).toBe(false);
  });

  it('covers env-less build workflows under every environment filter, templatised ones only with TEMPLATES (§4.6)', () => {
    const byEnv = (templates: boolean) =>
      access({
        type: 'WORKFLOW',
        appFilter: { kind: 'ALL' },
        filter: { kind: 'BY_ENV', types: ['PROD'], envIds: [], templates },
        actions: ['READ'],
      });
    expect(byEnv(false).canActOnEntity(APP, 'WORKFLOW', 'wBuild', 'READ')).toBe(true);
    expect(byEnv(false).canActOnEntity(APP, 'WORKFLOW', 'wProd', 'READ')).toBe(true);
    expect(byEnv(false).canActOnEntity(APP, 'WORKFLOW', 'wQa', 'READ')).toBe(false);
    expect(byEnv(false).canActOnEntity(APP, 'WORKFLOW', 'wTpl', 'READ')).toBe(false);
    expect(byEnv(true).canActOnEntity(APP, 'WORKFLOW', 'wTpl', 'READ')).toBe(true);
  });

  it('covers a pipeline only when every stage passes; approvals and empty pipelines pass, workflow-less stages fail (§4.7)', () => {
    const nonProd = access({
      type: 'PIPELINE',
      appFilter: { kind: 'ALL' },
      filter: { kind: 'BY_ENV', types: ['NON_PROD'], envIds: [] },
      actions: ['READ'],
    });
    expect(nonProd.canActOnEntity(APP, 'PIPELINE', 'pQa', 'READ')).toBe(true);
    expect(nonProd.canActOnEntity(APP, 'PIPELINE', 'pMixed', 'READ')).toBe(false);
    expect(nonProd.canActOnEntity(APP, 'PIPELINE', 'pEmpty', 'READ')).toBe(true);
    expect(nonProd.canActOnEntity(APP, 'PIPELINE', 'pBroken', 'READ')).toBe(false);
  });

  it('passes a mixed pipeline when another environment-based permission with the action covers the other stage (§4.7)', () => {
    const both = access(
      {
        type: 'PIPELINE',
        appFilter: { kind: 'ALL' },
        filter: { kind: 'BY_ENV', types: ['NON_PROD'], envIds: [] },
        actions: ['READ'],
      },
      {
        type: 'PIPELINE',
        appFilter: { kind: 'ALL' },
        filter: { kind: 'BY_ENV', types: ['PROD'], envIds: [] },
        actions: ['READ', 'UPDATE'],
      },
    );
    expect(both.canActOnEntity(APP, 'PIPELINE', 'pMixed', 'READ')).toBe(true);
    expect(both.canActOnEntity(APP, 'PIPELINE', 'pMixed', 'UPDATE')).toBe(false);
  });

  it('grants execution only through Deployments, per action and target environment (§4.8)', () => {
    const crudOnly = access({
      type: 'WORKFLOW',
      appFilter: { kind: 'ALL' },
      filter: { kind: 'ALL' },
      actions: ['READ', 'UPDATE'],
    });
    expect(crudOnly.canExecuteWorkflow(APP, 'wQa', 'EXECUTE_WORKFLOW', 'qa')).toBe(false);
    const deployer = access({
      type: 'DEPLOYMENT',
      appFilter: { kind: 'ALL' },
      filter: NON_PROD,
      actions: ['EXECUTE_WORKFLOW', 'EXECUTE_PIPELINE'],
    });
    expect(deployer.canExecuteWorkflow(APP, 'wQa', 'EXECUTE_WORKFLOW', 'qa')).toBe(true);
    expect(deployer.canExecuteWorkflow(APP, 'wProd', 'EXECUTE_WORKFLOW', 'prod')).toBe(false);
    expect(deployer.canExecuteWorkflow(APP, 'wQa', 'EXECUTE_WORKFLOW_ROLLBACK', 'qa')).toBe(false);
    expect(deployer.canExecuteWorkflow(APP, 'wBuild', 'EXECUTE_WORKFLOW')).toBe(true);
    expect(deployer.canExecuteWorkflow(APP, 'wTpl', 'EXECUTE_WORKFLOW', 'qa')).toBe(true);
    expect(deployer.canExecuteWorkflow(APP, 'wTpl', 'EXECUTE_WORKFLOW', 'prod')).toBe(false);
    expect(deployer.canExecutePipeline(APP, 'pQa')).toBe(true);
    expect(deployer.canExecutePipeline(APP, 'pMixed')).toBe(false);
    const prodToo = access(
      { type: 'DEPLOYMENT', appFilter: { kind: 'ALL' }, filter: NON_PROD, actions: ['EXECUTE_PIPELINE'] },
      { type: 'DEPLOYMENT', appFilter: { kind: 'ALL' }, filter: PROD, actions: ['EXECUTE_PIPELINE'] },
    );
    expect(prodToo.canExecutePipeline(APP, 'pMixed')).toBe(true);
  });

  it('restricts pipeline execution to the named pipelines of an executable-element filter (§4.8)', () => {
    const named = access({
      type: 'DEPLOYMENT',
      appFilter: { kind: 'ALL' },
      filter: NON_PROD,
      executables: { elementType: 'PIPELINE', filter: { kind: 'SELECTED', ids: ['pEmpty'] } },
      actions: ['EXECUTE_PIPELINE', 'EXECUTE_WORKFLOW'],
    });
    expect(named.canExecutePipeline(APP, 'pEmpty')).toBe(true);
    expect(named.canExecutePipeline(APP, 'pQa')).toBe(false);
    expect(named.canExecuteWorkflow(APP, 'wQa', 'EXECUTE_WORKFLOW', 'qa')).toBe(false);
  });

  it('unions account permissions with their implications', () => {
    const group: FgUserGroup = {
      id: 'g',
      name: 'g',
      memberIds: [],
      accountPermissions: ['MANAGE_USER_AND_USER_GROUPS_AND_API_KEYS'],
      appPermissions: [],
    };
    const user = new FirstGenAccess([group], []);
    expect(user.hasAccountPermission('USER_PERMISSION_READ')).toBe(true);
    expect(user.hasAccountPermission('MANAGE_API_KEYS')).toBe(true);
    expect(user.hasAccountPermission('AUDIT_VIEWER')).toBe(false);
  });
});
