// A provider that hands out numbered tokens and records every fetch, for manager tests.
import type { Token, TokenProvider } from '../src/index.ts';
import type { FetchContext } from '../src/kit.ts';

export interface FakeProviderOptions {
  key?: string;
  lifetimeMs?: number;
  /** How long a fetch takes (fake timers advance it). */
  delayMs?: number;
  /** Decides the outcome of fetch number `n` (1-based): an error to throw, or undefined for a token. */
  outcome?: (n: number) => Error | undefined;
  headers?: TokenProvider['headers'];
  rateLimit?: TokenProvider['rateLimit'];
}

export interface FakeProvider extends TokenProvider {
  readonly calls: FetchContext[];
  /** Fetches currently running, and the most ever running at once. */
  readonly running: { now: number; max: number };
}

let keys = 0;

export function fakeProvider(options: FakeProviderOptions = {}): FakeProvider {
  const calls: FetchContext[] = [];
  const running = { now: 0, max: 0 };
  const lifetimeMs = options.lifetimeMs ?? 3_600_000;
  return {
    key: options.key ?? `fake-${++keys}`,
    origins: ['https://api.example.com'],
    calls,
    running,
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
    async fetchToken(context): Promise<Token> {
      calls.push(context);
      const n = calls.length;
      running.now += 1;
      running.max = Math.max(running.max, running.now);
      try {
        const sentAt = Date.now();
        if (options.delayMs) await sleep(options.delayMs, context.signal);
        const error = options.outcome?.(n);
        if (error) throw error;
        return {
          accessToken: `token-${n}`,
          tokenType: 'Bearer',
          issuedAt: sentAt,
          expiresAt: sentAt + lifetimeMs,
        };
      } finally {
        running.now -= 1;
      }
    },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}
