import { describe, expect, test } from 'vitest';
import type { StringNode } from '../../src/ast/nodes.js';
import { ast, only } from './sexpr.js';

type Row = readonly [source: string, shape: string];

function table(rows: readonly Row[]): void {
  test.each(rows)('%s', (source, shape) => {
    expect(ast(source)).toBe(shape);
  });
}

describe('escapes', () => {
  test.each([
    ['"\\n"', '\n'],
    ['"\\t"', '\t'],
    ['"\\r"', '\r'],
    ['"\\""', '"'],
    ['"\\\\"', '\\'],
    ['"\\{"', '{'],
    ['"\\}"', '}'],
    ['"a\\nb\\tc"', 'a\nb\tc'],
    ['"\\\\n"', '\\n'],
    ['"{{"', '{'],
    ['"}}"', '}'],
    ['"{{x}}"', '{x}'],
    ['"a}b"', 'a}b'],
    ['"# not a comment"', '# not a comment'],
    ['"héllo ✓ 😀"', 'héllo ✓ 😀'],
    ['""', ''],
  ])('%s', (source, text) => {
    const node = only(source) as StringNode;
    expect(node.type).toBe('String');
    expect(node.parts.join('')).toBe(text);
    expect(node.parts.every((part) => typeof part === 'string')).toBe(true);
  });

  test('an empty string has no parts', () => {
    expect((only('""') as StringNode).parts).toEqual([]);
  });
});

describe('interpolation', () => {
  table([
    ['"{$x}"', '(str $x)'],
    ['"a{$x}b"', '(str "a" $x "b")'],
    ['"{$a}{$b}"', '(str $a $b)'],
    ['"{ $x }"', '(str $x)'],
    ['"{1 + 2}"', '(str (+ 1 2))'],
    ['"{$x -> .upper}"', '(str (-> $x (. <$> upper)))'],
    ['"{$x -> .trim => $y}"', '(str (-> $x (. <$> trim) (=> $y)))'],
    ['"{$c ? "y" ! "n"}"', '(str (? $c "y" "n"))'],
    ['"{[a: 1]}"', '(str (dict ("a" 1)))'],
    ['"{[1, 2] -> map { $ * 2 }}"', '(str (-> (list 1 2) (map (block (* $ 2)))))'],
    ['"{ { 1 } }"', '(str (block 1))'],
    ['"{"}"}"', '(str "}")'],
    ['"{"{{"}"', '(str "{")'],
    ['"{"inner {$x}"}"', '(str (str "inner " $x))'],
    ['"a {"b {"c {$d}"}"} e"', '(str "a " (str "b " (str "c " $d)) " e")'],
    ['"""{$x # a comment inside\n-> .upper}"""', '(str (-> $x (. <$> upper)))'],
    ['"{{{$x}}}"', '(str "{" $x "}")'],
    ['"\\{{$x}\\}"', '(str "{" $x "}")'],
    ['"{$d.key}={$d.value}"', '(str (. $d key) "=" (. $d value))'],
    ['"{f("a", "b")}"', '(str (f "a" "b"))'],
    ['"{$x:>string}"', '(str (:> $x string))'],
  ]);
});

describe('triple-quoted strings', () => {
  table([
    ['"""abc"""', '"abc"'],
    ['"""\nabc"""', '"abc"'],
    ['"""\r\nabc"""', '"abc"'],
    ['"""\n\nabc"""', '"\\nabc"'],
    ['"""a\nb\n"""', '"a\\nb\\n"'],
    ['"""say "hi" now"""', '"say \\"hi\\" now"'],
    ['"""say ""hi"""', '"say \\"\\"hi"'],
    ['"""ends with quote""""', '"ends with quote\\""'],
    ['"""a\\tb"""', '"a\\tb"'],
    ['"""{$x}\n{$y}"""', '(str $x "\\n" $y)'],
    ['"""\n  line {$n -> .upper}\n"""', '(str "  line " (-> $n (. <$> upper)) "\\n")'],
    ['"""{"""inner {1}"""}"""', '(str (str "inner " 1))'],
    ['"""{ $x\n  -> .trim\n}"""', '(str (-> $x (. <$> trim)))'],
    ['"""x"""\n"y"', '"x"\n"y"'],
    ['""', '""'],
    ['"" -> .len', '(-> "" (. <$> len))'],
  ]);
});
