import type {
  AttributeFilter,
  CustomResourceGroup,
  ResourceSelector,
  ScopeFilter,
  ScopeSelector,
} from '../resource-group.js';
import { isKnownResourceType } from '../resource-types.js';
import { isSelfOrAncestor, type Scope, sameScope, scopeFromParams } from '../scope.js';
import {
  compactErrors,
  type FieldError,
  fieldError,
  invalid,
  type Validation,
  valid,
} from './field-error.js';
import {
  BLANK_ERROR,
  isBlank,
  validateDescription,
  validateEntityIdentifier,
  validateEntityName,
  validateTags,
} from './identifier-rules.js';

/** One included scope as sent by a client (Harness `ScopeSelector`). */
export interface IncludedScopeInput {
  readonly filter: string;
  readonly accountIdentifier?: string | null;
  readonly orgIdentifier?: string | null;
  readonly projectIdentifier?: string | null;
}

/** An attribute filter as sent by a client. */
export interface AttributeFilterInput {
  readonly attributeName: string;
  readonly attributeValues: readonly string[];
}

/** One resource selector as sent by a client (Harness `ResourceSelectorV2`). */
export interface ResourceSelectorInput {
  readonly resourceType: string;
  readonly identifiers?: readonly string[] | null;
  readonly attributeFilter?: AttributeFilterInput | null;
}

/** A resource filter as sent by a client. */
export interface ResourceFilterInput {
  readonly includeAllResources?: boolean | null;
  readonly resources?: readonly ResourceSelectorInput[] | null;
}

/**
 * A custom resource group as sent by a client (the body of `{ resourceGroup: ResourceGroupV2 }`, without
 * its scope fields). `allowedScopeLevels` is accepted and ignored: the server sets it.
 */
export interface CustomResourceGroupInput {
  readonly identifier: string;
  readonly name: string;
  readonly description?: string | null;
  readonly color?: string | null;
  readonly tags?: Readonly<Record<string, string>> | null;
  readonly allowedScopeLevels?: readonly string[] | null;
  readonly includedScopes?: readonly IncludedScopeInput[] | null;
  readonly resourceFilter?: ResourceFilterInput | null;
}

/** Root of every field id reported here: the request wrapper's `resourceGroup` property. */
export const RESOURCE_GROUP_FIELD = 'resourceGroup';

/** Environment types accepted by an ENVIRONMENT `type` attribute filter (reference §5.4). */
export const ENVIRONMENT_TYPES = ['Production', 'PreProduction'] as const;

/** Connector categories accepted by a CONNECTOR `category` attribute filter (reference §5.4). */
export const CONNECTOR_CATEGORIES = [
  'CLOUD_PROVIDER',
  'SECRET_MANAGER',
  'CLOUD_COST',
  'ARTIFACTORY',
  'CODE_REPO',
  'MONITORING',
  'TICKETING',
] as const;

/** The attribute a resource type may be filtered on, and its accepted values (any non-empty string when absent). */
export interface SupportedAttributeFilter {
  readonly attributeName: string;
  readonly attributeValues?: readonly string[];
}

/** Attribute filters per resource type (reference §5.4, §8.3); other types accept none. */
export const SUPPORTED_ATTRIBUTE_FILTERS: Readonly<Record<string, SupportedAttributeFilter>> = {
  ENVIRONMENT: { attributeName: 'type', attributeValues: ENVIRONMENT_TYPES },
  CONNECTOR: { attributeName: 'category', attributeValues: CONNECTOR_CATEGORIES },
  FEATUREFLAG: { attributeName: 'tag' },
};

/** Error texts of reference §8.3. */
export const RESOURCE_GROUP_ERRORS = {
  managedIdentifier:
    'custom resource groups cannot start with _ (reserved for managed resource groups such as _all_resources_including_child_scopes)',
  includedScopeMismatch: 'Scope of included scopes does not match with the scope of resource group',
  includedScopeFilter: 'filter must be INCLUDING_CHILD_SCOPES or EXCLUDING_CHILD_SCOPES',
  allResourcesWithResources: 'Cannot provide specific resources when you include all resources',
  dynamicScopeIdentifiers: 'Cannot provide specific identifiers in resource filter for a dynamic scope',
  attributeFilterWithIdentifiers: 'Cannot provide specific resources when you include attribute filter',
  invalidAttributeFilter: 'Invalid attribute filter',
  accountResourceType: 'Resource type ACCOUNT cannot be selected in a resource group',
  identifierUpdateMismatch: 'Resource group identifier in the request body and the url do not match',
} as const;

/** Longest accepted color text. */
export const MAX_COLOR_LENGTH = 128;

const SCOPE_FILTERS: readonly string[] = ['INCLUDING_CHILD_SCOPES', 'EXCLUDING_CHILD_SCOPES'];

/** `resourceGroup.<path>`. */
function at(path: string): string {
  return `${RESOURCE_GROUP_FIELD}.${path}`;
}

/** The included scopes, checked against the group's scope; defaults to the group's own scope only. */
function checkIncludedScopes(
  inputs: readonly IncludedScopeInput[],
  scope: Scope,
  errors: FieldError[],
): ScopeSelector[] {
  if (inputs.length === 0) return [{ filter: 'EXCLUDING_CHILD_SCOPES', scope }];
  const selectors: ScopeSelector[] = [];
  inputs.forEach((input, index) => {
    const path = at(`includedScopes[${index}]`);
    const filterOk = SCOPE_FILTERS.includes(input.filter);
    if (!filterOk) errors.push(fieldError(`${path}.filter`, RESOURCE_GROUP_ERRORS.includedScopeFilter));
    const included = scopeFromParams(input);
    if (!included || !isSelfOrAncestor(scope, included)) {
      errors.push(fieldError(path, RESOURCE_GROUP_ERRORS.includedScopeMismatch));
    } else if (filterOk) {
      selectors.push({ filter: input.filter as ScopeFilter, scope: included });
    }
  });
  return selectors;
}

/**
 * True when specific identifiers may be selected: every included scope is exactly the group's own scope
 * with EXCLUDING_CHILD_SCOPES (a project has no children, so INCLUDING_CHILD_SCOPES counts there too).
 *
 * Harness overwrites its "static scope" flag once per included scope, so the *last* included scope
 * decides; we deliberately require *every* included scope to qualify, since identifiers are only
 * meaningful in the group's own scope.
 */
export function allowsSpecificIdentifiers(selectors: readonly ScopeSelector[], scope: Scope): boolean {
  return selectors.every(
    (selector) =>
      selector.scope !== undefined &&
      sameScope(selector.scope, scope) &&
      (selector.filter === 'EXCLUDING_CHILD_SCOPES' || scope.level === 'project'),
  );
}

/** The attribute filter, checked for the resource type; errors are reported under `path`. */
function checkAttributeFilter(
  resourceType: string,
  filter: AttributeFilterInput,
  path: string,
  errors: FieldError[],
): AttributeFilter | undefined {
  const supported = Object.hasOwn(SUPPORTED_ATTRIBUTE_FILTERS, resourceType)
    ? SUPPORTED_ATTRIBUTE_FILTERS[resourceType]
    : undefined;
  const { invalidAttributeFilter } = RESOURCE_GROUP_ERRORS;
  if (!supported || filter.attributeName !== supported.attributeName) {
    const expected = supported
      ? `${resourceType} can only be filtered on '${supported.attributeName}'`
      : `${resourceType} cannot be filtered by attribute`;
    errors.push(fieldError(`${path}.attributeName`, `${invalidAttributeFilter}: ${expected}`));
    return undefined;
  }
  if (filter.attributeValues.length === 0) {
    errors.push(
      fieldError(`${path}.attributeValues`, `${invalidAttributeFilter}: attributeValues ${BLANK_ERROR}`),
    );
    return undefined;
  }
  const before = errors.length;
  filter.attributeValues.forEach((value, index) => {
    const accepted = supported.attributeValues ? supported.attributeValues.includes(value) : !isBlank(value);
    if (!accepted) {
      const allowed = supported.attributeValues
        ? `one of ${supported.attributeValues.join(', ')}`
        : 'non-empty';
      errors.push(
        fieldError(
          `${path}.attributeValues[${index}]`,
          `${invalidAttributeFilter}: '${value}' is not a valid ${supported.attributeName}; it must be ${allowed}`,
        ),
      );
    }
  });
  if (errors.length > before) return undefined;
  return { attributeName: filter.attributeName, attributeValues: [...new Set(filter.attributeValues)] };
}

/** One resource selector, checked; `identifiersAllowed` says whether the group's scopes are static. */
function checkResourceSelector(
  input: ResourceSelectorInput,
  index: number,
  identifiersAllowed: boolean,
  errors: FieldError[],
): ResourceSelector | undefined {
  const path = at(`resourceFilter.resources[${index}]`);
  const { resourceType } = input;
  if (!isKnownResourceType(resourceType)) {
    errors.push(fieldError(`${path}.resourceType`, `Unknown resource type '${resourceType}'`));
    return undefined;
  }
  if (resourceType === 'ACCOUNT') {
    errors.push(fieldError(`${path}.resourceType`, RESOURCE_GROUP_ERRORS.accountResourceType));
    return undefined;
  }
  const before = errors.length;
  const identifiers = input.identifiers ?? [];
  identifiers.forEach((identifier, position) => {
    if (isBlank(identifier)) errors.push(fieldError(`${path}.identifiers[${position}]`, BLANK_ERROR));
  });
  if (identifiers.length > 0 && input.attributeFilter) {
    errors.push(fieldError(`${path}.attributeFilter`, RESOURCE_GROUP_ERRORS.attributeFilterWithIdentifiers));
  } else if (identifiers.length > 0 && !identifiersAllowed) {
    errors.push(fieldError(`${path}.identifiers`, RESOURCE_GROUP_ERRORS.dynamicScopeIdentifiers));
  }
  const attributeFilter = input.attributeFilter
    ? checkAttributeFilter(resourceType, input.attributeFilter, `${path}.attributeFilter`, errors)
    : undefined;
  if (errors.length > before) return undefined;
  return {
    resourceType,
    ...(identifiers.length > 0 ? { identifiers: [...new Set(identifiers)] } : {}),
    ...(attributeFilter ? { attributeFilter } : {}),
  };
}

/**
 * Validates a custom resource group to be created (or replaced) at `scope` (reference §5.4, §8.1, §8.3).
 * Field ids are rooted at `resourceGroup` (e.g. `resourceGroup.resourceFilter.resources[1].identifiers`).
 *
 * - identifier: entity identifier not starting with `_` (so neither a managed group nor `_all_resources`);
 *   name, description ≤1024, tags ≤128, color ≤128 characters;
 * - `allowedScopeLevels` is forced to `[scope.level]`;
 * - `includedScopes` default to `[{ EXCLUDING_CHILD_SCOPES, scope }]`; each must lie in the group's
 *   subtree (account group: same account; org group: the org or its projects; project group: itself);
 * - `includeAllResources` excludes specific resources; a resource type must be known and not ACCOUNT;
 *   identifiers exclude an attribute filter and need static scopes ({@link allowsSpecificIdentifiers});
 *   attribute filters must use the type's supported attribute with non-empty, accepted values.
 */
export function validateCustomResourceGroup(
  input: CustomResourceGroupInput,
  scope: Scope,
): Validation<CustomResourceGroup> {
  const errors = compactErrors(
    validateEntityIdentifier(at('identifier'), input.identifier) ??
      (input.identifier.startsWith('_')
        ? fieldError(at('identifier'), RESOURCE_GROUP_ERRORS.managedIdentifier)
        : undefined),
    validateEntityName(at('name'), input.name),
    validateDescription(at('description'), input.description),
    validateTags(at('tags'), input.tags),
    input.color != null && input.color.length > MAX_COLOR_LENGTH
      ? fieldError(at('color'), `cannot be longer than ${MAX_COLOR_LENGTH} characters`)
      : undefined,
  );
  const includedScopes = checkIncludedScopes(input.includedScopes ?? [], scope, errors);
  const includeAllResources = input.resourceFilter?.includeAllResources ?? false;
  const resourceInputs = input.resourceFilter?.resources ?? [];
  if (includeAllResources && resourceInputs.length > 0) {
    errors.push(fieldError(at('resourceFilter.resources'), RESOURCE_GROUP_ERRORS.allResourcesWithResources));
  }
  const identifiersAllowed = allowsSpecificIdentifiers(includedScopes, scope);
  const resources = resourceInputs.map((selector, index) =>
    checkResourceSelector(selector, index, identifiersAllowed, errors),
  );
  if (errors.length > 0) return invalid(errors);
  return valid({
    identifier: input.identifier,
    name: input.name,
    ...(typeof input.description === 'string' ? { description: input.description } : {}),
    ...(typeof input.color === 'string' ? { color: input.color } : {}),
    ...(input.tags ? { tags: { ...input.tags } } : {}),
    allowedScopeLevels: [scope.level],
    includedScopes,
    resourceFilter: {
      includeAllResources,
      resources: resources.filter((selector): selector is ResourceSelector => selector !== undefined),
    },
    harnessManaged: false,
    scope,
  });
}

/**
 * Validates the replacement of `existing` (found by `pathIdentifier`): the body identifier must equal the
 * path and the stored group, then every create rule applies at the group's own scope.
 */
export function validateResourceGroupUpdate(
  existing: CustomResourceGroup,
  input: CustomResourceGroupInput,
  pathIdentifier: string,
): Validation<CustomResourceGroup> {
  if (input.identifier !== pathIdentifier || input.identifier !== existing.identifier) {
    return invalid([fieldError(at('identifier'), RESOURCE_GROUP_ERRORS.identifierUpdateMismatch)]);
  }
  return validateCustomResourceGroup(input, existing.scope);
}
