import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The console's folder. */
export const CONSOLE_DIR = fileURLToPath(new URL('.', import.meta.url));

/** Where the built console is (git-ignored); the local server serves it at `/console/`. */
export const CONSOLE_DIST = join(CONSOLE_DIR, 'dist');

const REPO = join(CONSOLE_DIR, '..');
const HASH_FILE = '.build-hash';

/** The build's inputs: the console's sources and config, the bundled domain modules, the lock file. */
const INPUTS = [
  'console/index.html',
  'console/vite.config.ts',
  'console/src',
  'functions/core/permission-catalogue.ts',
  'functions/core/resource-types.ts',
  'functions/core/scope.ts',
  'package-lock.json',
];

async function filesUnder(path: string): Promise<string[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return [path];
  const entries = await readdir(path);
  const nested = await Promise.all(entries.sort().map((entry) => filesUnder(join(path, entry))));
  return nested.flat();
}

/** A hash of every input file's path and contents: the build is current when `dist` carries it. */
export async function inputHash(): Promise<string> {
  const hash = createHash('sha256');
  for (const input of INPUTS) {
    for (const file of await filesUnder(join(REPO, input))) {
      hash.update(relative(REPO, file));
      hash.update('\0');
      hash.update(await readFile(file));
      hash.update('\0');
    }
  }
  return hash.digest('hex');
}

async function builtHash(dir: string): Promise<string | undefined> {
  try {
    return (await readFile(join(dir, HASH_FILE), 'utf8')).trim();
  } catch {
    return undefined;
  }
}

const require = createRequire(import.meta.url);

/**
 * Builds the console with Vite into `outDir` (emptied first), e.g. a Lambda bundle's `console/`
 * folder. Vite runs in a child process with `NODE_ENV=production`: inside a test run (`NODE_ENV=test`)
 * Vite would compile JSX for React's development runtime.
 */
export async function buildConsoleInto(outDir: string): Promise<void> {
  const vitePackage = require.resolve('vite/package.json');
  const { bin } = JSON.parse(await readFile(vitePackage, 'utf8')) as { bin: { vite: string } };
  const args = [
    join(dirname(vitePackage), bin.vite),
    'build',
    '--config',
    join(CONSOLE_DIR, 'vite.config.ts'),
  ];
  await execFileAsync(
    process.execPath,
    [...args, '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    {
      cwd: CONSOLE_DIR,
      env: { ...process.env, NODE_ENV: 'production' },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
}

/**
 * Builds the console with Vite into `console/dist` unless it is current (same input hash), and
 * answers whether it built. The build goes to a fresh folder that then replaces `dist`, so a
 * concurrent start never serves half a build and two concurrent builds leave one whole one.
 */
export async function ensureConsoleBuilt(
  options: { force?: boolean; log?: (line: string) => void } = {},
): Promise<boolean> {
  const wanted = await inputHash();
  if (!options.force && (await builtHash(CONSOLE_DIST)) === wanted) return false;
  const started = Date.now();
  const outDir = await mkdtemp(join(CONSOLE_DIR, '.dist-'));
  try {
    await buildConsoleInto(outDir);
    await writeFile(join(outDir, HASH_FILE), `${wanted}\n`);
    if ((await builtHash(CONSOLE_DIST)) === wanted) return true;
    await rm(CONSOLE_DIST, { recursive: true, force: true });
    try {
      await rename(outDir, CONSOLE_DIST);
    } catch (error) {
      if ((await builtHash(CONSOLE_DIST)) !== wanted) throw error;
    }
    options.log?.(`Console built in ${Date.now() - started} ms`);
    return true;
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = process.argv.indexOf('--out');
  const target = out === -1 ? undefined : process.argv[out + 1];
  if (target) {
    await buildConsoleInto(target);
    process.exit(0);
  }
  const built = await ensureConsoleBuilt({
    force: process.argv.includes('--force'),
    log: (line) => process.stdout.write(`${line}\n`),
  });
  if (!built) process.stdout.write('Console is up to date\n');
}
