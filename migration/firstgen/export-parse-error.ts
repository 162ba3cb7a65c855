/** An export file value that cannot be read; `path` names it (e.g. `userGroups[2].permissions.appPermissions[0].actions[1]`). */
export class ExportParseError extends Error {
  override readonly name = 'ExportParseError';
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
  }
}
