import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  eventBridgeInviteDelivery,
  eventBridgeInviteNotifier,
  INVITE_EVENT_SOURCE,
} from '../../../../functions/api/management/invites/eventbridge-invite-notifier.js';
import {
  acceptUrlFor,
  type InviteSentMessage,
} from '../../../../functions/api/management/invites/invite-notifier.js';
import { organizationScope } from '../../../../functions/core/scope.js';

const message: InviteSentMessage = {
  to: 'ann@example.com',
  subject: 'You are invited',
  token: 'inv.acme.i1.secret',
  acceptUrl: 'https://app.example.com/accept?token=inv.acme.i1.secret',
  sentAt: '2027-01-01T00:00:00.000Z',
  inviteId: 'i1',
  scope: organizationScope('acme', 'default'),
};

describe('the EventBridge invite notifier', () => {
  const eventBridge = mockClient(EventBridgeClient);

  beforeEach(() => {
    eventBridge.reset();
  });

  it('puts one InviteSent event on the configured bus', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e1' }] });
    const notifier = eventBridgeInviteNotifier(new EventBridgeClient({ region: 'eu-west-1' }), 'invites-bus');
    // Act
    await notifier.send(message);
    // Assess
    const calls = eventBridge.commandCalls(PutEventsCommand);
    expect(calls).toHaveLength(1);
    const [entry] = calls[0]?.args[0].input.Entries ?? [];
    expect(entry).toMatchObject({
      EventBusName: 'invites-bus',
      Source: INVITE_EVENT_SOURCE,
      DetailType: 'InviteSent',
    });
    expect(JSON.parse(String(entry?.Detail))).toEqual({
      to: message.to,
      subject: message.subject,
      token: message.token,
      acceptUrl: message.acceptUrl,
      sentAt: message.sentAt,
      inviteId: 'i1',
      accountIdentifier: 'acme',
      orgIdentifier: 'default',
    });
  });

  it('rejects when EventBridge refuses the entry', async () => {
    // Prepare
    eventBridge
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'ThrottlingException' }] });
    const notifier = eventBridgeInviteNotifier(new EventBridgeClient({ region: 'eu-west-1' }), 'invites-bus');
    // Act + Assess
    await expect(notifier.send(message)).rejects.toThrow(/ThrottlingException/);
  });

  it('is configured from EVENT_BUS_NAME and INVITE_ACCEPT_URL', () => {
    // Act
    const delivery = eventBridgeInviteDelivery({
      EVENT_BUS_NAME: 'bus',
      INVITE_ACCEPT_URL: 'https://ui/accept',
    });
    // Assess
    expect(delivery.acceptUrlBase()).toBe('https://ui/accept');
    expect(() => eventBridgeInviteDelivery({})).toThrow(/EVENT_BUS_NAME/);
    expect(acceptUrlFor('https://ui/accept', 'inv.a.b.c+/')).toBe('https://ui/accept?token=inv.a.b.c%2B%2F');
    expect(acceptUrlFor('https://ui/accept?x=1', 't')).toBe('https://ui/accept?x=1&token=t');
  });
});
