// `redisStore`: the TokenStore and cross-process lock the token manager shares across a fleet.
import type { Token, TokenStore } from '@authwire/core';
import type { StoreLock } from '@authwire/core/kit';
import { randomHex, sha256Hex } from './bytes.ts';
import { adaptClient } from './client-adapter.ts';
import { prepareEncryptionKey } from './encryption-key.ts';
import { decodeEnvelope, encodeEnvelope, fingerprint } from './envelope.ts';
import { redisRateGate } from './rate-gate.ts';
import { withDeadline } from './redis-store-error.ts';
import { deleteIfEquals, deleteIfFingerprint, expireIfPersistent } from './scripts.ts';
import { type RedisStoreOptions, resolveStoreOptions } from './store-options.ts';

export type { RedisStoreOptions } from './store-options.ts';

function validTtl(ttlMs: number, what: string): number {
  if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs)) {
    throw new RangeError(`${what} must be a finite number of milliseconds`);
  }
  return Math.ceil(ttlMs);
}

/**
 * A `TokenStore` on Redis: one cached token and one token request for a whole fleet.
 *
 * - `set` writes `SET …token:<sha256(key)> <envelope> PX ttlMs`.
 * - `delete(key, token)` is a compare-and-delete in Lua on the token's SHA-256 fingerprint, so a
 *   stale 401 in one process never removes the newer token another stored.
 * - `lock` is `SET …lock:<sha256(key)> <random id> NX PX ttlMs`; `release()` deletes only its own id.
 *   A lock held by someone else but found without a TTL (planted, or a bug) is given one.
 * - `get` validates what it reads; a corrupt or undecryptable entry counts as missing and is removed.
 * - `rateGate` holds a provider's declared `rateLimit` across every process on this Redis: one
 *   Lua `EVAL` per token request, Redis' `TIME` as the clock. It is keyed by the limit's key (the
 *   identity endpoint), `prefix` and `rateLimitKey`. Limits are per egress IP: give fleets on
 *   different IPs different prefixes or a `rateLimitKey`.
 *
 * Every method gives up after `commandTimeoutMs` and rejects with a {@link RedisStoreError} that
 * holds no token; the manager then carries on in-process.
 *
 * @throws InvalidOptionsError naming the option when `client`, `prefix`, `encryptionKey`,
 *   `commandTimeoutMs` or `rateLimitKey` is malformed, or an option name is unknown.
 * @example
 * ```ts
 * import { createTokenManager } from '@authwire/core';
 * import { redisStore } from '@authwire/redis';
 * import { createClient } from 'redis';
 *
 * const client = createClient({ url: process.env.REDIS_URL });
 * client.on('error', (error) => console.error('redis', error.message));
 * await client.connect();
 * const store = redisStore({ client, encryptionKey: tokenKeyBase64 }); // 32 bytes, from your vault
 * const manager = createTokenManager(provider, { store });
 * ```
 */
export function redisStore(options: RedisStoreOptions): TokenStore {
  const { client, kind, prefix, encryptionKey, timeoutMs, rateLimitKey, degradedShare } =
    resolveStoreOptions(options);
  const cryptoKey = encryptionKey === undefined ? undefined : prepareEncryptionKey(encryptionKey);
  const redis = adaptClient(client, kind);

  // Cache keys are few and long-lived; hashing each once keeps the hot path to one round trip.
  const hashed = new Map<string, Promise<string>>();
  const hashKey = (key: string): Promise<string> => {
    let hash = hashed.get(key);
    if (hash === undefined) {
      if (hashed.size >= 1_000) hashed.clear();
      hash = sha256Hex(key);
      hashed.set(key, hash);
    }
    return hash;
  };
  const tokenKey = async (key: string) => `${prefix}token:${await hashKey(key)}`;
  const lockKey = async (key: string) => `${prefix}lock:${await hashKey(key)}`;
  const encryption = async () => (cryptoKey === undefined ? undefined : await cryptoKey());

  return {
    async get(key: string): Promise<Token | undefined> {
      const redisKey = await tokenKey(key);
      const raw = await withDeadline('get', timeoutMs, [], () => redis.get(redisKey));
      if (raw === undefined) return undefined;
      const token = await decodeEnvelope(raw, redisKey, await encryption());
      if (token !== undefined) return token;
      // Corrupt, foreign or undecryptable: remove it unless someone replaced it meanwhile.
      // Best effort: the read itself succeeded, and a fresh `set` overwrites the entry anyway.
      await withDeadline('get', timeoutMs, [raw], () =>
        redis.evalInteger(deleteIfEquals, redisKey, [raw]),
      ).catch(() => undefined);
      return undefined;
    },

    async set(key: string, token: Token, ttlMs: number): Promise<void> {
      const ttl = validTtl(ttlMs, 'ttlMs');
      // A token with no useful life left is not worth overwriting a possibly newer entry for.
      if (ttl <= 0) return;
      const redisKey = await tokenKey(key);
      const value = await encodeEnvelope(token, redisKey, await encryption());
      await withDeadline('set', timeoutMs, [value, token.accessToken], () =>
        redis.setPx(redisKey, value, ttl),
      );
    },

    async delete(key: string, token: Token): Promise<boolean> {
      const redisKey = await tokenKey(key);
      const fp = await fingerprint(token);
      const deleted = await withDeadline('delete', timeoutMs, [token.accessToken], () =>
        redis.evalInteger(deleteIfFingerprint, redisKey, [fp]),
      );
      return deleted === 1;
    },

    async lock(key: string, ttlMs: number): Promise<StoreLock | undefined> {
      const ttl = validTtl(ttlMs, 'lock ttlMs');
      if (ttl <= 0) throw new RangeError('lock ttlMs must be positive');
      const redisKey = await lockKey(key);
      const id = randomHex(16);
      const releaseOnce = (): Promise<void> =>
        withDeadline('release', timeoutMs, [], () =>
          redis.evalInteger(deleteIfEquals, redisKey, [id]),
        ).then(() => undefined);
      const acquired = await withDeadline(
        'lock',
        timeoutMs,
        [],
        () => redis.setNxPx(redisKey, id, ttl),
        // Acquired after we gave up: nobody will use it, so hand it back rather than block for ttl.
        (late) => {
          if (late) releaseOnce().catch(() => undefined);
        },
      );
      if (!acquired) {
        // Held by someone else: make sure it ends (a planted lock without a TTL would not). Not
        // awaited: the caller polls again anyway, and a failure here changes nothing for it.
        withDeadline('lock', timeoutMs, [], () =>
          redis.evalInteger(expireIfPersistent, redisKey, [String(ttl)]),
        ).catch(() => undefined);
        return undefined;
      }
      let released: Promise<void> | undefined;
      return {
        release(): Promise<void> {
          released ??= releaseOnce();
          return released;
        },
      };
    },

    rateGate: redisRateGate({ redis, prefix, rateLimitKey, timeoutMs, degradedShare }),
  };
}
