// The real consumer path: `pnpm pack` every published package, install ALL the tarballs with npm
// into a scratch app outside the workspace, then, there:
//   - an axios + Norce and a ky + Oracle request against the @authwire/msw mocks, in ESM and CJS;
//   - the packed `authwire` bin: --help, and `authwire mock norce` serving a token to `authwire token norce`;
//   - the published .d.ts type-checked in a Node-only project (lib ES2023, types node, no DOM,
//     skipLibCheck false), in a browser project (DOM lib, no Node types), and @authwire/msw in a
//     Node project with the DOM lib (MSW's own typings need it).
// Needs `pnpm build` first (the test command builds). Usage: node test/consumer/run.mjs [--keep]
// Prints `N passed, 0 failed`; exits non-zero on failure.
import { execFile, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const here = join(root, 'test/consumer');
const started = Date.now();
const keep = process.argv.includes('--keep');

// The clients and types a user installs beside authwire, at the versions the workspace tests.
const THIRD_PARTY = {
  axios: '1.21.1',
  ky: '2.1.0',
  got: '16.1.0',
  msw: '3.0.5',
  'openapi-fetch': '0.17.0',
  redis: '6.3.1',
  ioredis: '6.0.0',
  '@types/node': '24.19.2',
};

const published = readdirSync(join(root, 'packages'))
  .map((name) => join(root, 'packages', name))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
  .filter(({ manifest }) => manifest.private !== true);

for (const { dir, manifest } of published) {
  if (!existsSync(join(dir, 'dist'))) {
    console.error(`consumer: ${manifest.name} has no dist/; run 'pnpm build' first`);
    process.exit(1);
  }
}

const results = [];
async function step(name, run) {
  const t = Date.now();
  try {
    await run();
    results.push({ name, ok: true });
    console.log(`  ok    ${name} (${Date.now() - t} ms)`);
  } catch (error) {
    results.push({ name, ok: false });
    console.log(`  FAIL  ${name} (${Date.now() - t} ms)`);
    const output = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim();
    console.log(output === '' ? String(error.stack ?? error) : output.replace(/^/gm, '        '));
  }
}

const app = mkdtempSync(join(tmpdir(), 'authwire-consumer-'));
const tarballs = join(app, 'tarballs');
console.log(`== consumer smoke test in ${app} (outside the workspace)`);
try {
  await step(`pnpm pack ${published.length} packages`, async () => {
    await Promise.all(
      published.map(({ dir }) =>
        exec('pnpm', ['pack', '--pack-destination', tarballs], { cwd: dir }),
      ),
    );
  });

  const files = existsSync(tarballs) ? readdirSync(tarballs).filter((f) => f.endsWith('.tgz')) : [];
  await step('every tarball has LICENSE, CHANGELOG.md, README.md and dist', async () => {
    if (files.length !== published.length) {
      throw new Error(`expected ${published.length} tarballs, got ${files.join(', ')}`);
    }
    for (const file of files) {
      const { stdout } = await exec('tar', ['-tzf', join(tarballs, file)]);
      for (const entry of ['LICENSE', 'CHANGELOG.md', 'README.md', 'package.json']) {
        if (!stdout.split('\n').includes(`package/${entry}`))
          throw new Error(`${file}: no ${entry}`);
      }
      if (!stdout.includes('package/dist/')) throw new Error(`${file}: no dist/`);
      if (stdout.includes('package/test/')) throw new Error(`${file}: ships its tests`);
    }
  });

  cpSync(join(here, 'app'), app, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'));
  manifest.dependencies = {
    ...Object.fromEntries(
      published.map(({ manifest: m }) => {
        const file = `${m.name.replace('@', '').replace('/', '-')}-${m.version}.tgz`;
        return [m.name, `file:./tarballs/${file}`];
      }),
    ),
    ...THIRD_PARTY,
  };
  writeFileSync(join(app, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  await step('npm install of all tarballs and the HTTP clients', async () => {
    await exec(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'],
      { cwd: app, env: { ...process.env, npm_config_engine_strict: 'true' } },
    );
  });

  const node = (file) => exec(process.execPath, [file], { cwd: app, timeout: 30_000 });
  await step('ESM: axios + Norce, ky + Oracle against the mocks', () => node('esm.mjs'));
  await step('CJS: axios + Norce, ky + Oracle against the mocks', () => node('cjs.cjs'));
  await step('CLI: the packed bin answers --help', async () => {
    const { stdout } = await exec(join(app, 'node_modules/.bin/authwire'), ['--help'], {
      cwd: app,
    });
    if (!stdout.includes('NORCE_TOKEN_URL')) throw new Error(`unexpected help:\n${stdout}`);
  });

  await step(
    'CLI: authwire mock norce serves the mock; authwire token norce --json gets a token from it',
    async () => {
      const bin = join(app, 'node_modules/.bin/authwire');
      const mock = spawn(bin, ['mock', 'norce', '--json'], {
        cwd: app,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        const printed = await new Promise((resolveLine, reject) => {
          let out = '';
          const timer = setTimeout(() => reject(new Error(`no mock URL in 15 s: ${out}`)), 15_000);
          mock.stdout.on('data', (chunk) => {
            out += chunk;
            if (out.includes('\n')) {
              clearTimeout(timer);
              resolveLine(JSON.parse(out.slice(0, out.indexOf('\n'))));
            }
          });
          mock.once('exit', (code) => reject(new Error(`mock exited ${code}: ${out}`)));
        });
        const { stdout } = await exec(bin, ['token', 'norce', '--json'], {
          cwd: app,
          env: { ...process.env, ...printed.env },
        });
        const answer = JSON.parse(stdout);
        if (answer.ok !== true || answer.scope !== 'playground')
          throw new Error(`unexpected: ${stdout}`);
      } finally {
        mock.kill('SIGTERM');
      }
    },
  );

  const tsc = join(root, 'node_modules/.bin/tsc');
  await step('types: Node-only project (ES2023, types node, no DOM, skipLibCheck false)', () =>
    exec(tsc, ['-p', 'tsconfig.node.json', '--pretty', 'false'], { cwd: app }),
  );
  await step('types: @authwire/msw in a Node test project with the DOM lib MSW needs', () =>
    exec(tsc, ['-p', 'tsconfig.msw.json', '--pretty', 'false'], { cwd: app }),
  );
  await step('types: browser project (DOM, no Node types, skipLibCheck false)', () =>
    exec(tsc, ['-p', 'tsconfig.browser.json', '--pretty', 'false'], { cwd: app }),
  );
} finally {
  if (keep) console.log(`  (kept ${app})`);
  else rmSync(app, { recursive: true, force: true });
}

const failed = results.filter((r) => !r.ok).length;
console.log(`== consumer smoke test (${Date.now() - started} ms)`);
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
