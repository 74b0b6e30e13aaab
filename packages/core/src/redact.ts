// Scrubs known secrets out of text that came from a server or a user, before it enters an error.
import { REDACTED } from './body.ts';

export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    // A server that quotes the request back quotes it encoded: cover the forms we send.
    const forms = new Set([
      secret,
      encodeURIComponent(secret),
      new URLSearchParams({ v: secret }).toString().slice(2),
    ]);
    for (const form of forms) out = out.split(form).join(REDACTED);
  }
  return out;
}

/** Keeps error details short: a huge HTML page is no help in a log line. */
export function truncate(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
