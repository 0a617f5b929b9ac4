import { RillError } from '../errors/rill-error.js';
import { sealValue } from './sealed.js';
import type { RillDict, RillList, RillValue } from './types.js';

// JSON.stringify cannot emit keys in an order a plain object would not keep, so dicts are
// written by hand and spliced into the output.
function stringifyOrdered(value: RillValue, indent: string, depth: number): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) {
        throw new RillError('EVAL_NOT_SERIALIZABLE', `${String(value)} has no JSON form`, {
          details: { value: String(value) },
        });
      }
      return JSON.stringify(value);
    default:
      break;
  }
  const nl = indent ? '\n' + indent.repeat(depth + 1) : '';
  const close = indent ? '\n' + indent.repeat(depth) : '';
  const sep = indent ? ': ' : ':';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const parts = (value as RillList).map((v) => stringifyOrdered(v, indent, depth + 1));
    return '[' + nl + parts.join(',' + nl) + close + ']';
  }
  if (value instanceof Map) {
    if (value.size === 0) return '{}';
    const parts: string[] = [];
    for (const [k, v] of value as RillDict) {
      parts.push(JSON.stringify(k) + sep + stringifyOrdered(v, indent, depth + 1));
    }
    return '{' + nl + parts.join(',' + nl) + close + '}';
  }
  throw new RillError('EVAL_NOT_SERIALIZABLE', 'a closure has no JSON form', {
    details: { type: 'closure' },
  });
}

// Compact output, the form every kv write stores: built by appending, with no part arrays
// or joins (about three times faster than stringifyOrdered for small dicts).
function stringifyCompact(value: RillValue): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
    case 'boolean':
      return stringifyOrdered(value, '', 0);
    default:
      break;
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += stringifyCompact((value as RillList)[i] as RillValue);
    }
    return out + ']';
  }
  if (value instanceof Map) {
    let out = '{';
    let first = true;
    for (const [k, v] of value as RillDict) {
      if (!first) out += ',';
      first = false;
      out += JSON.stringify(k) + ':' + stringifyCompact(v);
    }
    return out + '}';
  }
  return stringifyOrdered(value, '', 0);
}

/**
 * Serialise a value to JSON text with dict keys in insertion order.
 * @param indent spaces per level; 0 or omitted for compact output.
 * @throws RillError `EVAL_NOT_SERIALIZABLE` for closures, `NaN` and infinities.
 */
export function stringifyValue(value: RillValue, indent = 0): string {
  return indent === 0 ? stringifyCompact(value) : stringifyOrdered(value, ' '.repeat(indent), 0);
}

// Keys that a JS object would move to the front: canonical array indices.
const INTEGER_KEY = /"(?:0|[1-9]\d*)"\s*:/;

/**
 * Parse JSON text into a value, keeping object key order exactly as written.
 * JSON `null` has no rill form and is rejected.
 * @throws RillError `EVAL_INVALID_JSON` for malformed text or any `null`.
 */
export function parseJsonValue(text: string): RillValue {
  try {
    // Nobody else holds a reference to a freshly parsed value, so it can be shared as is.
    return sealValue(parseJsonValueUnguarded(text));
  } catch (error) {
    // Nesting deep enough to exhaust the stack is malformed input, not an engine failure.
    if (error instanceof RangeError) {
      throw new RillError('EVAL_INVALID_JSON', 'invalid JSON: nested too deeply', { cause: error });
    }
    throw error;
  }
}

function parseJsonValueUnguarded(text: string): RillValue {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new RillError('EVAL_INVALID_JSON', `invalid JSON: ${(cause as Error).message}`, {
      cause,
    });
  }
  // The native parser is fast but reorders integer-like keys; only then take the slow path.
  if (typeof data === 'object' && data !== null && INTEGER_KEY.test(text)) {
    return new OrderedJsonParser(text).parseDocument();
  }
  return fromJsonData(data, '$');
}

/** Convert data produced by `JSON.parse` into a value; `null` anywhere is an error. */
export function fromJsonData(data: unknown, path: string): RillValue {
  const value = convertJsonData(data);
  if (value !== undefined) return value;
  // Paths are only worth building once something is wrong.
  const where = findNull(data, path) ?? path;
  throw new RillError('EVAL_INVALID_JSON', `JSON null at ${where} has no rill value`, {
    details: { path: where },
  });
}

// The hot path of every kv read: no per-entry path strings, `undefined` on a null.
function convertJsonData(data: unknown): RillValue | undefined {
  if (typeof data !== 'object') return data as string | number | boolean;
  if (data === null) return undefined;
  if (Array.isArray(data)) {
    const out = new Array<RillValue>(data.length);
    for (let i = 0; i < data.length; i++) {
      const v = convertJsonData(data[i]);
      if (v === undefined) return undefined;
      out[i] = v;
    }
    return Object.freeze(out);
  }
  const out = new Map<string, RillValue>();
  const record = data as Record<string, unknown>;
  for (const k in record) {
    const v = convertJsonData(record[k]);
    if (v === undefined) return undefined;
    out.set(k, v);
  }
  return out;
}

function findNull(data: unknown, path: string): string | undefined {
  if (data === null) return path;
  if (typeof data !== 'object') return undefined;
  if (Array.isArray(data)) {
    for (let i = 0; i < data.length; i++) {
      const found = findNull(data[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const [k, v] of Object.entries(data)) {
    const found = findNull(v, `${path}.${k}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** A strict JSON parser that builds dicts in document order. Used only when needed. */
class OrderedJsonParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parseDocument(): RillValue {
    const value = this.parseValue('$');
    this.skipWs();
    if (this.pos !== this.text.length) this.fail('unexpected trailing characters');
    return value;
  }

  private fail(reason: string): never {
    throw new RillError('EVAL_INVALID_JSON', `invalid JSON at offset ${this.pos}: ${reason}`, {
      details: { offset: this.pos },
    });
  }

  private skipWs(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++;
      else break;
    }
  }

  private parseValue(path: string): RillValue {
    this.skipWs();
    const c = this.text[this.pos];
    if (c === '{') return this.parseObject(path);
    if (c === '[') return this.parseArray(path);
    if (c === '"') return this.parseString();
    // Scalars other than strings are delegated to the native parser token by token.
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(
      this.text.slice(this.pos, this.pos + 400),
    );
    if (!m) this.fail('unexpected character');
    this.pos += m[0].length;
    if (m[0] === 'null') {
      throw new RillError('EVAL_INVALID_JSON', `JSON null at ${path} has no rill value`, {
        details: { path },
      });
    }
    return JSON.parse(m[0]) as number | boolean;
  }

  private parseString(): string {
    const start = this.pos;
    const t = this.text;
    this.pos++;
    while (this.pos < t.length) {
      const c = t[this.pos];
      if (c === '\\') this.pos += 2;
      else if (c === '"') {
        this.pos++;
        try {
          return JSON.parse(t.slice(start, this.pos)) as string;
        } catch {
          this.pos = start;
          this.fail('bad string');
        }
      } else this.pos++;
    }
    return this.fail('unterminated string');
  }

  private parseArray(path: string): RillList {
    this.pos++;
    const out: RillValue[] = [];
    this.skipWs();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return Object.freeze(out);
    }
    for (;;) {
      out.push(this.parseValue(`${path}[${out.length}]`));
      this.skipWs();
      const c = this.text[this.pos++];
      if (c === ']') return Object.freeze(out);
      if (c !== ',') this.fail("expected ',' or ']'");
    }
  }

  private parseObject(path: string): RillDict {
    this.pos++;
    const out = new Map<string, RillValue>();
    this.skipWs();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWs();
      if (this.text[this.pos] !== '"') this.fail('expected a string key');
      const key = this.parseString();
      this.skipWs();
      if (this.text[this.pos++] !== ':') this.fail("expected ':'");
      // Duplicate keys: the last one wins, at the position of the first, as JSON.parse does.
      out.set(key, this.parseValue(`${path}.${key}`));
      this.skipWs();
      const c = this.text[this.pos++];
      if (c === '}') return out;
      if (c !== ',') this.fail("expected ',' or '}'");
    }
  }
}
