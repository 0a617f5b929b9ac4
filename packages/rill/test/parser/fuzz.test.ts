import { describe, expect, test } from 'vitest';
import { RillError } from '@rillkit/core';
import { parse } from '../../src/parse.js';

/** Small deterministic PRNG (mulberry32) so a failure reproduces from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// prettier-ignore
const VOCABULARY = [
  '->', '=>', '?', '!', '.', '.?', ',', ':', ':>', ':?', '@', '??', '||', '|', '&&', '==', '!=',
  '<', '>', '<=', '>=', '+', '-', '*', '/', '%', '=', '(', ')', '[', ']', '{', '}', '$', '$@',
  '$x', '$fn', 'log', 'kv::get', 'true', 'false', 'each', 'map', 'filter', 'fold', 'break',
  'return', 'assert', 'error', 'list[', 'dict[', 'string', 'number', 'x', '0', '42', '3.14',
  '1e3', '"s"', '"a{$x}b"', '"{', '}"', '"""', '"""t{1}"""', '\\', '#c\n', '\n', '\n', ' ',
  '[:]', '{{', '}}', '~', ';', 'é', '😀',
];

const SAMPLES = [
  '"  hello world  " -> .trim -> .split(" ") -> .len',
  '[1, 2, 3] -> map { $ * 2 } -> fold(0) { $@ + $ }',
  '"alice" => $name\n"Hello, {$name}!"',
  '[a: 1, b: 2] -> each { "{$.key}={$.value}" } -> .join("&")',
  '0 -> ($ < 5) @ { $ + 1 }',
  '|x, y = 10| ($x + $y) => $add\n$add(5)',
  '(3 > 2) ? "big" ! "small"',
  'kv::get_or("user", "visits", 0) -> ($ + 1) => $n\nkv::set("user", "visits", $n)\n"visit {$n}"',
  '"""\n  {$x -> ? "y" ! "n"}\n"""',
];

/** Parsing must succeed or throw a RillError: never a raw exception, never a hang. */
function check(source: string): 'ok' | 'error' {
  try {
    parse(source);
    return 'ok';
  } catch (error) {
    if (!RillError.is(error))
      throw new Error(`raw exception for ${JSON.stringify(source)}: ${String(error)}`);
    expect(error.span === undefined || error.span.start.offset <= source.length).toBe(true);
    return 'error';
  }
}

describe('fuzz', () => {
  test('2,000 random token soups', () => {
    const next = random(1);
    const outcomes = { ok: 0, error: 0 };
    for (let i = 0; i < 2000; i += 1) {
      const length = 1 + Math.floor(next() * 30);
      let source = '';
      for (let j = 0; j < length; j += 1) {
        source += VOCABULARY[Math.floor(next() * VOCABULARY.length)] ?? '';
        if (next() < 0.5) source += ' ';
      }
      outcomes[check(source)] += 1;
    }
    // Both outcomes occur, so the soup exercises more than the error path.
    expect(outcomes.ok).toBeGreaterThan(0);
    expect(outcomes.error).toBeGreaterThan(0);
  });

  test('2,000 random character strings', () => {
    const next = random(2);
    for (let i = 0; i < 2000; i += 1) {
      const length = Math.floor(next() * 40);
      let source = '';
      for (let j = 0; j < length; j += 1) {
        const roll = next();
        if (roll < 0.6) source += String.fromCharCode(32 + Math.floor(next() * 95));
        else if (roll < 0.75) source += '\n';
        else if (roll < 0.9) source += String.fromCharCode(Math.floor(next() * 32));
        else source += String.fromCodePoint(0x80 + Math.floor(next() * 0x1ff00));
      }
      check(source);
    }
  });

  test('2,000 mutations of valid scripts', () => {
    const next = random(3);
    for (let i = 0; i < 2000; i += 1) {
      let source = SAMPLES[i % SAMPLES.length] ?? '';
      const edits = 1 + Math.floor(next() * 3);
      for (let e = 0; e < edits; e += 1) {
        const at = Math.floor(next() * (source.length + 1));
        const roll = next();
        if (roll < 0.4) source = source.slice(0, at) + source.slice(at + 1);
        else if (roll < 0.8)
          source =
            source.slice(0, at) +
            (VOCABULARY[Math.floor(next() * VOCABULARY.length)] ?? '') +
            source.slice(at);
        else
          source =
            source.slice(0, at) +
            source
              .slice(at, at + 5)
              .split('')
              .reverse()
              .join('') +
            source.slice(at + 5);
      }
      check(source);
    }
  });

  test('pathological nesting is an error, not a crash', () => {
    for (const source of [
      '('.repeat(100_000),
      '['.repeat(100_000),
      '{'.repeat(100_000),
      '|'.repeat(100_001),
      '!'.repeat(100_000) + 'true',
      '-'.repeat(100_000) + '1',
      '$a ? 1 ! '.repeat(20_000) + '2',
      '$a ? '.repeat(20_000) + '2',
      '"{'.repeat(5_000) + '1' + '}"'.repeat(5_000),
      '"'.repeat(100_001),
      '"{"'.repeat(30_000),
    ]) {
      check(source);
    }
  });
});
