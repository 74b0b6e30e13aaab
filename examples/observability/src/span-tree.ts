// A compact view of the exported spans: each trace that made a token request, as an indented tree.
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

const durationMs = (span: ReadableSpan): number =>
  span.duration[0] * 1000 + Math.round(span.duration[1] / 1e6);

function describe(span: ReadableSpan): string {
  const a = span.attributes;
  const status = a['http.response.status_code'];
  if (span.name.startsWith('authwire.')) {
    const fields = ['authwire.reason', 'authwire.attempt', 'authwire.outcome', 'error.type']
      .filter((key) => a[key] !== undefined)
      .map((key) => `${key.replace(/^(authwire|error)\./, '')}=${String(a[key])}`);
    if (status !== undefined) fields.push(`status=${String(status)}`);
    return `${span.name} ${fields.join(' ')}`;
  }
  const path = a['url.path'];
  return path === undefined ? span.name : `${span.name} ${String(path)} → ${String(status)}`;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** The traces among `spans` that contain an authwire span, one line per span. */
export function spanTrees(spans: readonly ReadableSpan[]): string[] {
  const byTrace = groupBy(spans, (span) => span.spanContext().traceId);
  const lines: string[] = [];
  for (const trace of byTrace.values()) {
    if (!trace.some((span) => span.name.startsWith('authwire.'))) continue;
    const ids = new Set(trace.map((span) => span.spanContext().spanId));
    const children = groupBy(trace, (span) => {
      const parent = span.parentSpanContext?.spanId;
      return parent !== undefined && ids.has(parent) ? parent : 'root';
    });
    const walk = (parent: string, depth: number): void => {
      const level = [...(children.get(parent) ?? [])].sort(
        (x, y) => x.startTime[0] - y.startTime[0] || x.startTime[1] - y.startTime[1],
      );
      for (const span of level) {
        lines.push(`${'  '.repeat(depth)}${describe(span)}  (${durationMs(span)} ms)`);
        walk(span.spanContext().spanId, depth + 1);
      }
    };
    walk('root', 0);
  }
  return lines;
}
