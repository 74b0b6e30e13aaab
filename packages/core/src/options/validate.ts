// Option checks shared by core and the presets: each failure is an InvalidOptionsError naming the option.
import { InvalidOptionsError } from '../errors/errors.ts';

/**
 * Throws an `InvalidOptionsError` for `option` whose message is `"<option> <problem>"`.
 *
 * @example
 * if (typeof options.storm !== 'boolean') invalidOption('storm', 'must be a boolean');
 */
export function invalidOption(option: string, problem: string): never {
  throw new InvalidOptionsError(option, `${option} ${problem}`);
}

/**
 * What a wrong value is, for a message, without echoing it: `undefined`, `null`, `a number`,
 * `an array`, … — a short word-like string (a typo like `'prod'`) is quoted, nothing else is.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string')
    return /^[A-Za-z_-]{1,20}$/.test(value) ? `'${value}'` : 'a string';
  if (value == null || Number.isNaN(value)) return String(value);
  const type = Array.isArray(value) ? 'array' : typeof value;
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}

/**
 * `value` when it is one of `allowed`, else an `InvalidOptionsError` listing them. The message
 * echoes a short word-like value (a typo like `'prod'`), never anything that could be a secret.
 *
 * @example
 * const api = oneOf('api', options.api ?? 'admin', ['admin', 'agent']);
 */
export function oneOf<T extends string>(option: string, value: unknown, allowed: readonly T[]): T {
  if (allowed.includes(value as T)) return value as T;
  return invalidOption(
    option,
    `must be one of '${allowed.join("', '")}'; got ${describeValue(value)}`,
  );
}

/** Whether `value` is an object that is neither null nor an array (an options object, a record). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks one option's value; throws an `InvalidOptionsError` naming `name` when it is wrong. */
export type OptionCheck = (value: unknown, name: string) => void;

/**
 * Checks an options object: it must be a plain object (not null, not an array); every own
 * property must be a known option (an unknown one is refused with a did-you-mean, so a typo like
 * `refreshWindowMS` never passes silently in plain JS); every known option's check runs on its
 * value, `undefined` included (wrap optional ones in `optional`).
 *
 * @example
 * checkOptions(options, { storm: optional(isBoolean), tokenUrl: optional(isString) }, 'norce()');
 */
export function checkOptions(
  options: unknown,
  known: Readonly<Record<string, OptionCheck>>,
  where: string,
): void {
  if (!isRecord(options)) {
    throw new InvalidOptionsError(
      'options',
      `${where}: options must be an object; got ${describeValue(options)}`,
    );
  }
  const names = Object.keys(known);
  for (const name of Object.keys(options)) {
    if (Object.hasOwn(known, name)) continue;
    // Quoted only when it looks like an identifier: a key could be a misplaced secret.
    const shown = /^[A-Za-z_$][\w$-]{0,40}$/.test(name);
    const suggestion = shown && closest(name.toLowerCase(), names);
    throw new InvalidOptionsError(
      shown ? name : 'options',
      `${where}: unknown option ${shown ? `'${name}'` : '(not shown)'}${
        suggestion ? `; did you mean ${suggestion}?` : ''
      }`,
    );
  }
  for (const name of names) known[name]?.(options[name], name);
}

/** The known name within Levenshtein distance 2 of `name` (lower case), case-insensitively, closest first. */
function closest(name: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of names) {
    const other = candidate.toLowerCase();
    let row = Array.from({ length: other.length + 1 }, (_, j) => j);
    for (let i = 1; i <= name.length; i++) {
      const next = [i];
      for (let j = 1; j <= other.length; j++) {
        const substitute = row[j - 1]! + (name[i - 1] === other[j - 1] ? 0 : 1);
        next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, substitute);
      }
      row = next;
    }
    if (row[other.length]! < bestDistance) {
      best = candidate;
      bestDistance = row[other.length]!;
    }
  }
  return best;
}

/**
 * `check`, but `undefined` passes.
 *
 * @example
 * checkOptions(options, { storm: optional(isBoolean) }, 'norce()');
 */
export function optional(check: OptionCheck): OptionCheck {
  return (value, name) => {
    if (value !== undefined) check(value, name);
  };
}

/**
 * Fails with `must be <what>; got <kind>` unless `test(value)`; the value itself is never quoted.
 *
 * @example
 * const isPort = must('a port number', (v) => Number.isInteger(v) && (v as number) > 0);
 */
export function must(what: string, test: (value: unknown) => boolean): OptionCheck {
  return (value, name) => {
    if (!test(value)) invalidOption(name, `must be ${what}; got ${describeValue(value)}`);
  };
}

const isType = (type: string): OptionCheck => must(`a ${type}`, (v) => typeof v === type);
export const isBoolean: OptionCheck = /* @__PURE__ */ isType('boolean');
export const isFunction: OptionCheck = /* @__PURE__ */ isType('function');
export const isString: OptionCheck = /* @__PURE__ */ isType('string');
export const isNonEmptyString: OptionCheck = /* @__PURE__ */ must(
  'a non-empty string',
  (v) => typeof v === 'string' && v.trim() !== '',
);

/**
 * A finite number in [min, max] (an integer when `integer`; `exclusiveMin` for "more than min").
 *
 * @example
 * const maxAttempts = optional(isNumber(1, 10, { integer: true }));
 */
export function isNumber(
  min: number,
  max: number,
  { integer = false, exclusiveMin = false }: { integer?: boolean; exclusiveMin?: boolean } = {},
): OptionCheck {
  const problem = `must be ${integer ? 'an integer' : 'a finite number'} ${exclusiveMin ? '>' : '≥'} ${min} and ≤ ${max}`;
  return (value, name) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      invalidOption(name, `${problem}; got ${describeValue(value)}`);
    }
    const n = value as number;
    if ((integer && !Number.isInteger(n)) || (exclusiveMin ? n <= min : n < min) || n > max) {
      invalidOption(name, problem);
    }
  };
}

/** RFC 9110 §5.6.2 `token`: a valid header name. */
export const HEADER_NAME: RegExp = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** A header value fetch accepts: visible ASCII, space and tab inside, no CR/LF/NUL. */
const HEADER_VALUE: RegExp =
  /^[\x21-\x7e\x80-\xff](?:[\t\x20-\x7e\x80-\xff]*[\x21-\x7e\x80-\xff])?$|^$/;

/** An object of string values (e.g. extra form parameters). Values are never quoted. */
export const isStringRecord: OptionCheck = (value, name) => {
  must('an object of strings', isRecord)(value, name);
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (typeof item !== 'string') {
      const shown = /^[A-Za-z_][\w.-]{0,40}$/.test(key) ? `.${key}` : ' (a value)';
      invalidOption(name, `${shown} must be a string; got ${describeValue(item)}`);
    }
  }
};

/**
 * An object of header names to string values, each header-safe. Messages name the header
 * (when it is a valid name) but never quote a value: it may be a credential.
 */
export const isHeaderRecord: OptionCheck = (value, name) => {
  isStringRecord(value, name);
  for (const [header, headerValue] of Object.entries(value as Record<string, string>)) {
    if (!HEADER_NAME.test(header)) {
      invalidOption(name, 'has a header name that is not an HTTP token (RFC 9110 §5.6.2)');
    }
    if (!HEADER_VALUE.test(headerValue)) {
      invalidOption(
        name,
        `.${header} has a value a header cannot carry (a control character, or surrounding spaces)`,
      );
    }
  }
};

/** RFC 6749 §3.3 scope-token = 1*NQCHAR (%x21 / %x23-5B / %x5D-7E). */
export const SCOPE_TOKEN: RegExp = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/** A space-delimited scope string or a list of scope tokens, each an RFC 6749 NQCHAR token. */
export const isScope: OptionCheck = (value, name) => {
  const tokens = typeof value === 'string' ? value.trim().split(/ +/).filter(Boolean) : value;
  must('a space-delimited string or an array of scope tokens', Array.isArray)(tokens, name);
  for (const token of tokens as unknown[]) {
    if (typeof token !== 'string' || !SCOPE_TOKEN.test(token)) {
      invalidOption(
        name,
        'must consist of RFC 6749 scope tokens (printable ASCII, no space, `"` or `\\`)',
      );
    }
  }
};
