/**
 * A list-valued query parameter as Harness's clients send it: repeated (`identifiers=a&identifiers=b`,
 * joined with `,` by API Gateway and the local server), comma-separated, or in the bracket form of
 * the `qs` library the ng-manager client uses (`identifiers[0]=a&identifiers[1]=b`, or `identifiers[]=a`).
 * Empty entries are dropped; an absent parameter is an empty list.
 */
export function queryList(query: Record<string, string>, name: string): string[] {
  const values: string[] = [];
  const indexed: [number, string][] = [];
  for (const [key, value] of Object.entries(query)) {
    if (key === name || key === `${name}[]`) values.push(value);
    const match = key.startsWith(`${name}[`) ? /^\[(\d+)\]$/.exec(key.slice(name.length)) : null;
    if (match) indexed.push([Number(match[1]), value]);
  }
  indexed.sort((a, b) => a[0] - b[0]);
  return [...values, ...indexed.map(([, value]) => value)]
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '');
}
