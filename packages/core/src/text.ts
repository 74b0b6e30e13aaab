// Text from elsewhere (servers, providers) made safe for one log line: no control characters, bounded.

// C0 and C1 control characters, DEL included: CR/LF would forge log lines, ESC would drive a terminal.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]+/g;

/** `text` on one line, control characters replaced by a space, at most `max` characters. */
export function oneLine(text: string, max = 300): string {
  const flat = text.replace(CONTROL, ' ');
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
