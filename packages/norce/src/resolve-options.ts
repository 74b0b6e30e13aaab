// Validates Norce options up front and derives the token URL, API base and scope from them.
import { InvalidOptionsError, secureUrl } from '@authwire/core';
import {
  defaultNorceScope,
  isNorceEnvironment,
  NORCE_ENVIRONMENTS,
  type NorceEnvironment,
} from './environment.ts';
import type { NorceProviderOptions } from './options.ts';

/** docs.norce.io, "Accessing APIs with OAuth2 accounts": the legacy Norce [Storm] identity. */
export const STORM_TOKEN_URL = 'https://identity.storm.io/1.0/connect/token';

/** The header name in the seed docs' samples; Management API samples use `application-id`. */
export const DEFAULT_APPLICATION_ID_HEADER = 'ApplicationId';

/** Options after validation, with every URL and the scope settled. */
export interface ResolvedNorceOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly applicationId: string;
  readonly applicationIdHeader: string;
  readonly environment: NorceEnvironment;
  readonly storm: boolean;
  readonly scope: string;
  readonly tokenUrl: string;
  /** API base without a trailing slash. */
  readonly baseUrl: string;
  readonly apiOrigin: string;
}

// One DNS label (RFC 1123): what `{clientName}` and `{region}` must be to form a host.
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
// RFC 6749 §3.3: scope-token = 1*NQCHAR, tokens separated by single spaces.
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]+(?: [\x21\x23-\x5B\x5D-\x7E]+)*$/;
// RFC 9110 §5.6.2 token: a valid header name.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Echoes a short word-like value (a typo like 'prod') but nothing that could be a credential. */
function describeValue(value: unknown): string {
  return typeof value === 'string' && /^[A-Za-z_-]{1,20}$/.test(value)
    ? `'${value}'`
    : `a ${typeof value}`;
}

function requireCredential(option: string, value: unknown): string {
  // Messages here never include the value: it may be a secret.
  if (typeof value !== 'string' || value === '') {
    throw new InvalidOptionsError(option, `${option} is required and must be a non-empty string`);
  }
  if (value.trim() !== value) {
    throw new InvalidOptionsError(option, `${option} must not have leading or trailing whitespace`);
  }
  return value;
}

function optionalLabel(option: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !DNS_LABEL.test(value)) {
    throw new InvalidOptionsError(
      option,
      `${option} must be a single host-name label (letters, digits, '-'), e.g. 'se'`,
    );
  }
  return value.toLowerCase();
}

function resolveApplicationId(value: unknown): string {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return value;
  throw new InvalidOptionsError(
    'applicationId',
    'applicationId is required and must be a numeric application id (a non-negative integer or a string of digits)',
  );
}

function resolveEnvironment(value: unknown): NorceEnvironment {
  if (isNorceEnvironment(value)) return value;
  throw new InvalidOptionsError(
    'environment',
    `environment must be one of ${NORCE_ENVIRONMENTS.map((e) => `'${e}'`).join(', ')}; got ${describeValue(value)}`,
  );
}

function resolveScope(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !SCOPE.test(value)) {
    throw new InvalidOptionsError(
      'scope',
      "scope must be space-delimited scope tokens, e.g. 'playground' or 'lab'",
    );
  }
  return value;
}

function resolveHeaderName(value: unknown): string {
  if (value === undefined) return DEFAULT_APPLICATION_ID_HEADER;
  if (typeof value !== 'string' || !HEADER_NAME.test(value)) {
    throw new InvalidOptionsError(
      'applicationIdHeader',
      "applicationIdHeader must be a valid HTTP header name, e.g. 'ApplicationId' or 'application-id'",
    );
  }
  if (value.toLowerCase() === 'authorization') {
    throw new InvalidOptionsError(
      'applicationIdHeader',
      'applicationIdHeader must not be Authorization',
    );
  }
  return value;
}

/** `https://{clientName}.api-{region}[.{environment}].norce.tech`; production has no label. */
function norceHost(clientName: string, region: string, environment: NorceEnvironment): string {
  const label = environment === 'production' ? '' : `.${environment}`;
  return `https://${clientName}.api-${region}${label}.norce.tech`;
}

/**
 * Validates every option synchronously and settles the URLs and the scope. Throws
 * `InvalidOptionsError` naming the option (never echoing a credential) or `InsecureUrlError`.
 */
export function resolveNorceOptions(options: NorceProviderOptions): ResolvedNorceOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionsError('options', 'Norce options must be an object');
  }
  const clientId = requireCredential('clientId', options.clientId);
  const clientSecret = requireCredential('clientSecret', options.clientSecret);
  const applicationId = resolveApplicationId(options.applicationId);
  const environment = resolveEnvironment(options.environment);
  if (options.storm !== undefined && typeof options.storm !== 'boolean') {
    throw new InvalidOptionsError('storm', 'storm must be a boolean');
  }
  const storm = options.storm === true;
  const scope = resolveScope(options.scope) ?? defaultNorceScope(environment, storm);
  const applicationIdHeader = resolveHeaderName(options.applicationIdHeader);

  // Validated even when overrides make them unused, so a typo never passes silently.
  const clientName = optionalLabel('clientName', options.clientName);
  const region = optionalLabel('region', options.region);
  const builtHost = (forOption: string): string => {
    if (clientName === undefined) {
      throw new InvalidOptionsError(
        'clientName',
        `clientName is required to build the Norce URLs (or pass ${forOption})`,
      );
    }
    if (region === undefined) {
      throw new InvalidOptionsError(
        'region',
        `region is required to build the Norce URLs, e.g. 'se' (or pass ${forOption})`,
      );
    }
    return norceHost(clientName, region, environment);
  };

  let tokenUrl: string;
  if (options.tokenUrl !== undefined) {
    const url = secureUrl(options.tokenUrl, 'tokenUrl');
    if (url.hash !== '')
      throw new InvalidOptionsError('tokenUrl', 'tokenUrl must not have a #fragment');
    tokenUrl = url.href;
  } else {
    tokenUrl = storm ? STORM_TOKEN_URL : `${builtHost('tokenUrl')}/identity/1.0/connect/token`;
  }

  let baseUrl: string;
  if (options.baseUrl !== undefined) {
    const url = secureUrl(options.baseUrl, 'baseUrl');
    if (url.search !== '' || url.hash !== '') {
      throw new InvalidOptionsError('baseUrl', 'baseUrl must not have a ?query or #fragment');
    }
    baseUrl = url.href.replace(/\/+$/, '');
  } else {
    baseUrl = builtHost('baseUrl');
  }

  return {
    clientId,
    clientSecret,
    applicationId,
    applicationIdHeader,
    environment,
    storm,
    scope,
    tokenUrl,
    baseUrl,
    apiOrigin: new URL(baseUrl).origin,
  };
}
