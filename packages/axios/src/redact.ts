// Keeps the token out of the AxiosError a caller receives.
import { isReplayableBody, REDACTED } from '@authwire/core';
import type { AxiosError } from 'axios';

/** Replaces what the adapter attached with `[redacted]` and hides what still holds the bytes. */
export function redact(error: AxiosError, names: ReadonlySet<string>): AxiosError {
  for (const name of names) {
    if (error.config?.headers.has(name)) error.config.headers.set(name, REDACTED);
  }
  // The raw request (ClientRequest / XMLHttpRequest) holds the header bytes, and a stream body
  // piped into it points back at it: keep both, unlisted.
  for (const holder of [error, error.response]) {
    if (holder && 'request' in holder) {
      Object.defineProperty(holder, 'request', { enumerable: false, value: holder.request });
    }
  }
  const data = error.config?.data;
  if (error.config && !isReplayableBody(data)) {
    Object.defineProperty(error.config, 'data', { enumerable: false, value: data });
  }
  return error;
}
