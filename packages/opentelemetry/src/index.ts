// Public API of @authwire/opentelemetry. The attribute-name table and span names are documented in
// the README; the helpers behind them (label split, error attributes) are internal and may change.
export type { InstrumentOptions } from './instrument.ts';
export { instrument, SCOPE } from './instrument.ts';
export { LOCK_WAIT_SPAN, TOKEN_REQUEST_SPAN } from './spans.ts';
