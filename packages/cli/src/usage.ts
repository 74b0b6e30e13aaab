// The help text, and the error that means "the command line was wrong" (exit code 2).

export const USAGE = `Usage: authwire token <norce|oracle> [options]

Fetches an access token with your credentials, to check they work, and prints when it expires
and its scope. Credentials come from environment variables (preferred: flags end up in shell
history) or from flags.

Norce Commerce (authwire token norce)
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

Oracle Commerce Cloud (authwire token oracle)
  --base-url <url>           OCC_BASE_URL            the instance origin, e.g. https://ccadmin-z1ab.oracleoutsourcing.com
  --application-key <key>    OCC_APPLICATION_KEY     a registered application's key
  --api <api>                OCC_API                 admin | agent | app | appAgent (default admin)

Output
  --curl                     print a curl command calling the API with the token (the only
                             place the token is ever printed); details go to stderr
  --path <path>              the API path the curl command calls
  -h, --help                 this text

Environment variables read: NORCE_CLIENT_ID, NORCE_CLIENT_SECRET, NORCE_APPLICATION_ID,
NORCE_CLIENT_NAME, NORCE_ENVIRONMENT, NORCE_REGION, NORCE_SCOPE, NORCE_TOKEN_URL, NORCE_BASE_URL,
OCC_BASE_URL, OCC_APPLICATION_KEY, OCC_API. A flag wins over its variable.

Exit codes: 0 token received, 1 the token request failed, 2 usage or configuration error.
`;

/** A mistake on the command line or in the configuration: exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
