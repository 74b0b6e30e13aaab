// The command's flags, and the parsing that turns a mistyped one into a did-you-mean.
import { parseArgs } from 'node:util';
import { UsageError } from './usage.ts';

export type Flags = Readonly<Record<string, string | boolean | undefined>>;

export const OPTIONS = {
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  'application-id': { type: 'string' },
  'client-name': { type: 'string' },
  environment: { type: 'string' },
  region: { type: 'string' },
  scope: { type: 'string' },
  storm: { type: 'boolean' },
  'token-url': { type: 'string' },
  'base-url': { type: 'string' },
  'application-key': { type: 'string' },
  api: { type: 'string' },
  'project-key': { type: 'string' },
  'short-code': { type: 'string' },
  'tenant-id': { type: 'string' },
  'site-id': { type: 'string' },
  shop: { type: 'string' },
  'api-version': { type: 'string' },
  curl: { type: 'boolean' },
  path: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const NAMES = Object.keys(OPTIONS);

/** Edit distance (insertions, deletions, substitutions, adjacent swaps). */
function distance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      }
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/** The known flag closest to `name`, if it is close enough to be a typo (or a prefix of it). */
export function suggest(name: string): string | undefined {
  const lower = name.toLowerCase();
  let best: { name: string; score: number } | undefined;
  for (const candidate of NAMES) {
    const score = candidate.startsWith(lower) && lower.length >= 3 ? 0 : distance(lower, candidate);
    if (best === undefined || score < best.score) best = { name: candidate, score };
  }
  const allowed = Math.max(1, Math.floor(name.length / 3));
  return best !== undefined && best.score <= allowed ? best.name : undefined;
}

function unknownOption(argument: string): UsageError {
  const name = argument.replace(/^-+/, '').split('=')[0] ?? '';
  const guess = suggest(name);
  // Only the flag's name is echoed, never a value (it may be a secret).
  const shown = argument.startsWith('--') ? `--${name}` : `-${name}`;
  return new UsageError(
    `unknown option ${shown}${guess === undefined ? '' : ` (did you mean --${guess}?)`}`,
  );
}

/** Parses argv; every mistake becomes a UsageError in our words, naming flags, never values. */
export function parseFlags(argv: readonly string[]): { values: Flags; positionals: string[] } {
  for (const argument of argv) {
    if (argument === '--') break;
    if (!argument.startsWith('-') || argument === '-') continue;
    const name = argument.replace(/^-+/, '').split('=')[0] ?? '';
    const known = argument.startsWith('--')
      ? NAMES.includes(name)
      : name.length === 1 && name === 'h';
    if (!known) throw unknownOption(argument);
  }
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const flag = /'(--?[a-z-]+)/.exec(error instanceof Error ? error.message : '')?.[1];
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag !== undefined) {
      const type = OPTIONS[flag.replace(/^-+/, '') as keyof typeof OPTIONS]?.type;
      throw new UsageError(
        type === 'boolean'
          ? `${flag} takes no value`
          : `${flag} needs a value, e.g. ${flag} <value>`,
      );
    }
    // parseArgs' messages name the option, never its value.
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
