// The command's flags, parsed so that a mistake is named by its position or flag, never by a value.
import { PLATFORMS } from './platforms.ts';
import { closest } from './suggest.ts';
import { UsageError } from './usage-error.ts';

export type Flags = Readonly<Record<string, string | boolean | undefined>>;

/** How a flag is read: a string value, or a switch; `short` is its one-letter form. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
}

/** Flags every command shares; each platform adds its own (platforms.ts). */
const COMMON_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  curl: { type: 'boolean' },
  path: { type: 'string' },
  json: { type: 'boolean' },
  port: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
};

/** Every flag the command knows: the common ones and every platform's. */
export const OPTIONS: Readonly<Record<string, OptionSpec>> = Object.assign(
  {},
  ...PLATFORMS.map((platform) => platform.options),
  COMMON_OPTIONS,
);

const NAMES = Object.keys(OPTIONS);
const SHORT = new Map(
  Object.entries(OPTIONS).flatMap(([name, { short }]) => (short ? [[short, name] as const] : [])),
);

/** A word the user typed where a command or platform goes, with its place on the command line. */
export interface Positional {
  readonly value: string;
  /** 1-based place among the arguments, for messages that must not quote the value. */
  readonly argument: number;
}

/**
 * Whether an unknown flag's name may be shown: it is a likely typo of a known one, or plain
 * lowercase words (`--frobnicate`). Anything else (digits, capitals, long) might be a secret.
 */
const showable = (name: string, guess: string | undefined): boolean =>
  guess !== undefined || (/^[a-z]+(-[a-z]+)*$/.test(name) && name.length <= 24);

/** `--name` or `-x` of a known flag (with or without `=value`): the next word is not a value then. */
function isKnownFlag(argument: string): boolean {
  if (argument.startsWith('--')) return NAMES.includes(argument.slice(2).split('=')[0] ?? '');
  return argument.length === 2 && SHORT.has(argument[1] ?? '');
}

function unknownOption(argument: string, place: number): UsageError {
  const long = argument.startsWith('--');
  const name = argument.replace(/^-+/, '').split('=')[0] ?? '';
  const guess = long || name.length === 1 ? closest(name, NAMES) : undefined;
  if ((!long && name.length !== 1) || !showable(name, guess)) {
    return new UsageError(`unknown option at argument ${place} (not shown: it may be a value)`);
  }
  return new UsageError(
    `unknown option ${long ? '--' : '-'}${name}${guess === undefined ? '' : ` (did you mean --${guess}?)`}`,
  );
}

/**
 * Parses argv. A string flag takes the next word as its value even when it starts with `-` (a
 * secret may), unless that word is a known flag. Every mistake is a UsageError naming a flag or
 * a position, never a value.
 */
export function parseFlags(argv: readonly string[]): { values: Flags; positionals: Positional[] } {
  const values: Record<string, string | boolean> = {};
  const positionals: Positional[] = [];
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i]!;
    const place = i + 1;
    if (argument === '--') {
      for (let j = i + 1; j < argv.length; j++)
        positionals.push({ value: argv[j]!, argument: j + 1 });
      break;
    }
    if (!argument.startsWith('-') || argument === '-') {
      positionals.push({ value: argument, argument: place });
      continue;
    }
    const long = argument.startsWith('--');
    const [rawName = '', ...rest] = argument.replace(/^-+/, '').split('=');
    const name = long ? rawName : SHORT.get(rawName);
    const option = name === undefined ? undefined : OPTIONS[name];
    if (name === undefined || option === undefined || (long && rawName.length === 1)) {
      throw unknownOption(argument, place);
    }
    const inline = rest.length > 0 ? rest.join('=') : undefined;
    if (option.type === 'boolean') {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      values[name] = true;
      continue;
    }
    const next = argv[i + 1];
    const value =
      inline ?? (next !== undefined && !isKnownFlag(next) && next !== '--' ? next : undefined);
    if (value === undefined)
      throw new UsageError(`--${name} needs a value, e.g. --${name} <value>`);
    if (inline === undefined) i++;
    values[name] = value;
  }
  return { values, positionals };
}
