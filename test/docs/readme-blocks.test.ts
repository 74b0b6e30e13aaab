// Docs that cannot rot: every ```ts block of every README is type-checked, and run against the mocks.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type DocModule,
  declaredFunctions,
  modulesOf,
  packageOf,
  parseReadme,
  readmes,
} from './readme-blocks.ts';

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// Inside the workspace (the `test` package), so the blocks' imports resolve like a user's would.
const out = join(root, 'test/docs/.generated');
const RUN_TIMEOUT_MS = 20_000;

const modules = readmes(root).flatMap((readme) =>
  modulesOf(parseReadme(readme, readFileSync(join(root, readme), 'utf8'))),
);
const fileOf = (module: DocModule): string => join(out, module.id, 'block.ts');
const where = (module: DocModule): string => `${module.readme}:${module.blocks[0]!.line}`;

function moduleText(module: DocModule): string {
  const pkg = packageOf(root, module.readme);
  const checks =
    module.mode === 'declarations' && pkg !== undefined
      ? [
          `import type * as __real from '${pkg}';`,
          'type __Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;',
          ...declaredFunctions(module).map(
            (name) => `const __same_${name}: __Same<typeof ${name}, typeof __real.${name}> = true;`,
          ),
        ]
      : [];
  return `${module.text}${checks.map((line) => `${line}\n`).join('')}export {};\n`;
}

/** tsc's diagnostics per generated file, with lines mapped back to the README. */
let diagnostics = new Map<string, string[]>();

beforeAll(async () => {
  rmSync(out, { recursive: true, force: true });
  for (const module of modules) {
    if (module.mode === 'same-as') continue;
    mkdirSync(join(out, module.id), { recursive: true });
    writeFileSync(fileOf(module), moduleText(module));
    for (const extra of module.withFiles) {
      const target = join(out, module.id, extra.path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, readFileSync(join(root, extra.source)));
    }
  }
  writeFileSync(
    join(out, 'tsconfig.json'),
    JSON.stringify({ extends: '../../../tsconfig.base.json', include: ['**/*.ts'] }),
  );
  const tsc = join(root, 'node_modules/.bin/tsc');
  const result = await run(tsc, ['-p', join(out, 'tsconfig.json'), '--pretty', 'false'], {
    cwd: root,
  }).catch((error: { stdout?: string; stderr?: string }) => error);
  diagnostics = new Map();
  const byFile = new Map(modules.map((m) => [resolve(fileOf(m)), m]));
  let last: string[] | undefined;
  for (const line of `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n')) {
    if (/^\s/.test(line) && last !== undefined) {
      // A continuation of the diagnostic above (overload details, related information).
      last.push(line.trim());
      continue;
    }
    const match = /^(.+?)\((\d+),(\d+)\): (.*)$/.exec(line.trim());
    if (!match) {
      if (line.trim() !== '') {
        last = diagnostics.get('(tsc)') ?? [];
        last.push(line);
        diagnostics.set('(tsc)', last);
      }
      continue;
    }
    const [, path, lineNo, column, message] = match;
    const module = byFile.get(resolve(root, path!));
    const key = module?.id ?? path!;
    const readmeLine = module?.lineMap[Number(lineNo) - 1];
    const at = module
      ? `${module.readme}:${readmeLine || `${module.blocks[0]!.line} (setup line)`}:${column}`
      : `${relative(root, path!)}:${lineNo}:${column}`;
    const list = diagnostics.get(key) ?? [];
    list.push(`${at}: ${message}`);
    diagnostics.set(key, list);
    last = list;
  }
}, 120_000);

describe('README TypeScript blocks', () => {
  it('finds the blocks of every README', () => {
    expect(modules.length).toBeGreaterThan(20);
    expect(new Set(modules.map((m) => m.readme))).toContain('packages/msw/README.md');
  });

  it('has no type errors outside the blocks (tsconfig, shared sources)', () => {
    const ids = new Set(modules.map((m) => m.id));
    const stray = [...diagnostics].filter(([key]) => !ids.has(key));
    expect(stray.flatMap(([, lines]) => lines)).toEqual([]);
  });

  const checked = modules.filter((m) => m.mode !== 'same-as');
  it.each(checked.map((m) => [where(m), m] as const))('%s type-checks', (_, module) => {
    expect(diagnostics.get(module.id) ?? [], `tsc on ${fileOf(module)}`).toEqual([]);
  });

  const runnable = modules.filter((m) => m.mode === 'run');
  it.concurrent.each(runnable.map((m) => [where(m), m] as const))(
    '%s runs against the mocks',
    async (_, module) => {
      const child = await run(
        process.execPath,
        ['--conditions=@authwire/source', join(root, 'test/docs/run-block.ts'), fileOf(module)],
        { cwd: root, timeout: RUN_TIMEOUT_MS, killSignal: 'SIGKILL' },
      ).catch((error: { code?: unknown; killed?: boolean; stdout?: string; stderr?: string }) => {
        const why = error.killed
          ? `did not exit within ${RUN_TIMEOUT_MS} ms (a timer or socket left open?)`
          : `exited with ${String(error.code)}`;
        throw new Error(`${where(module)} ${why}:\n${error.stderr ?? ''}${error.stdout ?? ''}`);
      });
      expect(child.stdout).toMatch(/^doctest-summary \{/m);
    },
    RUN_TIMEOUT_MS + 5_000,
  );

  const copies = modules.filter((m) => m.mode === 'same-as');
  it.each(copies.map((m) => [where(m), m] as const))('%s is its file, verbatim', (_, module) => {
    const file = readFileSync(join(root, module.sameAs!), 'utf8');
    expect(module.text.trimEnd(), `the block differs from ${module.sameAs}`).toBe(file.trimEnd());
  });
});

describe('README block markers', () => {
  const md = (body: string) => `# x\n\n${body}\n`;

  it('reads setup lines, continuation chains and modes', () => {
    const blocks = parseReadme(
      'x/README.md',
      md(
        [
          '<!-- doctest: setup const a = 1; -->',
          '```ts',
          'const b = a;',
          '```',
          'text',
          '<!-- doctest: continues -->',
          '<!-- doctest: typecheck-only -->',
          '```ts',
          'console.log(b);',
          '```',
        ].join('\n'),
      ),
    );
    expect(blocks.map((b) => [b.line, b.mode, b.continues])).toEqual([
      [5, 'run', false],
      [11, 'typecheck-only', true],
    ]);
    const [module] = modulesOf(blocks);
    expect(module?.text).toBe('const a = 1;\nconst b = a;\nconsole.log(b);\n');
    expect(module?.lineMap).toEqual([0, 5, 11]);
    expect(module?.mode).toBe('typecheck-only');
  });

  it('drops a marker that is not directly above a block', () => {
    const blocks = parseReadme(
      'x/README.md',
      md('<!-- doctest: typecheck-only -->\nsome text\n\n```ts\nx;\n```'),
    );
    expect(blocks[0]?.mode).toBe('run');
  });

  it('refuses an unknown marker, naming the README line', () => {
    expect(() => parseReadme('x/README.md', md('<!-- doctest: skip -->\n```ts\nx;\n```'))).toThrow(
      "x/README.md:3: unknown doctest marker 'skip'",
    );
  });

  it('refuses a continuation without a block before it', () => {
    const blocks = parseReadme('x/README.md', md('<!-- doctest: continues -->\n```ts\nx;\n```'));
    expect(() => modulesOf(blocks)).toThrow("'continues' with no block before it");
  });

  it('turns an API listing into declarations and lists its functions', () => {
    const blocks = parseReadme(
      'x/README.md',
      md(
        '<!-- doctest: declarations -->\n```ts\nfunction f(a: string): void;\ninterface I {}\n```',
      ),
    );
    const [module] = modulesOf(blocks);
    expect(module?.text).toBe('declare function f(a: string): void;\ninterface I {}\n');
    expect(declaredFunctions(module!)).toEqual(['f']);
  });
});
