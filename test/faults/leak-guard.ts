// Watches a test file for the three ways a fault can escape: unhandled rejections, console output, secrets.
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, expect, vi } from 'vitest';

/** Everything an error, event or log line shows: inspect (hidden too), JSON, and every stack. */
export function exposedText(value: unknown): string {
  const parts = [inspect(value, { depth: 10, showHidden: true })];
  try {
    parts.push(JSON.stringify(value) ?? '');
  } catch {
    // Circular: nothing leaks through JSON.stringify then.
  }
  for (let e = value, i = 0; e && i < 8; e = (e as { cause?: unknown }).cause, i++) {
    if (e instanceof Error) parts.push(e.message, String(e.stack));
  }
  return parts.join('\n');
}

/** Fails when `value` shows any of `secrets` (checked by name, so a failure does not print it). */
export function expectNoSecrets(value: unknown, secrets: readonly string[], what: string): void {
  const text = exposedText(value);
  const leaked = secrets.map((s, i) => (text.includes(s) ? `secret #${i}` : '')).filter(Boolean);
  expect(leaked, `${what} shows a secret`).toEqual([]);
}

export { authwireErrorIn } from '../drivers/errors.ts';

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

export interface LeakGuard {
  /** Arguments of every console call made during the current test. */
  readonly consoleCalls: unknown[][];
  readonly unhandled: unknown[];
}

/**
 * Registers hooks: every test must end with no unhandled rejection (checked after the event loop
 * had a chance to report one), and console output is captured for secret checks.
 */
export function leakGuard(): LeakGuard {
  const guard: LeakGuard = { consoleCalls: [], unhandled: [] };
  const onRejection = (reason: unknown): void => {
    guard.unhandled.push(reason);
  };
  beforeAll(() => {
    process.on('unhandledRejection', onRejection);
  });
  afterAll(() => {
    process.off('unhandledRejection', onRejection);
  });
  beforeEach(() => {
    guard.consoleCalls.length = 0;
    guard.unhandled.length = 0;
    for (const method of CONSOLE_METHODS) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        guard.consoleCalls.push(args);
      });
    }
  });
  afterEach(async () => {
    // Rejections are reported after a turn of the event loop.
    for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
    vi.restoreAllMocks();
    expect(guard.unhandled.map((reason) => inspect(reason))).toEqual([]);
  });
  return guard;
}
