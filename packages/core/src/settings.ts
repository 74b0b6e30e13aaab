// The manager's numeric settings: defaults, and the checks on what a caller passes.
import { InvalidOptionsError } from './errors.ts';
import type { TokenManagerOptions } from './manager-types.ts';
import type { TokenProvider } from './types.ts';

const DEFAULTS = {
  refreshWindowMs: 120_000,
  expiryMarginMs: 30_000,
  requestTimeoutMs: 15_000,
  maxAttempts: 3,
  retryBaseDelayMs: 250,
  retryMaxDelayMs: 10_000,
  maxRetryAfterMs: 10_000,
  lockTtlMs: 60_000,
  defaultLifetimeMs: 300_000,
  defaultRetryAfterMs: 30_000,
} as const;

export type Settings = { -readonly [K in keyof typeof DEFAULTS]: number };

export function settingsFrom(provider: TokenProvider, options: TokenManagerOptions): Settings {
  const settings: Settings = { ...DEFAULTS };
  const given: Record<string, unknown> = {
    ...options,
    defaultLifetimeMs: provider.defaultLifetimeMs,
  };
  for (const name of Object.keys(DEFAULTS) as (keyof Settings)[]) {
    const value = given[name];
    if (value === undefined) continue;
    const min = name === 'maxAttempts' ? 1 : 0;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
      throw new InvalidOptionsError(name, `${name} must be a finite number ≥ ${min}`);
    }
    settings[name] = value;
  }
  return settings;
}
