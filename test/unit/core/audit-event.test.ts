import { describe, expect, it } from 'vitest';
import { auditEventsOf, redactedItem } from '../../../functions/core/audit-event.js';

const ORG = { level: 'organization', accountIdentifier: 'acc', orgIdentifier: 'o1' };

describe('Function: auditEventsOf', () => {
  it.each([
    ['create', { entity: 'Role', identifier: 'r', scope: ORG }, 'CREATE', 'ROLE', 'r'],
    ['replace', { entity: 'UserGroup', identifier: 'g', scope: ORG }, 'UPDATE', 'USER_GROUP', 'g'],
    ['delete', { entity: 'Token', identifier: 't', scope: ORG }, 'REVOKE_TOKEN', 'TOKEN', 't'],
    ['create', { entity: 'Token', identifier: 't', scope: ORG }, 'CREATE_TOKEN', 'TOKEN', 't'],
    ['create', { entity: 'Membership', userId: 'u', scope: ORG }, 'ADD_MEMBERSHIP', 'USER', 'u'],
    ['create', { entity: 'Invite', email: 'a@b.c', userId: 'u', scope: ORG }, 'INVITE', 'USER', 'a@b.c'],
    [
      'replace',
      { entity: 'Invite', email: 'a@b.c', userId: 'u', scope: ORG },
      'RESEND_INVITE',
      'USER',
      'a@b.c',
    ],
    [
      'create',
      { entity: 'Scope', scope: { ...ORG, level: 'project', projectIdentifier: 'p' } },
      'CREATE',
      'PROJECT',
      'p',
    ],
  ] as const)('maps a %s of %j to %s %s', (kind, item, action, resourceType, identifier) => {
    // Act
    const [event] = auditEventsOf('acc', [
      kind === 'delete' ? { kind, before: item } : { kind, after: item },
    ]);
    // Assess
    expect(event).toMatchObject({ action, resourceType, identifier });
  });

  it('gives nothing for unaudited entities and the account scope itself', () => {
    // Act
    const events = auditEventsOf('acc', [
      { kind: 'create', after: { entity: 'RoleAssignmentKey', scope: ORG } },
      { kind: 'create', after: { entity: 'Scope', scope: { level: 'account', accountIdentifier: 'acc' } } },
      { kind: 'replace', after: { entity: 'AccountSettings' } },
    ]);
    // Assess
    expect(events).toEqual([]);
  });

  it('puts a user without a scope at the account, and labels the invite an accept consumes', () => {
    // Act
    const events = auditEventsOf('acc', [
      {
        kind: 'replace',
        before: { entity: 'User', userId: 'u', status: 'PENDING' },
        after: { entity: 'User', userId: 'u', status: 'ACTIVE' },
      },
      { kind: 'delete', before: { entity: 'Invite', email: 'a@b.c', userId: 'u', scope: ORG } },
    ]);
    // Assess
    expect(events[0]).toMatchObject({
      action: 'UPDATE',
      scope: { level: 'account', accountIdentifier: 'acc' },
    });
    expect(events[1]).toMatchObject({ action: 'REVOKE_INVITE', labels: { outcome: 'ACCEPTED' } });
  });
});

describe('Function: redactedItem', () => {
  it('drops keys, index attributes, TTLs, secrets and hashes', () => {
    // Act
    const shown = redactedItem({
      PK: 'p',
      SK: 's',
      GSI1PK: 'g',
      entity: 'Token',
      expiresAt: 1,
      secretHash: 'h',
      tokenHash: 'h',
      identifier: 't',
    });
    // Assess
    expect(shown).toEqual({ identifier: 't' });
  });
});
