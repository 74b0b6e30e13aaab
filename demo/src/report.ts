// Prints the demo's progress and results: a live line on a terminal, plain lines in CI logs.
import { styleText } from 'node:util';
import type { DemoOptions, ScenarioResult } from './run-demo.ts';

type Progress = Parameters<NonNullable<DemoOptions['onProgress']>>[0];
type Style = Parameters<typeof styleText>[0];

export interface Output {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** styleText drops colours by itself when the stream is not a TTY or NO_COLOR is set. */
const paint = (out: Output, format: Style, text: string): string =>
  out === process.stdout ? styleText(format, text, { stream: process.stdout }) : text;

const label = (p: { adapter: string; platform: string; scenario: string }): string =>
  `${p.adapter} · ${p.platform} · ${p.scenario}`;

/** A progress reporter: a spinner and bar on a terminal, one line per scenario otherwise. */
export function progressReporter(out: Output): {
  onProgress: (progress: Progress) => void;
  stop: () => void;
} {
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  let frame = 0;
  let current: Progress | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  const draw = (): void => {
    if (!current) return;
    const width = 24;
    const filled = Math.round((current.index / current.total) * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const spinner = frames[frame++ % frames.length];
    out.write(`\r\x1b[2K${spinner} ${bar} ${current.index}/${current.total}  ${label(current)}`);
  };
  if (out.isTTY) {
    timer = setInterval(draw, 80);
    timer.unref();
  }
  return {
    onProgress(progress) {
      current = progress;
      if (out.isTTY) {
        draw();
      } else if (progress.result) {
        const { result } = progress;
        const mark = result.failures.length === 0 ? 'ok  ' : 'FAIL';
        const counter = `[${String(progress.index).padStart(String(progress.total).length)}/${progress.total}]`;
        out.write(`${counter} ${mark} ${label(result)} (${Math.round(result.durationMs)} ms)\n`);
      }
    },
    stop() {
      if (timer) clearInterval(timer);
      if (out.isTTY) out.write('\r\x1b[2K');
    },
  };
}

/** Short names for the manager's event types in the table; unknown types print in full. */
export const EVENT_ABBREVIATIONS: Readonly<Record<string, string>> = {
  token_request: 'req',
  token_acquired: 'got',
  token_request_failed: 'fail',
  token_invalidated: 'drop',
  unauthorized_retry: 'heal',
  unauthorized_surfaced: '401',
  rate_limited: 'rl',
  store_error: 'store',
  lock_wait: 'lock',
  closed: 'closed',
};

/** `req 4 · got 4 · heal 15`: the event counts, in the order of {@link EVENT_ABBREVIATIONS}. */
export function eventSummary(measurement: NonNullable<ScenarioResult['measurement']>): string {
  const known = Object.keys(EVENT_ABBREVIATIONS);
  const types = Object.keys(measurement.events).sort(
    (a, b) => (known.indexOf(a) + 1 || 99) - (known.indexOf(b) + 1 || 99),
  );
  const merged = new Map<string, number>();
  for (const type of types) {
    const name = EVENT_ABBREVIATIONS[type] ?? type;
    merged.set(name, (merged.get(name) ?? 0) + (measurement.events[type] ?? 0));
  }
  return [...merged].map(([name, n]) => `${name} ${n}`).join(' · ');
}

interface Column {
  readonly title: string;
  readonly align: 'left' | 'right';
  readonly value: (result: ScenarioResult) => string;
}

const count =
  (pick: (m: NonNullable<ScenarioResult['measurement']>) => number) => (r: ScenarioResult) =>
    r.measurement ? String(pick(r.measurement)) : '–';

const COLUMNS: readonly Column[] = [
  { title: 'adapter', align: 'left', value: (r) => r.adapter },
  { title: 'provider', align: 'left', value: (r) => r.platform },
  { title: 'scenario', align: 'left', value: (r) => r.scenario },
  { title: 'calls', align: 'right', value: count((m) => m.calls) },
  { title: 'ok', align: 'right', value: count((m) => m.ok) },
  { title: 'token requests', align: 'right', value: count((m) => m.tokenRequests) },
  { title: 'API requests', align: 'right', value: count((m) => m.apiRequests) },
  {
    title: '401s healed',
    align: 'right',
    value: count((m) => (m.ok === m.calls ? m.unauthorized : 0)),
  },
  {
    title: 'refresh-ahead',
    align: 'right',
    value: (r) =>
      !r.measurement
        ? '–'
        : r.measurement.refreshHeld > 0
          ? `${r.measurement.refreshAhead} (${r.measurement.refreshHeld} held)`
          : String(r.measurement.refreshAhead),
  },
  {
    title: 'other origin',
    align: 'left',
    value: (r) =>
      r.measurement && r.measurement.foreign > 0
        ? `${r.measurement.foreignWithToken} of ${r.measurement.foreign} with token`
        : '',
  },
  {
    title: 'events',
    align: 'left',
    value: (r) => (r.measurement ? eventSummary(r.measurement) : '–'),
  },
  { title: 'result', align: 'left', value: (r) => (r.failures.length === 0 ? '✓ pass' : '✗ FAIL') },
];

/** The results as an aligned text table (no colours: the caller may paint whole lines). */
export function resultTable(results: readonly ScenarioResult[]): string[] {
  const cells = results.map((result) => COLUMNS.map((column) => column.value(result)));
  const widths = COLUMNS.map((column, i) =>
    Math.max(column.title.length, ...cells.map((row) => row[i]!.length)),
  );
  const line = (row: readonly string[]): string =>
    row
      .map((cell, i) =>
        COLUMNS[i]!.align === 'right' ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!),
      )
      .join('  ')
      .trimEnd();
  const header = line(COLUMNS.map((column) => column.title));
  const rule = widths.map((width) => '─'.repeat(width)).join('  ');
  const rows: string[] = [];
  let previous: ScenarioResult | undefined;
  results.forEach((result, i) => {
    // A blank line between adapters keeps 32 rows scannable.
    if (previous && previous.adapter !== result.adapter) rows.push('');
    rows.push(line(cells[i]!));
    previous = result;
  });
  return [header, rule, ...rows];
}

/** Writes the table, what each scenario means, and the verdict. Returns whether all passed. */
export function printReport(
  out: Output,
  results: readonly ScenarioResult[],
  durationMs: number,
): boolean {
  const [header, rule, ...rows] = resultTable(results);
  out.write(`\n${paint(out, 'bold', header!)}\n${paint(out, 'dim', rule!)}\n`);
  let r = 0;
  for (const row of rows) {
    if (row === '') {
      out.write('\n');
      continue;
    }
    const passed = results[r++]!.failures.length === 0;
    out.write(`${passed ? row : paint(out, 'red', row)}\n`);
  }

  const scenarios = new Map(results.map((result) => [result.scenario, result]));
  const legend = [
    ...new Set(Object.entries(EVENT_ABBREVIATIONS).map(([type, name]) => `${name} = ${type}`)),
  ];
  out.write(
    `\n  ${paint(out, 'dim', `events (manager.subscribe, measured part only): ${legend.join(', ')}`)}\n`,
  );
  out.write('\n');
  for (const [name, { expectation, note }] of scenarios) {
    out.write(`  ${paint(out, 'bold', name.padEnd(16))}${expectation}\n`);
    if (note) out.write(`  ${''.padEnd(16)}${paint(out, 'dim', `(${note})`)}\n`);
  }

  const failed = results.filter((result) => result.failures.length > 0);
  const seconds = (durationMs / 1000).toFixed(1);
  if (failed.length === 0) {
    out.write(
      `\n${paint(out, 'green', `✓ all ${results.length} scenarios passed`)} in ${seconds} s\n`,
    );
    return true;
  }
  out.write(
    `\n${paint(out, 'red', `✗ ${failed.length} of ${results.length} scenarios failed`)} (${seconds} s):\n`,
  );
  for (const result of failed) {
    out.write(`  ${label(result)}\n`);
    for (const failure of result.failures) out.write(`    - ${failure}\n`);
  }
  return false;
}
