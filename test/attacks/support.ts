// Shared pieces of the attack suite: the no-secret assertion, hostile loopback servers, a steerable clock.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { inspect } from 'node:util';
import { type Clock, isAuthwireError, type TokenEvent } from '@authwire/core';
import { makeFakeJwt } from '@authwire/msw';
import { expect } from 'vitest';

export { leakGuard } from '../faults/leak-guard.ts';

/** Every way a value can be shown: inspect (hidden too, depth 10), JSON, messages and stacks of its cause chain. */
export function renderings(value: unknown): string[] {
  const parts = [inspect(value, { depth: 10, showHidden: true }), inspect(value, { depth: 10 })];
  try {
    parts.push(JSON.stringify(value) ?? '');
  } catch {
    // Circular: JSON.stringify shows nothing then.
  }
  for (let e = value, i = 0; e && i < 10; e = (e as { cause?: unknown }).cause, i++) {
    if (e instanceof Error) parts.push(String(e.message), String(e.stack));
    else if (i > 0) parts.push(inspect(e, { depth: 10, showHidden: true }));
  }
  return parts;
}

/**
 * Fails when any of `values` (errors, events, managers, providers, log lines) shows any of
 * `secrets` in any rendering. Secrets are named by index so a failure does not print them.
 */
export function assertNoSecrets(values: readonly unknown[], secrets: readonly string[]): void {
  const leaks: string[] = [];
  values.forEach((value, v) => {
    const text = renderings(value).join('\n');
    secrets.forEach((secret, s) => {
      if (secret.length > 0 && text.includes(secret)) leaks.push(`value #${v} shows secret #${s}`);
    });
  });
  expect(leaks).toEqual([]);
}

/** The AuthwireError an error is or carries in its cause chain (clients wrap hook errors). */
export function authwireErrorIn(error: unknown): (Error & { code: string }) | undefined {
  for (let e = error, i = 0; e && i < 8; e = (e as { cause?: unknown }).cause, i++) {
    if (isAuthwireError(e)) return e;
  }
  return undefined;
}

/** Resolves to the rejection of `promise` (fails if it resolves), and how long it took. */
export async function rejectionOf(
  promise: Promise<unknown>,
): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  try {
    await promise;
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
  throw new Error('expected a rejection');
}

/** `promise`, or a rejection after `ms`: a hang becomes a failure instead of a test timeout. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Events collected from `onEvent`. */
export function eventLog(): { events: TokenEvent[]; onEvent: (event: TokenEvent) => void } {
  const events: TokenEvent[] = [];
  return { events, onEvent: (event) => events.push(event) };
}

/**
 * The waits a manager announced before sending or failing: a slot or a 429 waited out
 * (`rate_limited` with `willWait`), a retry after a back-off, a wait for another caller's lock.
 * Empty when a request was refused at once, however slow the machine.
 *
 * @example
 * expect(waitsOf(log.events)).toEqual([]);
 */
export function waitsOf(events: readonly TokenEvent[]): TokenEvent[] {
  return events.filter(
    (event) =>
      (event.type === 'rate_limited' && event.willWait) ||
      (event.type === 'token_request_failed' && event.willRetry) ||
      event.type === 'lock_wait',
  );
}

/**
 * A real clock whose wall time can be stepped (`shift`), recording every sleep it is asked for.
 * Sleeps longer than `fastSleepMs` (a minute: longer than any request timeout) resolve at once (advancing the shift) so a test never waits
 * minutes; the requested durations stay visible in `sleeps`, and those that ran to their end
 * (not aborted: a request's deadline is a sleep aborted when the answer comes) in `slept`.
 */
export function steppableClock(fastSleepMs = 60_000): Clock & {
  shift(ms: number): void;
  readonly sleeps: number[];
  readonly slept: number[];
} {
  let offset = 0;
  const sleeps: number[] = [];
  const slept: number[] = [];
  return {
    now: () => Date.now() + offset,
    random: () => 0.5,
    sleeps,
    slept,
    shift(ms) {
      offset += ms;
    },
    sleep(ms, signal) {
      sleeps.push(ms);
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        if (ms > fastSleepMs) {
          offset += ms;
          slept.push(ms);
          return resolve();
        }
        const timer = setTimeout(
          () => {
            slept.push(ms);
            resolve();
          },
          Math.max(0, Math.min(ms, 2 ** 31 - 1)),
        );
        signal?.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            reject(signal.reason);
          },
          { once: true },
        );
      });
    },
  };
}

export type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
) => void | Promise<void>;

export interface HostileServer {
  readonly origin: string;
  /** Requests per path (`/token`, `/api/x`, ...). */
  readonly hits: Map<string, number>;
  /** Requests whose path starts with `prefix`. */
  count(prefix: string): number;
  /** Every Authorization header received, by path. */
  readonly authorizations: { path: string; authorization: string | undefined }[];
  /** Every access token issued with `issue()`. */
  readonly issued: string[];
  /** A fresh JWT access token (1 h), recorded as issued. */
  issue(claims?: Record<string, unknown>): string;
  close(): Promise<void>;
}

/** A raw node:http server on 127.0.0.1 answering every request with `handler`. */
export async function hostileServer(handler: Handler): Promise<HostileServer> {
  const hits = new Map<string, number>();
  const authorizations: HostileServer['authorizations'] = [];
  const issued: string[] = [];
  const sockets = new Set<Socket>();
  let serial = 0;
  const server = createServer((req, res) => {
    res.setHeader('connection', 'close');
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    authorizations.push({ path, authorization: req.headers.authorization });
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      Promise.resolve(handler(req, res, Buffer.concat(chunks).toString())).catch(() => {
        res.destroy();
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    hits,
    authorizations,
    issued,
    count: (prefix) =>
      [...hits].filter(([path]) => path.startsWith(prefix)).reduce((n, [, c]) => n + c, 0),
    issue(claims = {}) {
      const now = Math.floor(Date.now() / 1000);
      serial += 1;
      const token = makeFakeJwt({ iat: now, exp: now + 3600, jti: `a${serial}`, ...claims });
      issued.push(token);
      return token;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Writes `body` as JSON with `status`. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** A token endpoint answer for `accessToken` (1 h, Bearer). */
export function tokenAnswer(res: ServerResponse, accessToken: string, extra = {}): void {
  sendJson(res, 200, {
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: 3600,
    ...extra,
  });
}

/** Reads a client-credentials form body. */
export function formOf(body: string): URLSearchParams {
  return new URLSearchParams(body);
}

/** Whether `text` has a C0 or C1 control character, DEL or ESC (what log injection uses). */
export function hasControlCharacters(text: string | undefined): boolean {
  for (const char of text ?? '') {
    const code = char.charCodeAt(0);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}
