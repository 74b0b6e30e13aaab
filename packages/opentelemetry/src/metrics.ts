// Metrics: instruments made once per Meter, fed by the manager's events (no per-API-request cost).
import type { TokenEvent } from '@authwire/core';
import type { Attributes, Counter, Histogram, Meter, ObservableResult } from '@opentelemetry/api';
import { ATTR, hostOf, labelAttributes } from './attributes.ts';

/** Seconds; OTel's HTTP duration buckets, which fit token endpoints (tens of ms to seconds). */
const DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];
/** Seconds; rate-limit and lock waits run from milliseconds to a minute. */
const WAIT_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

interface Instruments {
  readonly requests: Counter;
  readonly requestDuration: Histogram;
  readonly healed: Counter;
  readonly surfaced: Counter;
  readonly invalidated: Counter;
  readonly rateLimited: Counter;
  readonly rateLimitWait: Histogram;
  readonly lockWait: Histogram;
  readonly storeErrors: Counter;
}

/** What one `instrument()` call knows for the time-to-expiry gauge: label → expiresAt (epoch ms). */
export type Expiries = Map<string, number>;

interface MeterState {
  readonly instruments: Instruments;
  readonly expiries: Set<Expiries>;
}

const meters = new WeakMap<Meter, MeterState>();

function create(meter: Meter): MeterState {
  const expiries = new Set<Expiries>();
  const instruments: Instruments = {
    requests: meter.createCounter('authwire.token.requests', {
      unit: '{request}',
      description: 'Token-request attempts sent to a token endpoint, by outcome',
    }),
    requestDuration: meter.createHistogram('authwire.token.request.duration', {
      unit: 's',
      description: 'Duration of one token-request attempt',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    }),
    healed: meter.createCounter('authwire.unauthorized.healed', {
      unit: '{response}',
      description: '401 answers retried once with a fresh token',
    }),
    surfaced: meter.createCounter('authwire.unauthorized.surfaced', {
      unit: '{response}',
      description: '401 answers handed to the caller, by why they were not healed',
    }),
    invalidated: meter.createCounter('authwire.token.invalidations', {
      unit: '{token}',
      description: 'Cached tokens dropped because a server rejected them',
    }),
    rateLimited: meter.createCounter('authwire.rate_limited', {
      unit: '{event}',
      description: 'Token requests held back or refused by a rate limit, by source',
    }),
    rateLimitWait: meter.createHistogram('authwire.rate_limited.wait', {
      unit: 's',
      description: 'Wait a rate limit imposed on a token request (waited or not: see will_wait)',
      advice: { explicitBucketBoundaries: WAIT_BUCKETS },
    }),
    lockWait: meter.createHistogram('authwire.lock.wait.duration', {
      unit: 's',
      description: "Time spent waiting on another process's token request (store lock)",
      advice: { explicitBucketBoundaries: WAIT_BUCKETS },
    }),
    storeErrors: meter.createCounter('authwire.store.errors', {
      unit: '{error}',
      description: 'Failed token-store operations (the manager fell back to its own cache)',
    }),
  };
  meter
    .createObservableGauge('authwire.token.time_to_expiry', {
      unit: 's',
      description: 'Seconds until the token this process fetched last expires (negative: expired)',
    })
    .addCallback((result: ObservableResult) => observeExpiries(result, expiries));
  return { instruments, expiries };
}

/** One point per label; two managers of one label (one shared token) report the later expiry. */
function observeExpiries(result: ObservableResult, all: ReadonlySet<Expiries>): void {
  const latest = new Map<string, number>();
  for (const expiries of all) {
    for (const [label, expiresAt] of expiries) {
      latest.set(label, Math.max(expiresAt, latest.get(label) ?? Number.NEGATIVE_INFINITY));
    }
  }
  const now = Date.now();
  for (const [label, expiresAt] of latest) {
    result.observe((expiresAt - now) / 1000, labelAttributes(label));
  }
}

/**
 * The instruments of `meter` (made on first use) and a listener feeding them from events.
 * `origins` are the manager's API origins: the only hosts a metric attribute may name.
 */
export function eventMetrics(
  meter: Meter,
  origins: readonly string[] = [],
): {
  listener: (event: TokenEvent) => void;
  dispose: () => void;
} {
  let state = meters.get(meter);
  if (!state) {
    state = create(meter);
    meters.set(meter, state);
  }
  const { instruments: m, expiries: registry } = state;
  const expiries: Expiries = new Map();
  registry.add(expiries);
  const serverOf = boundedServer(origins);

  const listener = (event: TokenEvent): void => {
    const base = labelAttributes(event.label);
    switch (event.type) {
      case 'token_acquired':
      case 'token_request_failed': {
        const attributes: Attributes = {
          ...base,
          [ATTR.reason]: event.reason,
          [ATTR.background]: event.background,
          ...(event.type === 'token_acquired'
            ? { [ATTR.outcome]: 'success' }
            : {
                [ATTR.outcome]: 'failure',
                [ATTR.willRetry]: event.willRetry,
                [ATTR.errorType]: metricErrorType(event.code),
                ...(event.status === undefined ? {} : { [ATTR.httpStatus]: event.status }),
              }),
        };
        m.requests.add(1, attributes);
        m.requestDuration.record(event.durationMs / 1000, attributes);
        if (event.type === 'token_acquired') expiries.set(event.label, event.expiresAt);
        break;
      }
      case 'token_invalidated':
        m.invalidated.add(1, base);
        expiries.delete(event.label);
        break;
      case 'unauthorized_retry':
        m.healed.add(1, { ...base, [ATTR.serverAddress]: serverOf(event.url) });
        break;
      case 'unauthorized_surfaced':
        m.surfaced.add(1, {
          ...base,
          [ATTR.serverAddress]: serverOf(event.url),
          [ATTR.why]: event.why,
        });
        break;
      case 'rate_limited': {
        const attributes = {
          ...base,
          [ATTR.rateLimitSource]: event.source,
          [ATTR.willWait]: event.willWait,
        };
        m.rateLimited.add(1, attributes);
        m.rateLimitWait.record(event.waitMs / 1000, attributes);
        break;
      }
      case 'lock_wait':
        m.lockWait.record(event.waitedMs / 1000, { ...base, [ATTR.lockOutcome]: event.outcome });
        break;
      case 'store_error':
        m.storeErrors.add(1, { ...base, [ATTR.storeOperation]: event.operation });
        break;
      case 'closed':
        expiries.delete(event.label);
        break;
      default:
        // token_request (the terminal event carries what a metric needs), and event types added
        // to core later: ignored until this package learns them.
        break;
    }
  };
  return { listener, dispose: () => registry.delete(expiries) };
}

/**
 * The `code`s `error.type` may take on a metric: authwire's own, plus the `error` fallback core
 * uses for a code-less error. A custom provider's error may carry any `code` at all (a request id,
 * a timestamp); on a metric that would be one series per value, so it becomes `_OTHER`.
 */
const METRIC_ERROR_TYPES: ReadonlySet<string> = new Set([
  'invalid_options',
  'insecure_url',
  'token_request_failed',
  'invalid_token_response',
  'response_too_large',
  'rate_limited',
  'timeout',
  'aborted',
  'closed',
  'error',
]);

function metricErrorType(code: string): string {
  return METRIC_ERROR_TYPES.has(code) ? code : '_OTHER';
}

/** `server.address` for a URL that is none of the manager's origins (a redirect target, garbage). */
export const OTHER_SERVER = '_OTHER';

/**
 * The API host a 401 came from, from a bounded set: the hosts of the manager's own origins, else
 * `_OTHER` (OTel's fallback value). A 401 after a redirect to some other host must not make a
 * metric series per host an attacker (or a misrouted proxy) picks. The path stays out of metrics.
 */
function boundedServer(origins: readonly string[]): (url: string) => string {
  const hosts = new Map<string, string>();
  for (const origin of origins) {
    const host = hostOf(origin);
    if (host !== undefined) hosts.set(originOf(origin) ?? origin, host);
  }
  return (url) => {
    const origin = originOf(url);
    return (origin !== undefined && hosts.get(origin)) || OTHER_SERVER;
  };
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
