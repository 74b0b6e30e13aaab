// The DPoP nonces servers handed out (RFC 9449 §8, §9), per origin: the latest one is used from then on.

import { DPOP_NONCES_KEPT } from '../options/settings.ts';
import { originOf } from '../request/origins.ts';

/** A nonce is an opaque printable string (RFC 9449 §8.1: NQCHAR, 1 or more). */
const NONCE = /^[\x21\x23-\x5b\x5d-\x7e]{1,512}$/;

/** Latest nonce per origin, bounded: an origin not seen for a while falls out first. */
export class Nonces {
  readonly #byOrigin = new Map<string, string>();

  get(url: string | URL): string | undefined {
    const origin = originOf(url);
    return origin === undefined ? undefined : this.#byOrigin.get(origin);
  }

  /** Remembers `nonce` for `url`'s origin; ignores a missing or malformed one. Returns whether it did. */
  set(url: string | URL, nonce: string | undefined): boolean {
    const origin = originOf(url);
    if (origin === undefined || nonce === undefined || !NONCE.test(nonce)) return false;
    this.#byOrigin.delete(origin);
    this.#byOrigin.set(origin, nonce);
    if (this.#byOrigin.size > DPOP_NONCES_KEPT) {
      this.#byOrigin.delete(this.#byOrigin.keys().next().value as string);
    }
    return true;
  }
}
