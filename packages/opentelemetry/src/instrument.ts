// instrument(): wires one token manager to a tracer (spans) and a meter (metrics from its events).
import type { TokenManager } from '@authwire/core';
import { observeTokenRequests } from '@authwire/core/kit';
import { type MeterProvider, metrics, type TracerProvider, trace } from '@opentelemetry/api';
import { eventMetrics } from './metrics.ts';
import { lockWaitSpan, tokenRequestSpans } from './spans.ts';

/** The instrumentation scope name of every span and metric this package makes. */
export const SCOPE = '@authwire/opentelemetry';

export interface InstrumentOptions {
  /** Where spans go. Default: the global provider (`trace.getTracerProvider()`). */
  readonly tracerProvider?: TracerProvider;
  /**
   * Where metrics go. Default: the global provider at the time of the call
   * (`metrics.getMeterProvider()`): start the OTel SDK before calling `instrument`.
   */
  readonly meterProvider?: MeterProvider;
}

/**
 * Reports `manager`'s token requests as spans and its events as metrics. Returns a function that
 * stops both; closing the manager stops both too (a `managerPool` eviction leaves nothing behind).
 * Without a call to it nothing is recorded: core itself has no OpenTelemetry code.
 *
 * @example
 * import { instrument } from '@authwire/opentelemetry';
 *
 * const auth = norce({ ... });
 * const uninstrument = instrument(auth); // the global tracer and meter providers
 * // ... on shutdown: uninstrument(); await auth.close();
 */
export function instrument(manager: TokenManager, options: InstrumentOptions = {}): () => void {
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE);
  const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(SCOPE);
  const fromEvents = eventMetrics(meter, manager.origins);
  let installed = true;
  const stop = (): void => {
    if (!installed) return;
    installed = false;
    unobserve();
    unsubscribe();
    fromEvents.dispose();
  };
  const unsubscribe = manager.subscribe((event) => {
    fromEvents.listener(event);
    if (event.type === 'lock_wait')
      lockWaitSpan(tracer, event.label, event.waitedMs, event.outcome);
    // A closed manager reports nothing more: undo everything now, so a manager closed without
    // its uninstrument (a pool's eviction) leaves nothing behind in the long-lived meter.
    if (event.type === 'closed') stop();
  });
  const unobserve = observeTokenRequests(manager, tokenRequestSpans(tracer));
  return stop;
}
