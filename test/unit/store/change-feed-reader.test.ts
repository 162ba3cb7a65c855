import { describe, expect, it } from 'vitest';
import { accountScope, organizationScope, projectScope } from '../../../functions/core/scope.js';
import { entityOfSk } from '../../../functions/store/readers/change-feed-reader.js';

describe('Function: entityOfSk', () => {
  it.each([
    ['ROLE#/ACCOUNT/a/ORGANIZATION/o#admin', 'ROLE', 'admin', organizationScope('a', 'o')],
    ['RG#/ACCOUNT/a#all', 'RESOURCE_GROUP', 'all', accountScope('a')],
    ['RA#/ACCOUNT/a/ORGANIZATION/o/PROJECT/p#ra1', 'ROLE_ASSIGNMENT', 'ra1', projectScope('a', 'o', 'p')],
    ['UG#/ACCOUNT/a#devs', 'USER_GROUP', 'devs', accountScope('a')],
    ['SCOPE#/ACCOUNT/a/ORGANIZATION/o', 'ORGANIZATION', 'o', accountScope('a')],
    ['SCOPE#/ACCOUNT/a/ORGANIZATION/o/PROJECT/p', 'PROJECT', 'p', organizationScope('a', 'o')],
    ['SA#bot', 'SERVICE_ACCOUNT', 'bot', accountScope('a')],
    ['APIKEY#SERVICE_ACCOUNT#bot#key', 'API_KEY', 'key', accountScope('a')],
    ['TOKEN#t1', 'TOKEN', 't1', accountScope('a')],
    ['USER#u1', 'USER', 'u1', accountScope('a')],
    ['INVITE#i1', 'INVITE', 'i1', accountScope('a')],
    ['MEMBER#u1#/ACCOUNT/a/ORGANIZATION/o', 'SCOPE_MEMBERSHIP', 'u1', organizationScope('a', 'o')],
    ['SETTINGS', 'ACCOUNT_SETTINGS', 'a', accountScope('a')],
    ['UGMEMBER#inc1#u1', 'USER_GROUP_MEMBER', 'u1', accountScope('a')],
  ])('names %s as %s %s', (sk, entityType, identifier, scope) => {
    // Act
    const entity = entityOfSk('a', sk);

    // Assess
    expect(entity).toEqual({ entityType, identifier, scope });
  });

  it('skips bookkeeping keys: the assignment uniqueness marker and the account META', () => {
    // Assess
    expect(entityOfSk('a', 'RAKEY#/ACCOUNT/a#role#rg#USER#-#u1')).toBeUndefined();
    expect(entityOfSk('a', 'META')).toBeUndefined();
  });
});
