/** The items of an account partition by sort key, as the policy state holds them. */
export type AccountItemMap = ReadonlyMap<string, Record<string, unknown>>;
