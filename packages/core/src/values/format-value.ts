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

/**
 * Render a value as rill literal text, for people and for tests that compare results as
 * text. Strings are quoted with rill escapes (also at top level), numbers use JS canonical
 * form, lists render as `[1, 2]`, dicts as `[a: 1, "b c": 2]` (keys bare when they are
 * identifiers, quoted otherwise) and the empty dict as `[:]`. A closure has no literal form
 * and renders as the placeholder `<closure(a, b)>` listing its parameter names.
 *
 * @example
 * formatValue(new Map([['a', 1], ['b c', [true, 'x']]])) // '[a: 1, "b c": [true, "x"]]'
 */
export function formatValue(value: RillValue): string {
  switch (typeof value) {
    case 'string':
      return quoteString(value);
    case 'number':
      return formatNumber(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      break;
  }
  if (Array.isArray(value)) {
    return `[${(value as readonly RillValue[]).map(formatValue).join(', ')}]`;
  }
  if (value instanceof Map) {
    if (value.size === 0) return '[:]';
    const parts: string[] = [];
    for (const [k, v] of value as ReadonlyMap<string, RillValue>) {
      parts.push(`${IDENTIFIER.test(k) ? k : quoteString(k)}: ${formatValue(v)}`);
    }
    return `[${parts.join(', ')}]`;
  }
  if (isClosure(value)) {
    return `<closure(${value.params.map((p) => p.name).join(', ')})>`;
  }
  return String(value);
}
