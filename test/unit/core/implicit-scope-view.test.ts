import { describe, expect, it } from 'vitest';
import {
  IMPLICIT_SCOPE_VIEW_PERMISSIONS,
  implicitScopeViewPermissions,
} from '../../../functions/core/implicit-scope-view.js';

describe('IMPLICIT_SCOPE_VIEW_PERMISSIONS', () => {
  it.each([
    ['account', true, ['core_account_view', 'core_organization_view', 'core_project_view']],
    ['account', false, ['core_account_view']],
    ['organization', true, ['core_organization_view', 'core_project_view']],
    ['organization', false, ['core_organization_view']],
    ['project', true, ['core_project_view']],
    ['project', false, ['core_project_view']],
  ] as const)('at %s with includingChildScopes=%s grants %j', (level, including, expected) => {
    expect(implicitScopeViewPermissions(level, including)).toEqual(expected);
    expect(IMPLICIT_SCOPE_VIEW_PERMISSIONS(level, including)).toEqual(expected);
  });
});
