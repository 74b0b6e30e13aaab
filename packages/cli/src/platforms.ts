// The platforms the CLI knows, as data: how to build a token target from flags, and how to serve its mock.
// A new platform is one entry here (and its options in flags.ts and usage.ts).
import type { Flags } from './flags.ts';
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
];

export const PLATFORM_NAMES: readonly string[] = PLATFORMS.map((platform) => platform.name);

export function platformNamed(name: string): Platform | undefined {
  return PLATFORMS.find((platform) => platform.name === name);
}
