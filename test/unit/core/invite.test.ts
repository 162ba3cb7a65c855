import { describe, expect, it } from 'vitest';
import {
  acceptRefusal,
  canResend,
  cleanupAction,
  deletableAt,
  formatInviteToken,
  inviteStateAt,
  LINK_VALIDITY_MS,
  linkExpiresAt,
  newInviteId,
  newInviteSecret,
  nextCleanupAt,
  parseInviteToken,
  RESEND_WINDOW_MS,
  resendUntil,
} from '../../../functions/core/invite.js';
import { seatsAvailable } from '../../../functions/core/user.js';

const DAY = 24 * 3600 * 1000;
const T0 = 1_800_000_000_000;
const firstSend = { createdAt: T0, lastSentAt: T0 };

describe('invite lifecycle', () => {
  it('keeps the link valid for 7 days after the last send and allows resends for 30 days after the first', () => {
    // Prepare
    const resent = { createdAt: T0, lastSentAt: T0 + 29 * DAY };
    // Act + Assess
    expect(LINK_VALIDITY_MS).toBe(7 * DAY);
    expect(RESEND_WINDOW_MS).toBe(30 * DAY);
    expect(linkExpiresAt(firstSend)).toBe(T0 + 7 * DAY);
    expect(linkExpiresAt(resent)).toBe(T0 + 36 * DAY);
    expect(resendUntil(resent)).toBe(T0 + 30 * DAY);
  });

  it.each([
    [0, 'PENDING'],
    [7 * DAY - 1, 'PENDING'],
    [7 * DAY, 'EXPIRED'],
    [20 * DAY, 'EXPIRED'],
  ] as const)('is %i ms after the first send in state %s', (offset, state) => {
    expect(inviteStateAt(firstSend, T0 + offset)).toBe(state);
  });

  it.each([
    [29 * DAY, true],
    [30 * DAY - 1, true],
    [30 * DAY, false],
    [31 * DAY, false],
  ] as const)('at %i ms after the first send may be resent: %s', (offset, allowed) => {
    expect(canResend(firstSend, T0 + offset)).toBe(allowed);
  });

  it('becomes deletable only when it can neither be resent nor accepted', () => {
    // Prepare
    const lateResend = { createdAt: T0, lastSentAt: T0 + 29 * DAY };
    // Act + Assess
    expect(deletableAt(firstSend)).toBe(T0 + 30 * DAY);
    expect(deletableAt(lateResend)).toBe(T0 + 36 * DAY);
  });

  it.each([
    ['PENDING', 6 * DAY, 'NONE'],
    ['PENDING', 7 * DAY, 'EXPIRE'],
    ['EXPIRED', 8 * DAY, 'NONE'],
    ['PENDING', 30 * DAY, 'DELETE'],
    ['EXPIRED', 31 * DAY, 'DELETE'],
  ] as const)('the cleanup job does to a %s invite at +%i ms: %s', (state, offset, action) => {
    expect(cleanupAction({ ...firstSend, state }, T0 + offset)).toBe(action);
  });

  it('indexes a pending invite at its link expiry and an expired one at its deletion time', () => {
    expect(nextCleanupAt(firstSend, 'PENDING')).toBe(T0 + 7 * DAY);
    expect(nextCleanupAt(firstSend, 'EXPIRED')).toBe(T0 + 30 * DAY);
  });
});

describe('accepting', () => {
  const { secret, tokenHash } = newInviteSecret();
  const invite = { ...firstSend, tokenHash };

  it.each([
    ['the current secret within 7 days', secret, T0 + 7 * DAY - 1, undefined],
    ['the current secret after 7 days', secret, T0 + 7 * DAY, 'INVITE_EXPIRED'],
    ['another (superseded) secret', newInviteSecret().secret, T0, 'INVITE_INVALID'],
    ['another secret after 7 days', newInviteSecret().secret, T0 + 8 * DAY, 'INVITE_INVALID'],
  ] as const)('with %s is refused with %s', (_case, given, now, refusal) => {
    expect(acceptRefusal(invite, given, now)).toBe(refusal);
  });

  it('refuses an unknown invite as invalid', () => {
    expect(acceptRefusal(undefined, secret, T0)).toBe('INVITE_INVALID');
  });

  it('stores only a hash that differs from the secret', () => {
    expect(tokenHash).not.toContain(secret);
    expect(tokenHash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('invite tokens', () => {
  it('round-trips inv.<account>.<invite>.<secret>', () => {
    // Prepare
    const parts = { accountId: 'acme', inviteId: newInviteId(), secret: newInviteSecret().secret };
    // Act
    const raw = formatInviteToken(parts);
    // Assess
    expect(raw.startsWith('inv.acme.')).toBe(true);
    expect(parseInviteToken(raw)).toEqual(parts);
  });

  it.each([
    ['', 'empty'],
    ['sat.acme.id.secret', 'another prefix'],
    ['inv.acme.id', 'three parts'],
    ['inv.acme.id.secret.extra', 'five parts'],
    ['inv.ac#me.id.secret', 'a key separator'],
    ['inv..id.secret', 'an empty part'],
    [`inv.acme.id.${'x'.repeat(2000)}`, 'an oversized token'],
  ])('rejects %j (%s)', (raw) => {
    expect(parseInviteToken(raw)).toBeUndefined();
  });

  it('refuses to format parts that could not be read back', () => {
    expect(() => formatInviteToken({ accountId: 'a.b', inviteId: 'x', secret: 'y' })).toThrow();
  });
});

describe('seat limit', () => {
  it.each([
    [undefined, 1000, 5, true],
    [3, 2, 1, true],
    [3, 3, 1, false],
    [3, 2, 2, false],
    [0, 5, 0, true],
  ] as const)('max %s, in use %i, adding %i → %s', (max, inUse, adding, allowed) => {
    expect(seatsAvailable(max, inUse, adding)).toBe(allowed);
  });
});
