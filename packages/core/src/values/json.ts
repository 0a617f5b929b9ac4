import { RillError } from '../errors/rill-error.js';
import {
  DEFAULT_MAX_DEPTH,
  FAST_PATH_DEPTH,
  engineLimitError,
  noteDepth,
  valueDepthError,
} from './depth.js';
import { sealValue } from './sealed.js';
import type { RillDict, RillList, RillValue } from './types.js';

// Every conversion here has a recursive fast path for the values scripts usually hold and
// an iterative form that works at any depth. The fast path gives up by throwing this
// (pre-built, so giving up costs no stack capture) once it reaches FAST_PATH_DEPTH or the
// caller's limit; the iterative form then does the whole value again and also builds the
// exact paths that errors report.
const TOO_DEEP = new Error('nested too deeply for the fast path');

function notSerializable(value: RillValue): RillError {
  if (typeof value === 'number') {
    return new RillError('EVAL_NOT_SERIALIZABLE', `${String(value)} has no JSON form`, {
      details: { value: String(value) },
    });
  }
  return new RillError('EVAL_NOT_SERIALIZABLE', 'a closure has no JSON form', {
    details: { type: 'closure' },
  });
}

function numberJson(n: number): string {
  if (!Number.isFinite(n)) throw notSerializable(n);
  return JSON.stringify(n);
}

// Compact output, the form every kv write stores: built by appending, with no part arrays
// or joins (about three times faster than joining parts for small dicts).
function compact(value: RillValue, level: number, limit: number): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return numberJson(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      break;
  }
  if (level > limit) throw TOO_DEEP;
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += compact((value as RillList)[i] as RillValue, level + 1, limit);
    }
    return out + ']';
  }
  if (value instanceof Map) {
    let out = '{';
    let first = true;
    for (const [k, v] of value as RillDict) {
      if (!first) out += ',';
      first = false;
      out += JSON.stringify(k) + ':' + compact(v, level + 1, limit);
    }
    return out + '}';
  }
  throw notSerializable(value);
}

/** One open list or dict of an iterative walk over a value. */
interface ValueFrame {
  readonly list: RillList | undefined;
  readonly entries: Iterator<[string, RillValue]> | undefined;
  /** Children visited so far. */
  index: number;
  /** Key of the dict entry being visited. */
  key: string;
}

function openFrame(value: RillList | RillDict): ValueFrame {
  return Array.isArray(value)
    ? { list: value as RillList, entries: undefined, index: 0, key: '' }
    : { list: undefined, entries: (value as RillDict).entries(), index: 0, key: '' };
}

/** The path (`$[0].a`) of the child each frame is visiting, below `base`. */
function framePath(base: string, stack: readonly ValueFrame[]): string {
  let path = base;
  for (const f of stack) path += f.list === undefined ? `.${f.key}` : `[${f.index - 1}]`;
  return path;
}

// JSON text of any value at any depth: an explicit stack instead of recursion.
function writeJson(root: RillValue, indent: string, maxDepth: number): string {
  const stack: ValueFrame[] = [];
  const sep = indent === '' ? ':' : ': ';
  let out = '';
  let next: RillValue | undefined = root;
  for (;;) {
    if (next !== undefined) {
      const value: RillValue = next;
      next = undefined;
      if (typeof value === 'string') out += JSON.stringify(value);
      else if (typeof value === 'number') out += numberJson(value);
      else if (typeof value === 'boolean') out += value ? 'true' : 'false';
      else if (Array.isArray(value) || value instanceof Map) {
        if (stack.length >= maxDepth) throw valueDepthError(maxDepth, framePath('$', stack));
        const isList = Array.isArray(value);
        if ((isList ? (value as RillList).length : (value as RillDict).size) === 0) {
          out += isList ? '[]' : '{}';
        } else {
          out += isList ? '[' : '{';
          stack.push(openFrame(value as RillList | RillDict));
        }
      } else throw notSerializable(value);
    }
    const top = stack[stack.length - 1];
    if (top === undefined) return out;
    const nl = indent === '' ? '' : '\n' + indent.repeat(stack.length);
    if (top.list !== undefined) {
      if (top.index < top.list.length) {
        out += (top.index > 0 ? ',' : '') + nl;
        next = top.list[top.index++] as RillValue;
        continue;
      }
    } else {
      const entry = (top.entries as Iterator<[string, RillValue]>).next();
      if (entry.done !== true) {
        const [k, v] = entry.value;
        out += (top.index++ > 0 ? ',' : '') + nl + JSON.stringify(k) + sep;
        top.key = k;
        next = v;
        continue;
      }
    }
    stack.pop();
    out += (indent === '' ? '' : '\n' + indent.repeat(stack.length)) + (top.list ? ']' : '}');
  }
}

/**
 * Serialise a value to JSON text with dict keys in insertion order. Works at any nesting
 * depth (deep values are written iteratively).
 * @param indent spaces per level; 0 or omitted for compact output.
 * @param maxDepth refuse values nested deeper than this; no limit by default.
 * @throws RillError `EVAL_NOT_SERIALIZABLE` for closures, `NaN` and infinities;
 *   `LIMIT_VALUE_DEPTH` (details `limit`, `path`) past `maxDepth`; `LIMIT_VALUE_SIZE` when
 *   the text would be longer than the engine's longest string.
 */
export function stringifyValue(value: RillValue, indent = 0, maxDepth = Infinity): string {
  try {
    if (indent === 0) {
      try {
        return compact(value, 1, maxDepth < FAST_PATH_DEPTH ? maxDepth : FAST_PATH_DEPTH);
      } catch (error) {
        if (error !== TOO_DEEP) throw error;
      }
      return writeJson(value, '', maxDepth);
    }
    return writeJson(value, ' '.repeat(indent), maxDepth);
  } catch (error) {
    throw engineLimitError(error, 'stringifyValue');
  }
}

// Keys that a JS object would move to the front: canonical array indices.
const INTEGER_KEY = /"(?:0|[1-9]\d*)"\s*:/;

/**
 * Parse JSON text into a value, keeping object key order exactly as written. Lists and
 * dicts it builds carry their depth (`depthOf`); the result is sealed (`fromHostValue`
 * passes it through without copying).
 * JSON `null` has no rill form and is rejected.
 * @param maxDepth refuse input nested deeper than this (default `DEFAULT_MAX_DEPTH`).
 * @throws RillError `EVAL_INVALID_JSON` for malformed text or any `null`;
 *   `LIMIT_VALUE_DEPTH` (details `limit`, `path`) for input nested deeper than `maxDepth`.
 */
export function parseJsonValue(text: string, maxDepth = DEFAULT_MAX_DEPTH): RillValue {
  try {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (cause) {
      // An engine whose parser recurses gives up on very deep input; ours does not.
      if (cause instanceof RangeError) {
        return sealValue(new OrderedJsonParser(text, maxDepth).parseDocument());
      }
      throw new RillError('EVAL_INVALID_JSON', `invalid JSON: ${(cause as Error).message}`, {
        cause,
      });
    }
    // The native parser is fast but reorders integer-like keys; only then take the slow path.
    if (typeof data === 'object' && data !== null && INTEGER_KEY.test(text)) {
      return sealValue(new OrderedJsonParser(text, maxDepth).parseDocument());
    }
    // Nobody else holds a reference to a freshly parsed value, so it can be shared as is.
    return sealValue(fromJsonData(data, '$', maxDepth));
  } catch (error) {
    throw engineLimitError(error, 'parseJsonValue');
  }
}

/**
 * Convert data produced by `JSON.parse` into a value; `null` anywhere is an error. Lists
 * and dicts it builds carry their depth (`depthOf`).
 * @param path how error messages name the root (`$`).
 * @param maxDepth refuse data nested deeper than this (default `DEFAULT_MAX_DEPTH`).
 * @throws RillError `EVAL_INVALID_JSON` naming the path of a `null`; `LIMIT_VALUE_DEPTH`
 *   (details `limit`, `path`) past `maxDepth`.
 */
export function fromJsonData(data: unknown, path: string, maxDepth = DEFAULT_MAX_DEPTH): RillValue {
  try {
    try {
      const value = convertJsonData(
        data,
        1,
        maxDepth < FAST_PATH_DEPTH ? maxDepth : FAST_PATH_DEPTH,
      );
      if (value !== undefined) return value;
    } catch (error) {
      if (error !== TOO_DEEP) throw error;
    }
    // Deep data, a null or a limit: the iterative form gives the answer with its path.
    return convertJsonDataDeep(data, path, maxDepth);
  } catch (error) {
    throw engineLimitError(error, 'fromJsonData');
  }
}

// Depth of the value convertJsonData returned last: a side channel, so the hot path needs
// no depth lookups for the children it has just built.
let convertedDepth = 0;

// The hot path of every kv read: no per-entry path strings, `undefined` on a null.
function convertJsonData(data: unknown, level: number, limit: number): RillValue | undefined {
  if (typeof data !== 'object') {
    convertedDepth = 0;
    return data as string | number | boolean;
  }
  if (data === null) return undefined;
  if (level > limit) throw TOO_DEEP;
  let depth = 0;
  if (Array.isArray(data)) {
    const out = new Array<RillValue>(data.length);
    for (let i = 0; i < data.length; i++) {
      const v = convertJsonData(data[i], level + 1, limit);
      if (v === undefined) return undefined;
      if (convertedDepth > depth) depth = convertedDepth;
      out[i] = v;
    }
    convertedDepth = depth + 1;
    return Object.freeze(noteDepth(out, depth + 1, out.length));
  }
  const out = new Map<string, RillValue>();
  const record = data as Record<string, unknown>;
  for (const k in record) {
    const v = convertJsonData(record[k], level + 1, limit);
    if (v === undefined) return undefined;
    if (convertedDepth > depth) depth = convertedDepth;
    out.set(k, v);
  }
  convertedDepth = depth + 1;
  return noteDepth(out, depth + 1, out.size);
}

/** One open array or object of {@link convertJsonDataDeep}. */
interface DataFrame {
  readonly list: readonly unknown[] | undefined;
  readonly record: Record<string, unknown> | undefined;
  readonly keys: readonly string[];
  readonly out: RillValue[] | Map<string, RillValue>;
  /** Index of the child being converted. */
  index: number;
  /** Deepest child so far. */
  depth: number;
}

function dataPath(base: string, stack: readonly DataFrame[]): string {
  let path = base;
  for (const f of stack) path += f.list === undefined ? `.${f.keys[f.index]}` : `[${f.index}]`;
  return path;
}

function childOf(frame: DataFrame): unknown {
  return frame.list === undefined
    ? (frame.record as Record<string, unknown>)[frame.keys[frame.index] as string]
    : frame.list[frame.index];
}

function sizeOf(frame: DataFrame): number {
  return frame.list === undefined ? frame.keys.length : frame.list.length;
}

// convertJsonData at any depth, with paths: an explicit stack instead of recursion.
function convertJsonDataDeep(root: unknown, path: string, maxDepth: number): RillValue {
  const stack: DataFrame[] = [];
  let data = root;
  for (;;) {
    let value: RillValue;
    let depth = 0;
    if (data === null) {
      const where = dataPath(path, stack);
      throw new RillError('EVAL_INVALID_JSON', `JSON null at ${where} has no rill value`, {
        details: { path: where },
      });
    }
    if (typeof data !== 'object') value = data as string | number | boolean;
    else {
      if (stack.length >= maxDepth) throw valueDepthError(maxDepth, dataPath(path, stack));
      const list = Array.isArray(data) ? (data as readonly unknown[]) : undefined;
      const record = list === undefined ? (data as Record<string, unknown>) : undefined;
      const frame: DataFrame = {
        list,
        record,
        keys: record === undefined ? [] : Object.keys(record),
        out: list === undefined ? new Map() : [],
        index: 0,
        depth: 0,
      };
      if (sizeOf(frame) > 0) {
        stack.push(frame);
        data = childOf(frame);
        continue;
      }
      value = list === undefined ? new Map() : Object.freeze([]);
      depth = 1;
    }
    // Hand the value to its parent; close every parent it completes.
    for (;;) {
      const top = stack[stack.length - 1];
      if (top === undefined) return value;
      if (Array.isArray(top.out)) top.out.push(value);
      else top.out.set(top.keys[top.index] as string, value);
      if (depth > top.depth) top.depth = depth;
      top.index++;
      if (top.index < sizeOf(top)) {
        data = childOf(top);
        break;
      }
      stack.pop();
      depth = top.depth + 1;
      value = Array.isArray(top.out)
        ? Object.freeze(noteDepth(top.out, depth, top.out.length))
        : noteDepth(top.out, depth, top.out.size);
    }
  }
}

/** One open array or object of the {@link OrderedJsonParser}. */
interface ParseFrame {
  readonly out: RillValue[] | Map<string, RillValue>;
  /** Key of the entry being parsed (objects). */
  key: string;
  /** Deepest child so far. */
  depth: number;
}

/**
 * A strict JSON parser that builds dicts in document order, iteratively (any depth). Used
 * only when needed: integer-like keys, or input too deep for the engine's parser.
 */
class OrderedJsonParser {
  private pos = 0;
  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  parseDocument(): RillValue {
    const t = this.text;
    const stack: ParseFrame[] = [];
    for (;;) {
      let value: RillValue;
      let depth = 0;
      this.skipWs();
      const c = t[this.pos];
      if (c === '[' || c === '{') {
        if (stack.length >= this.maxDepth) {
          throw valueDepthError(this.maxDepth, this.path(stack));
        }
        this.pos++;
        this.skipWs();
        const isList = c === '[';
        if (t[this.pos] !== (isList ? ']' : '}')) {
          const frame: ParseFrame = { out: isList ? [] : new Map(), key: '', depth: 0 };
          stack.push(frame);
          if (!isList) this.parseKey(frame);
          continue;
        }
        this.pos++;
        value = isList ? Object.freeze([]) : new Map();
        depth = 1;
      } else if (c === '"') value = this.parseString();
      else value = this.parseScalar(stack);
      // Hand the value to its parent; close every parent it completes.
      for (;;) {
        const top = stack[stack.length - 1];
        if (top === undefined) {
          this.skipWs();
          if (this.pos !== t.length) this.fail('unexpected trailing characters');
          return value;
        }
        // Duplicate keys: the last one wins, at the position of the first, as JSON.parse does.
        if (Array.isArray(top.out)) top.out.push(value);
        else top.out.set(top.key, value);
        if (depth > top.depth) top.depth = depth;
        this.skipWs();
        const isList = Array.isArray(top.out);
        const ch = t[this.pos++];
        if (ch === ',') {
          if (!isList) this.parseKey(top);
          break;
        }
        if (ch !== (isList ? ']' : '}'))
          this.fail(isList ? "expected ',' or ']'" : "expected ',' or '}'");
        stack.pop();
        depth = top.depth + 1;
        value = Array.isArray(top.out)
          ? Object.freeze(noteDepth(top.out, depth, top.out.length))
          : noteDepth(top.out, depth, top.out.size);
      }
    }
  }

  private path(stack: readonly ParseFrame[]): string {
    let path = '$';
    for (const f of stack) path += Array.isArray(f.out) ? `[${f.out.length}]` : `.${f.key}`;
    return path;
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

  private parseKey(frame: ParseFrame): void {
    this.skipWs();
    if (this.text[this.pos] !== '"') this.fail('expected a string key');
    frame.key = this.parseString();
    this.skipWs();
    if (this.text[this.pos++] !== ':') this.fail("expected ':'");
  }

  // Scalars other than strings are delegated to the native parser token by token.
  private parseScalar(stack: readonly ParseFrame[]): number | boolean {
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(
      this.text.slice(this.pos, this.pos + 400),
    );
    if (!m) this.fail('unexpected character');
    this.pos += m[0].length;
    if (m[0] === 'null') {
      const path = this.path(stack);
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
}
