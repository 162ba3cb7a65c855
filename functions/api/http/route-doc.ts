import type * as z from 'zod';

/** How one route is described in the OpenAPI document; the schemas are the very ones its handler parses with. */
export interface RouteDoc {
  /** One line saying what the route does. */
  readonly summary: string;
  /** The group the route is listed under. */
  readonly tag: string;
  /** The zod schema of the JSON body, when the route takes one. */
  readonly body?: z.core.$ZodType;
  /** The zod schema of route-specific query parameters, besides the scope and paging ones. */
  readonly query?: z.core.$ZodType;
  /** False for routes that need no `x-api-key` (default true). */
  readonly authenticated?: boolean;
  /** False for routes without the `accountIdentifier`/`orgIdentifier`/`projectIdentifier` scope query (default true). */
  readonly scoped?: boolean;
  /** True when `accountIdentifier` may be left out of the query (the account is then found in the token or the body). */
  readonly accountOptional?: boolean;
  /** True for list routes that take `pageIndex`, `pageSize` and `searchTerm`. */
  readonly paged?: boolean;
}
