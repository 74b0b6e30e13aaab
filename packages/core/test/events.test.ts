// Every event type, driven for real, with its shape pinned; no field carries a secret or a token.
import { describe, expect, it, vi } from 'vitest';
import {
  createTokenManager,
  memoryStore,
  TokenEndpointError,
  type TokenEvent,
  type TokenStore,
} from '../src/index.ts';
import { requestAuth } from '../src/kit.ts';
import { fakeProvider } from './fake-provider.ts';
import { managersOnFakeTime } from './fake-time.ts';

const API = 'https://api.example.com';
const SECRET = 's3cr3t-value-for-events';
const managers = managersOnFakeTime();

/** An event with its values replaced by their types: the shape a dashboard relies on. */
function shape(event: TokenEvent): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(event).sort(([a], [b]) => a.localeCompare(b))) {
    out[name] =
      name === 'type' ||
      name === 'reason' ||
      name === 'why' ||
      name === 'source' ||
      name === 'outcome' ||
      name === 'operation' ||
      name === 'code'
        ? String(value)
        : value instanceof Error
          ? `Error(${value.name})`
          : typeof value;
  }
  return out;
}

describe('events', () => {
  it('covers every event type, each with a readable label and none with a secret', async () => {
    const events: TokenEvent[] = [];
    const onEvent = (event: TokenEvent) => events.push(event);
    // 1. A token request that fails once (503), then succeeds; a 401 healed; a 401 surfaced.
    const flaky = fakeProvider({
      outcome: (n) =>
        n === 1
          ? new TokenEndpointError('down', { endpoint: 'x', status: 503, retryable: true })
          : undefined,
      rateLimit: { requests: 1, intervalMs: 60_000, burst: 3, key: 'https://id.example.com' },
    });
    const auth = createTokenManager(
      {
        ...flaky,
        fetchToken: flaky.fetchToken,
        label: 'fake id.example.com/token',
        secrets: [SECRET],
      },
      { store: memoryStore(), onEvent, retryBaseDelayMs: 10 },
    );
    managers.push(auth);
    await Promise.all([auth.getToken(), vi.advanceTimersByTimeAsync(100)]);
    const seam = requestAuth(auth);
    const request = { url: `${API}/orders`, headers: {} as Record<string, string> };
    Object.assign(request.headers, await seam.authorize(request));
    const fresh = seam.onResponse(request, { status: 401 });
    await Promise.all([fresh, vi.advanceTimersByTimeAsync(100)]);
    await seam.onResponse(request, { status: 401 });
    // 2. The declared limit (3 at once) refuses a fourth request at once: the wait is too long.
    await auth.getToken({ forceRefresh: true }).catch(() => {});
    // 3. A failing store and a locking store another process holds.
    const broken: TokenStore = {
      get: () => Promise.reject(new Error('store down')),
      set: () => Promise.reject(new Error('store down')),
      delete: () => Promise.reject(new Error('store down')),
    };
    const withBroken = createTokenManager(fakeProvider(), { store: broken, onEvent });
    managers.push(withBroken);
    await withBroken.getToken();
    let held = true;
    const shared = memoryStore();
    const locking: TokenStore = {
      ...shared,
      lock: async () => (held ? undefined : { release: async () => {} }),
    };
    const waiter = createTokenManager(fakeProvider(), { store: locking, onEvent });
    const pending = waiter.getToken();
    await vi.advanceTimersByTimeAsync(30);
    held = false;
    await vi.advanceTimersByTimeAsync(100);
    await pending;
    await waiter.close();

    const types = new Set(events.map((e) => e.type));
    expect([...types].sort()).toEqual(
      [
        'closed',
        'lock_wait',
        'rate_limited',
        'store_error',
        'token_acquired',
        'token_invalidated',
        'token_request',
        'token_request_failed',
        'unauthorized_retry',
        'unauthorized_surfaced',
      ].sort(),
    );
    const shapes = new Map<string, Record<string, string>>();
    for (const event of events) if (!shapes.has(event.type)) shapes.set(event.type, shape(event));
    expect(
      Object.fromEntries([...shapes].sort(([a], [b]) => a.localeCompare(b))),
    ).toMatchSnapshot();
    for (const event of events) {
      expect(event.label).not.toBe('');
      expect(event.label).not.toMatch(/%[0-9A-F]{2}|\|/);
      const text = JSON.stringify(event, (_k, v) =>
        v instanceof Error ? { name: v.name, message: v.message } : v,
      );
      expect(text).not.toContain(SECRET);
      expect(text).not.toMatch(/token-\d+/); // no access token
    }
  });
});
