// What a driver's rejection carries: clients wrap the AuthwireError a hook throws in their own errors.
import { type AuthwireError, isAuthwireError } from '@authwire/core';

/** The AuthwireError an error is, or carries in its `cause` chain (clients wrap hook errors). */
export function authwireErrorIn(error: unknown): AuthwireError | undefined {
  for (let e = error, i = 0; e && i < 6; e = (e as { cause?: unknown }).cause, i++) {
    if (isAuthwireError(e)) return e;
  }
  return undefined;
}

/** An abort or a timeout, whichever client or layer reported it. */
export function isAbortLike(error: unknown): boolean {
  const code = authwireErrorIn(error)?.code;
  if (code === 'aborted' || code === 'timeout') return true;
  for (let e = error, i = 0; e && i < 6; e = (e as { cause?: unknown }).cause, i++) {
    const name = (e as { name?: unknown }).name;
    if (name === 'AbortError' || name === 'TimeoutError' || name === 'CanceledError') return true;
  }
  return false;
}
