// `authwire token` for commercetools, Salesforce (Account Manager, SLAS) and Shopify, against the msw mocks.
import { readFileSync } from 'node:fs';
import {
  COMMERCETOOLS_MOCK_DEFAULTS,
  commercetoolsMock,
  SALESFORCE_MOCK_DEFAULTS,
  SHOPIFY_MOCK_DEFAULTS,
  salesforceAdminMock,
  salesforceShopperMock,
  shopifyMock,
} from '@authwire/msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../src/index.ts';

const ct = commercetoolsMock();
const admin = salesforceAdminMock();
const shopper = salesforceShopperMock();
const shop = shopifyMock();
const mocks = [ct, admin, shopper, shop];
const server = setupServer(...mocks.flatMap((m) => m.handlers));
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  for (const mock of mocks) mock.control.reset();
});
afterAll(() => server.close());

const SECRETS = [
  COMMERCETOOLS_MOCK_DEFAULTS.clientSecret,
  SALESFORCE_MOCK_DEFAULTS.clientSecret,
  SHOPIFY_MOCK_DEFAULTS.clientSecret,
];

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await run({
    argv,
    env,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  for (const secret of SECRETS) expect(`${stdout}${stderr}`).not.toContain(secret);
  return { code, stdout, stderr };
}

const CT_ENV = {
  CTP_CLIENT_ID: COMMERCETOOLS_MOCK_DEFAULTS.clientId,
  CTP_CLIENT_SECRET: COMMERCETOOLS_MOCK_DEFAULTS.clientSecret,
  CTP_PROJECT_KEY: COMMERCETOOLS_MOCK_DEFAULTS.projectKey,
  CTP_REGION: COMMERCETOOLS_MOCK_DEFAULTS.region,
};
const SF = SALESFORCE_MOCK_DEFAULTS;
const SFCC_ENV = {
  SFCC_CLIENT_ID: SF.clientId,
  SFCC_CLIENT_SECRET: SF.clientSecret,
  SFCC_TENANT_ID: SF.tenantId,
  SFCC_SHORT_CODE: SF.shortCode,
  SFCC_SCOPES: 'sfcc.orders',
};
const SLAS_ENV = {
  SLAS_CLIENT_ID: SF.clientId,
  SLAS_CLIENT_SECRET: SF.clientSecret,
  SFCC_TENANT_ID: SF.tenantId,
  SFCC_SHORT_CODE: SF.shortCode,
  SFCC_SITE_ID: SF.siteId,
};
const SHOPIFY_ENV = {
  SHOPIFY_CLIENT_ID: SHOPIFY_MOCK_DEFAULTS.clientId,
  SHOPIFY_CLIENT_SECRET: SHOPIFY_MOCK_DEFAULTS.clientSecret,
  SHOPIFY_SHOP: SHOPIFY_MOCK_DEFAULTS.shop,
};

describe('authwire token <commerce platform>', () => {
  it('lists every variable these platforms read in --help', async () => {
    const { stdout } = await cli(['--help']);
    const source = readFileSync(new URL('../src/commerce-targets.ts', import.meta.url), 'utf8');
    const read = [...source.matchAll(/'((?:CTP|SFCC|SLAS|SHOPIFY)_[A-Z_]+)'/g)].map((m) => m[1]!);
    expect(read.length).toBeGreaterThan(15);
    for (const variable of read) expect(stdout).toContain(variable);
  });

  it.each([
    ['commercetools', CT_ENV, ct, 'commercetools token for project authwire-demo'],
    ['salesforce-admin', SFCC_ENV, admin, 'Admin API token (Account Manager, tenant zzrf_001)'],
    [
      'salesforce-shopper',
      SLAS_ENV,
      shopper,
      'Shopper API token (SLAS private client, site RefArch)',
    ],
    ['shopify', SHOPIFY_ENV, shop, 'Shopify Admin API token for authwire-demo.myshopify.com'],
  ] as const)(
    '%s: fetches one token from the environment and prints expiry and scope',
    async (platform, env, mock, title) => {
      const { code, stdout } = await cli(['token', platform], env);
      expect(code).toBe(0);
      expect(stdout).toContain(title);
      expect(stdout).toMatch(/expires +\d{4}-/);
      expect(mock.control.counters.tokenRequests).toBe(1);
      expect(stdout).not.toContain(mock.control.issuedTokens[0]!.accessToken);
    },
  );

  it('shopify --curl sends the token as X-Shopify-Access-Token, and the command works', async () => {
    const { code, stdout } = await cli(['token', 'shopify', '--curl'], SHOPIFY_ENV);
    expect(code).toBe(0);
    const token = shop.control.issuedTokens[0]!.accessToken;
    expect(stdout.trim()).toBe(
      `curl -sS -H 'X-Shopify-Access-Token: ${token}' '${shop.apiOrigin}/admin/api/2026-10/shop.json'`,
    );
  });

  it('commercetools --curl calls the project with a Bearer token', async () => {
    const { stdout } = await cli(['token', 'commercetools', '--curl'], CT_ENV);
    const token = ct.control.issuedTokens[0]!.accessToken;
    expect(stdout.trim()).toBe(
      `curl -sS -H 'Authorization: Bearer ${token}' '${ct.apiOrigin}/authwire-demo'`,
    );
  });

  it('names every missing credential and exits 2 without a token request', async () => {
    const { code, stderr } = await cli(['token', 'salesforce-shopper'], { SLAS_CLIENT_ID: 'x' });
    expect(code).toBe(2);
    for (const name of [
      'SLAS_CLIENT_SECRET',
      'SFCC_TENANT_ID',
      'SFCC_SHORT_CODE',
      'SFCC_SITE_ID',
    ]) {
      expect(stderr).toContain(name);
    }
    expect(shopper.control.counters.tokenRequests).toBe(0);
  });

  it('refuses a flag of another platform (exit 2)', async () => {
    const { code, stderr } = await cli(['token', 'shopify', '--project-key', 'x'], SHOPIFY_ENV);
    expect(code).toBe(2);
    expect(stderr).toContain('--project-key is not a shopify option');
  });

  it('reports a wrong secret with the error code and exits 1', async () => {
    const { code, stderr } = await cli(['token', 'commercetools'], {
      ...CT_ENV,
      CTP_CLIENT_SECRET: 'wrong-secret-value',
    });
    expect(code).toBe(1);
    expect(stderr).toContain('[token_request_failed]');
    expect(stderr).not.toContain('wrong-secret-value');
  });

  it('reports a bad region as a configuration error (exit 2)', async () => {
    const { code, stderr } = await cli(['token', 'commercetools'], { ...CT_ENV, CTP_REGION: 'eu' });
    expect(code).toBe(2);
    expect(stderr).toContain('region');
  });

  it('--json prints one object, the token only inside the curl command', async () => {
    const { code, stdout } = await cli(['token', 'shopify', '--json', '--curl'], SHOPIFY_ENV);
    expect(code).toBe(0);
    const printed = JSON.parse(stdout);
    expect(printed).toMatchObject({ ok: true, platform: 'shopify' });
    expect(printed.curl).toContain("-H 'X-Shopify-Access-Token: ");
  });

  it('has no mock to serve yet: authwire mock <platform> says so (exit 2)', async () => {
    for (const name of ['commercetools', 'salesforce-admin', 'salesforce-shopper', 'shopify']) {
      const { code, stderr } = await cli(['mock', name]);
      expect(code).toBe(2);
      expect(stderr).toContain(`no mock for ${name} yet`);
    }
  });
});

describe('the commerce platforms in the CLI table', () => {
  it.each([
    ['commercetools', '--region (CTP_REGION)'],
    ['salesforce-admin', 'account.demandware.com'],
    ['salesforce-shopper', '--short-code (SFCC_SHORT_CODE)'],
    ['shopify', '--shop (SHOPIFY_SHOP)'],
  ])(
    '%s: a host-not-found hint names what to check (or --token-url when overridden)',
    async (name, hint) => {
      const { platformNamed } = await import('../src/platforms.ts');
      const platform = platformNamed(name)!;
      expect(platform.hostNotFoundHint({}, {})).toContain(hint);
      expect(platform.hostNotFoundHint({ 'token-url': 'http://127.0.0.1:1' }, {})).toContain(
        'Check --token-url',
      );
    },
  );
});

describe('missing credentials of the commerce platforms', () => {
  it.each([
    [
      'commercetools',
      { CTP_CLIENT_ID: 'id' },
      [
        'client-secret or CTP_CLIENT_SECRET',
        'project-key or CTP_PROJECT_KEY',
        'region or CTP_REGION',
      ],
    ],
    [
      'salesforce-admin',
      { SFCC_SCOPES: 'sfcc.orders' },
      [
        'client-id or SFCC_CLIENT_ID',
        'client-secret or SFCC_CLIENT_SECRET',
        'tenant-id or SFCC_TENANT_ID',
        'short-code or SFCC_SHORT_CODE',
      ],
    ],
    [
      'salesforce-shopper',
      {},
      [
        'client-id or SLAS_CLIENT_ID',
        'client-secret or SLAS_CLIENT_SECRET',
        'tenant-id or SFCC_TENANT_ID',
        'short-code or SFCC_SHORT_CODE',
        'site-id or SFCC_SITE_ID',
      ],
    ],
    [
      'shopify',
      { SHOPIFY_CLIENT_SECRET: 'a-secret-value' },
      ['client-id or SHOPIFY_CLIENT_ID', 'shop or SHOPIFY_SHOP'],
    ],
  ] as const)(
    'token %s names each missing flag and variable, in order (one line on the terminal), and no value given (exit 2)',
    async (platform, env, missing) => {
      const { code, stderr } = await cli(['token', platform], { ...env });
      expect(code).toBe(2);
      expect(stderr).toContain(
        `token ${platform}: missing credentials:${missing.map((m) => `   --${m}`).join('')}`,
      );
      for (const value of Object.values(env)) expect(stderr).not.toContain(value);
    },
  );
});
