// Published READMEs and CHANGELOGs link only absolute URLs or anchors: the registry shows the
// README without the repository around it, and the tarball has no ../../ to point at.
// (The consumer test checks the same on the packed files.)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { linkTargets, relativeLinks } from './markdown-links.ts';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const published = readdirSync(join(root, 'packages'))
  .map((name) => join('packages', name))
  .filter((dir) => existsSync(join(root, dir, 'package.json')))
  .filter(
    (dir) => JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')).private !== true,
  );
const files = published.flatMap((dir) =>
  ['README.md', 'CHANGELOG.md']
    .map((name) => join(dir, name))
    .filter((file) => existsSync(join(root, file))),
);

describe('links in published Markdown', () => {
  it('finds the READMEs and CHANGELOGs of every published package', () => {
    expect(files.length).toBeGreaterThanOrEqual(2 * 10);
  });

  it.each(files)('%s links only absolute URLs and anchors', (file) => {
    expect(relativeLinks(readFileSync(join(root, file), 'utf8'))).toEqual([]);
  });

  it('sees inline, reference and HTML links, and ignores code', () => {
    const markdown = [
      '[a](../core) [b](https://x.test/y) [c](#usage) [d](./src/x.ts "title")',
      '[e]: ../../CONTRIBUTING.md',
      '<a href="docs/x.md">x</a> `[f](../not-a-link)`',
      '```md',
      '[g](../in-a-fence)',
      '```',
    ].join('\n');
    expect(linkTargets(markdown)).toEqual([
      '../core',
      'https://x.test/y',
      '#usage',
      './src/x.ts',
      '../../CONTRIBUTING.md',
      'docs/x.md',
    ]);
    expect(relativeLinks(markdown)).toEqual([
      '../core',
      './src/x.ts',
      '../../CONTRIBUTING.md',
      'docs/x.md',
    ]);
  });
});
