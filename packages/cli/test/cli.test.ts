import { readFileSync } from 'node:fs';
import {
  makeOracleApplicationKey,
  NORCE_MOCK_DEFAULTS,
  norceMock,
  oracleCommerceMock,
} from '@authwire/msw';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../src/index.ts';

const norce = norceMock({ clientName: 'demo', environment: 'playground' });
const oracle = oracleCommerceMock();
const server = setupServer(...norce.handlers, ...oracle.handlers);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  server.resetHandlers();
  norce.control.reset();
  oracle.control.reset();
});
afterAll(() => server.close());

const NORCE_ENV = {
  NORCE_CLIENT_ID: NORCE_MOCK_DEFAULTS.clientId,
  NORCE_CLIENT_SECRET: NORCE_MOCK_DEFAULTS.clientSecret,
  NORCE_APPLICATION_ID: String(NORCE_MOCK_DEFAULTS.applicationId),
  NORCE_CLIENT_NAME: 'demo',
};
const applicationKey = oracle.applicationKeys[0]!;
const ORACLE_ENV = { OCC_BASE_URL: oracle.apiOrigin, OCC_APPLICATION_KEY: applicationKey };
// Spelled out: the help and errors must name every platform, the four commerce ones included.
const PLATFORM_LIST = 'norce, oracle, commercetools, salesforce-admin, salesforce-shopper, shopify';
const SECRETS = [NORCE_MOCK_DEFAULTS.clientSecret, applicationKey];

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await run({
    argv,
    env,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  // Whatever happened, no secret and no application key reaches the terminal.
  for (const secret of SECRETS) expect(`${stdout}${stderr}`).not.toContain(secret);
  return { code, stdout, stderr };
}

const issued = (mock: typeof norce | typeof oracle) =>
  mock.control.issuedTokens.map((t) => t.accessToken);

describe('authwire token norce', () => {
  it('fetches a token with credentials from the environment and prints expiry and scope', async () => {
    const { code, stdout, stderr } = await cli(['token', 'norce'], NORCE_ENV);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(
      /^✓ Norce Commerce token for client authwire-demo-client \(playground\)\n/,
    );
    expect(stdout).toMatch(/expires +\d{4}-\d\d-\d\dT[\d:.]+Z \(in 60 min\)/);
    expect(stdout).toMatch(/scope +playground\n/);
    expect(stdout).toContain(
      'https://demo.api-se.playground.norce.tech/identity/1.0/connect/token',
    );
    expect(stdout).toContain('1234 (header ApplicationId)');
    expect(norce.control.counters.tokenRequests).toBe(1);
    // The token itself is printed only with --curl.
    expect(stdout).not.toContain(issued(norce)[0]);
  });

  it('takes the credentials from flags too', async () => {
    const flags = [
      '--client-id',
      NORCE_MOCK_DEFAULTS.clientId,
      '--client-secret',
      NORCE_MOCK_DEFAULTS.clientSecret,
    ];
    const more = ['--application-id', '1234', '--client-name', 'acme', '--environment', 'stage'];
    const acme = norceMock({ clientName: 'acme', environment: 'stage' });
    server.use(...acme.handlers);
    const { code, stdout } = await cli(['token', 'norce', ...flags, ...more]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/scope +stage\n/);
    expect(acme.control.counters.tokenRequests).toBe(1);
  });

  it('--curl prints a curl command with the token and ApplicationId on stdout, details on stderr', async () => {
    const { code, stdout, stderr } = await cli(['token', 'norce', '--curl'], NORCE_ENV);
    expect(code).toBe(0);
    const [token] = issued(norce);
    expect(stdout).toBe(
      `curl -sS -H 'ApplicationId: 1234' -H 'Authorization: Bearer ${token}' ` +
        `'https://demo.api-se.playground.norce.tech/commerce/metadata/1.1/GetApplication?format=json'\n`,
    );
    expect(stderr).toContain('✓ Norce Commerce token');
    expect(stderr).not.toContain(token);
  });

  it('--curl calls the API path given with --path', async () => {
    const { stdout } = await cli(
      ['token', 'norce', '--curl', '--path', '/commerce/product/1.1/ListProducts'],
      NORCE_ENV,
    );
    expect(stdout).toMatch(
      / 'https:\/\/demo\.api-se\.playground\.norce\.tech\/commerce\/product\/1\.1\/ListProducts'\n$/,
    );
  });

  it('names every missing credential and exits 2 without a token request', async () => {
    const { code, stdout, stderr } = await cli(['token', 'norce'], { NORCE_CLIENT_ID: 'id' });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('missing credentials');
    expect(stderr).toContain('--client-secret or NORCE_CLIENT_SECRET');
    expect(stderr).toContain('--application-id or NORCE_APPLICATION_ID');
    expect(stderr).toContain('--client-name or NORCE_CLIENT_NAME');
    expect(stderr).not.toContain('--client-id or');
    expect(norce.control.counters.tokenRequests).toBe(0);
  });

  it('reports invalid credentials with the error code and exits 1', async () => {
    const wrong = 'not-the-secret-9f2c';
    const { code, stdout, stderr } = await cli(['token', 'norce'], {
      ...NORCE_ENV,
      NORCE_CLIENT_SECRET: wrong,
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('[token_request_failed]');
    expect(stderr).toContain('client id or secret is wrong');
    expect(stderr).not.toContain(wrong);
  });

  it('reports an invalid option value as a configuration error (exit 2)', async () => {
    const { code, stderr } = await cli(['token', 'norce'], {
      ...NORCE_ENV,
      NORCE_ENVIRONMENT: 'prod',
    });
    expect(code).toBe(2);
    expect(stderr).toContain('[invalid_options]');
  });
});

describe('authwire token oracle', () => {
  it('logs in with the application key and prints the expiry', async () => {
    const { code, stdout } = await cli(['token', 'oracle'], ORACLE_ENV);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^✓ Oracle Commerce token \(admin API\)\n/);
    expect(stdout).toMatch(/expires +.+ \(in 5 min\)/);
    expect(stdout).toMatch(/scope +\(none in the response\)/);
    expect(stdout).toContain(`${oracle.apiOrigin}/ccadmin/v1/login`);
    expect(oracle.control.counters.logins).toBe(1);
    expect(stdout).not.toContain(issued(oracle)[0]);
  });

  it('--curl prints a curl command with the token', async () => {
    const { code, stdout } = await cli(
      ['token', 'oracle', '--curl', '--base-url', oracle.apiOrigin],
      {
        OCC_APPLICATION_KEY: applicationKey,
      },
    );
    expect(code).toBe(0);
    expect(stdout).toBe(
      `curl -sS -H 'Authorization: Bearer ${issued(oracle)[0]}' '${oracle.apiOrigin}/ccadmin/v1/orders?limit=1'\n`,
    );
  });

  it('reports a refused application key with the error code and exits 1', async () => {
    const revoked = makeOracleApplicationKey();
    const { code, stderr } = await cli(['token', 'oracle'], {
      ...ORACLE_ENV,
      OCC_APPLICATION_KEY: revoked,
    });
    expect(code).toBe(1);
    expect(stderr).toContain('[token_request_failed]');
    expect(stderr).toContain('application key was refused');
    expect(stderr).not.toContain(revoked);
  });

  it('names the missing credentials (exit 2)', async () => {
    const { code, stderr } = await cli(['token', 'oracle'], {});
    expect(code).toBe(2);
    expect(stderr).toContain('--base-url or OCC_BASE_URL');
    expect(stderr).toContain('--application-key or OCC_APPLICATION_KEY');
  });

  it('refuses an http base URL that is not loopback (exit 2)', async () => {
    const { code, stderr } = await cli(['token', 'oracle'], {
      ...ORACLE_ENV,
      OCC_BASE_URL: 'http://shop.example.com',
    });
    expect(code).toBe(2);
    expect(stderr).toContain('[insecure_url]');
  });
});

describe('authwire usage', () => {
  it('prints help with --help (exit 0)', async () => {
    const { code, stdout } = await cli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain(
      'Usage: authwire token <norce|oracle|commercetools|salesforce-admin|salesforce-shopper|shopify>',
    );
  });

  it('lists every environment variable the command reads', async () => {
    const { stdout } = await cli(['--help']);
    const source = readFileSync(new URL('../src/providers.ts', import.meta.url), 'utf8');
    const read = [...source.matchAll(/'((?:NORCE|OCC)_[A-Z_]+)'/g)].map((m) => m[1]!);
    expect(read).toEqual(expect.arrayContaining(['NORCE_TOKEN_URL', 'NORCE_BASE_URL']));
    for (const variable of read) expect(stdout).toContain(variable);
  });

  it('builds the help and the flags from the platform list (a new platform is one entry)', async () => {
    const { PLATFORMS } = await import('../src/platforms.ts');
    const { OPTIONS } = await import('../src/flags.ts');
    const { stdout } = await cli(['--help']);
    expect(stdout).toContain(`authwire token <${PLATFORMS.map((p) => p.name).join('|')}>`);
    for (const platform of PLATFORMS) {
      for (const [name, spec] of Object.entries(platform.options)) {
        expect(platform.usage).toContain(`--${name}`);
        // A flag two platforms share is read the same way for both.
        expect(OPTIONS[name]).toEqual(spec);
      }
    }
  });

  it('suggests nothing for a flag unlike any other', async () => {
    const { stderr } = await cli(['token', 'norce', '--frobnicate'], NORCE_ENV);
    expect(stderr).toContain('unknown option --frobnicate\n');
  });

  it('never echoes the value given with an unknown flag', async () => {
    const { stderr } = await cli([
      'token',
      'norce',
      `--secret=${NORCE_MOCK_DEFAULTS.clientSecret}`,
    ]);
    expect(stderr).toContain('unknown option --secret');
    expect(stderr).not.toContain(NORCE_MOCK_DEFAULTS.clientSecret);
  });

  it.each([
    [[], 'a command is required'],
    [['token'], `token: a platform is required (${PLATFORM_LIST})`],
    [['token', 'azure'], `token: unknown platform at argument 2 (platforms: ${PLATFORM_LIST})`],
    [['token', 'norse'], 'token: unknown platform at argument 2 (did you mean norce?)'],
    [['tokne', 'norce'], 'unknown command at argument 1 (did you mean token?)'],
    [['mokc', 'oracle'], 'unknown command at argument 1 (did you mean mock?)'],
    [['mock', 'oracel'], 'mock: unknown platform at argument 2 (did you mean oracle?)'],
    [['fetch', 'norce'], 'unknown command at argument 1 (commands: token, mock)'],
    [['token', 'norce', '--json', 'x'], 'unexpected argument 4'],
    [['mock', 'norce', '--port', 'http'], '--port must be a port number'],
    [['mock', 'norce', '--client-id', 'x'], 'mock: --client-id is not a mock option'],
    [['token', 'norce', '--colour'], 'unknown option --colour'],
    [['token', 'norce', '--clinet-id=x'], 'unknown option --clinet-id (did you mean --client-id?)'],
    [['token', 'norce', '--enviroment', 'stage'], '(did you mean --environment?)'],
    [['token', 'norce', '--Curl'], '(did you mean --curl?)'],
    [['token', 'norce', '--env', 'stage'], '(did you mean --environment?)'],
    [['token', 'norce', '-x'], 'unknown option -x'],
    [['token', 'norce', '--client-id'], '--client-id needs a value'],
    [['token', 'norce', '--curl=yes'], '--curl takes no value'],
    [['token', 'oracle', '--client-id', 'x'], '--client-id is not a oracle option'],
  ])('exits 2 for %j', async (argv, message) => {
    const { code, stdout, stderr } = await cli(argv, { ...NORCE_ENV, ...ORACLE_ENV });
    expect(code).toBe(2);
    // With --json the error is a JSON object on stdout.
    const printed = argv.includes('--json') ? stdout : stderr;
    expect(printed).toContain(message);
    if (!argv.includes('--json')) expect(stderr).toContain('authwire --help');
  });
});

describe('authwire --version', () => {
  it.each([['--version'], ['-v']])('%s prints the package version (exit 0)', async (flag) => {
    const { version } = JSON.parse(
      readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
    );
    const { code, stdout } = await cli([flag]);
    expect(code).toBe(0);
    expect(stdout).toBe(`${version}\n`);
  });
});

describe('stray arguments are named by position, never echoed', () => {
  const STRAY = 'Str4y-S3cret-Value';
  it.each([
    [
      'a value after a flag that takes none (--storm)',
      ['token', 'norce', '--storm', STRAY],
      'unexpected argument 4',
    ],
    ['a value after --curl', ['token', 'norce', '--curl', STRAY], 'unexpected argument 4'],
    ['after --json', ['token', 'oracle', '--json', STRAY], 'unexpected argument 4'],
    [
      'an unquoted secret with a space',
      ['token', 'norce', '--client-secret', 'first', STRAY],
      'unexpected argument 5',
    ],
    ['a stray word before the command', [STRAY, 'token', 'norce'], 'unknown command at argument 1'],
    ['a stray word as the platform', ['token', STRAY], 'unknown platform at argument 2'],
    ['an option-like secret', ['token', 'norce', `-${STRAY}`], 'unknown option at argument 3'],
    ['an option-like secret with =', ['token', 'norce', `--x=${STRAY}`], 'unknown option --x'],
    ['a long option-like secret', ['token', 'norce', `--${STRAY}`], 'unknown option at argument 3'],
  ])('%s', async (_case, argv, message) => {
    const { code, stdout, stderr } = await cli(argv, NORCE_ENV);
    expect(code).toBe(2);
    expect(`${stdout}${stderr}`).toContain(message);
    expect(`${stdout}${stderr}`).not.toContain(STRAY);
    expect(`${stdout}${stderr}`).not.toContain(STRAY.toLowerCase());
  });

  it('takes a secret that starts with - as the value of --client-secret', async () => {
    const dashed = `-${NORCE_MOCK_DEFAULTS.clientSecret}`;
    const { code, stderr } = await cli(['token', 'norce', '--client-secret', dashed], NORCE_ENV);
    // The value reached the token endpoint (and was refused there), not the option parser.
    expect(code).toBe(1);
    expect(stderr).toContain('client id or secret is wrong');
    expect(stderr).not.toContain(dashed);
    expect(norce.control.counters.tokenRequests).toBe(1);
  });

  it('still says a string flag needs a value when the next word is a known flag', async () => {
    const { code, stderr } = await cli(['token', 'norce', '--client-secret', '--curl'], NORCE_ENV);
    expect(code).toBe(2);
    expect(stderr).toContain('--client-secret needs a value');
  });
});

/** Any C0/C1 control character or DEL but the newline that ends a line. */
// biome-ignore lint/complexity/useRegexLiterals: a literal would hold the control characters themselves
const CONTROL = new RegExp('[\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f]');

describe('server text is made terminal-safe', () => {
  const HOSTILE = 'lab\u001b[2J\u001b[H\r\nFAKE: all good\u0007\u001b]0;title\u0007\u009b31m';

  it('prints a hostile scope on one line, without escape sequences', async () => {
    server.use(
      http.post(norce.tokenUrl, () =>
        HttpResponse.json({
          access_token: 'at-1',
          token_type: 'Bearer',
          expires_in: 3600,
          scope: HOSTILE,
        }),
      ),
    );
    const { code, stdout } = await cli(['token', 'norce'], NORCE_ENV);
    expect(code).toBe(0);
    expect(stdout).not.toMatch(CONTROL);
    expect(stdout).toMatch(/ {2}scope +lab +FAKE: all good *\n/);
    const { stdout: json } = await cli(['token', 'norce', '--json'], NORCE_ENV);
    expect(JSON.parse(json).scope).toBe('lab FAKE: all good ');
  });

  it('prints a hostile error description without escape sequences', async () => {
    server.use(
      http.post(norce.tokenUrl, () =>
        HttpResponse.json(
          { error: 'invalid_request', error_description: HOSTILE },
          { status: 400 },
        ),
      ),
    );
    const { code, stderr } = await cli(['token', 'norce'], NORCE_ENV);
    expect(code).toBe(1);
    expect(stderr).toContain('invalid_request');
    expect(stderr).not.toMatch(CONTROL);
    expect(stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });
});

describe('--json', () => {
  it('prints one JSON object with expiry and scope, and no token without --curl', async () => {
    const { code, stdout, stderr } = await cli(['token', 'norce', '--json'], NORCE_ENV);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const parsed = JSON.parse(stdout);
    expect(parsed).toMatchObject({
      ok: true,
      platform: 'norce',
      scope: 'playground',
      tokenType: 'Bearer',
      expiresInSeconds: 3600,
      details: { 'application id': '1234 (header ApplicationId)' },
    });
    expect(stdout).not.toContain(issued(norce)[0]);
    expect(stdout.trim().split('\n')).toHaveLength(1);
  });

  it('carries the curl command with --curl', async () => {
    const { stdout } = await cli(['token', 'oracle', '--json', '--curl'], ORACLE_ENV);
    expect(JSON.parse(stdout).curl).toBe(
      `curl -sS -H 'Authorization: Bearer ${issued(oracle)[0]}' '${oracle.apiOrigin}/ccadmin/v1/orders?limit=1'`,
    );
  });

  it('reports errors as JSON on stdout with the same exit codes', async () => {
    const failed = await cli(['token', 'norce', '--json'], {
      ...NORCE_ENV,
      NORCE_CLIENT_SECRET: 'wrong-1',
    });
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout)).toMatchObject({
      ok: false,
      exitCode: 1,
      error: { code: 'token_request_failed', hint: expect.stringContaining('client id or secret') },
    });
    const usage = await cli(['token', 'norse', '--json'], NORCE_ENV);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stdout)).toMatchObject({
      ok: false,
      exitCode: 2,
      error: { code: 'usage', message: expect.stringContaining('did you mean norce?') },
    });
  });
});
