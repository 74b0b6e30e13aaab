// Which command and platform the positional words name; a stray word is named by its position, never quoted.
import type { Positional } from './flags.ts';
import { PLATFORM_NAMES, type Platform, platformNamed } from './platforms.ts';
import { closest } from './suggest.ts';
import { UsageError } from './usage-error.ts';

export const COMMANDS = ['token', 'mock'] as const;
export type Command = (typeof COMMANDS)[number];

const isCommand = (word: string): word is Command => (COMMANDS as readonly string[]).includes(word);

/** ` (did you mean x?)` when `typed` is a likely typo of one of `names`. */
function didYouMean(typed: string, names: readonly string[]): string {
  const guess = closest(typed, names);
  return guess === undefined ? '' : ` (did you mean ${guess}?)`;
}

/**
 * `token norce`, `mock oracle`, …: the command and the platform, or a UsageError. A word that is
 * neither is never printed (a secret split by an unquoted space, or given to a flag that takes no
 * value, lands here): messages name its position, and suggest the name it is closest to.
 */
export function commandLine(positionals: readonly Positional[]): {
  command: Command;
  platform: Platform;
} {
  const [first, second, stray] = positionals;
  const commands = COMMANDS.join(', ');
  const platforms = PLATFORM_NAMES.join(', ');
  if (first === undefined) {
    throw new UsageError(
      `a command is required: authwire <${COMMANDS.join('|')}> <${PLATFORM_NAMES.join('|')}>`,
    );
  }
  if (!isCommand(first.value)) {
    throw new UsageError(
      `unknown command at argument ${first.argument}${didYouMean(first.value, COMMANDS) || ` (commands: ${commands})`}`,
    );
  }
  const command = first.value;
  if (second === undefined) {
    throw new UsageError(`${command}: a platform is required (${platforms})`);
  }
  const platform = platformNamed(second.value);
  if (platform === undefined) {
    throw new UsageError(
      `${command}: unknown platform at argument ${second.argument}${didYouMean(second.value, PLATFORM_NAMES) || ` (platforms: ${platforms})`}`,
    );
  }
  if (stray !== undefined) {
    throw new UsageError(
      `${command} ${platform.name}: unexpected argument ${stray.argument} (not shown: it may be a secret). ` +
        'Quote a value that contains a space; --storm, --curl and --json take no value.',
    );
  }
  return { command, platform };
}
