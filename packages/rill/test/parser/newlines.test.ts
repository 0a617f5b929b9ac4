import { describe, expect, test } from 'vitest';
import { ast } from './sexpr.js';

/**
 * Each newline rule both ways: the newline joins lines (one statement) or separates them
 * (two statements, printed on two lines).
 */
type Row = readonly [rule: string, source: string, shape: string];

function table(rows: readonly Row[]): void {
  test.each(rows)('%s: %j', (_rule, source, shape) => {
    expect(ast(source)).toBe(shape);
  });
}

describe('a newline separates statements', () => {
  table([
    ['plain', '1\n2', '1\n2'],
    ['runs collapse', '1\n\n\n2', '1\n2'],
    ['blank lines and comments', '\n# a\n1 # b\n\n# c\n2\n', '1\n2'],
    ['CRLF line ends', '1\r\n2\r\n', '1\n2'],
    ['after a call', 'log\n$x', 'log\n$x'],
    ['after a closing paren', '(1)\n(2)', '1\n2'],
    ['after a closing bracket', '[1]\n[2]', '(list 1)\n(list 2)'],
    ['after a closing brace', '{ 1 }\n{ 2 }', '(block 1)\n(block 2)'],
    ['before unary minus', '$a\n-$b', '$a\n(- $b)'],
    ['before [ (no index across lines)', '$a\n[1]', '$a\n(list 1)'],
    ['before a call paren', 'log\n(1)', 'log\n1'],
    ['after break', 'break\n1', '(break)\n1'],
    ['after a string', '"a"\n"b"', '"a"\n"b"'],
    ['after a variable', '$a\n$b', '$a\n$b'],
    ['inside a block', '{\n  1\n  2\n}', '(block 1 2)'],
    ['inside a block inside parens', '(\n{\n 1\n 2\n}\n)', '(block 1 2)'],
    ['inside a block inside brackets', '[{ 1\n2 }]', '(list (block 1 2))'],
    ['inside a block argument', 'f(\n  {\n    1\n    2\n  }\n)', '(f (block 1 2))'],
    ['inside a block in an interpolation', '"""{ { 1\n2 } }"""', '(str (block 1 2))'],
    ['inside a closure body block', '|x| {\n  $x\n  1\n}', '(closure (x) (block $x 1))'],
  ]);
});

describe('a newline is dropped', () => {
  table([
    ['inside ( )', '(1\n+\n2)', '(+ 1 2)'],
    ['inside ( ) before an operator', '(1\n+ 2)', '(+ 1 2)'],
    ['inside [ ]', '[1,\n2\n,3]', '(list 1 2 3)'],
    ['inside call arguments', 'f(\n1,\n2\n)', '(f 1 2)'],
    ['inside closure params', '|a,\nb\n| $a', '(closure (a b) $a)'],
    ['after closing closure params', '|x|\n$x', '(closure (x) $x)'],
    ['after +', '1 +\n2', '(+ 1 2)'],
    ['after -', '1 -\n2', '(- 1 2)'],
    ['after *', '1 *\n2', '(* 1 2)'],
    ['after /', '1 /\n2', '(/ 1 2)'],
    ['after %', '1 %\n2', '(% 1 2)'],
    ['after <', '1 <\n2', '(< 1 2)'],
    ['after >=', '1 >=\n2', '(>= 1 2)'],
    ['after ==', '1 ==\n2', '(== 1 2)'],
    ['after !=', '1 !=\n2', '(!= 1 2)'],
    ['after &&', '$a &&\n$b', '(&& $a $b)'],
    ['after ||', '$a ||\n$b', '(|| $a $b)'],
    ['after ??', '$a ??\n$b', '(?? $a $b)'],
    ['after ->', '$a ->\n.b', '(-> $a (. <$> b))'],
    ['after =>', '$a =>\n$b', '(-> $a (=> $b))'],
    ['after ?', '$c ?\n1 ! 2', '(? $c 1 2)'],
    ['after !', '$c ? 1 !\n2', '(? $c 1 2)'],
    ['after .', '$a.\nb', '(. $a b)'],
    ['after .?', '$a.?\nb', '(.? $a b)'],
    ['after ,', 'f(1,\n2)', '(f 1 2)'],
    ['after :', '[a:\n1]', '(dict ("a" 1))'],
    ['after :>', '$a:>\nstring', '(:> $a string)'],
    ['after :?', '$a:?\nstring', '(:? $a string)'],
    ['after @', '$a -> @\n{ 1 }', '(-> $a (do (block 1)))'],
    ['after (', 'f(\n1)', '(f 1)'],
    ['after [', '[\n1]', '(list 1)'],
    ['after {', '{\n1}', '(block 1)'],
    ['before }', '{ 1\n}', '(block 1)'],
    ['before ]', '[1\n]', '(list 1)'],
    ['before )', '(1\n)', '1'],
    ['before ->', '$a\n-> .b', '(-> $a (. <$> b))'],
    ['before =>', '$a\n=> $b', '(-> $a (=> $b))'],
    ['before ?', '$c\n? 1\n! 2', '(? $c 1 2)'],
    ['before !', '$c ? 1\n! 2', '(? $c 1 2)'],
    ['before .', '$a\n.b', '(. $a b)'],
    ['before .?', '$a\n.?b', '(.? $a b)'],
    ['blank lines inside a chain', '$a\n\n-> .b', '(-> $a (. <$> b))'],
    ['comment lines inside a chain', '$a # first\n# note\n  -> .b # last', '(-> $a (. <$> b))'],
    ['leading newlines', '\n\n1', '1'],
    ['trailing newlines', '1\n\n', '1'],
    [
      'a long chain',
      '$x\n  -> .trim\n  -> .split(",")\n  => $parts\n  -> .len',
      '(-> $x (. <$> trim) (.() <$> split ",") (=> $parts) (. <$> len))',
    ],
    ['a piped conditional on its own lines', '$x\n  -> ? "y"\n  ! "n"', '(-> $x (? _ "y" "n"))'],
    ['a do-while condition', '$x -> @ { $ }\n? ($ < 3)', '(-> $x (do (block $) (< $ 3)))'],
    ['inside an interpolation', '"""{1\n+ 2}"""', '(str (+ 1 2))'],
    [
      'inside an interpolation, even between primaries in a list',
      '"""{[1\n, 2]}"""',
      '(str (list 1 2))',
    ],
  ]);
});
