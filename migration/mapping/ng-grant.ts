/** Which resources of one type a NextGen grant selects: all of them, those with an attribute value, or named ones. */
export type Selection =
  | { readonly kind: 'all' }
  | { readonly kind: 'attribute'; readonly name: string; readonly values: readonly string[] }
  | { readonly kind: 'ids'; readonly ids: readonly string[] };

/** One NextGen permission on a selection of one resource type, inside some scope. */
export interface NgGrant {
  readonly resourceType: string;
  readonly permission: string;
  readonly selection: Selection;
}

/** A canonical text of a selection (sorted values), used to group and hash. */
export function selectionKey(selection: Selection): string {
  switch (selection.kind) {
    case 'all':
      return '*';
    case 'attribute':
      return `@${selection.name}=${[...selection.values].sort().join(',')}`;
    case 'ids':
      return `#${[...selection.ids].sort().join(',')}`;
  }
}
