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

/** The widest line the report prints: a default terminal, a CI log, a pasted issue. */
export const REPORT_WIDTH = 100;

interface Column {
  /** The header, one or two words per line (two header lines keep number columns narrow). */
  readonly title: readonly [string, string];
  readonly align: 'left' | 'right';
  readonly value: (result: ScenarioResult) => string;
}

const count =
  (pick: (m: NonNullable<ScenarioResult['measurement']>) => number) => (r: ScenarioResult) =>
    r.measurement ? String(pick(r.measurement)) : '–';

// The adapter is a heading above its rows, not a column: the table fits REPORT_WIDTH.
const COLUMNS: readonly Column[] = [
  { title: ['', 'provider'], align: 'left', value: (r) => r.platform },
  { title: ['', 'scenario'], align: 'left', value: (r) => r.scenario },
  { title: ['', 'calls'], align: 'right', value: count((m) => m.calls) },
  { title: ['token', 'requests'], align: 'right', value: count((m) => m.tokenRequests) },
  { title: ['API', 'requests'], align: 'right', value: count((m) => m.apiRequests) },
  {
    title: ['401s', 'retried'],
    align: 'right',
    value: count((m) => (m.ok === m.calls ? m.unauthorized : 0)),
  },
  {
    title: ['refreshed', 'early'],
    align: 'right',
    value: (r) =>
      !r.measurement
        ? '–'
        : r.measurement.refreshHeld > 0
          ? `${r.measurement.refreshAhead} (${r.measurement.refreshHeld} held)`
          : String(r.measurement.refreshAhead),
  },
  {
    // 'foreign' as in the scenario's name: calls to another origin (a wider title breaks 100 columns).
    title: ['foreign', 'with token'],
    align: 'right',
    value: (r) =>
      r.measurement && r.measurement.foreign > 0
        ? `${r.measurement.foreignWithToken} of ${r.measurement.foreign}`
        : '',
  },
  {
    title: ['', 'result'],
    align: 'left',
    value: (r) => (r.failures.length === 0 ? '✓ pass' : '✗ FAIL'),
  },
];

/**
 * The results as an aligned text table, at most {@link REPORT_WIDTH} columns wide: two header
 * lines, a rule, then per adapter a heading line and its rows (no colours: the caller may paint
 * whole lines). Heading lines start with no space; rows are indented by two.
 */
export function resultTable(results: readonly ScenarioResult[]): string[] {
  const cells = results.map((result) => COLUMNS.map((column) => column.value(result)));
  const widths = COLUMNS.map((column, i) =>
    Math.max(...column.title.map((t) => t.length), ...cells.map((row) => row[i]!.length)),
  );
  const line = (row: readonly string[]): string =>
    `  ${row
      .map((cell, i) =>
        COLUMNS[i]!.align === 'right' ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!),
      )
      .join('  ')}`.trimEnd();
  const header = [0, 1].map((n) => line(COLUMNS.map((column) => column.title[n]!)));
  const rule = `  ${widths.map((width) => '─'.repeat(width)).join('  ')}`;
  const rows: string[] = [];
  let previous: ScenarioResult | undefined;
  results.forEach((result, i) => {
    if (previous?.adapter !== result.adapter) rows.push(result.adapter);
    rows.push(line(cells[i]!));
    previous = result;
  });
  return [...header, rule, ...rows];
}

/** `text` broken into lines of at most `width` characters, each after `indent`. */
export function wrap(text: string, indent: string, width = REPORT_WIDTH): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/)) {
    if (current !== '' && indent.length + current.length + 1 + word.length > width) {
      lines.push(`${indent}${current}`);
      current = word;
    } else {
      current = current === '' ? word : `${current} ${word}`;
    }
  }
  if (current !== '') lines.push(`${indent}${current}`);
  return lines;
}

/** Writes the table, what each scenario means, and the verdict. Returns whether all passed. */
export function printReport(
  out: Output,
  results: readonly ScenarioResult[],
  durationMs: number,
): boolean {
  const [header1, header2, rule, ...rows] = resultTable(results);
  out.write(`\n${paint(out, 'bold', header1!)}\n${paint(out, 'bold', header2!)}\n`);
  out.write(`${paint(out, 'dim', rule!)}\n`);
  let r = 0;
  for (const row of rows) {
    if (!row.startsWith(' ')) {
      out.write(`${paint(out, 'bold', row)}\n`);
      continue;
    }
    const passed = results[r++]!.failures.length === 0;
    out.write(`${passed ? row : paint(out, 'red', row)}\n`);
  }

  const scenarios = new Map(results.map((result) => [result.scenario, result]));
  out.write('\n');
  const indent = ' '.repeat(18);
  for (const [name, { expectation, note }] of scenarios) {
    const [first, ...more] = wrap(expectation, indent);
    out.write(`  ${paint(out, 'bold', name.padEnd(16))}${first!.slice(indent.length)}\n`);
    for (const line of more) out.write(`${line}\n`);
    if (note)
      for (const line of wrap(`(${note})`, indent)) out.write(`${paint(out, 'dim', line)}\n`);
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
