import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { RillError } from '@rillkit/core';
import { parseInRuns } from '../../src/parse.js';

/** The AST, or the error's code, message, span and details: what a host can observe. */
function outcome(source: string, runTokens: number, lexPiece?: number): unknown {
  try {
    return { ast: parseInRuns(source, undefined, runTokens, lexPiece) };
  } catch (error) {
    if (!RillError.is(error)) throw error;
    return { code: error.code, message: error.message, span: error.span, details: error.details };
  }
}

// prettier-ignore
const STATEMENTS = [
  '1', '$x', '"s{$y}"', '[a: 1]', '[1, 2]', '$x -> .len', '|x| ($x + 1) => $f', '$f(2)',
  '{ 1\n2 }', '(1\n+ 2)', 'each { $ }', '$c ? 1 ! 2', 'assert $ok', 'break', 'x:string',
  '[a: 1, a: 2]', '$x:bogus', '"{}"', '"{1 +}"',
];
// prettier-ignore
const BROKEN = [')', ']', '}', '(', '[', '{', '->', '=>', '?', '!', '+', ',', ':', '|', '-> )', '"', '~'];

describe('parsing in runs of statements', () => {
  test('reports exactly what one parse of the whole script reports', () => {
    const line = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...STATEMENTS) },
      { weight: 1, arbitrary: fc.constantFrom(...BROKEN) },
    );
    const script = fc
      .array(fc.tuple(line, fc.constantFrom('\n', '\n\n', ' ', '\n-> .len\n')), { maxLength: 25 })
      .map((parts) => parts.map(([text, gap]) => text + gap).join(''));
    fc.assert(
      fc.property(script, fc.integer({ min: 1, max: 6 }), (source, runTokens) => {
        expect(outcome(source, runTokens)).toEqual(outcome(source, Number.POSITIVE_INFINITY));
      }),
      { numRuns: 2500 },
    );
  });

  test('lexing in pieces cut between tokens gives what lexing in one piece gives', () => {
    // Strings with line breaks, brackets, commas and interpolations, and comments holding
    // quotes: the cuts must fall between tokens only.
    const piece = fc.constantFrom(
      '1',
      ' ',
      '\n',
      '(',
      ')',
      '[',
      ']',
      '{',
      '}',
      ',',
      '"a\nb, (c)"',
      '"x{ [1, 2] }y"',
      '# a "comment" (with) [brackets]\n',
      'list[',
      'dict[',
      '->',
      '$x',
      'a',
      '"',
      '"\\"',
      '=>',
      '.len',
      ':>',
      '-',
      '::',
      'b::c',
      '"{"',
      '\t',
    );
    const script = fc.array(piece, { maxLength: 60 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(script, fc.integer({ min: 1, max: 9 }), (source, lexPiece) => {
        expect(outcome(source, 2048, lexPiece)).toEqual(
          outcome(source, 2048, Number.POSITIVE_INFINITY),
        );
      }),
      { numRuns: 3000 },
    );
  });

  test('a long script is the same in runs as in one piece', () => {
    const source = Array.from({ length: 3000 }, (_, i) => `$x${i} -> .len => $y${i}`).join('\n');
    expect(outcome(source, 2048)).toEqual(outcome(source, Number.POSITIVE_INFINITY));
    const broken = `${source}\n)`;
    expect(outcome(broken, 2048)).toEqual(outcome(broken, Number.POSITIVE_INFINITY));
  });
});
