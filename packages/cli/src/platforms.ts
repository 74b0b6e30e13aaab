// The platforms the CLI knows, as data: how to build a token target from flags, and how to serve its mock.
// A new platform is one entry here: its flags, its help section, its token target and its mock.
import { COMMERCE_PLATFORMS } from './commerce-platforms.ts';
import type { Flags, OptionSpec } from './flags.ts';
import { norceTarget, oracleTarget, type Target } from './providers.ts';

/** What `@authwire/msw` offers the mock command (imported only when `authwire mock` runs). */
export type MswModule = typeof import('@authwire/msw');

/** A platform mock served on loopback: what to print about it, and how to stop it. */
export interface ServedPlatform {
  readonly url: string;
  /** Endpoints and accepted credentials, as label → value (the credentials are the mock's own). */
  readonly rows: readonly (readonly [string, string])[];
  /** The environment variables that point `authwire token <platform>` (or an app) at the mock. */
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

export interface Platform {
  /** The word on the command line: `authwire token <name>`. */
  readonly name: string;
  readonly title: string;
  /** Its own flags (a name two platforms share must mean the same kind there). */
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Its section of `--help`: flags, environment variables, notes. */
  readonly usage: string;
  /** What to check, in the CLI's own terms, when the token endpoint's host does not resolve. */
  readonly hostNotFoundHint: (flags: Flags, env: NodeJS.ProcessEnv) => string;
  /** Builds the token manager; `debug` receives AUTHWIRE_DEBUG's lines. */
  readonly target: (flags: Flags, env: NodeJS.ProcessEnv, debug?: (line: string) => void) => Target;
  readonly mock?: (msw: MswModule, port: number) => Promise<ServedPlatform>;
}

export const PLATFORMS: readonly Platform[] = [
  {
    name: 'norce',
    title: 'Norce Commerce',
    options: {
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      'application-id': { type: 'string' },
      'client-name': { type: 'string' },
      environment: { type: 'string' },
      region: { type: 'string' },
      scope: { type: 'string' },
      storm: { type: 'boolean' },
      'token-url': { type: 'string' },
      'base-url': { type: 'string' },
    },
    usage: `Norce Commerce (authwire token norce)
  --client-id <id>           NORCE_CLIENT_ID
  --client-secret <secret>   NORCE_CLIENT_SECRET
  --application-id <id>      NORCE_APPLICATION_ID
  --client-name <name>       NORCE_CLIENT_NAME       first label of {name}.api-{region}…norce.tech
  --environment <env>        NORCE_ENVIRONMENT       playground | stage | production (default playground)
  --region <region>          NORCE_REGION            default se
  --scope <scope>            NORCE_SCOPE             default: the environment's
  --storm                                            legacy Norce [Storm] identity server
  --token-url <url>          NORCE_TOKEN_URL         token endpoint override (proxies, local mocks)
  --base-url <url>           NORCE_BASE_URL          API base override (proxies, local mocks)
`,
    hostNotFoundHint: (flags, env) =>
      flags['token-url'] !== undefined || env.NORCE_TOKEN_URL
        ? 'Check --token-url (NORCE_TOKEN_URL).'
        : 'Check --client-name, --region and --environment (NORCE_CLIENT_NAME, NORCE_REGION, NORCE_ENVIRONMENT).',
    target: norceTarget,
    async mock(msw, port) {
      const served = await msw.serveMock((baseUrl) => msw.norceMock({ baseUrl }), { port });
      const { clientId, clientSecret, applicationId } = msw.NORCE_MOCK_DEFAULTS;
      return {
        url: served.url,
        rows: [
          ['token endpoint', served.mock.tokenUrl],
          ['API base', served.mock.apiOrigin],
          ['client id', clientId],
          ['client secret', clientSecret],
          ['application id', String(applicationId)],
          ['environment', 'playground (scope playground)'],
        ],
        env: {
          NORCE_CLIENT_ID: clientId,
          NORCE_CLIENT_SECRET: clientSecret,
          NORCE_APPLICATION_ID: String(applicationId),
          NORCE_TOKEN_URL: served.mock.tokenUrl,
          NORCE_BASE_URL: served.mock.apiOrigin,
        },
        close: () => served.close(),
      };
    },
  },
  {
    name: 'oracle',
    title: 'Oracle Commerce',
    options: {
      'base-url': { type: 'string' },
      'application-key': { type: 'string' },
      api: { type: 'string' },
    },
    usage: `Oracle Commerce Cloud (authwire token oracle)
  --base-url <url>           OCC_BASE_URL            the instance origin, e.g. https://ccadmin-z1ab.oracleoutsourcing.com
  --application-key <key>    OCC_APPLICATION_KEY     a registered application's key
  --api <api>                OCC_API                 admin | agent | app | appAgent (default admin)
`,
    hostNotFoundHint: () => 'Check --base-url (OCC_BASE_URL): your instance origin.',
    target: oracleTarget,
    async mock(msw, port) {
      const served = await msw.serveMock((baseUrl) => msw.oracleCommerceMock({ baseUrl }), {
        port,
      });
      const applicationKey = served.mock.applicationKeys[0] ?? '';
      return {
        url: served.url,
        rows: [
          ['login endpoint', served.mock.tokenUrl],
          ['API base', `${served.mock.apiOrigin}/ccadmin/v1`],
          ['application key', applicationKey],
        ],
        env: { OCC_BASE_URL: served.mock.apiOrigin, OCC_APPLICATION_KEY: applicationKey },
        close: () => served.close(),
      };
    },
  },
  ...COMMERCE_PLATFORMS,
];

export const PLATFORM_NAMES: readonly string[] = PLATFORMS.map((platform) => platform.name);

export function platformNamed(name: string): Platform | undefined {
  return PLATFORMS.find((platform) => platform.name === name);
}
