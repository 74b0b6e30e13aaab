// The commercetools Regions: the `{region}` part of `auth.{region}.commercetools.com` and `api.{region}.commercetools.com`.

/** A commercetools Region, as it appears in the hosts (`europe-west1.gcp`). */
export type CommercetoolsRegion =
  | 'europe-west1.gcp'
  | 'us-central1.gcp'
  | 'australia-southeast1.gcp'
  | 'eu-central-1.aws'
  | 'us-east-2.aws';

/**
 * Every Region of docs.commercetools.com "Hosts" (HTTP API, general concepts): Google Cloud in
 * Belgium, Iowa and Sydney; AWS in Frankfurt and Ohio. The China Region (AWS Ningxia, on its own
 * domain) is reachable through the `tokenUrl` / `baseUrl` overrides.
 */
export const COMMERCETOOLS_REGIONS: readonly CommercetoolsRegion[] = [
  'europe-west1.gcp',
  'us-central1.gcp',
  'australia-southeast1.gcp',
  'eu-central-1.aws',
  'us-east-2.aws',
];
