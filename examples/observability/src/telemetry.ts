// The OpenTelemetry SDK set up as a service would, with the console exporters instead of OTLP.
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  ConsoleMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  ConsoleSpanExporter,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

export interface Telemetry {
  /** Every span ended so far (kept for the summary at the end of the run). */
  spans(): ReadableSpan[];
  /** Exports the metrics one last time, then unregisters everything. */
  shutdown(): Promise<void>;
}

/**
 * Registers global tracer and meter providers, the async context manager and the fetch (undici)
 * instrumentation. In production: `@opentelemetry/sdk-node` with OTLP exporters does the same.
 */
export function startTelemetry(serviceName: string): Telemetry {
  const resource = resourceFromAttributes({ 'service.name': serviceName });
  const kept = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    resource,
    spanProcessors: [
      new SimpleSpanProcessor(new ConsoleSpanExporter()),
      new SimpleSpanProcessor(kept),
    ],
  });
  const meterProvider = new MeterProvider({
    resource,
    // A long interval: this run is short, and shutdown() exports what was recorded.
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new ConsoleMetricExporter(),
        exportIntervalMillis: 60_000,
      }),
    ],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  const undici = new UndiciInstrumentation();
  undici.setTracerProvider(tracerProvider);
  let stopped = false;
  return {
    spans: () => kept.getFinishedSpans(),
    async shutdown() {
      if (stopped) return;
      stopped = true;
      undici.disable();
      await meterProvider.shutdown();
      await tracerProvider.shutdown();
      trace.disable();
      metrics.disable();
      context.disable();
    },
  };
}
