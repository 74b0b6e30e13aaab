// Attribute names and the label split: what every span and metric point is keyed by.
import type { Attributes } from '@opentelemetry/api';

/** Attribute keys this package sets; `error.type` and the `http.*` / `server.*` keys are OTel's own. */
export const ATTR = {
  provider: 'authwire.provider',
  endpoint: 'authwire.endpoint',
  reason: 'authwire.reason',
  attempt: 'authwire.attempt',
  background: 'authwire.background',
  outcome: 'authwire.outcome',
  willRetry: 'authwire.will_retry',
  oauthError: 'authwire.oauth.error',
  why: 'authwire.why',
  rateLimitSource: 'authwire.rate_limit.source',
  willWait: 'authwire.rate_limit.will_wait',
  lockOutcome: 'authwire.lock.outcome',
  storeOperation: 'authwire.store.operation',
  errorType: 'error.type',
  httpStatus: 'http.response.status_code',
  serverAddress: 'server.address',
} as const;

const byLabel = new Map<string, Attributes>();

/**
 * `norce acme.api-se.stage.norce.tech/identity/1.0/connect/token` → provider `norce`, endpoint
 * `acme.api-se.stage.norce.tech/identity/1.0/connect/token`. Labels are few (one per configured
 * endpoint), so the split is worked out once per label; the cache is bounded all the same.
 */
export function labelAttributes(label: string): Attributes {
  let attributes = byLabel.get(label);
  if (!attributes) {
    const space = label.indexOf(' ');
    attributes = Object.freeze(
      space < 0
        ? { [ATTR.provider]: label }
        : { [ATTR.provider]: label.slice(0, space), [ATTR.endpoint]: label.slice(space + 1) },
    );
    if (byLabel.size >= 256) byLabel.clear();
    byLabel.set(label, attributes);
  }
  return attributes;
}

/** `error.type` (the authwire error `code`), HTTP status and OAuth `error` of a failed attempt. */
export function failureAttributes(error: unknown): Attributes {
  const attributes: Attributes = { [ATTR.errorType]: errorType(error) };
  const { status, error: oauthError } = (error ?? {}) as { status?: unknown; error?: unknown };
  if (typeof status === 'number') attributes[ATTR.httpStatus] = status;
  // The OAuth `error` is a short code (`invalid_client`); anything else a server sends is dropped.
  if (typeof oauthError === 'string' && /^[\w.-]{1,64}$/.test(oauthError)) {
    attributes[ATTR.oauthError] = oauthError;
  }
  return attributes;
}

/** The typed error's stable `code`; `_OTHER` (OTel's fallback) for anything that is not ours. */
export function errorType(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code !== '' ? code : '_OTHER';
}

/** The host of a URL (origin + path in events), or undefined when it does not parse. */
export function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}
