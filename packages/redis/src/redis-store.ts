// `redisStore`: the TokenStore and cross-process lock the token manager shares across a fleet.
import { InvalidOptionsError, type StoreLock, type Token, type TokenStore } from '@authwire/core';
import { randomHex, sha256Hex } from './bytes.ts';
import { adaptClient, detectClient, type RedisClientLike } from './client-adapter.ts';
import { type EncryptionKey, prepareEncryptionKey } from './encryption-key.ts';
import { decodeEnvelope, encodeEnvelope, fingerprint } from './envelope.ts';
import { withDeadline } from './redis-store-error.ts';
import { deleteIfEquals, deleteIfFingerprint } from './scripts.ts';

/** Options of {@link redisStore}. */
export interface RedisStoreOptions {
  /**
   * A connected node-redis v5/v6 client (`createClient()`, `createCluster()`) or ioredis v5/v6
   * client (`new Redis()`, `new Cluster()`). The store never connects, closes or listens to it:
   * give it an `error` listener, or node-redis' reconnect errors crash the process.
   */
  readonly client: RedisClientLike;
  /** Prepended to every key. Default `'authwire:'`. */
  readonly prefix?: string;
  /**
   * Encrypts tokens at rest with AES-256-GCM: 32 bytes, the same in base64, or an AES-GCM
   * 256-bit `CryptoKey`. Every process sharing the store needs the same key; entries it cannot
   * decrypt count as missing (and are removed).
   */
  readonly encryptionKey?: EncryptionKey;
  /** Longest wait for one Redis command before the operation fails. Default 1 000 ms. */
  readonly commandTimeoutMs?: number;
}

const defaultPrefix = 'authwire:';
const defaultCommandTimeoutMs = 1_000;
const maxTimeoutMs = 2_147_483_647; // setTimeout's ceiling

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
 * - `get` validates what it reads; a corrupt or undecryptable entry counts as missing and is removed.
 *
 * Every method gives up after `commandTimeoutMs` and rejects with a {@link RedisStoreError} that
 * holds no token; the manager then carries on in-process.
 *
 * @throws InvalidOptionsError when `client`, `prefix`, `encryptionKey` or `commandTimeoutMs` is malformed.
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
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionsError('options', 'redisStore needs an options object with a client');
  }
  const kind = detectClient(options.client);
  if (kind === undefined) {
    throw new InvalidOptionsError(
      'client',
      'client must be a node-redis (createClient) or ioredis (new Redis) client with get, set and eval',
    );
  }
  const prefix = options.prefix ?? defaultPrefix;
  if (typeof prefix !== 'string') {
    throw new InvalidOptionsError('prefix', 'prefix must be a string');
  }
  const timeoutMs = options.commandTimeoutMs ?? defaultCommandTimeoutMs;
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || timeoutMs > maxTimeoutMs) {
    throw new InvalidOptionsError(
      'commandTimeoutMs',
      `commandTimeoutMs must be a positive number of milliseconds up to ${maxTimeoutMs}`,
    );
  }
  const cryptoKey =
    options.encryptionKey === undefined ? undefined : prepareEncryptionKey(options.encryptionKey);
  const redis = adaptClient(options.client, kind);

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
      if (!acquired) return undefined;
      let released: Promise<void> | undefined;
      return {
        release(): Promise<void> {
          released ??= releaseOnce();
          return released;
        },
      };
    },
  };
}
