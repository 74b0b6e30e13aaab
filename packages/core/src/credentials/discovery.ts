// Authorization server metadata (RFC 8414, then OpenID Connect Discovery 1.0): fetched once per issuer per process, shared by every manager.
import { TokenEndpointError } from '../errors/errors.ts';
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
    if (cached && now - cached.fetchedAt >= METADATA_TTL_MS) cached = undefined;
    if (!cached) {
      if (cache.size >= MAX_ISSUERS) cache.delete(cache.keys().next().value as string);
      cached = { metadata: fetchMetadata(issuer, context), fetchedAt: now };
      cache.set(issuer, cached);
      const entry = cached;
      entry.metadata.catch(() => {
        if (cache.get(issuer) === entry) cache.delete(issuer);
      });
    }
    try {
      return await cached.metadata;
    } catch (error) {
      const othersAbort = attempt === 0 && !context.signal.aborted && isAbort(error);
      if (!othersAbort) throw error;
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

/** RFC 8414 §3: the well-known segment goes between host and path; OIDC appends it. */
function metadataUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return [
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
    `${url.origin}${path}/.well-known/openid-configuration`,
  ];
}

async function fetchMetadata(
  issuer: string,
  context: Pick<FetchContext, 'send'>,
): Promise<IssuerMetadata> {
  const urls = metadataUrls(issuer);
  for (let index = 0; ; index++) {
    try {
      const { body } = await context.send({ url: urls[index] as string, method: 'GET' });
      return readMetadata(issuer, body);
    } catch (error) {
      // Not published at this address: try the next one. Anything else (5xx, network) is retried.
      if (!isNotFound(error)) throw error;
      if (index === urls.length - 1) {
        throw new DiscoveryError(issuer, 'no metadata document was found');
      }
    }
  }
}

/** The fields authwire needs, checked: exact issuer, an https (or loopback) token endpoint. */
function readMetadata(issuer: string, body: unknown): IssuerMetadata {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new DiscoveryError(issuer, 'the metadata document is not a JSON object');
  }
  const json = body as Record<string, unknown>;
  if (json.issuer !== issuer) {
    throw new DiscoveryError(
      issuer,
      'the document names another issuer (it must match the configured issuer exactly)',
    );
  }
  if (typeof json.token_endpoint !== 'string') {
    throw new DiscoveryError(issuer, 'the document has no token_endpoint');
  }
  const tokenEndpoint = secureUrl(json.token_endpoint, 'token_endpoint').href;
  const methods = json.token_endpoint_auth_methods_supported;
  const authMethods =
    Array.isArray(methods) && methods.every((method) => typeof method === 'string')
      ? Object.freeze([...methods])
      : undefined;
  return Object.freeze({ tokenEndpoint, authMethods });
}

function isNotFound(error: unknown): boolean {
  return (
    error instanceof TokenEndpointError &&
    error.status !== undefined &&
    [400, 401, 403, 404, 405, 406, 410].includes(error.status)
  );
}

function isAbort(error: unknown): boolean {
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  return name === 'AbortError' || code === 'aborted' || code === 'timeout';
}
