import { describe, expect, it } from 'vitest';
import { LINK_VALIDITY_MS, RESEND_WINDOW_MS } from '../../../functions/core/invite.js';
import { organizationScope } from '../../../functions/core/scope.js';
import { accountSettingsItem } from '../../../functions/store/entities/account-settings.js';
import {
  INVITE_TTL_GRACE_SECONDS,
  inviteFromItem,
  inviteItem,
  type StoredInvite,
} from '../../../functions/store/entities/invites.js';
import { userFromItem, userItem } from '../../../functions/store/entities/users.js';
import { dueTimeKey, inviteDueGsi1Sk, inviteSk } from '../../../functions/store/keys.js';
import { seatsInUse } from '../../../functions/store/readers/user-readers.js';

const T0 = 1_800_000_000_000;
const META = { createdAt: T0, lastModifiedAt: T0, version: 1 };

const invite: StoredInvite = {
  inviteId: 'inv1',
  email: 'ann@example.com',
  userId: 'u1',
  scope: organizationScope('acme', 'default'),
  userGroups: ['devs'],
  roleBindings: [
    { roleIdentifier: '_organization_viewer', resourceGroupIdentifier: '_all_organization_level_resources' },
  ],
  createdAt: T0,
  lastSentAt: T0,
  state: 'PENDING',
  tokenHash: 'a'.repeat(64),
  invitedBy: 'SERVICE_ACCOUNT:admin',
};

describe('invite keys', () => {
  it('orders due keys by time as strings', () => {
    // Act
    const keys = [10, 9, 1_000_000_000_000_00, 100].map(dueTimeKey);
    // Assess
    expect([...keys].sort()).toEqual([9, 10, 100, 1_000_000_000_000_00].map(dueTimeKey));
  });

  it.each([-1, 1.5, 10 ** 15])('rejects the due time %d', (value) => {
    expect(() => dueTimeKey(value)).toThrow();
  });

  it('builds INVITE# and the due index key, refusing the separator', () => {
    expect(inviteSk('abc')).toBe('INVITE#abc');
    expect(inviteDueGsi1Sk(5, 'acme', 'abc')).toBe('000000000000005#acme#abc');
    expect(() => inviteSk('a#b')).toThrow();
  });
});

describe('invite item', () => {
  it('indexes a pending invite at its link expiry and round-trips through the reader', () => {
    // Act
    const item = inviteItem('acme', invite, META);
    // Assess
    expect(item.GSI1PK).toBe('INVITE_DUE');
    expect(item.GSI1SK).toBe(inviteDueGsi1Sk(T0 + LINK_VALIDITY_MS, 'acme', 'inv1'));
    expect(item.expiresAt).toBe(Math.floor((T0 + RESEND_WINDOW_MS) / 1000) + INVITE_TTL_GRACE_SECONDS);
    expect(inviteFromItem('acme', item)).toEqual({ value: invite, meta: META });
  });

  it('indexes an expired invite at its deletion time', () => {
    const item = inviteItem('acme', { ...invite, state: 'EXPIRED' }, META);
    expect(item.GSI1SK).toBe(inviteDueGsi1Sk(T0 + RESEND_WINDOW_MS, 'acme', 'inv1'));
  });

  it('refuses an invite of another account', () => {
    expect(() => inviteItem('other', invite, META)).toThrow();
  });
});

describe('users and seats', () => {
  it('round-trips a user and counts active users plus pending users with an invite', () => {
    // Prepare
    const active = userItem(
      'acme',
      { userId: 'a', email: 'a@example.com', status: 'ACTIVE', name: 'A' },
      META,
    );
    const invited = userItem('acme', { userId: 'u1', email: 'ann@example.com', status: 'PENDING' }, META);
    const orphan = userItem('acme', { userId: 'o', email: 'o@example.com', status: 'PENDING' }, META);
    const items = new Map(
      [active, invited, orphan, inviteItem('acme', invite, META)].map((item) => [item.SK, item] as const),
    );
    // Act + Assess
    expect(userFromItem(active).value).toEqual({
      userId: 'a',
      email: 'a@example.com',
      status: 'ACTIVE',
      name: 'A',
    });
    expect(seatsInUse(items, 'acme')).toBe(2);
  });

  it('refuses a negative seat limit', () => {
    expect(() => accountSettingsItem('acme', { maxUsers: -1 }, META)).toThrow();
    expect(accountSettingsItem('acme', {}, META)).not.toHaveProperty('maxUsers');
  });

  it('reads a malformed user as an error naming it', () => {
    const item = userItem('acme', { userId: 'a', email: 'a@example.com', status: 'ACTIVE' }, META);
    expect(() => userFromItem({ ...item, status: 'GONE' })).toThrow(/USER#a/);
  });
});
