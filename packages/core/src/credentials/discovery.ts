// Authorization server metadata (RFC 8414, then OpenID Connect Discovery 1.0): fetched once per issuer per process, shared by every manager.
import { TokenEndpointError } from '../errors/errors.ts';
import { isRecord } from '../options/validate.ts';
import { secureUrl } from '../request/origins.ts';
import type { FetchContext } from '../types.ts';
import { DiscoveryError } from './grant-errors.ts';

/** What authwire uses of an issuer's metadata. */
export interface IssuerMetadata {
  readonly tokenEndpoint: string;
  /** `token_endpoint_auth_methods_supported`, when listed. */
  readonly authMethods: readonly string[] | undefined;
}

/** Metadata changes rarely; an hour bounds how long a changed token endpoint goes unnoticed. */
export const METADATA_TTL_MS = 3_600_000;
/** Issuers remembered per process: a multi-tenant app with more simply fetches again. */
const MAX_ISSUERS = 256;

interface Cached {
  readonly metadata: Promise<IssuerMetadata>;
  readonly fetchedAt: number;
}
const cache: Map<string, Cached> = /* @__PURE__ */ new Map();

/**
 * The metadata of `issuer`: from the process-wide cache, or fetched with `context.send` (same URL
 * checks, timeout, size bound and error mapping as a token request). Concurrent callers share one
 * fetch; a failure is not cached. A caller whose own request was not aborted retries once when
 * the shared fetch died with another manager's signal.
 */
export async function discover(
  issuer: string,
  context: Pick<FetchContext, 'send' | 'signal'>,
  now: number,
): Promise<IssuerMetadata> {
  for (let attempt = 0; ; attempt++) {
    let cached = cache.get(issuer);
    if (!cached || now - cached.fetchedAt >= METADATA_TTL_MS) {
      if (cache.size >= MAX_ISSUERS) cache.delete(cache.keys().next().value as string);
      const entry = { metadata: fetchMetadata(issuer, context), fetchedAt: now };
      cached = entry;
      cache.set(issuer, entry);
      entry.metadata.catch(() => {
        if (cache.get(issuer) === entry) cache.delete(issuer);
      });
    }
    try {
      return await cached.metadata;
    } catch (error) {
      // Another manager's signal killed the shared fetch: this caller tries once more.
      const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
      const aborted = name === 'AbortError' || code === 'aborted' || code === 'timeout';
      if (attempt > 0 || context.signal.aborted || !aborted) throw error;
    }
  }
}

/**
 * Forgets every cached metadata document (tests; or after an issuer moved its token endpoint).
 *
 * @example
 * afterEach(() => clearDiscoveryCache());
 */
export function clearDiscoveryCache(): void {
  cache.clear();
}

async function fetchMetadata(
  issuer: string,
  context: Pick<FetchContext, 'send'>,
): Promise<IssuerMetadata> {
  const { origin, pathname } = new URL(issuer);
  const path = pathname === '/' ? '' : pathname.replace(/\/$/, '');
  // RFC 8414 §3: the well-known segment goes between host and path; OIDC appends it.
  const urls = [
    `${origin}/.well-known/oauth-authorization-server${path}`,
    `${origin}${path}/.well-known/openid-configuration`,
  ];
  for (const url of urls) {
    try {
      return readMetadata(issuer, (await context.send({ url, method: 'GET' })).body);
    } catch (error) {
      // Not published at this address: try the next one. Anything else (5xx, network) is retried.
      const notFound = [400, 401, 403, 404, 405, 406, 410].includes(
        (error instanceof TokenEndpointError && error.status) || 0,
      );
      if (!notFound) throw error;
    }
  }
  throw new DiscoveryError(issuer, 'no metadata document was found');
}

/** The fields authwire needs, checked: exact issuer, an https (or loopback) token endpoint. */
function readMetadata(issuer: string, body: unknown): IssuerMetadata {
  const fail = (problem: string): never => {
    throw new DiscoveryError(issuer, problem);
  };
  if (!isRecord(body)) return fail('the metadata document is not a JSON object');
  const { token_endpoint: tokenEndpoint, token_endpoint_auth_methods_supported: methods } = body;
  if (body.issuer !== issuer) {
    fail('the document names another issuer (it must match the configured issuer exactly)');
  }
  if (typeof tokenEndpoint !== 'string') return fail('the document has no token_endpoint');
  const listed = Array.isArray(methods) && methods.every((method) => typeof method === 'string');
  return Object.freeze({
    tokenEndpoint: secureUrl(tokenEndpoint, 'token_endpoint').href,
    authMethods: listed ? Object.freeze([...methods]) : undefined,
  });
}
