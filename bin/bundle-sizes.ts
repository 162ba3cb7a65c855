#!/usr/bin/env -S node --import tsx
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** One Lambda function of a synthesized template and the size of its bundle. */
export interface BundleSize {
  readonly function: string;
  readonly bytes: number;
}

interface TemplateResource {
  readonly Type: string;
  readonly Metadata?: Record<string, unknown>;
}

/**
 * The size of the minified bundle (`index.mjs`) of every Lambda function in the synthesized
 * templates of `assemblyDir` (default `cdk.out`), named by its construct path.
 */
export async function bundleSizes(assemblyDir = 'cdk.out'): Promise<BundleSize[]> {
  const templates = (await readdir(assemblyDir)).filter((name) => name.endsWith('.template.json'));
  const sizes: BundleSize[] = [];
  for (const name of templates) {
    const template = JSON.parse(await readFile(join(assemblyDir, name), 'utf8')) as {
      Resources: Record<string, TemplateResource>;
    };
    for (const resource of Object.values(template.Resources)) {
      const assetPath = resource.Metadata?.['aws:asset:path'];
      if (resource.Type !== 'AWS::Lambda::Function' || typeof assetPath !== 'string') continue;
      const { size } = await stat(join(assemblyDir, assetPath, 'index.mjs'));
      const path = String(resource.Metadata?.['aws:cdk:path'] ?? assetPath).replace(
        /\/Function\/Resource$/,
        '',
      );
      sizes.push({ function: path, bytes: size });
    }
  }
  return sizes;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const { function: name, bytes } of await bundleSizes(process.argv[2])) {
    process.stdout.write(`${name.padEnd(32)} ${(bytes / 1024).toFixed(1).padStart(8)} KB\n`);
  }
}
