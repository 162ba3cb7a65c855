import type { OrganizationScope, ProjectScope } from '../../../core/scope.js';
import type { StoredScope } from '../../../store/entities/scopes.js';

/** The identifier of the organization every account gets on creation (DESIGN §3.1). */
export const DEFAULT_ORGANIZATION_IDENTIFIER = 'default';

/** `data` of the organization endpoints (Harness `OrganizationResponse`). */
export interface OrganizationResponse {
  readonly organization: {
    readonly accountIdentifier: string;
    readonly identifier: string;
    readonly name: string;
    readonly description: string;
    readonly tags: Record<string, string>;
  };
  readonly createdAt: number;
  readonly lastModifiedAt: number;
  /** True only for the account's `default` organization, which the product created and keeps. */
  readonly harnessManaged: boolean;
}

/** `data` of the project endpoints (Harness `ProjectResponse`). */
export interface ProjectResponse {
  readonly project: {
    readonly accountIdentifier: string;
    readonly orgIdentifier: string;
    readonly identifier: string;
    readonly name: string;
    readonly description: string;
    readonly tags: Record<string, string>;
    readonly color?: string;
    readonly modules: string[];
  };
  readonly createdAt: number;
  readonly lastModifiedAt: number;
  readonly harnessManaged: false;
  /** Always false: favourites are a per-user UI preference this product does not keep. */
  readonly isFavorite: false;
}

/** The response of a stored organization; an absent description is `""`, absent tags `{}`. */
export function organizationResponse(stored: StoredScope<OrganizationScope>): OrganizationResponse {
  const { scope, details, meta } = stored;
  return {
    organization: {
      accountIdentifier: scope.accountIdentifier,
      identifier: scope.orgIdentifier,
      name: details.name,
      description: details.description ?? '',
      tags: { ...details.tags },
    },
    createdAt: meta.createdAt,
    lastModifiedAt: meta.lastModifiedAt,
    harnessManaged: scope.orgIdentifier === DEFAULT_ORGANIZATION_IDENTIFIER,
  };
}

/** The response of a stored project; an absent description is `""`, absent tags `{}`. */
export function projectResponse(stored: StoredScope<ProjectScope>): ProjectResponse {
  const { scope, details, meta } = stored;
  return {
    project: {
      accountIdentifier: scope.accountIdentifier,
      orgIdentifier: scope.orgIdentifier,
      identifier: scope.projectIdentifier,
      name: details.name,
      description: details.description ?? '',
      tags: { ...details.tags },
      ...(details.color === undefined ? {} : { color: details.color }),
      modules: [...(details.modules ?? [])],
    },
    createdAt: meta.createdAt,
    lastModifiedAt: meta.lastModifiedAt,
    harnessManaged: false,
    isFavorite: false,
  };
}
