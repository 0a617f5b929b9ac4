import { type JSONPath, printParseErrorCode, visit } from 'jsonc-parser';
import { ConfigError } from './config-error.js';
import { fieldPath } from './field-path.js';

/**
 * How deeply objects and arrays may nest in a config file, the top-level object counting as
 * one. Real configs nest five or six levels (`kv.<mount>.schema.<field>.default`); the bound
 * keeps every later walk of the parsed value far from the call-stack limit.
 */
export const MAX_CONFIG_DEPTH = 64;

/** What jsonc-parser's error codes mean, in the words config errors use. */
const SYNTAX_REASONS: Readonly<Record<string, string>> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected ":"',
  CommaExpected: 'expected ","',
  CloseBraceExpected: 'expected "}"',
  CloseBracketExpected: 'expected "]"',
  EndOfFileExpected: 'unexpected text after the end of the JSON value',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'comments are not allowed in JSON',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'incomplete number',
  InvalidUnicode: 'invalid \\u escape in a string',
  InvalidEscapeCharacter: 'invalid escape in a string',
  InvalidCharacter: 'control character in a string (escape it)',
};

/**
 * Parse the text of a config file as strict JSON (no comments, no trailing commas), refusing
 * what `JSON.parse` silently accepts or cannot survive:
 *
 * - a key that appears twice in one object (`JSON.parse` keeps the last one, so a duplicated
 *   mount or section would quietly replace the first): the error names the key's path
 *   (`kv.state`, or `kv` for a duplicated section) and where both are;
 * - nesting deeper than {@link MAX_CONFIG_DEPTH}: the error names the path of the object or
 *   array that passed the limit.
 *
 * jsonc-parser's visitor reports every property with its position, duplicates included, and
 * the check stops at the first problem, before the parser recurses any deeper.
 *
 * @param source how errors name the file.
 * @throws {@link ConfigError}: a syntax error (with line and column), a duplicate key or
 *   nesting past the limit (with the field).
 * @example
 * parseConfigJson('{"kv": {"s": {"backend": "memory"}}}', 'rill.config.json');
 * // { kv: { s: { backend: 'memory' } } }
 */
export function parseConfigJson(text: string, source: string): unknown {
  // One entry per open container: an object's keys with where each was, or null for an array.
  const open: (Map<string, string> | null)[] = [];
  const enter = (path: JSONPath, keys: Map<string, string> | null): void => {
    if (open.length >= MAX_CONFIG_DEPTH) {
      throw new ConfigError(
        { source, field: toField(path) },
        `nests deeper than ${MAX_CONFIG_DEPTH} levels of objects and arrays, the limit of a config file`,
      );
    }
    open.push(keys);
  };
  visit(
    text,
    {
      onObjectBegin: (_offset, _length, _line, _column, path) => enter(path(), new Map()),
      onArrayBegin: (_offset, _length, _line, _column, path) => enter(path(), null),
      onObjectEnd: () => void open.pop(),
      onArrayEnd: () => void open.pop(),
      onObjectProperty: (name, _offset, _length, line, column, path) => {
        const keys = open[open.length - 1];
        const here = `${line + 1}:${column + 1}`;
        const first = keys?.get(name);
        if (first !== undefined) {
          throw new ConfigError(
            { source, field: toField([...path(), name]) },
            `is defined twice (at ${first} and ${here}); remove one of them`,
          );
        }
        keys?.set(name, here);
      },
      onError: (code, offset, _length, line, column) => {
        const reason =
          offset >= text.length
            ? 'unexpected end of the file'
            : (SYNTAX_REASONS[printParseErrorCode(code)] ?? 'syntax error');
        throw new ConfigError(
          { source, line: line + 1, column: column + 1 },
          `invalid JSON: ${reason}`,
        );
      },
    },
    { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
  );
  // The text is now known to be JSON without duplicates or deep nesting; JSON.parse builds the
  // value (a "__proto__" key stays an own property). Its own error is a safety net only.
  return parseWithJsonParse(text, source);
}

function toField(path: JSONPath): string | undefined {
  return path.reduce<string | undefined>((parent, key) => fieldPath(parent, key), undefined);
}

/** `JSON.parse`, with its syntax errors turned into a line and column. */
function parseWithJsonParse(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    // V8 reports an offset ("... in JSON at position 12"), newer versions also a line and
    // column; an unexpected end has neither and is at the end of the text.
    const offset = Number(/at position (\d+)/.exec(message)?.[1] ?? text.length);
    const before = text.slice(0, offset).split(/\r\n|\r|\n/);
    const line = before.length;
    const column = (before[before.length - 1]?.length ?? 0) + 1;
    const reason = message
      .replace(/\s*\(line \d+ column \d+\)/, '')
      .replace(/ in JSON at position \d+/, '')
      .replace(/^Unexpected end of JSON input$/, 'unexpected end of the file');
    throw new ConfigError({ source, line, column }, `invalid JSON: ${reason}`, { cause });
  }
}
