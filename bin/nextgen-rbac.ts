#!/usr/bin/env -S node --import tsx
import { parseArgs } from 'node:util';

/** Exit codes of the CLI (DESIGN §9). */
export const EXIT = { ok: 0, failure: 1, usage: 2, broadenedAccess: 3 } as const;

const USAGE = `Usage: nextgen-rbac <command> [options]

Commands available in this version:
  help        show this text

Commands of DESIGN §9 that are not part of this version yet:
  serve, bootstrap, migrate plan|apply|verify|export
`;

const { positionals } = parseArgs({ allowPositionals: true, strict: false });
const [command] = positionals;

if (command === undefined || command === 'help') {
  process.stdout.write(USAGE);
  process.exit(EXIT.ok);
}
process.stderr.write(`nextgen-rbac: unknown or unavailable command '${command}'\n\n${USAGE}`);
process.exit(EXIT.usage);
