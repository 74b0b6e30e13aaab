// What an adapter attached, found again from a request's own headers: no per-request bookkeeping.
import type { Authorization } from './types.ts';

/** Authorizations recently attached, by their Authorization value, and every header name used. */
export interface SentHeaders {
  /** Lower-cased names of every header this adapter attached: stripped on redirects, redacted. */
  readonly names: ReadonlySet<string>;
  remember(authorization: Authorization): void;
  find(value: unknown): Authorization | undefined;
}

// A 401 can only come back for a token handed out recently; older ones have long been replaced.
const KEEP = 4;

/**
 * For adapters: remembers the Authorizations they attach, so a 401 finds the token it was sent
 * with from the request's own `Authorization` header, and errors can be redacted by header name.
 */
export function sentHeaders(): SentHeaders {
  const names = new Set<string>();
  const byValue = new Map<string, Authorization>();
  let last: Authorization | undefined;
  return {
    names,
    remember(authorization) {
      if (authorization === last) return;
      last = authorization;
      for (const name of Object.keys(authorization.headers)) names.add(name.toLowerCase());
      byValue.set(authorization.headers.Authorization as string, authorization);
      if (byValue.size > KEEP) byValue.delete(byValue.keys().next().value as string);
    },
    find: (value) => (typeof value === 'string' ? byValue.get(value) : undefined),
  };
}
