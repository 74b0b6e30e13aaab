// Checks of single Norce options; each failure is an InvalidOptionsError naming the option.
import { matching } from '@authwire/core/kit';

/** docs.norce.io, "Accessing APIs with OAuth2 accounts": the legacy Norce [Storm] identity. */
export const STORM_TOKEN_URL = 'https://identity.storm.io/1.0/connect/token';

/** The header name in the seed docs' samples; Management API samples use `application-id`. */
export const DEFAULT_APPLICATION_ID_HEADER = 'ApplicationId';

/**
 * The region when none is given: `se`, the only region in Norce's public server lists
 * (docs.norce.io), and the CLI's default too.
 */
export const DEFAULT_NORCE_REGION = 'se';

/**
 * `{clientName}` or `{region}`: one DNS label (RFC 1123), lower-cased to form a host.
 * `example` is a value of that option for the message, e.g. `'acme'` or `'se'`.
 */
export function hostLabel(option: string, value: unknown, example: string): string | undefined {
  return value === undefined
    ? value
    : matching(
        option,
        value,
        /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i,
        `one host-name label, e.g. '${example}'`,
      ).toLowerCase();
}

export function applicationIdOf(value: unknown): string {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
    ? String(value)
    : matching(
        'applicationId',
        value,
        /^\d{1,15}$/,
        'a non-negative integer or a string of digits',
      );
}
