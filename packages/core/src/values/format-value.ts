import { engineLimitError } from './depth.js';
import { isClosure } from './type-of.js';
import type { RillValue } from './types.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

// Characters that must be escaped for the text to read back as the same rill string.
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\t': '\\t',
  '\r': '\\r',
  '{': '\\{',
  '}': '\\}',
};
const NEEDS_ESCAPE = /["\\\n\t\r{}]/g;

/** Quote a string as a rill string literal (`"a \"b\" \{c\}"`). */
export function quoteString(text: string): string {
  return `"${text.replace(NEEDS_ESCAPE, (c) => ESCAPES[c] ?? c)}"`;
}

/** Render a number the way rill prints it: JS canonical form (`1`, `0.5`, `-7`, `1e+21`). */
export function formatNumber(n: number): string {
  return String(n);
}

/** One open list or dict of {@link formatValue}'s walk. */
interface FormatFrame {
  readonly list: readonly RillValue[] | undefined;
  readonly entries: Iterator<[string, RillValue]> | undefined;
  index: number;
}

function formatScalar(value: RillValue): string {
  switch (typeof value) {
    case 'string':
      return quoteString(value);
    case 'number':
      return formatNumber(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      if (isClosure(value)) return `<closure(${value.params.map((p) => p.name).join(', ')})>`;
      return String(value);
  }
}

/**
 * Render a value as rill literal text, for people and for tests that compare results as
 * text. Strings are quoted with rill escapes (also at top level), numbers use JS canonical
 * form, lists render as `[1, 2]`, dicts as `[a: 1, "b c": 2]` (keys bare when they are
 * identifiers, quoted otherwise) and the empty dict as `[:]`. A closure has no literal form
 * and renders as the placeholder `<closure(a, b)>` listing its parameter names.
 *
 * Works at any nesting depth (the walk is iterative), so a host can show any value it holds.
 * @throws RillError `LIMIT_VALUE_SIZE` only when the text would be longer than the engine's
 *   longest string.
 *
 * @example
 * formatValue(new Map([['a', 1], ['b c', [true, 'x']]])) // '[a: 1, "b c": [true, "x"]]'
 */
export function formatValue(value: RillValue): string {
  try {
    return typeof value === 'object' ? formatDeep(value) : formatScalar(value);
  } catch (error) {
    throw engineLimitError(error, 'formatValue');
  }
}

function formatDeep(root: RillValue): string {
  const stack: FormatFrame[] = [];
  let out = '';
  let next: RillValue | undefined = root;
  for (;;) {
    if (next !== undefined) {
      const value: RillValue = next;
      next = undefined;
      if (Array.isArray(value)) {
        if (value.length === 0) out += '[]';
        else {
          out += '[';
          stack.push({ list: value as readonly RillValue[], entries: undefined, index: 0 });
        }
      } else if (value instanceof Map) {
        if (value.size === 0) out += '[:]';
        else {
          out += '[';
          const entries = (value as ReadonlyMap<string, RillValue>).entries();
          stack.push({ list: undefined, entries, index: 0 });
        }
      } else out += formatScalar(value);
    }
    const top = stack[stack.length - 1];
    if (top === undefined) return out;
    if (top.list !== undefined) {
      if (top.index < top.list.length) {
        if (top.index > 0) out += ', ';
        next = top.list[top.index++] as RillValue;
        continue;
      }
    } else {
      const entry = (top.entries as Iterator<[string, RillValue]>).next();
      if (entry.done !== true) {
        const [k, v] = entry.value;
        if (top.index++ > 0) out += ', ';
        out += `${IDENTIFIER.test(k) ? k : quoteString(k)}: `;
        next = v;
        continue;
      }
    }
    stack.pop();
    out += ']';
  }
}
