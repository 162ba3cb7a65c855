import type { ServiceAccount } from '../../core/principal.js';
import type { ChangeOperation } from '../change-log.js';
import { ItemReader } from '../item-reader.js';
import {
  checkAccount,
  copyTags,
  type ItemMeta,
  metaAttributes,
  optional,
  type StoredItem,
  scopeAttributes,
  type Versioned,
} from '../items.js';
import { accountPk, ENTITY, serviceAccountSk } from '../keys.js';
import type { AccountItemMap } from './entity-items.js';

/** The service account entity: its key (SK `SA#<identifier>`), its item and its decoders, and the key-level operations. */

/** A service account with the fields the store keeps beyond the domain ones. */
export type StoredServiceAccount = ServiceAccount & {
  name: string;
  email: string;
  description?: string;
  tags?: Record<string, string>;
};

/** The item of a service account (SK `SA#<identifier>`). */
export function serviceAccountItem(accountId: string, sa: StoredServiceAccount, meta: ItemMeta): StoredItem {
  checkAccount(accountId, sa.scope, `Service account ${sa.identifier}`);
  return {
    PK: accountPk(accountId),
    SK: serviceAccountSk(sa.identifier),
    entity: ENTITY.ServiceAccount,
    ...scopeAttributes(sa.scope),
    identifier: sa.identifier,
    name: sa.name,
    email: sa.email,
    ...optional('description', sa.description),
    ...optional('tags', copyTags(sa.tags)),
    ...metaAttributes(meta),
  };
}

/** The policy entity of a `ServiceAccount` item of account `accountId`: who it is and where (throws `MalformedItemError`). */
export function serviceAccountPolicyFromItem(
  accountId: string,
  item: Record<string, unknown>,
): ServiceAccount {
  const reader = new ItemReader(item);
  return { identifier: reader.string('identifier'), scope: reader.ownScope(accountId) };
}

/** The full service account of a `ServiceAccount` item and its bookkeeping (throws `MalformedItemError`). */
export function serviceAccountFromItem(
  accountId: string,
  item: Record<string, unknown>,
): Versioned<StoredServiceAccount> {
  const reader = new ItemReader(item);
  reader.expectEntity(ENTITY.ServiceAccount);
  return {
    value: {
      identifier: reader.string('identifier'),
      scope: reader.ownScope(accountId),
      name: reader.string('name'),
      email: reader.string('email'),
      ...optional('description', reader.optionalString('description')),
      ...optional('tags', reader.tags('tags')),
    },
    meta: reader.meta(),
  };
}

/** The stored item of the service account `identifier`. */
export function findServiceAccountItem(
  items: AccountItemMap,
  identifier: string,
): Record<string, unknown> | undefined {
  return items.get(serviceAccountSk(identifier));
}

/** Whether the service account `identifier` is stored. */
export function hasServiceAccount(items: AccountItemMap, identifier: string): boolean {
  return items.has(serviceAccountSk(identifier));
}

/** The operation that deletes the service account `identifier`. */
export function serviceAccountDeletion(identifier: string): ChangeOperation {
  return { kind: 'delete', sk: serviceAccountSk(identifier) };
}
