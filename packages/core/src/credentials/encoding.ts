// What signing, fingerprints and DPoP share: base64url, base64url JSON, and a process-local name
// per key object. Apart from fingerprint.ts so that DPoP bundles no SHA-256 of its own.

/** Unpadded base64url (RFC 4648 §5) of `bytes`. */
export function base64url(bytes: ArrayBuffer | Uint8Array): string {
  let binary = '';
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** base64url of `value` as JSON: a JWS header or payload (RFC 7515 §3). */
export function encodeJson(value: unknown): string {
  return base64url(new TextEncoder().encode(JSON.stringify(value)));
}

const localIds = /* @__PURE__ */ new WeakMap<object, string>();

/**
 * A random name for `key` within this process, the same for the same object: for a key whose
 * public part cannot be read synchronously. A WeakMap, so a dropped key leaves nothing.
 *
 * @example
 * localId(cryptoKey) === localId(cryptoKey); // true
 */
export function localId(key: object): string {
  const id = localIds.get(key) ?? crypto.randomUUID();
  localIds.set(key, id);
  return id;
}
