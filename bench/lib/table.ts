// Plain-text tables for the terminal (and for pasting into an issue).

export function table(
  title: string,
  header: readonly string[],
  rows: readonly (readonly unknown[])[],
): string {
  const cells = [header, ...rows].map((row) =>
    row.map((cell) => (cell === null || cell === undefined ? '—' : String(cell))),
  );
  const widths = header.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]): string =>
    `| ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [`\n${title}`, line(cells[0] ?? []), rule, ...cells.slice(1).map(line)].join('\n');
}
