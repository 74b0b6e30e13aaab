// Checks of single Norce options; each failure is an InvalidOptionsError naming the option.
import { invalidOption } from '@authwire/core/kit';

/** docs.norce.io, "Accessing APIs with OAuth2 accounts": the legacy Norce [Storm] identity. */
export const STORM_TOKEN_URL = 'https://identity.storm.io/1.0/connect/token';

/** The header name in the seed docs' samples; Management API samples use `application-id`. */
export const DEFAULT_APPLICATION_ID_HEADER = 'ApplicationId';

/**
 * `value` when it is a string matching `pattern`, else an error saying the option `must be …`.
 * Messages never include the value: it may be a misplaced secret.
 */
export function matching(option: string, value: unknown, pattern: RegExp, must: string): string {
  return typeof value === 'string' && pattern.test(value)
    ? value
    : invalidOption(option, `must be ${must}`);
}

/** A client id or secret: non-empty, without the stray whitespace of a copied value. */
export function credential(option: string, value: unknown): string {
  return matching(
    option,
    value,
    /^\S(?:[\s\S]*\S)?$/,
    'a non-empty string without surrounding spaces',
  );
}

/** `{clientName}` or `{region}`: one DNS label (RFC 1123), lower-cased to form a host. */
export function hostLabel(option: string, value: unknown): string | undefined {
  return value === undefined
    ? value
    : matching(
        option,
        value,
        /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i,
        "one host-name label, e.g. 'se'",
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
