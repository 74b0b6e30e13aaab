// Keeps the token out of the AxiosError a caller receives.
import { isReplayableBody, type RequestAuth } from '@authwire/core/kit';
import type { AxiosError } from 'axios';

/** Replaces what the adapter attached with `[redacted]` and hides what still holds the bytes. */
export function redact(error: AxiosError, seam: RequestAuth): AxiosError {
  // AxiosHeaders keeps each header as an own property: the seam's plain-record redaction fits.
  seam.redact(error.config?.headers as Record<string, unknown> | undefined);
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
