// Where a built bundle's bytes go: splits packages/<pkg>/dist/index.js at tsdown's `// src/<file>.ts`
// markers and reports each source file's minified and min+gzip weight, so size-limit overruns can be
// traced to a file. Run after `pnpm build`: `node scripts/size-breakdown.mjs [core]`.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = process.argv[2] ?? 'core';
const source = readFileSync(join(root, 'packages', pkg, 'dist', 'index.js'), 'utf8');

// rolldown is not a root dependency; borrow the copy tsdown uses (same minifier as size-limit's).
const fromTsdown = createRequire(createRequire(join(root, 'package.json')).resolve('tsdown'));
const { minifySync } = await import(pathToFileURL(fromTsdown.resolve('rolldown/utils')).href);

// Every fragment is minified as a module exporting all its top-level names, so nothing is dropped as
// unused and whole, alone and without-one measurements are comparable.
const topLevel = /^(?:async\s+)?(?:function\*?|const|let|var|class)\s+([\w$]+)/gm;
const minified = (code) => {
  const body = code.replace(/^export \{[^}]*\};?$/gm, '');
  const names = [...body.matchAll(topLevel)].map((m) => m[1]);
  return minifySync('chunk.js', `${body}\nexport { ${names.join(', ')} };`, {
    compress: true,
    mangle: true,
  }).code;
};
const gz = (code) => gzipSync(code, { level: 9 }).length;

const chunks = [];
let current = { file: '(prelude)', code: '' };
for (const line of source.split('\n')) {
  const marker = /^\/\/ (src\/\S+)$/.exec(line);
  if (marker) {
    chunks.push(current);
    current = { file: marker[1], code: '' };
  } else {
    current.code += `${line}\n`;
  }
}
chunks.push(current);

// Marginal gzip = what removing the chunk
// from the whole minified bundle saves, which accounts for gzip's shared dictionary.
const whole = minified(source);
const wholeGz = gz(whole);
const rows = chunks
  .filter((c) => c.code.trim() && !/^export \{/.test(c.code.trim()))
  .map((c) => {
    const alone = minified(c.code);
    const rest = chunks
      .filter((o) => o !== c)
      .map((o) => o.code)
      .join('\n');
    return {
      file: c.file,
      min: alone.length,
      gzip: gz(alone),
      marginalGzip: wholeGz - gz(minified(rest)),
    };
  })
  .sort((a, b) => b.marginalGzip - a.marginalGzip);

console.log(
  `packages/${pkg}/dist/index.js: ${source.length} B raw, ${whole.length} B min, ${wholeGz} B min+gzip`,
);
console.log(
  'file'.padEnd(28),
  'min B'.padStart(7),
  'gzip B'.padStart(7),
  'marginal gzip B'.padStart(16),
);
for (const r of rows) {
  console.log(
    r.file.padEnd(28),
    String(r.min).padStart(7),
    String(r.gzip).padStart(7),
    String(r.marginalGzip).padStart(16),
  );
}
