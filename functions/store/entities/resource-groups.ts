import type {
  AttributeFilter,
  CustomResourceGroup,
  ResourceFilter,
  ResourceSelector,
  ScopeFilter,
  ScopeSelector,
} from '../../core/resource-group.js';
import type { Scope } from '../../core/scope.js';
import type { ChangeOperation } from '../change-log.js';
import { ItemReader } from '../item-reader.js';
import {
  checkAccount,
  copyTags,
  type ItemMeta,
  metaAttributes,
  optional,
  plainScope,
  type StoredItem,
  scopeAttributes,
} from '../items.js';
import { accountPk, ENTITY, resourceGroupSk } from '../keys.js';
import type { AccountItemMap } from './entity-items.js';

/**
 * The custom resource group entity: its key, its item and its decoder (scope selectors and the
 * resource filter as nested maps), and the key-level operations routes need.
 */

/** A copy of a resource selector without absent optional fields. */
function copyResourceSelector(selector: ResourceSelector): ResourceSelector {
  return {
    resourceType: selector.resourceType,
    ...optional('identifiers', selector.identifiers && [...selector.identifiers]),
    ...optional(
      'attributeFilter',
      selector.attributeFilter && {
        attributeName: selector.attributeFilter.attributeName,
        attributeValues: [...selector.attributeFilter.attributeValues],
      },
    ),
  };
}

/** A copy of a scope selector without an absent scope. */
function copyScopeSelector(selector: ScopeSelector): ScopeSelector {
  return { filter: selector.filter, ...optional('scope', selector.scope && plainScope(selector.scope)) };
}

/** The item of a custom resource group (SK `RG#<scopePath>#<identifier>`). */
export function customResourceGroupItem(
  accountId: string,
  group: CustomResourceGroup,
  meta: ItemMeta,
): StoredItem {
  checkAccount(accountId, group.scope, `Resource group ${group.identifier}`);
  return {
    PK: accountPk(accountId),
    SK: resourceGroupSk(group.scope, group.identifier),
    entity: ENTITY.ResourceGroup,
    ...scopeAttributes(group.scope),
    identifier: group.identifier,
    name: group.name,
    ...optional('description', group.description),
    ...optional('color', group.color),
    ...optional('tags', copyTags(group.tags)),
    allowedScopeLevels: [...group.allowedScopeLevels],
    includedScopes: group.includedScopes.map(copyScopeSelector),
    resourceFilter: {
      includeAllResources: group.resourceFilter.includeAllResources,
      resources: group.resourceFilter.resources.map(copyResourceSelector),
    },
    harnessManaged: false,
    ...metaAttributes(meta),
  };
}

function scopeSelectorOf(reader: ItemReader, name: string, value: unknown): ScopeSelector {
  const raw = reader.map(name, value);
  const filter = reader.string(`${name}.filter`, raw.filter);
  if (filter !== 'INCLUDING_CHILD_SCOPES' && filter !== 'EXCLUDING_CHILD_SCOPES') {
    reader.fail(`${name}.filter is not a scope filter`);
  }
  const scope = raw.scope === undefined ? undefined : reader.scope(`${name}.scope`, raw.scope);
  return { filter: filter as ScopeFilter, ...optional('scope', scope) };
}

function attributeFilterOf(reader: ItemReader, name: string, value: unknown): AttributeFilter | undefined {
  if (value === undefined) return undefined;
  const raw = reader.map(name, value);
  return {
    attributeName: reader.string(`${name}.attributeName`, raw.attributeName),
    attributeValues: reader.strings(`${name}.attributeValues`, raw.attributeValues),
  };
}

function resourceSelectorOf(reader: ItemReader, name: string, value: unknown): ResourceSelector {
  const raw = reader.map(name, value);
  return {
    resourceType: reader.string(`${name}.resourceType`, raw.resourceType),
    ...optional('identifiers', reader.optionalStrings(`${name}.identifiers`, raw.identifiers)),
    ...optional('attributeFilter', attributeFilterOf(reader, `${name}.attributeFilter`, raw.attributeFilter)),
  };
}

function resourceFilterOf(reader: ItemReader, name: string): ResourceFilter {
  const raw = reader.map(name);
  return {
    includeAllResources: reader.boolean(`${name}.includeAllResources`, raw.includeAllResources),
    resources: reader
      .list(`${name}.resources`, raw.resources)
      .map((entry, index) => resourceSelectorOf(reader, `${name}.resources[${index}]`, entry)),
  };
}

/**
 * The custom resource group of a `ResourceGroup` item of account `accountId` (its domain shape;
 * throws `MalformedItemError`).
 */
export function customResourceGroupFromItem(
  accountId: string,
  item: Record<string, unknown>,
): CustomResourceGroup {
  const reader = new ItemReader(item);
  return {
    identifier: reader.string('identifier'),
    name: reader.string('name'),
    ...optional('description', reader.optionalString('description')),
    ...optional('color', reader.optionalString('color')),
    ...optional('tags', reader.tags('tags')),
    allowedScopeLevels: reader.scopeLevels('allowedScopeLevels'),
    includedScopes: reader
      .list('includedScopes')
      .map((entry, index) => scopeSelectorOf(reader, `includedScopes[${index}]`, entry)),
    resourceFilter: resourceFilterOf(reader, 'resourceFilter'),
    harnessManaged: false,
    scope: reader.ownScope(accountId),
  };
}

/** The stored item of the custom resource group `identifier` of `scope`. */
export function findCustomResourceGroupItem(
  items: AccountItemMap,
  scope: Scope,
  identifier: string,
): Record<string, unknown> | undefined {
  return items.get(resourceGroupSk(scope, identifier));
}

/** Whether a custom resource group with `identifier` is stored at `scope`. */
export function hasCustomResourceGroup(items: AccountItemMap, scope: Scope, identifier: string): boolean {
  return items.has(resourceGroupSk(scope, identifier));
}

/** The operation that deletes the custom resource group `identifier` of `scope`. */
export function customResourceGroupDeletion(scope: Scope, identifier: string): ChangeOperation {
  return { kind: 'delete', sk: resourceGroupSk(scope, identifier) };
}
