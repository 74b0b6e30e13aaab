// The help text, and the error that means "the command line was wrong" (exit code 2).

export const USAGE = `Usage: authwire token <norce|oracle|commercetools|salesforce-admin|salesforce-shopper|shopify> [options]

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

commercetools (authwire token commercetools)
  --client-id <id>           CTP_CLIENT_ID
  --client-secret <secret>   CTP_CLIENT_SECRET
  --project-key <key>        CTP_PROJECT_KEY
  --region <region>          CTP_REGION              e.g. europe-west1.gcp, us-central1.gcp, eu-central-1.aws
  --scope <scopes>           CTP_SCOPES              space-separated; default manage_project:{key}
  --token-url, --base-url    CTP_TOKEN_URL, CTP_BASE_URL

Salesforce B2C Commerce Admin APIs (authwire token salesforce-admin)
  --client-id <id>           SFCC_CLIENT_ID          Account Manager API client
  --client-secret <secret>   SFCC_CLIENT_SECRET
  --tenant-id <id>           SFCC_TENANT_ID          e.g. zzrf_001
  --short-code <code>        SFCC_SHORT_CODE
  --scope <scopes>           SFCC_SCOPES             sfcc.* scopes, space-separated
  --token-url, --base-url    SFCC_TOKEN_URL, SFCC_BASE_URL

Salesforce B2C Commerce Shopper APIs (authwire token salesforce-shopper)
  --client-id <id>           SLAS_CLIENT_ID          SLAS private client
  --client-secret <secret>   SLAS_CLIENT_SECRET
  --tenant-id, --short-code  SFCC_TENANT_ID, SFCC_SHORT_CODE
  --site-id <site>           SFCC_SITE_ID            sent as channel_id
  --token-url, --base-url    SLAS_TOKEN_URL, SLAS_BASE_URL

Shopify (authwire token shopify)
  --client-id <id>           SHOPIFY_CLIENT_ID
  --client-secret <secret>   SHOPIFY_CLIENT_SECRET
  --shop <shop>              SHOPIFY_SHOP            acme or acme.myshopify.com
  --api-version <version>    SHOPIFY_API_VERSION     default 2026-10
  --token-url, --base-url    SHOPIFY_TOKEN_URL, SHOPIFY_BASE_URL

Output
  --curl                     print a curl command calling the API with the token (the only
                             place the token is ever printed); details go to stderr
  --path <path>              the API path the curl command calls
  -h, --help                 this text

Environment variables read: NORCE_CLIENT_ID, NORCE_CLIENT_SECRET, NORCE_APPLICATION_ID,
NORCE_CLIENT_NAME, NORCE_ENVIRONMENT, NORCE_REGION, NORCE_SCOPE, NORCE_TOKEN_URL, NORCE_BASE_URL,
OCC_BASE_URL, OCC_APPLICATION_KEY, OCC_API, and the CTP_*, SFCC_*, SLAS_* and SHOPIFY_* ones
above. A flag wins over its variable.

Exit codes: 0 token received, 1 the token request failed, 2 usage or configuration error.
`;

/** A mistake on the command line or in the configuration: exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
