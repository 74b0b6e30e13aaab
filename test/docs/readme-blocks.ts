// Finds every ```ts block of every README and turns it into a module the doc test type-checks and runs.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * How a block is tested. Set with an HTML comment on the lines just above its fence (invisible on
 * GitHub and npm):
 * - (nothing): type-checked, then run against the mocks (`run-block.ts`).
 * - `<!-- doctest: typecheck-only -->`: type-checked, not run (it needs a live service, or it is a
 *   fragment meant to be read, such as an error-handling `catch`).
 * - `<!-- doctest: continues -->`: one module with the block before it (it uses that block's names);
 *   the chain is checked and run as one.
 * - `<!-- doctest: setup <code> -->`: a hidden line put before the block (an import, or a name the
 *   fragment assumes, e.g. `const { clientId, clientSecret } = …`). Repeatable.
 * - `<!-- doctest: declarations -->`: an API listing (`function f(...): T;`, interfaces,
 *   `declare module` augmentations). Checked as declarations, and each listed function must be
 *   assignable both ways to the real export of the README's package.
 * - `<!-- doctest: with-file <relative path> = <repository path> -->`: puts a repository file next
 *   to the block, for a relative import such as `./generated/norce.gen.ts`.
 * - `<!-- doctest: same-as <repository path> -->`: the block must equal that file, which is tested
 *   where it lives (an example's test, for instance).
 */
export type BlockMode = 'run' | 'typecheck-only' | 'declarations' | 'same-as';

export interface DocBlock {
  /** README path relative to the repository root, e.g. `packages/axios/README.md`. */
  readonly readme: string;
  /** 1-based line of the first code line in the README. */
  readonly line: number;
  readonly code: string;
  readonly mode: BlockMode;
  readonly continues: boolean;
  readonly setup: readonly string[];
  readonly withFiles: readonly { readonly path: string; readonly source: string }[];
  readonly sameAs: string | undefined;
}

/** A unit the test writes to one file: a block, or a chain of `continues` blocks. */
export interface DocModule {
  readonly id: string;
  readonly readme: string;
  readonly mode: BlockMode;
  readonly blocks: readonly DocBlock[];
  /** The module text: setup lines, then each block. */
  readonly text: string;
  /** For each line of `text` (0-based), the README line it came from, or 0 for setup lines. */
  readonly lineMap: readonly number[];
  readonly withFiles: readonly { readonly path: string; readonly source: string }[];
  readonly sameAs: string | undefined;
}

const MARKER = /^<!--\s*doctest:\s*(.*?)\s*-->\s*$/;

/** Parses one README's ```ts blocks with their markers. Throws on an unknown marker. */
export function parseReadme(readme: string, markdown: string): DocBlock[] {
  const lines = markdown.split('\n');
  const blocks: DocBlock[] = [];
  let markers: { text: string; line: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const marker = MARKER.exec(line.trim());
    if (marker) {
      markers.push({ text: marker[1]!, line: i + 1 });
      continue;
    }
    const fence = /^(\s*)(`{3,})(\S*)/.exec(line);
    if (!fence) {
      if (line.trim() !== '') markers = [];
      continue;
    }
    const [, indent, ticks, lang] = fence;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !lines[end]!.trimStart().startsWith(ticks!)) end++;
    if (lang === 'ts' || lang === 'typescript') {
      const code = lines
        .slice(start, end)
        .map((l) => (l.startsWith(indent!) ? l.slice(indent!.length) : l))
        .join('\n');
      blocks.push(blockOf(readme, start + 1, code, markers));
    } else if (markers.length > 0) {
      throw new Error(`${readme}:${i + 1}: doctest markers above a \`\`\`${lang} block`);
    }
    markers = [];
    i = end;
  }
  return blocks;
}

function blockOf(
  readme: string,
  line: number,
  code: string,
  markers: readonly { text: string; line: number }[],
): DocBlock {
  let mode: BlockMode = 'run';
  let continues = false;
  let sameAs: string | undefined;
  const setup: string[] = [];
  const withFiles: { path: string; source: string }[] = [];
  for (const { text: marker, line: markerLine } of markers) {
    const [word = '', ...rest] = marker.split(/\s+/);
    const argument = marker.slice(word.length).trim();
    if (word === 'typecheck-only' || word === 'declarations') mode = word;
    else if (word === 'continues') continues = true;
    else if (word === 'setup' && argument !== '') setup.push(argument);
    else if (word === 'same-as' && rest.length === 1) {
      mode = 'same-as';
      sameAs = argument;
    } else if (word === 'with-file' && rest.length === 3 && rest[1] === '=') {
      withFiles.push({ path: rest[0]!, source: rest[2]! });
    } else throw new Error(`${readme}:${markerLine}: unknown doctest marker '${marker}'`);
  }
  return { readme, line, code, mode, continues, setup, withFiles, sameAs };
}

/** Groups blocks into modules: a `continues` block joins the module of the block before it. */
export function modulesOf(blocks: readonly DocBlock[]): DocModule[] {
  const groups: DocBlock[][] = [];
  for (const block of blocks) {
    const previous = groups.at(-1);
    if (block.continues) {
      if (!previous || previous[0]!.readme !== block.readme) {
        throw new Error(`${block.readme}:${block.line}: 'continues' with no block before it`);
      }
      previous.push(block);
    } else groups.push([block]);
  }
  return groups.map((group) => {
    const first = group[0]!;
    const mode = group.reduce<BlockMode>((m, b) => (b.mode === 'run' ? m : b.mode), first.mode);
    const text: string[] = [];
    const lineMap: number[] = [];
    for (const block of group) {
      for (const line of block.setup) {
        text.push(line);
        lineMap.push(0);
      }
    }
    for (const block of group) {
      block.code.split('\n').forEach((line, offset) => {
        text.push(mode === 'declarations' ? declared(line) : line);
        lineMap.push(block.line + offset);
      });
    }
    const slug = first.readme.replace(/\/?README\.md$/, '').replace(/[^a-z0-9]+/gi, '-') || 'root';
    return {
      id: `${slug}-L${first.line}`,
      readme: first.readme,
      mode,
      blocks: group,
      text: `${text.join('\n')}\n`,
      lineMap,
      withFiles: group.flatMap((b) => b.withFiles),
      sameAs: first.sameAs,
    };
  });
}

/** `function f(…): T;` at the top level of an API listing becomes `declare function f(…): T;`. */
function declared(line: string): string {
  return /^(function|const|class) /.test(line) ? `declare ${line}` : line;
}

/** The names of the functions an API listing declares. */
export function declaredFunctions(module: DocModule): string[] {
  return [...module.text.matchAll(/^declare function (\w+)/gm)].map((m) => m[1]!);
}

/** Every README the doc test covers: the root one, and those of packages/* and examples/*. */
export function readmes(root: string): string[] {
  const found = ['README.md'];
  for (const folder of ['packages', 'examples']) {
    for (const name of readdirSync(join(root, folder)).sort()) {
      const path = join(root, folder, name, 'README.md');
      if (existsSync(path)) found.push(relative(root, path));
    }
  }
  return found;
}

/** The name of the package whose folder holds `readme`, if it is a package's README. */
export function packageOf(root: string, readme: string): string | undefined {
  const manifest = join(root, readme.replace(/README\.md$/, 'package.json'));
  if (readme === 'README.md' || !existsSync(manifest)) return undefined;
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { name: string }).name;
}
