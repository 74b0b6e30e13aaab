// What `authwire token` prints: the summary, the curl line, and the same as JSON; server text made terminal-safe.
import type { Token } from '@authwire/core';
import type { Target } from './providers.ts';
import { terminalSafe } from './terminal.ts';

/** The summary rows: expiry, scope and type (from the server, so made safe), then the target's own. */
function rows(target: Target, token: Token, now: number): (readonly [string, string])[] {
  const minutes = Math.round((token.expiresAt - now) / 60_000);
  return [
    ['expires', `${new Date(token.expiresAt).toISOString()} (in ${minutes} min)`],
    ['scope', token.scope === undefined ? '(none in the response)' : terminalSafe(token.scope)],
    ['token type', terminalSafe(token.tokenType)],
    ...target.details.map(([name, value]) => [name, terminalSafe(value)] as const),
  ];
}

export function describeToken(target: Target, token: Token, now: number): string {
  const table = rows(target, token, now);
  const width = Math.max(...table.map(([name]) => name.length));
  const lines = table.map(([name, value]) => `  ${name.padEnd(width)}  ${value}\n`).join('');
  return `✓ ${terminalSafe(target.title)}\n${lines}`;
}

/** The summary as one JSON object (no access token unless `curl` carries it). */
export function tokenJson(
  platform: string,
  target: Target,
  token: Token,
  now: number,
  curl: string | undefined,
): string {
  const details = Object.fromEntries(
    target.details.map(([name, value]) => [name, terminalSafe(value)]),
  );
  return `${JSON.stringify({
    ok: true,
    platform,
    title: target.title,
    expiresAt: new Date(token.expiresAt).toISOString(),
    expiresInSeconds: Math.round((token.expiresAt - now) / 1000),
    scope: token.scope === undefined ? null : terminalSafe(token.scope),
    tokenType: terminalSafe(token.tokenType),
    details,
    ...(curl === undefined ? {} : { curl }),
  })}\n`;
}

/** POSIX shell single quotes: nothing inside is expanded. */
const quote = (text: string): string => `'${text.replaceAll("'", "'\\''")}'`;

/**
 * A curl command that pipes cleanly: `-sS` (no progress meter, errors still shown), every header
 * and the URL single-quoted.
 */
export function curlCommand(url: string, headers: Readonly<Record<string, string>>): string {
  const flags = Object.entries(headers).map(([name, value]) => `-H ${quote(`${name}: ${value}`)}`);
  return ['curl', '-sS', ...flags, quote(url)].join(' ');
}
