// One Node range per package: the README states the range package.json's `engines` declares.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

interface Manifest {
  readonly name: string;
  readonly private?: boolean;
  readonly engines?: { readonly node?: string };
}

const published = readdirSync(join(root, 'packages'))
  .filter((name) => existsSync(join(root, 'packages', name, 'package.json')))
  .map((name) => ({
    dir: `packages/${name}`,
    manifest: JSON.parse(read(`packages/${name}/package.json`)) as Manifest,
  }))
  .filter(({ manifest }) => manifest.private !== true);

/** `>=20` → `20`; anything else is not a range we state as "Node ≥ x". */
function minimum(range: string | undefined): string | undefined {
  return /^>=(\d+(?:\.\d+)*)$/.exec(range ?? '')?.[1];
}

describe('Node ranges', () => {
  it.each(published.map((p) => [p.manifest.name, p] as const))(
    '%s: engines is one lower bound, and its README states it',
    (_, { dir, manifest }) => {
      const min = minimum(manifest.engines?.node);
      expect(min, `${dir}/package.json engines.node`).toBeDefined();
      expect(read(`${dir}/README.md`)).toContain(`Node ≥ ${min}`);
    },
  );

  it('the root README states the repository engines', () => {
    const min = minimum((JSON.parse(read('package.json')) as Manifest).engines?.node);
    expect(read('README.md')).toContain(`Node ≥ ${min}`);
  });
});
