// The one redaction home: the marker, the terminal-safe line, a provider's label, and the one scrubber: every text that leaves the library (errors, events, debug lines, spans, metrics) is
// cleaned here of the provider's secrets, the tokens in play and the token URL's query values.

import type { Token, TokenProvider } from '../types.ts';
import { isAuthwireError, scrubbedError } from './authwire-error.ts';

/**
 * What replaces a credential in anything we hand back to a caller.
 *
 * @example
 * expect(error.config.headers.Authorization).toBe(REDACTED);
 */
export const REDACTED = '[redacted]';

/** Longest message an AuthwireError carries: a log line, not a page. */
const MAX_MESSAGE_LENGTH = 500;

/**
 * Text as it may enter a message: no control characters (C0, DEL, C1), no ANSI escape sequences,
 * no bidi overrides or line separators (log injection, terminal tricks), at most `max` characters.
 * It does not scrub secrets: callers scrub first (`scrub`).
 *
 * @example
 * process.stdout.write(`scope: ${sanitizeText(scrub(body.scope, secrets), 200)}\n`);
 */
export function sanitizeText(
  text: string,
  max: number = MAX_MESSAGE_LENGTH,
  replacement = ' ',
): string {
  // biome-ignore-start lint/suspicious/noControlCharactersInRegex: control characters are what these remove
  const clean = text
    // CSI (ESC [ or the 8-bit 0x9b some terminals still honour … final), OSC (ESC ] … BEL | ESC \),
    // then any other ESC pair.
    .replace(/(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?/g, '')
    .replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g, replacement);
  // biome-ignore-end lint/suspicious/noControlCharactersInRegex: -
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** `provider.label` cleaned up, else the first part of its key (e.g. `client-credentials`). */
export function cleanLabel(provider: TokenProvider): string {
  const label = provider.label || provider.key.split('|')[0]!;
  return sanitizeText(label.replace(/[?#].*$/, ''), 200);
}

/** Longest piece of server text (an OAuth `error_description`, …) copied into a message. */
const MAX_SERVER_TEXT_LENGTH = 200;

/** No length limit, for text that is bounded later. */
const NO_LIMIT = Number.POSITIVE_INFINITY;

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
  const joined = scrub(sanitizeText(once, NO_LIMIT, ''), secrets);
  const spaced = sanitizeText(once, NO_LIMIT);
  const count = (value: string): number => value.split(REDACTED).length;
  return sanitizeText(count(joined) > count(spaced) ? joined : spaced, max);
}

/** The encodings a server may quote a credential back in. */
function formsOf(secret: string): Set<string> {
  const json = JSON.stringify(secret).slice(1, -1);
  return new Set<string>([
    secret,
    encodeURIComponent(secret),
    // RFC 3986 percent-encoding of everything but unreserved characters (some clients do this).
    encodeURIComponent(secret).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16)}`),
    new URLSearchParams({ v: secret }).toString().slice(2),
    json,
    json.replace(/\//g, '\\/'),
    // JSON with every non-ASCII character escaped (Python's json.dumps default).
    json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    ...base64Forms(secret),
  ]);
}

/** base64 and base64url of the UTF-8 bytes, alone and at the three alignments inside a longer string. */
function base64Forms(secret: string): string[] {
  const bytes = new TextEncoder().encode(secret);
  const forms: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    let binary = '\0'.repeat(shift);
    for (const byte of bytes) binary += String.fromCharCode(byte);
    const encoded = btoa(binary);
    // Only the characters every bit of which comes from the secret.
    const inner = encoded.slice(
      Math.ceil((shift * 8) / 6),
      Math.floor(((shift + bytes.length) * 8) / 6),
    );
    if (inner.length >= 6) forms.push(inner);
    if (shift === 0) forms.push(encoded, encoded.replace(/=+$/, ''));
  }
  return [...forms, ...forms.map((form) => form.replace(/\+/g, '-').replace(/\//g, '_'))];
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
 * The values of a URL's query and fragment parameters (`?code=…`, `#key=…`): some gateways take a
 * credential there, and a server may quote it back. Names are not secrets; values are.
 *
 * @example
 * queryValues('https://id.example.com/token?code=s3cr3t-code'); // ['s3cr3t-code']
 */
export function queryValues(url: URL | string): string[] {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return [];
  }
  const values: string[] = [];
  for (const part of [parsed.search.slice(1), parsed.hash.slice(1)]) {
    for (const [, value] of new URLSearchParams(part)) values.push(value);
    // The raw text too: a server may echo the parameter as it was sent.
    for (const raw of part.split('&')) values.push(raw.slice(raw.indexOf('=') + 1));
  }
  return values.filter((value) => value !== '');
}

/**
 * The credentials a token carries (the access token), for a scrub list.
 *
 * @example
 * const error = scrubError(caught, [...secrets, ...tokenSecrets(token)]);
 */
export function tokenSecrets(token: Token | undefined | null): string[] {
  const accessToken = (token as { accessToken?: unknown } | undefined | null)?.accessToken;
  return typeof accessToken === 'string' ? [accessToken] : [];
}

/**
 * What an error about a key must not quote: the provider's secrets, `token`, and every token the
 * key serves or recently rejected (one list for a token fetch's errors and a store's).
 */
export function secretsInPlay(
  provider: Pick<TokenProvider, 'secrets'>,
  token: Token | undefined,
  entry: { knownAccessTokens(): readonly string[] },
): string[] {
  return [...(provider.secrets ?? []), ...tokenSecrets(token), ...entry.knownAccessTokens()];
}

/** Whether `secret` (in any form `scrub` knows) occurs in `text`. */
function mentions(text: unknown, secrets: readonly string[]): boolean {
  return typeof text === 'string' && text !== '' && scrub(text, secrets) !== text;
}

/**
 * Whether an error carries one of `secrets` anywhere a logger, a span or a caller may read it:
 * its message, its stack, its own string fields, or any of that along its `cause` chain.
 */
function errorMentions(value: unknown, secrets: readonly string[], depth = 0): boolean {
  if (depth >= 8 || typeof value !== 'object' || value === null) return mentions(value, secrets);
  const error = value as { message?: unknown; stack?: unknown; cause?: unknown };
  if (mentions(error.message, secrets) || mentions(error.stack, secrets)) return true;
  for (const field of Object.values(value)) {
    if (typeof field === 'string' && mentions(field, secrets)) return true;
  }
  return error.cause !== undefined && errorMentions(error.cause, secrets, depth + 1);
}

/**
 * The error as it may leave the library: THE scrubber every exit uses (what a caller catches,
 * events and so the debug line and metrics, the span a tracing wrapper ends).
 * - anything thrown that is not an Error (a string): an Error whose message is its text, scrubbed;
 * - an Error that carries none of `secrets` anywhere: as it is (identity kept);
 * - an authwire error that does (a custom provider built one quoting its secret): scrubbed in
 *   place, message, stack and string fields;
 * - any other Error that does, in its message, stack, fields or causes: replaced by a plain Error
 *   with its name, `code`, HTTP `status` and scrubbed message; its causes keep their name only.
 *
 * @example
 * throw scrubError(caught, [...provider.secrets, ...tokenSecrets(current), ...queryValues(url)]);
 */
export function scrubError(value: unknown, secrets: readonly string[]): Error {
  try {
    if (!(value instanceof Error)) return new Error(cleanServerText(String(value), secrets));
    if (!errorMentions(value, secrets)) return value;
    const clean = (text: string): string => cleanServerText(text, secrets, NO_LIMIT);
    if (isAuthwireError(value)) {
      for (const field of Object.keys(value)) {
        const text = (value as unknown as Record<string, unknown>)[field];
        if (typeof text === 'string') trySet(value, field, clean(text));
      }
      trySet(value, 'message', sanitizeText(clean(value.message)));
      if (typeof value.stack === 'string') trySet(value, 'stack', scrub(value.stack, secrets));
      if (value.cause !== undefined && errorMentions(value.cause, secrets)) {
        trySet(value, 'cause', scrubbedError(value.cause, clean));
      }
      return value;
    }
    const replaced = scrubbedError(value, clean) as Error;
    const status = (value as { status?: unknown }).status;
    if (Number.isInteger(status) && (status as number) >= 100 && (status as number) <= 599) {
      Object.defineProperty(replaced, 'status', { value: status, enumerable: true });
    }
    return replaced;
  } catch {
    // Reading it threw (a hostile getter, a Proxy, a toString that throws): nothing of it is kept.
    return new Error('An error that could not be read (not shown)');
  }
}

function trySet(target: object, field: string, value: unknown): void {
  try {
    Object.defineProperty(target, field, { value, writable: true, configurable: true });
  } catch {
    // A frozen error keeps its field; its message was sanitized when it was made.
  }
}
