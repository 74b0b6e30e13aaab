// What a provider's per-request hooks see: the request a header is computed for, and a response (a 401 challenge).

/**
 * What a per-request header is computed from.
 *
 * @example
 * ```ts
 * requestHeaders: (token, { method, url }) => ({ DPoP: proof(method, url, token) }),
 * ```
 */
export interface RequestTarget {
  readonly method: string;
  readonly url: string;
}

/**
 * A 401 as the request seam saw it.
 *
 * @example
 * ```ts
 * challenged: (token, challenge) => challenge.headers('DPoP-Nonce') !== undefined,
 * ```
 */
export interface Challenge {
  readonly status: number;
  /** The URL that answered (after any redirect), when the seam knows it. */
  readonly url?: string | undefined;
  /** Reads a response header, case-insensitively (`WWW-Authenticate`, `DPoP-Nonce`). */
  readonly headers: (name: string) => string | undefined;
}
