// Text from a server (scope, error descriptions) made safe to print, by core's one terminal sanitiser.
import { sanitizeText } from '@authwire/core/kit';

/**
 * One line of printable text: escape sequences removed, every other control character (CR, LF,
 * backspace, bell, a form feed, …) a single space, at most `max` characters.
 *
 * @example
 * terminalSafe('lab\x1b[2J\r\nFAKE: ok'); // 'lab FAKE: ok'
 */
export function terminalSafe(text: string, max = 500): string {
  return sanitizeText(text, max);
}
