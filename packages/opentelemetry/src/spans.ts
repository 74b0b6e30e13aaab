// Spans: one `authwire.token.request` per token-request attempt, `authwire.lock.wait` after a lock wait.
import type { TokenRequestWrapper } from '@authwire/core/kit';
import { context, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import { ATTR, failureAttributes, labelAttributes } from './attributes.ts';

export const TOKEN_REQUEST_SPAN = 'authwire.token.request';
export const LOCK_WAIT_SPAN = 'authwire.lock.wait';

/**
 * The wrapper the manager runs around each attempt, in the async context of the caller that
 * triggered it: the span's parent is that caller's active span (a background refresh starts its
 * own trace, linked to it), and the provider's HTTP requests (sent inside `run`) become children
 * of this span.
 */
export function tokenRequestSpans(tracer: Tracer): TokenRequestWrapper {
  return async (info, run) => {
    const active = context.active();
    // A refresh-ahead runs for nobody in particular: the request that happened to trigger it does
    // not wait for it, so it gets a trace of its own, linked to that request, not a child of it.
    const trigger = info.background ? trace.getSpanContext(active) : undefined;
    const parent = info.background ? trace.deleteSpan(active) : active;
    const span = tracer.startSpan(
      TOKEN_REQUEST_SPAN,
      {
        kind: SpanKind.INTERNAL,
        attributes: {
          ...labelAttributes(info.label),
          [ATTR.reason]: info.reason,
          [ATTR.attempt]: info.attempt,
          [ATTR.background]: info.background,
        },
        ...(trigger ? { links: [{ context: trigger }] } : {}),
      },
      parent,
    );
    try {
      const result = await context.with(trace.setSpan(parent, span), run);
      span.setAttribute(ATTR.outcome, 'success');
      return result;
    } catch (error) {
      span.setAttributes({ [ATTR.outcome]: 'failure', ...failureAttributes(error) });
      // authwire's messages name the endpoint and never a secret; anything else gets no message.
      const message = isTyped(error) ? error.message : undefined;
      span.setStatus({ code: SpanStatusCode.ERROR, ...(message ? { message } : {}) });
      throw error;
    } finally {
      span.end();
    }
  };
}

/**
 * A lock wait is reported when it is over (`lock_wait { waitedMs }`), so its span is drawn after
 * the fact: it starts `waitedMs` ago and ends now, under whatever span is active for the waiter.
 */
export function lockWaitSpan(
  tracer: Tracer,
  label: string,
  waitedMs: number,
  outcome: string,
): void {
  const end = Date.now();
  tracer
    .startSpan(
      LOCK_WAIT_SPAN,
      {
        kind: SpanKind.INTERNAL,
        startTime: end - waitedMs,
        attributes: { ...labelAttributes(label), [ATTR.lockOutcome]: outcome },
      },
      context.active(),
    )
    .end(end);
}

function isTyped(error: unknown): error is Error & { code: string } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
}
