// The one redaction home: the marker, scrubbing secrets out of text, server text cleaned for a message, a provider's label.

import type { TokenProvider } from '../types.ts';

/** Longest message an AuthwireError carries: a log line, not a page. */
export const MAX_MESSAGE_LENGTH = 500;

/**
 * Text as it may enter a message: no control characters (C0, DEL, C1), no ANSI escape sequences,
 * no bidi overrides or line separators (log injection, terminal tricks), at most `max` characters.
 * It does not scrub secrets: callers scrub first (`scrub` in redact.ts).
 */
export function sanitizeText(
  text: string,
  max: number = MAX_MESSAGE_LENGTH,
  replacement = ' ',
): string {
  // biome-ignore-start lint/suspicious/noControlCharactersInRegex: control characters are what these remove
  const clean = text
    // CSI (ESC [ … final) and OSC (ESC ] … BEL | ESC \) sequences, then any other ESC pair.
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '')
    .replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?/g, '')
    .replace(/\x1b[@-_]?/g, '')
    .replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g, replacement);
  // biome-ignore-end lint/suspicious/noControlCharactersInRegex: -
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** Longest piece of server text (an OAuth `error_description`, …) copied into a message. */
export const MAX_SERVER_TEXT_LENGTH = 200;

/** Secrets shorter than this are not scrubbed: replacing `ab` everywhere would mangle messages. */
const MIN_SECRET_LENGTH = 4;

/**
 * Replaces every form of each secret in `text` with `[redacted]`: raw, URI-encoded (upper- or
 * lower-case `%`-escapes), form-encoded (`+` for space), JSON-escaped (with `\/` and `\u00XX` in
 * either case), base64 / base64url (padded or not, and at any alignment inside a longer base64
 * string, e.g. a Basic header).
 *
 * @example
 * scrub(`invalid_client: ${encodeURIComponent(secret).toLowerCase()}`, [secret]); // 'invalid_client: [redacted]'
 */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) continue;
    // Built per call, not cached: the list includes live access tokens (bearers), which must not
    // outlive the request in a module-level map. Scrubbing only runs on error paths.
    const pattern = new RegExp(
      [...formsOf(secret)]
        .sort((a, b) => b.length - a.length)
        .map(caseInsensitiveEscapes)
        .join('|'),
      'g',
    );
    out = out.replace(pattern, REDACTED);
  }
  return out;
}

/**
 * Server text as it may enter a message or an error field: secrets scrubbed, control characters
 * and escape sequences removed, at most `max` characters.
 *
 * @example
 * const description = cleanServerText(body.error_description, [clientSecret, bearer]);
 */
export function cleanServerText(
  text: string,
  secrets: readonly string[],
  max: number = MAX_SERVER_TEXT_LENGTH,
): string {
  const once = scrub(text, secrets);
  // A secret split by a stray CR or escape sequence: scrubbed once the control characters are out.
  const joined = scrub(sanitizeText(once, Number.POSITIVE_INFINITY, ''), secrets);
  const spaced = sanitizeText(once, Number.POSITIVE_INFINITY);
  const count = (value: string): number => value.split(REDACTED).length;
  return sanitizeText(count(joined) > count(spaced) ? joined : spaced, max);
}

/** The encodings a server may quote a credential back in. */
function formsOf(secret: string): Set<string> {
  const json = JSON.stringify(secret).slice(1, -1);
  const forms = new Set<string>([
    secret,
    encodeURIComponent(secret),
    // RFC 3986 percent-encoding of everything but unreserved characters (some clients do this).
    encodeURIComponent(secret).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16)}`),
    new URLSearchParams({ v: secret }).toString().slice(2),
    json,
    json.replace(/\//g, '\\/'),
    // JSON with every non-ASCII character escaped (Python's json.dumps default).
    json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  ]);
  for (const form of base64Forms(secret)) forms.add(form);
  return forms;
}

/** base64 and base64url of the UTF-8 bytes, alone and at the three alignments inside a longer string. */
function base64Forms(secret: string): string[] {
  const bytes = new TextEncoder().encode(secret);
  const out: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const padded = new Uint8Array(shift + bytes.length);
    padded.set(bytes, shift);
    let binary = '';
    for (const byte of padded) binary += String.fromCharCode(byte);
    const encoded = btoa(binary);
    // Only the characters every bit of which comes from the secret.
    const first = Math.ceil((shift * 8) / 6);
    const last = Math.floor(((shift + bytes.length) * 8) / 6);
    const inner = encoded.slice(first, last);
    if (inner.length >= 6) {
      out.push(inner, inner.replace(/\+/g, '-').replace(/\//g, '_'));
    }
    if (shift === 0) {
      const unpadded = encoded.replace(/=+$/, '');
      out.push(encoded, unpadded, unpadded.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  return out;
}

/** A regex source matching `form` literally, with `%XX` and `\uXXXX` hex digits in either case. */
function caseInsensitiveEscapes(form: string): string {
  return form
    .replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')
    .replace(/[a-fA-F]/g, (c, offset: number, whole: string) => {
      // Only hex digits that are part of an escape: after `%` / `%X`, or after `\\u`.
      const before = whole.slice(Math.max(0, offset - 7), offset);
      return /%[0-9a-fA-F]?$/.test(before) || /\\\\u[0-9a-fA-F]{0,3}$/.test(before)
        ? `[${c.toLowerCase()}${c.toUpperCase()}]`
        : c;
    });
}

/**
 * `value` as an Error: an Error as it is; anything else (a provider or store that throws a string)
 * wrapped, its text scrubbed of `secrets` and made one bounded line.
 */
export function asError(value: unknown, secrets: readonly string[] = []): Error {
  return value instanceof Error ? value : new Error(cleanServerText(String(value), secrets));
}

/**
 * What replaces a credential in anything we hand back to a caller.
 *
 * @example
 * ```ts
 * expect(error.config.headers.Authorization).toBe(REDACTED);
 * ```
 */
export const REDACTED = '[redacted]';

/** `provider.label` cleaned up, else the first part of its key (e.g. `client-credentials`). */
export function cleanLabel(provider: TokenProvider): string {
  const given = typeof provider.label === 'string' ? provider.label : '';
  const label = given === '' ? (provider.key.split('|')[0] ?? 'provider') : given;
  return sanitizeText(label.replace(/[?#].*$/, ''), 200);
}
