// Fake time for manager tests, and the managers a test creates, closed after each test.
import { afterEach, beforeEach, vi } from 'vitest';
import type { TokenManager } from '../src/index.ts';

/** Installs fake timers (at `now`) around each test; returns a list whose managers are closed after it. */
export function managersOnFakeTime(now = 1_700_000_000_000): TokenManager[] {
  const managers: TokenManager[] = [];
  beforeEach(() => {
    vi.useFakeTimers({ now });
  });
  afterEach(async () => {
    await Promise.all(managers.splice(0).map((m) => m.close()));
    vi.useRealTimers();
  });
  return managers;
}
