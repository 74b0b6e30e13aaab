// The fleet's outage gate: a failing token endpoint's "down until" and streak, shared by every process on one Redis.
import type { OutageBackoff, OutageGate } from '@authwire/core/kit';
import { sha256Hex } from './bytes.ts';
import type { RedisCommands } from './client-adapter.ts';
import { withDeadline } from './redis-store-error.ts';
import { outageDownFor, outageFailed, outageRecovered } from './scripts.ts';

/** What {@link redisOutageGate} needs from the store it belongs to. */
export interface OutageGateDeps {
  readonly redis: RedisCommands;
  readonly prefix: string;
  readonly timeoutMs: number;
}

const unit = (value: number): number => (value >= 0 && value < 1 ? value : 0.5);
const ms = (value: number, what: string): number => {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${what} must be positive`);
  return Math.ceil(value);
};

/**
 * An `OutageGate` on Redis: the key `${prefix}down:<sha256(endpoint)>` holds the endpoint's mark
 * and streak; each call is one `EVAL` on Redis' clock (`TIME`), bounded by `commandTimeoutMs`. A
 * failure rejects with a `RedisStoreError` (`operation: 'outage'`); the manager then keeps its own.
 *
 * @example
 * ```ts
 * const gate = redisOutageGate({ redis, prefix: 'authwire:', timeoutMs: 1_000 });
 * const waitMs = await gate.failed('limit:https://id.example.com', { baseMs: 250, maxMs: 4_000, random: 0.5 });
 * ```
 */
export function redisOutageGate({ redis, prefix, timeoutMs }: OutageGateDeps): OutageGate {
  const keys = new Map<string, Promise<string>>();
  const keyOf = (endpoint: string): Promise<string> => {
    let key = keys.get(endpoint);
    if (key === undefined) {
      if (keys.size >= 1_000) keys.clear();
      key = sha256Hex(endpoint).then((hash) => `${prefix}down:${hash}`);
      keys.set(endpoint, key);
    }
    return key;
  };
  const run = async (script: string, endpoint: string, args: string[]): Promise<number> => {
    const key = await keyOf(endpoint);
    return withDeadline('outage', timeoutMs, [], () => redis.evalInteger(script, key, args));
  };
  return {
    failed: (endpoint: string, backoff: OutageBackoff) =>
      run(outageFailed, endpoint, [
        String(ms(backoff.baseMs, 'baseMs')),
        String(ms(backoff.maxMs, 'maxMs')),
        String(unit(backoff.random)),
      ]),
    downFor: (endpoint: string) => run(outageDownFor, endpoint, []),
    recovered: async (endpoint: string) => {
      await run(outageRecovered, endpoint, []);
    },
  };
}
