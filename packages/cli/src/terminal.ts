// Text from a server (scope, error descriptions) made safe to print: no escape sequences, no CR/LF, no screen clears.
// Kept small and local until core exports the one terminal sanitiser (issue 22).

// biome-ignore-start lint/suspicious/noControlCharactersInRegex: control characters are what this removes
/** CSI (`ESC [ … final`), OSC (`ESC ] … BEL|ST`) and any other `ESC x` pair. */
const ESCAPES =
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?|\x9b[0-?]*[ -/]*[@-~]/g;
/** C0 and C1 controls, DEL, line/paragraph separators and bidi overrides. */
const CONTROLS = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g;
// biome-ignore-end lint/suspicious/noControlCharactersInRegex: -

/**
 * One line of printable text: escape sequences removed, every other control character (CR, LF,
 * backspace, bell, a form feed, …) a single space, at most `max` characters.
 *
 * @example
 * terminalSafe('lab\x1b[2J\r\nFAKE: ok'); // 'lab FAKE: ok'
 */
export function terminalSafe(text: string, max = 500): string {
  const clean = text.replace(ESCAPES, '').replace(CONTROLS, ' ');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
