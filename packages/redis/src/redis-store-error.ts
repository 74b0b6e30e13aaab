// The one error the store throws at runtime: plain, bounded, and free of tokens and secrets.

/** Which store operation failed. */
export type RedisStoreOperation =
  | 'get'
  | 'set'
  | 'delete'
  | 'lock'
  | 'release'
  | 'rateGate'
  | 'outage';

/**
 * A Redis command failed or did not answer within `commandTimeoutMs`. The token manager catches
 * it, emits `store_error` and carries on in-process. It never carries the client's own error
 * (whose `command.args` can hold the stored token), only a redacted summary of it.
 *
 * @example
 * ```ts
 * try {
 *   await store.get('key');
 * } catch (error) {
 *   if (error instanceof RedisStoreError && error.timedOut) console.warn('Redis is slow or down');
 * }
 * ```
 */
export class RedisStoreError extends Error {
  override name = 'RedisStoreError';
  /** Stable, for `switch (error.code)` beside authwire's own error codes. */
  readonly code = 'redis_store_error' as const;
  readonly operation: RedisStoreOperation;
  /** Whether Redis did not answer in time (as opposed to answering with an error). */
  readonly timedOut: boolean;

  constructor(operation: RedisStoreOperation, message: string, timedOut: boolean) {
    super(message);
    this.operation = operation;
    this.timedOut = timedOut;
  }
}

const maxDetailLength = 200;

/** A short description of a client error with every `secret` cut out. */
export function describeFailure(error: unknown, secrets: readonly string[]): string {
  let detail = 'unknown error';
  if (error instanceof Error || (typeof error === 'object' && error !== null)) {
    const { name, code, message } = error as { name?: unknown; code?: unknown; message?: unknown };
    const parts = [typeof name === 'string' ? name : 'Error'];
    if (typeof code === 'string' || typeof code === 'number') parts.push(`[${code}]`);
    if (typeof message === 'string' && message !== '') parts.push(message);
    detail = parts.join(' ');
  } else if (typeof error === 'string') {
    detail = error;
  }
  for (const secret of secrets) {
    if (secret.length > 0) detail = detail.split(secret).join('[redacted]');
  }
  return detail.length > maxDetailLength ? `${detail.slice(0, maxDetailLength)}…` : detail;
}

/**
 * Runs one Redis call with a deadline. A late answer after the deadline goes to `onLate` (so a
 * lock acquired too late can be given back); a late failure is swallowed, never unhandled.
 */
export function withDeadline<T>(
  operation: RedisStoreOperation,
  timeoutMs: number,
  secrets: readonly string[],
  call: () => Promise<T>,
  onLate?: (value: T) => void,
): Promise<T> {
  let pending: Promise<T>;
  try {
    pending = call();
  } catch (error) {
    pending = Promise.reject(error);
  }
  return new Promise<T>((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      reject(
        new RedisStoreError(operation, `Redis ${operation} timed out after ${timeoutMs} ms`, true),
      );
    }, timeoutMs);
    pending.then(
      (value) => {
        if (timedOut) {
          onLate?.(value);
          return;
        }
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        if (timedOut) return;
        clearTimeout(timer);
        reject(
          new RedisStoreError(
            operation,
            `Redis ${operation} failed: ${describeFailure(error, secrets)}`,
            false,
          ),
        );
      },
    );
  });
}
