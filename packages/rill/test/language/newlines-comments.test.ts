import { describe } from 'vitest';
import { fails, table } from './run.js';

describe('statements and the script result', () => {
  table([
    ['1\n2\n3', 3],
    ['', ''],
    ['\n\n', ''],
    ['# only a comment', ''],
    ['"x" => $a', 'x'],
    ['1 => $a\n2 => $b\n[$a, $b]', [1, 2]],
    // Runs of blank lines collapse.
    ['1\n\n\n\n2', 2],
    // CRLF line endings end statements like LF.
    ['1\r\n2', 2],
    ['1 +\r\n2', 3],
  ]);
});

describe('comments', () => {
  table([
    ['1 # one\n2 # two', 2],
    ['# leading\n5', 5],
    ['5\n# trailing', 5],
    ['"a # b"', 'a # b'],
    ['"a" -> .upper # comment after a pipe', 'A'],
    ['[1, # first\n 2] # list', [1, 2]],
    ['"a"\n# comment between\n-> .upper', 'A'],
    ['1 +   # dangling operator, comment\n  2', 3],
    ['"{"#"}"', '#'],
  ]);
});

// Each continuation rule of LANGUAGE.md §2, shown both ways: where the rule applies the
// newline is ignored; where it does not, the newline ends the statement.
describe('newline continuation rules', () => {
  describe('inside ( )', () => {
    table([
      ['(1\n- 3)', -2],
      ['1\n- 3', -3],
      ['(\n  1 +\n  2\n)', 3],
    ]);
  });

  describe('inside [ ]', () => {
    table([
      ['[1, 2]\n[0]', [0]],
      ['[1, 2][0]', 1],
      ['[1\n, 2\n]', [1, 2]],
      ['[a:\n1]', { a: 1 }],
    ]);
  });

  describe('inside { } newlines separate statements', () => {
    table([
      ['5 -> {\n$ + 1\n- 3\n}', -3],
      ['5 -> ($ + 1\n- 3)', 3],
      ['5 -> { $ + 1 }', 6],
      // A block nested inside parens separates statements again.
      ['(|x| {\n$x + 1\n$x * 2\n}) => $f\n$f(5)', 10],
    ]);
  });

  describe('inside closure params | |', () => {
    table([
      ['|a,\n b| ($a + $b) => $f\n$f(1, 2)', 3],
      ['|a\n, b| ($a - $b) => $f\n$f(5, 2)', 3],
      // The closing `|` cannot end a statement either: the body may start on the next line.
      ['|a|\n($a + 1) => $f\n$f(1)', 2],
      // Once the closure is complete, a newline ends the statement.
      ['|a| ($a + 1)\n(5)', 5],
    ]);
  });

  describe('after a binary operator', () => {
    table([
      ['1 +\n2', 3],
      ['2 *\n3', 6],
      ['7 -\n2', 5],
      ['8 /\n2', 4],
      ['7 %\n4', 3],
      ['1 <\n2', true],
      ['2 >=\n2', true],
      ['1 ==\n1', true],
      ['1 !=\n1', false],
      ['true &&\nfalse', false],
      ['false ||\ntrue', true],
      ['[a: 1].b ??\n9', 9],
      // Without the trailing operator the next line is its own statement.
      ['1\n* 2', fails('PARSE_UNEXPECTED_TOKEN', { line: 2, column: 1 })],
    ]);
  });

  describe('after -> and at a line starting with ->', () => {
    table([
      ['"a" ->\n.upper', 'A'],
      ['"a"\n-> .upper', 'A'],
      ['"a"\n  -> .upper\n  -> .len', 1],
      ['"a"\n"b"', 'b'],
    ]);
  });

  describe('after => and at a line starting with =>', () => {
    table([
      ['1 =>\n$x\n$x + 1', 2],
      ['1\n=> $x\n$x + 1', 2],
      ['5\n=> $x\n-> ($ * 2)\n=> $y\n[$x, $y]', [5, 10]],
      ['1 => $x\n2\n$x', 1],
    ]);
  });

  describe('after ? and !, and at lines starting with ? or !', () => {
    table([
      ['true ?\n"y" !\n"n"', 'y'],
      ['false\n? "y"\n! "n"', 'n'],
      ['true\n  ? "y"\n  ! "n"', 'y'],
      ['false ? "y"\n! "n"', 'n'],
      ['false ? "y"\n"next"', 'next'],
      ['5\n-> ($ > 3)\n-> ? "big"\n! "small"', 'big'],
    ]);
  });

  describe('after . and at lines starting with . or .?', () => {
    table([
      ['"abc"\n.upper', 'ABC'],
      ['"abc".\nupper', 'ABC'],
      ['"  x  "\n  .trim\n  .upper', 'X'],
      ['[a: 1]\n.?a', true],
      ['[a: 1]\n.?b', false],
      ['"a,b"\n.split(",")\n.len', 2],
    ]);
  });

  describe('after @ and at a line starting with ?', () => {
    table([
      ['0 -> ($ < 3) @\n{ $ + 1 }', 3],
      ['0 -> @\n{ $ + 1 } ? ($ < 3)', 3],
      ['0 -> @ { $ + 1 }\n? ($ < 3)', 3],
    ]);
  });

  describe('after , : :> and :?', () => {
    table([
      ['|a,\nb| ($a * $b) => $m\n$m(2, 3)', 6],
      ['"42" :>\nnumber', 42],
      ['"42":>\nnumber', 42],
      ['42 :?\nnumber', true],
      ['42 :\nnumber', 42],
    ]);
  });
});
