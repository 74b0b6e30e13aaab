// redisStore's options, checked by name, type and range before anything touches Redis.
import { checkOptions, invalidOption } from '@authwire/core/kit';
import { type ClientKind, detectClient, type RedisClientLike } from './client-adapter.ts';
import type { EncryptionKey } from './encryption-key.ts';

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
  /**
   * Scopes the fleet rate gate. Limits such as Norce's are **per egress IP**: every process with
   * the same Redis, `prefix` and `rateLimitKey` shares one budget per identity endpoint. Give
   * fleets that leave through different IPs different prefixes or rate-limit keys (e.g. the
   * NAT gateway's name). Default: none (the budget is per prefix and endpoint).
   */
  readonly rateLimitKey?: string;
  /**
   * While Redis is down each process falls back to its own bucket with this share of the declared
   * limit: set it to 1 / the number of processes sharing the egress IP, so a degraded fleet stays
   * inside the limit. Default 0.25 (never unlimited, and a lone process keeps a quarter).
   */
  readonly degradedShare?: number;
}

/** The options with defaults applied. */
export interface ResolvedStoreOptions {
  readonly client: RedisClientLike;
  readonly kind: ClientKind;
  readonly prefix: string;
  readonly encryptionKey: EncryptionKey | undefined;
  readonly timeoutMs: number;
  readonly rateLimitKey: string | undefined;
  readonly degradedShare: number;
}

const names = [
  'client',
  'prefix',
  'encryptionKey',
  'commandTimeoutMs',
  'rateLimitKey',
  'degradedShare',
];
const maxTimeoutMs = 2_147_483_647; // setTimeout's ceiling

/**
 * `encryptionKey: process.env.TOKEN_KEY!` with the variable unset: the option is there but holds
 * nothing. Taking that as "no encryption" would store tokens in clear text without a word.
 */
function encryptionKeyLeftUnset(options: RedisStoreOptions): boolean {
  return Object.hasOwn(options, 'encryptionKey') && options.encryptionKey === undefined;
}

/**
 * Checks every option's name, type and range; throws `InvalidOptionsError` naming the first bad
 * one. The encryption key itself is checked by `prepareEncryptionKey`.
 */
export function resolveStoreOptions(options: RedisStoreOptions): ResolvedStoreOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    invalidOption('options', 'must be an object with a client');
  }
  // Unknown names are refused with a did-you-mean (never echoing one that could be a secret).
  checkOptions(options, Object.fromEntries(names.map((name) => [name, () => {}])), 'redisStore()');
  const {
    client,
    prefix = 'authwire:',
    commandTimeoutMs = 1_000,
    rateLimitKey,
    degradedShare = 0.25,
  } = options;
  const kind = detectClient(client);
  if (kind === undefined) {
    invalidOption('client', 'must be a node-redis (createClient) or ioredis (new Redis) client');
  }
  if (typeof prefix !== 'string') invalidOption('prefix', 'must be a string');
  if (encryptionKeyLeftUnset(options)) {
    invalidOption(
      'encryptionKey',
      'is undefined (an unset environment variable?): pass a 32-byte key, or leave the option out to store tokens unencrypted',
    );
  }
  if (
    typeof commandTimeoutMs !== 'number' ||
    !(commandTimeoutMs > 0) ||
    commandTimeoutMs > maxTimeoutMs
  ) {
    invalidOption(
      'commandTimeoutMs',
      `must be a positive number of milliseconds up to ${maxTimeoutMs}`,
    );
  }
  if (rateLimitKey !== undefined && (typeof rateLimitKey !== 'string' || rateLimitKey === '')) {
    invalidOption('rateLimitKey', 'must be a non-empty string');
  }
  if (typeof degradedShare !== 'number' || !(degradedShare > 0) || degradedShare > 1) {
    invalidOption('degradedShare', 'must be a number above 0 and at most 1');
  }
  return {
    client,
    kind,
    prefix,
    encryptionKey: options.encryptionKey,
    timeoutMs: commandTimeoutMs,
    rateLimitKey,
    degradedShare,
  };
}
