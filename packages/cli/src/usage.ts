// The help text; the platform names in it come from the platform list.
import { PLATFORM_NAMES, PLATFORMS } from './platforms.ts';

const platforms = PLATFORM_NAMES.join('|');

/**
 * The text `authwire --help` prints: commands, every platform's flags and environment variables,
 * output options and exit codes.
 *
 * @example
 * ```ts
 * process.stdout.write(USAGE);
 * ```
 */
export const USAGE: string = `Usage: authwire token <${platforms}> [options]
       authwire mock <${platforms}> [--port <n>] [--json]
       authwire --version | --help

authwire token fetches an access token with your credentials, to check they work, and prints
when it expires and its scope. Credentials come from environment variables (preferred: flags
end up in shell history) or from flags.

authwire mock serves the @authwire/msw mock of a platform on a loopback port (default: a free
one) and prints its URL and the credentials it accepts, as environment variables to point the
CLI or your app at it. Ctrl-C stops it. Needs @authwire/msw and msw installed beside the CLI.

${PLATFORMS.map((platform) => platform.usage).join('\n')}
Output
  --curl                     print a curl command (curl -sS …) calling the API with the token
                             (the only place the token is ever printed); details go to stderr
  --path <path>              the API path the curl command calls
  --json                     one JSON object on stdout instead (errors too: { ok: false, … })
  --port <n>                 authwire mock: the port to listen on (default 0: a free one)
  -v, --version              the CLI's version
  -h, --help                 this text

Environment variables read: NORCE_CLIENT_ID, NORCE_CLIENT_SECRET, NORCE_APPLICATION_ID,
NORCE_CLIENT_NAME, NORCE_ENVIRONMENT, NORCE_REGION, NORCE_SCOPE, NORCE_TOKEN_URL, NORCE_BASE_URL,
OCC_BASE_URL, OCC_APPLICATION_KEY, OCC_API, and the CTP_*, SFCC_*, SLAS_* and SHOPIFY_* ones
above. A flag wins over its variable. AUTHWIRE_DEBUG=1
prints one line per token request (attempts, causes, retries) to stderr; never a secret.

Exit codes: 0 token received (or mock stopped), 1 the token request failed, 2 usage or
configuration error.
`;
