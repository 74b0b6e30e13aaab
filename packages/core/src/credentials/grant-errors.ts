// Typed errors of discovery and of the grants' terminal answers (RFC 6749 §5.2 invalid_client, invalid_grant).
import { AuthwireError, type AuthwireErrorCode, TokenEndpointError } from '../errors/errors.ts';
import { scrub } from '../errors/redact.ts';

/**
 * The issuer's metadata could not be used: not found at either well-known address, not JSON, an
 * `issuer` that is not exactly the one configured (RFC 8414 §3.3, OIDC Discovery §4.3: a
 * mismatch may be an impersonation), or no usable `token_endpoint`. Not retried.
 *
 * @example
 * try { await auth.getToken(); } catch (error) {
 *   if (error instanceof DiscoveryError) console.error(error.issuer, error.message);
 * }
 */
export class DiscoveryError extends AuthwireError {
  override name = 'DiscoveryError';
  /** The configured issuer. */
  readonly issuer: string;
  constructor(issuer: string, problem: string) {
    super('discovery_failed', `Discovery for ${issuer} failed: ${problem}`);
    this.issuer = issuer;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issuer: this.issuer };
  }
}

/**
 * The server refused the client's credential (`invalid_client`: wrong secret, wrong key, unknown
 * client, a method it does not allow). Not retried; nothing of the credential is in it.
 *
 * @example
 * if (error instanceof InvalidClientError) alert('check the client id and its key or secret');
 */
export class InvalidClientError extends TokenEndpointError {
  override name = 'InvalidClientError';
  override readonly code: AuthwireErrorCode = 'invalid_client';
}

/**
 * The server refused the grant (`invalid_grant`): for a refresh token, it is spent, expired or
 * revoked. Terminal: the provider sends that refresh token no more; a new one must be obtained
 * by the user (a new authorization) and configured.
 *
 * @example
 * if (error instanceof InvalidGrantError) await askTheShopToReinstall();
 */
export class InvalidGrantError extends TokenEndpointError {
  override name = 'InvalidGrantError';
  override readonly code: AuthwireErrorCode = 'invalid_grant';
}

/**
 * `error` as its typed refinement when the server said `invalid_client` / `invalid_grant`, its
 * texts scrubbed of `secrets` too (values the request sent that the provider's list lacked).
 */
export function refineEndpointError(error: unknown, secrets: readonly string[] = []): unknown {
  if (!(error instanceof TokenEndpointError) || error.constructor !== TokenEndpointError) {
    return error;
  }
  const Refined =
    error.error === 'invalid_client'
      ? InvalidClientError
      : error.error === 'invalid_grant'
        ? InvalidGrantError
        : TokenEndpointError;
  if (Refined === TokenEndpointError && secrets.length === 0) return error;
  const clean = (text: string | undefined) => (text === undefined ? text : scrub(text, secrets));
  return new Refined(scrub(error.message, secrets), {
    endpoint: error.endpoint,
    status: error.status,
    error: clean(error.error),
    errorDescription: clean(error.errorDescription),
    retryable: Refined === TokenEndpointError && error.retryable,
    cause: error.cause,
  });
}
