// Normalises a node-redis or an ioredis client (detected by shape) to the four calls the store makes.

/**
 * The part of a node-redis v5/v6 client (`createClient()` / `createCluster()`) the store uses.
 * The client must be connected (`await client.connect()`) and should have an `error` listener.
 */
export interface NodeRedisClientLike {
  get(key: string): Promise<unknown>;
  set(
    key: string,
    value: string,
    options: { expiration: { type: 'PX'; value: number }; condition?: 'NX' },
  ): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/** The part of an ioredis v5/v6 client (`new Redis()` / `new Cluster()`) the store uses. */
export interface IoRedisClientLike {
  /** ioredis' connection status; also how the store tells the two clients apart. */
  readonly status: string;
  get(key: string): Promise<unknown>;
  set(key: string, value: string, px: 'PX', milliseconds: number): Promise<unknown>;
  set(key: string, value: string, px: 'PX', milliseconds: number, nx: 'NX'): Promise<unknown>;
  eval(script: string, numkeys: number, ...args: string[]): Promise<unknown>;
}

/** A node-redis or ioredis client. */
export type RedisClientLike = NodeRedisClientLike | IoRedisClientLike;

/** What the store needs from Redis, whatever the client. */
export interface RedisCommands {
  get(key: string): Promise<string | undefined>;
  /** `SET key value PX ttlMs`. */
  setPx(key: string, value: string, ttlMs: number): Promise<void>;
  /** `SET key value NX PX ttlMs`; whether it was set. */
  setNxPx(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** `EVAL script 1 key ...args` for scripts that answer an integer. */
  evalInteger(script: string, key: string, args: readonly string[]): Promise<number>;
  /** `EVAL script 1 key ...args` for scripts that answer an array of integers. */
  evalIntegers(script: string, key: string, args: readonly string[]): Promise<number[]>;
}

export type ClientKind = 'node-redis' | 'ioredis';

/** Tells the clients apart by shape: ioredis has a string `status` and a variadic `call`. */
export function detectClient(client: unknown): ClientKind | undefined {
  if (typeof client !== 'object' || client === null) return undefined;
  const c = client as Record<string, unknown>;
  if (typeof c.get !== 'function' || typeof c.set !== 'function' || typeof c.eval !== 'function') {
    return undefined;
  }
  if (typeof c.status === 'string' && typeof c.call === 'function') return 'ioredis';
  return 'node-redis';
}

const decoder = new TextDecoder();

function asString(reply: unknown): string | undefined {
  if (reply === null || reply === undefined) return undefined;
  if (typeof reply === 'string') return reply;
  // Buffers when a client maps replies to bytes (RESP3 type mapping, `getBuffer`).
  if (reply instanceof Uint8Array) return decoder.decode(reply);
  throw new TypeError(`unexpected Redis reply of type ${typeof reply}`);
}

function asInteger(reply: unknown): number {
  const value = typeof reply === 'bigint' ? Number(reply) : reply;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`unexpected Redis script reply of type ${typeof reply}`);
  }
  return value;
}

function asIntegers(reply: unknown): number[] {
  if (!Array.isArray(reply)) {
    throw new TypeError(`unexpected Redis script reply of type ${typeof reply}`);
  }
  return reply.map(asInteger);
}

/** Wraps a client; `kind` comes from `detectClient`. */
export function adaptClient(client: RedisClientLike, kind: ClientKind): RedisCommands {
  if (kind === 'ioredis') {
    const io = client as IoRedisClientLike;
    return {
      get: async (key) => asString(await io.get(key)),
      setPx: async (key, value, ttlMs) => {
        await io.set(key, value, 'PX', ttlMs);
      },
      setNxPx: async (key, value, ttlMs) => (await io.set(key, value, 'PX', ttlMs, 'NX')) !== null,
      evalInteger: async (script, key, args) => asInteger(await io.eval(script, 1, key, ...args)),
      evalIntegers: async (script, key, args) => asIntegers(await io.eval(script, 1, key, ...args)),
    };
  }
  const node = client as NodeRedisClientLike;
  return {
    get: async (key) => asString(await node.get(key)),
    setPx: async (key, value, ttlMs) => {
      await node.set(key, value, { expiration: { type: 'PX', value: ttlMs } });
    },
    setNxPx: async (key, value, ttlMs) =>
      (await node.set(key, value, {
        expiration: { type: 'PX', value: ttlMs },
        condition: 'NX',
      })) !== null,
    evalInteger: async (script, key, args) =>
      asInteger(await node.eval(script, { keys: [key], arguments: [...args] })),
    evalIntegers: async (script, key, args) =>
      asIntegers(await node.eval(script, { keys: [key], arguments: [...args] })),
  };
}
