import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { accountScope, organizationScope, projectScope } from '../../../functions/core/scope.js';
import { accountSettingsItem } from '../../../functions/store/entities/account-settings.js';
import {
  apiKeyFromItem,
  apiKeyItem,
  tokenFromItem,
  tokenItem,
  tokenRecordFromItem,
} from '../../../functions/store/entities/credentials.js';
import { inviteFromItem, inviteItem } from '../../../functions/store/entities/invites.js';
import { policyEntityOfItem } from '../../../functions/store/entities/policy-entities.js';
import { customResourceGroupItem } from '../../../functions/store/entities/resource-groups.js';
import {
  roleAssignmentItem,
  roleAssignmentKeyItem,
} from '../../../functions/store/entities/role-assignments.js';
import { customRoleItem } from '../../../functions/store/entities/roles.js';
import { scopeItem, storedScopeFromItem } from '../../../functions/store/entities/scopes.js';
import {
  serviceAccountFromItem,
  serviceAccountItem,
} from '../../../functions/store/entities/service-accounts.js';
import {
  userGroupHeadFromItem,
  userGroupItem,
  userGroupMemberItem,
} from '../../../functions/store/entities/user-groups.js';
import { membershipItem, userFromItem, userItem } from '../../../functions/store/entities/users.js';
import {
  customResourceGroupAt,
  customRoleAt,
  roleAssignmentAt,
} from '../../../functions/store/readers/access-readers.js';
import { accountSettingsOf, membershipScopesOf } from '../../../functions/store/readers/user-readers.js';

/**
 * Golden items: a fixed value of every stored entity kind is built into a fixed item, and that item
 * decodes to fixed entities (the policy entity and the full record the management reads return).
 * The fixtures (`test/fixtures/golden-items/*.json`) were produced once by the codecs as they stood
 * before they moved into `functions/store/entities/`; a codec change that alters a stored item or
 * the order of its attributes, what an existing item decodes to, or the attribute order of a policy
 * entity (what a snapshot's policy part holds) fails here.
 */

const ACC = 'acc';
const account = accountScope(ACC);
const org = organizationScope(ACC, 'org');
const project = projectScope(ACC, 'org', 'prj');
const meta = { createdAt: 1_700_000_000_000, lastModifiedAt: 1_700_000_001_000, version: 7 };

/** One golden case: how to build the item, and every decoder that reads it. */
interface GoldenCase {
  readonly build?: () => Record<string, unknown>;
  readonly decoders: Readonly<Record<string, (item: Record<string, unknown>) => unknown>>;
}

function itemsOf(item: Record<string, unknown>): ReadonlyMap<string, Record<string, unknown>> {
  return new Map([[String(item.SK), item]]);
}

const policyEntity = (item: Record<string, unknown>) => policyEntityOfItem(ACC, item);

const cases: Readonly<Record<string, GoldenCase>> = {
  role: {
    build: () =>
      customRoleItem(
        ACC,
        {
          harnessManaged: false,
          scope: project,
          identifier: 'reader',
          name: 'Reader',
          description: 'Reads things',
          tags: { team: 'a', empty: '' },
          permissions: ['core_pipeline_view', 'core_pipeline_execute'],
          allowedScopeLevels: ['project'],
        },
        meta,
      ),
    decoders: { policyEntity, record: (item) => customRoleAt(itemsOf(item), project, 'reader') },
  },
  'role-minimal': {
    build: () =>
      customRoleItem(
        ACC,
        {
          harnessManaged: false,
          scope: account,
          identifier: 'plain',
          name: 'Plain',
          permissions: [],
          allowedScopeLevels: ['account', 'organization', 'project'],
        },
        meta,
      ),
    decoders: { policyEntity, record: (item) => customRoleAt(itemsOf(item), account, 'plain') },
  },
  'role-legacy-tag-map': {
    decoders: { policyEntity, record: (item) => customRoleAt(itemsOf(item), org, 'legacy') },
  },
  'resource-group': {
    build: () =>
      customResourceGroupItem(
        ACC,
        {
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
            { filter: 'INCLUDING_CHILD_SCOPES' },
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
        },
        meta,
      ),
    decoders: { policyEntity, record: (item) => customResourceGroupAt(itemsOf(item), org, 'some') },
  },
  'role-assignment': {
    build: () =>
      roleAssignmentItem(
        ACC,
        {
          identifier: 'ra-group',
          scope: project,
          roleIdentifier: 'reader',
          resourceGroupIdentifier: 'some',
          principal: { type: 'USER_GROUP', identifier: 'devs', scopeLevel: 'organization' },
          disabled: true,
          managed: true,
        },
        meta,
      ),
    decoders: { policyEntity, record: (item) => roleAssignmentAt(itemsOf(item), project, 'ra-group') },
  },
  'role-assignment-key': {
    build: () =>
      roleAssignmentKeyItem(ACC, {
        identifier: 'ra-user',
        scope: org,
        roleIdentifier: '_organization_viewer',
        resourceGroupIdentifier: '_all_organization_level_resources',
        principal: { type: 'USER', identifier: 'u1' },
        disabled: false,
        managed: false,
      }),
    decoders: { policyEntity },
  },
  'user-group': {
    build: () =>
      userGroupItem(
        ACC,
        {
          identifier: 'devs',
          scope: org,
          name: 'Developers',
          description: 'The developers',
          tags: { team: 'core' },
          harnessManaged: false,
          sso: { ssoLinked: true, linkedSsoId: 'sso1', linkedSsoType: 'SAML', ssoGroupName: 'Devs' },
          incarnation: 'inc0000000000001',
        },
        meta,
      ),
    decoders: { policyEntity, record: (item) => userGroupHeadFromItem(ACC, item) },
  },
  'user-group-minimal': {
    build: () =>
      userGroupItem(
        ACC,
        { identifier: 'ops', scope: account, name: 'Ops', incarnation: 'inc0000000000002' },
        meta,
      ),
    decoders: { policyEntity, record: (item) => userGroupHeadFromItem(ACC, item) },
  },
  'user-group-member': {
    build: () =>
      userGroupMemberItem(ACC, {
        groupScope: org,
        groupIdentifier: 'devs',
        incarnation: 'inc0000000000001',
        userId: 'u1',
      }),
    decoders: { policyEntity },
  },
  'service-account': {
    build: () =>
      serviceAccountItem(
        ACC,
        {
          identifier: 'bot',
          scope: project,
          name: 'Bot',
          email: 'bot@service.harness.io',
          description: 'Builds',
          tags: { ci: 'yes' },
        },
        meta,
      ),
    decoders: { policyEntity, record: (item) => serviceAccountFromItem(ACC, item) },
  },
  membership: {
    build: () => membershipItem(ACC, 'u1', project, meta),
    decoders: { policyEntity, scopes: (item) => membershipScopesOf(itemsOf(item), ACC, 'u1') },
  },
  'api-key': {
    build: () =>
      apiKeyItem(
        ACC,
        {
          identifier: 'ci_key',
          name: 'CI key',
          description: 'For CI',
          tags: { owner: 'ci' },
          apiKeyType: 'SERVICE_ACCOUNT',
          parentIdentifier: 'bot',
          scope: org,
          defaultTimeToExpireToken: 86_400_000,
        },
        meta,
      ),
    decoders: { policyEntity, record: (item) => apiKeyFromItem(ACC, item) },
  },
  token: {
    build: () =>
      tokenItem(
        ACC,
        {
          tokenId: 'tok1',
          identifier: 'ci_token',
          name: 'CI token',
          description: 'Rotated',
          tags: { rotated: 'true' },
          apiKeyIdentifier: 'ci_key',
          apiKeyType: 'USER',
          parentIdentifier: 'u1',
          scope: account,
          secretHash: 'b'.repeat(64),
          validFrom: 1_700_000_000_000,
          validTo: 1_800_000_000_000,
          scheduledExpireTime: 1_750_000_000_000,
        },
        meta,
      ),
    decoders: { policyEntity, token: tokenFromItem, record: tokenRecordFromItem },
  },
  user: {
    build: () =>
      userItem(ACC, { userId: 'u1', email: 'ann@example.com', status: 'ACTIVE', name: 'Ann' }, meta),
    decoders: { policyEntity, record: userFromItem },
  },
  invite: {
    build: () =>
      inviteItem(
        ACC,
        {
          inviteId: 'inv1',
          email: 'ann@example.com',
          userId: 'u1',
          scope: org,
          userGroups: ['devs'],
          roleBindings: [
            {
              roleIdentifier: '_organization_viewer',
              resourceGroupIdentifier: '_all_organization_level_resources',
            },
          ],
          createdAt: 1_700_000_000_000,
          lastSentAt: 1_700_000_500_000,
          state: 'PENDING',
          tokenHash: 'a'.repeat(64),
          invitedBy: 'SERVICE_ACCOUNT:admin',
        },
        { ...meta, createdAt: 1_700_000_000_000 },
      ),
    decoders: { policyEntity, record: (item) => inviteFromItem(ACC, item) },
  },
  scope: {
    build: () =>
      scopeItem(
        ACC,
        project,
        {
          name: 'Checkout',
          description: 'The checkout',
          tags: { tier: '1' },
          color: '#0063F7',
          modules: ['CD', 'CI'],
        },
        meta,
      ),
    decoders: { policyEntity, record: storedScopeFromItem },
  },
  'account-settings': {
    build: () => accountSettingsItem(ACC, { maxUsers: 50, auditRetentionMonths: 6 }, meta),
    decoders: { policyEntity, record: (item) => accountSettingsOf(itemsOf(item)) },
  },
};

interface GoldenFixture {
  readonly item: Record<string, unknown>;
  readonly decoded: Readonly<Record<string, unknown>>;
}

function fixture(name: string): GoldenFixture {
  return JSON.parse(
    readFileSync(new URL(`../../fixtures/golden-items/${name}.json`, import.meta.url), 'utf8'),
  );
}

/** The value with `undefined` written as the string `"<undefined>"` (JSON has no undefined). */
function comparable(value: unknown): unknown {
  return value === undefined ? '<undefined>' : value;
}

describe('golden items', () => {
  for (const [name, golden] of Object.entries(cases)) {
    const { item, decoded } = fixture(name);
    const { build } = golden;
    if (build) {
      it(`${name}: the builder produces the golden item, attribute for attribute and in order`, () => {
        // Act
        const built = build();
        // Assess
        expect(built).toStrictEqual(item);
        expect(JSON.stringify(built)).toBe(JSON.stringify(item));
      });
    }
    for (const [decoder, decode] of Object.entries(golden.decoders)) {
      it(`${name}: ${decoder} decodes the golden item to the golden value`, () => {
        // Act
        const value = comparable(decode(structuredClone(item)));
        // Assess
        expect(value).toStrictEqual(decoded[decoder]);
        if (decoder === 'policyEntity') expect(JSON.stringify(value)).toBe(JSON.stringify(decoded[decoder]));
      });
    }
  }
});
