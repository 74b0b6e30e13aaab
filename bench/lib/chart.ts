// A hand-written SVG of the headline ratios: overhead vs the bare client, and token requests.

export interface ChartInput {
  readonly overhead: readonly {
    readonly label: string;
    readonly ratio: number;
    readonly kind: string;
  }[];
  readonly overheadTarget: number;
  readonly tokens: readonly {
    readonly label: string;
    readonly kind: string;
    readonly cold: number;
    readonly revoked: number;
    readonly steady: number;
  }[];
  readonly subtitle: string;
}

const esc = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const color = (kind: string): string =>
  kind === 'authwire' ? '#2563eb' : kind === 'peer' ? '#f59e0b' : '#9ca3af';

export function chartSvg(input: ChartInput): string {
  const width = 900;
  const rowH = 22;
  const left = 230;
  const plotW = width - left - 80;
  const parts: string[] = [];
  let y = 30;
  parts.push(`<text x="20" y="${y}" font-size="18" font-weight="bold">authwire benchmark</text>`);
  y += 20;
  parts.push(`<text x="20" y="${y}" font-size="12" fill="#555">${esc(input.subtitle)}</text>`);

  // Panel 1: overhead ratio (median latency / bare median), axis from 0.9 to the max.
  y += 35;
  parts.push(
    `<text x="20" y="${y}" font-size="14" font-weight="bold">Per-request latency vs the same client with a static header (median ratio; target ≤ ${input.overheadTarget})</text>`,
  );
  y += 15;
  const lo = 0.9;
  const hi = Math.max(1.1, ...input.overhead.map((o) => o.ratio)) * 1.02;
  const xOf = (ratio: number): number => left + ((Math.max(ratio, lo) - lo) / (hi - lo)) * plotW;
  const top = y;
  for (const item of input.overhead) {
    parts.push(
      `<text x="${left - 8}" y="${y + 15}" font-size="12" text-anchor="end">${esc(item.label)}</text>`,
    );
    parts.push(
      `<rect x="${left}" y="${y + 4}" width="${(xOf(item.ratio) - left).toFixed(1)}" height="${rowH - 8}" fill="${color(item.kind)}"/>`,
    );
    parts.push(
      `<text x="${(xOf(item.ratio) + 4).toFixed(1)}" y="${y + 15}" font-size="11">${item.ratio.toFixed(3)}</text>`,
    );
    y += rowH;
  }
  for (const mark of [1, input.overheadTarget]) {
    const x = xOf(mark).toFixed(1);
    parts.push(
      `<line x1="${x}" y1="${top}" x2="${x}" y2="${y}" stroke="${mark === 1 ? '#111' : '#dc2626'}" stroke-dasharray="${mark === 1 ? '0' : '4 3'}"/>`,
    );
    parts.push(
      `<text x="${x}" y="${y + 14}" font-size="11" text-anchor="middle" fill="${mark === 1 ? '#111' : '#dc2626'}">${mark}</text>`,
    );
  }
  y += 40;

  // Panel 2: token requests per scenario, log scale (1 … max).
  parts.push(
    `<text x="20" y="${y}" font-size="14" font-weight="bold">Token requests (log scale): cold herd · 401 herd · steady load (120 s tokens)</text>`,
  );
  y += 15;
  const max = Math.max(10, ...input.tokens.flatMap((t) => [t.cold, t.revoked, t.steady]));
  const logX = (n: number): number =>
    left + (Math.log10(Math.max(1, n)) / Math.log10(max)) * plotW * 0.9;
  const shades = ['1', '0.7', '0.45'];
  for (const item of input.tokens) {
    parts.push(
      `<text x="${left - 8}" y="${y + 22}" font-size="12" text-anchor="end">${esc(item.label)}</text>`,
    );
    [item.cold, item.revoked, item.steady].forEach((n, i) => {
      const w = Math.max(2, logX(n) - left);
      const by = y + 4 + i * 11;
      parts.push(
        `<rect x="${left}" y="${by}" width="${w.toFixed(1)}" height="9" fill="${color(item.kind)}" fill-opacity="${shades[i]}"/>`,
      );
      parts.push(`<text x="${(left + w + 4).toFixed(1)}" y="${by + 8}" font-size="9">${n}</text>`);
    });
    y += 38;
  }
  y += 10;
  parts.push(
    `<rect x="20" y="${y}" width="10" height="10" fill="${color('authwire')}"/><text x="36" y="${y + 9}" font-size="11">authwire</text>`,
  );
  parts.push(
    `<rect x="110" y="${y}" width="10" height="10" fill="${color('peer')}"/><text x="126" y="${y + 9}" font-size="11">peer</text>`,
  );
  parts.push(
    `<text x="180" y="${y + 9}" font-size="11" fill="#555">bars per client, top to bottom: cold-start herd, 401 herd, steady load</text>`,
  );
  y += 30;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" viewBox="0 0 ${width} ${y}" font-family="system-ui, sans-serif">\n<rect width="100%" height="100%" fill="#fff"/>\n${parts.join('\n')}\n</svg>\n`;
}
