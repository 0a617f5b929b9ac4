import {
  type RillDict,
  type RillList,
  type RillValue,
  type SourceSpan,
  typeOf,
} from '@rillkit/core';
import { RE2JS } from 're2js';
import { elementAt, MISSING, outOfRange } from '../access.js';
import { listBytes, newList, stringBytes } from '../budget.js';
import { charactersOf, entriesOf } from '../collections.js';
import { equal } from '../operators.js';
import type { Run } from '../run.js';
import { runtimeError } from '../runtime-error.js';
import { codePointLength, codePointSlice, isSimple, toText } from '../strings.js';
import { suggestName } from '../suggest.js';

// The built-in methods (docs/ref-language.md). Each names the receiver types it accepts, its
// parameter count, and an implementation that checks argument types itself.

type Receiver = 'string' | 'list' | 'dict';

interface Method {
  readonly receivers: readonly Receiver[];
  readonly min: number;
  readonly max: number;
  readonly call: (
    recv: RillValue,
    args: readonly RillValue[],
    span: SourceSpan,
    name: string,
    run: Run,
  ) => RillValue;
}

function argType(
  name: string,
  index: number,
  expected: string,
  actual: RillValue,
  span: SourceSpan,
): Error {
  return runtimeError(
    'EVAL_ARGUMENT_TYPE',
    `.${name} argument ${index + 1} must be a ${expected}, got ${typeOf(actual)}`,
    span,
    {
      name,
      param: index,
      expected,
      actual: typeOf(actual),
    },
  );
}

function str(name: string, args: readonly RillValue[], i: number, span: SourceSpan): string {
  const v = args[i] as RillValue;
  if (typeof v !== 'string') throw argType(name, i, 'string', v, span);
  return v;
}

function int(name: string, args: readonly RillValue[], i: number, span: SourceSpan): number {
  const v = args[i] as RillValue;
  if (typeof v !== 'number') throw argType(name, i, 'number', v, span);
  if (!Number.isInteger(v)) {
    throw runtimeError(
      'EVAL_INVALID_ARGUMENT',
      `.${name} argument ${i + 1} must be a whole number, got ${v}`,
      span,
      {
        name,
        param: i,
      },
    );
  }
  return v;
}

function nonEmpty(name: string, text: string, span: SourceSpan): string {
  if (text === '') {
    throw runtimeError('EVAL_INVALID_ARGUMENT', `.${name} needs a non-empty search string`, span, {
      name,
    });
  }
  return text;
}

const list = (items: RillValue[]): RillList => Object.freeze(items);

/** How often `part` occurs in `text` without overlapping (`part` non-empty). */
function occurrences(text: string, part: string): number {
  let n = 0;
  for (let at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length)) n++;
  return n;
}

// String method results are charged before they are made, at the length they will have
// (`grown` charges what case mapping may add beyond it, e.g. "ß" -> "SS").
function grown(run: Run, text: string, charged: number, span: SourceSpan): string {
  if (text.length > charged) run.charge(text.length - charged, span);
  return text;
}

function caseMapped(run: Run, text: string, span: SourceSpan, upper: boolean): string {
  run.charge(stringBytes(text.length), span);
  return grown(run, upper ? text.toUpperCase() : text.toLowerCase(), text.length, span);
}

// `text` split at `sep` (non-empty): the pieces are charged before they are made.
function splitText(
  run: Run,
  text: string,
  sep: string | RegExp,
  count: number,
  span: SourceSpan,
): RillList {
  run.charge(listBytes(count) + count * stringBytes(0) + text.length, span);
  return list(text.split(sep));
}

function lengthOf(recv: RillValue): number {
  if (typeof recv === 'string') return codePointLength(recv);
  if (Array.isArray(recv)) return recv.length;
  return (recv as RillDict).size;
}

function end(recv: RillValue, which: 'head' | 'tail', span: SourceSpan): RillValue {
  const n = lengthOf(recv);
  if (n === 0) throw outOfRange(which === 'head' ? 0 : -1, 0, span);
  return elementAt(recv, which === 'head' ? 0 : -1, span) as RillValue;
}

function listHas(list: RillList, value: RillValue, span: SourceSpan): boolean {
  return list.some((v) => equal(v, value, span));
}

// Compiled patterns are reused; a small bound keeps hostile scripts from growing it.
const REGEX_CACHE = new Map<string, RE2JS>();
const REGEX_CACHE_SIZE = 64;

function compileRegex(pattern: string, span: SourceSpan): RE2JS {
  let re = REGEX_CACHE.get(pattern);
  if (re !== undefined) return re;
  try {
    re = RE2JS.compile(pattern);
  } catch (cause) {
    throw runtimeError(
      'EVAL_INVALID_ARGUMENT',
      `invalid regex: ${(cause as Error).message}`,
      span,
      { pattern },
      cause,
    );
  }
  if (REGEX_CACHE.size >= REGEX_CACHE_SIZE)
    REGEX_CACHE.delete(REGEX_CACHE.keys().next().value as string);
  REGEX_CACHE.set(pattern, re);
  return re;
}

// Clamp a slice bound (negative counts from the end) into 0..length.
function bound(i: number, length: number): number {
  return i < 0 ? Math.max(0, length + i) : Math.min(i, length);
}

const METHODS = new Map<string, Method>([
  ['len', { receivers: ['string', 'list', 'dict'], min: 0, max: 0, call: (r) => lengthOf(r) }],
  [
    'empty',
    { receivers: ['string', 'list', 'dict'], min: 0, max: 0, call: (r) => lengthOf(r) === 0 },
  ],
  [
    'trim',
    {
      receivers: ['string'],
      min: 0,
      max: 0,
      call: (r, _a, span, _n, run) => {
        run.charge(stringBytes((r as string).length), span);
        return (r as string).trim();
      },
    },
  ],
  [
    'lower',
    {
      receivers: ['string'],
      min: 0,
      max: 0,
      call: (r, _a, span, _n, run) => caseMapped(run, r as string, span, false),
    },
  ],
  [
    'upper',
    {
      receivers: ['string'],
      min: 0,
      max: 0,
      call: (r, _a, span, _n, run) => caseMapped(run, r as string, span, true),
    },
  ],
  [
    'split',
    {
      receivers: ['string'],
      min: 1,
      max: 1,
      call: (r, a, span, name, run) => {
        const sep = str(name, a, 0, span);
        const text = r as string;
        if (sep === '') return list(charactersOf(run, text, span));
        return splitText(run, text, sep, occurrences(text, sep) + 1, span);
      },
    },
  ],
  [
    'join',
    {
      receivers: ['list'],
      min: 1,
      max: 1,
      call: (r, a, span, name, run) => {
        const sep = str(name, a, 0, span);
        const items = r as RillList;
        const parts = items.map((v) => toText(run, v, span));
        let length = sep.length * Math.max(0, parts.length - 1);
        for (const p of parts) length += p.length;
        run.charge(stringBytes(length), span);
        return parts.join(sep);
      },
    },
  ],
  [
    'lines',
    {
      receivers: ['string'],
      min: 0,
      max: 0,
      call: (r, _a, span, _n, run) => {
        // A final line break ends the last line rather than starting an empty one.
        const text = (r as string).replace(/\r?\n$/, '');
        if (r === '') return list([]);
        return splitText(run, text, /\r?\n/, occurrences(text, '\n') + 1, span);
      },
    },
  ],
  [
    'contains',
    {
      receivers: ['string', 'list'],
      min: 1,
      max: 1,
      call: (r, a, span, name) =>
        typeof r === 'string'
          ? r.includes(str(name, a, 0, span))
          : listHas(r as RillList, a[0] as RillValue, span),
    },
  ],
  [
    'starts_with',
    {
      receivers: ['string'],
      min: 1,
      max: 1,
      call: (r, a, s, n) => (r as string).startsWith(str(n, a, 0, s)),
    },
  ],
  [
    'ends_with',
    {
      receivers: ['string'],
      min: 1,
      max: 1,
      call: (r, a, s, n) => (r as string).endsWith(str(n, a, 0, s)),
    },
  ],
  [
    'replace',
    {
      receivers: ['string'],
      min: 2,
      max: 2,
      call: (r, a, span, name, run) => {
        const from = nonEmpty(name, str(name, a, 0, span), span);
        const to = str(name, a, 1, span);
        const text = r as string;
        const at = text.indexOf(from);
        if (at < 0) return text;
        run.charge(stringBytes(text.length - from.length + to.length), span);
        return text.slice(0, at) + to + text.slice(at + from.length);
      },
    },
  ],
  [
    'replace_all',
    {
      receivers: ['string'],
      min: 2,
      max: 2,
      call: (r, a, span, name, run) => {
        const from = nonEmpty(name, str(name, a, 0, span), span);
        const to = str(name, a, 1, span);
        const text = r as string;
        const n = occurrences(text, from);
        if (n === 0) return text;
        const length = text.length + n * (to.length - from.length);
        run.charge(stringBytes(length), span);
        return text.split(from).join(to);
      },
    },
  ],
  [
    'is_match',
    {
      receivers: ['string'],
      min: 1,
      max: 1,
      call: (r, a, span, name) => compileRegex(str(name, a, 0, span), span).test(r as string),
    },
  ],
  [
    'head',
    { receivers: ['string', 'list'], min: 0, max: 0, call: (r, _a, span) => end(r, 'head', span) },
  ],
  [
    'tail',
    { receivers: ['string', 'list'], min: 0, max: 0, call: (r, _a, span) => end(r, 'tail', span) },
  ],
  [
    'at',
    {
      receivers: ['string', 'list'],
      min: 1,
      max: 1,
      call: (r, a, span, name) => {
        const i = int(name, a, 0, span);
        const v = elementAt(r, i, span);
        if (v === MISSING) throw outOfRange(i, lengthOf(r), span);
        return v;
      },
    },
  ],
  [
    'has',
    {
      receivers: ['string', 'list', 'dict'],
      min: 1,
      max: 1,
      call: (r, a, span, name) => {
        if (Array.isArray(r)) return listHas(r as RillList, a[0] as RillValue, span);
        if (typeof r === 'string') return r.includes(str(name, a, 0, span));
        return (r as RillDict).has(str(name, a, 0, span));
      },
    },
  ],
  [
    'keys',
    {
      receivers: ['dict'],
      min: 0,
      max: 0,
      call: (r, _a, span, _n, run) => newList(run, [...(r as RillDict).keys()], span),
    },
  ],
  [
    'values',
    {
      receivers: ['dict'],
      min: 0,
      max: 0,
      call: (r, _a, span, _n, run) => newList(run, [...(r as RillDict).values()], span),
    },
  ],
  [
    'entries',
    {
      receivers: ['dict'],
      min: 0,
      max: 0,
      call: (r, _a, span, _n, run) => newList(run, entriesOf(run, r as RillDict, span), span),
    },
  ],
  [
    'slice',
    {
      receivers: ['string', 'list'],
      min: 1,
      max: 2,
      call: (r, a, span, name, run) => {
        const n = lengthOf(r);
        const start = bound(int(name, a, 0, span), n);
        const stop = a.length > 1 ? bound(int(name, a, 1, span), n) : n;
        if (typeof r === 'string') {
          if (stop <= start) return '';
          const simple = isSimple(r);
          // Up to two units per code point.
          run.charge(stringBytes(simple ? stop - start : 2 * (stop - start)), span);
          return simple ? r.slice(start, stop) : codePointSlice(r, start, stop);
        }
        return newList(run, (r as RillList).slice(start, Math.max(start, stop)), span);
      },
    },
  ],
]);

/** Every built-in method name. */
export const METHOD_NAMES: readonly string[] = Object.freeze([...METHODS.keys()]);

function receiverOf(value: RillValue): Receiver | undefined {
  const t = typeOf(value);
  return t === 'string' || t === 'list' || t === 'dict' ? t : undefined;
}

/** True when built-in method `name` accepts `recv` as its receiver. */
export function hasMethodFor(name: string, recv: RillValue): boolean {
  const m = METHODS.get(name);
  const r = receiverOf(recv);
  return m !== undefined && r !== undefined && m.receivers.includes(r);
}

/** `EVAL_UNKNOWN_METHOD` for `.name` on `recv`, with a suggestion when one is close. */
export function unknownMethod(name: string, recv: RillValue, span: SourceSpan): Error {
  const type = typeOf(recv);
  const r = receiverOf(recv);
  const fitting = METHOD_NAMES.filter(
    (m) => r !== undefined && METHODS.get(m)?.receivers.includes(r) === true,
  );
  const suggestion = suggestName(name, fitting);
  const exists = METHODS.has(name);
  const message = exists
    ? `.${name} does not apply to a ${type}`
    : `unknown method .${name}${suggestion === undefined ? '' : ` (did you mean .${suggestion}?)`}`;
  return runtimeError('EVAL_UNKNOWN_METHOD', message, span, {
    name,
    receiver: type,
    ...(suggestion === undefined ? {} : { suggestion }),
  });
}

/**
 * Call built-in method `name` on `recv`.
 * @throws `EVAL_UNKNOWN_METHOD`, `EVAL_ARGUMENT_COUNT`, `EVAL_ARGUMENT_TYPE`, and the
 * method's own errors (`EVAL_INDEX_OUT_OF_RANGE`, `EVAL_INVALID_ARGUMENT`).
 */
export function callMethod(
  run: Run,
  name: string,
  recv: RillValue,
  args: readonly RillValue[],
  span: SourceSpan,
): RillValue {
  const m = METHODS.get(name);
  const r = receiverOf(recv);
  if (m === undefined || r === undefined || !m.receivers.includes(r))
    throw unknownMethod(name, recv, span);
  if (args.length < m.min || args.length > m.max) {
    const expected = m.min === m.max ? String(m.min) : `${m.min}-${m.max}`;
    throw runtimeError(
      'EVAL_ARGUMENT_COUNT',
      `.${name} takes ${expected} argument(s), got ${args.length}`,
      span,
      {
        name,
        expected,
        actual: args.length,
      },
    );
  }
  return m.call(recv, args, span, name, run);
}
