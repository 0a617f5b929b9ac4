import { describe, expect, test } from 'vitest';
import { AstBuilder } from '../../src/parser/to-ast.js';
import { NodeBudget } from '../../src/parser/node-budget.js';
import { SourceLines } from '../../src/lexer/positions.js';
import { ast } from './sexpr.js';

/** Source → AST shape. `<$>` is the implicit pipe value of a shorthand such as `-> .upper`. */
type Row = readonly [source: string, shape: string];

function table(rows: readonly Row[]): void {
  test.each(rows)('%s', (source, shape) => {
    expect(ast(source)).toBe(shape);
  });
}

describe('LANGUAGE.md §9 examples', () => {
  table([
    [
      '"  hello world  " -> .trim -> .split(" ") -> .len          # 2',
      '(-> "  hello world  " (. <$> trim) (.() <$> split " ") (. <$> len))',
    ],
    [
      '[1, 2, 3] -> map { $ * 2 } -> fold(0) { $@ + $ }          # 12',
      '(-> (list 1 2 3) (map (block (* $ 2))) (fold (init 0) (block (+ $@ $))))',
    ],
    ['"alice" => $name\n"Hello, {$name}!"', '(-> "alice" (=> $name))\n(str "Hello, " $name "!")'],
    [
      '[a: 1, b: 2] -> each { "{$.key}={$.value}" } -> .join("&")  # "a=1&b=2"',
      '(-> (dict ("a" 1) ("b" 2)) (each (block (str (. $ key) "=" (. $ value)))) (.() <$> join "&"))',
    ],
    [
      '0 -> ($ < 5) @ { $ + 1 }                                    # 5',
      '(-> 0 (while (< $ 5) (block (+ $ 1))))',
    ],
    [
      '|x, y = 10| ($x + $y) => $add\n$add(5)',
      '(-> (closure (x y=10) (+ $x $y)) (=> $add))\n($add 5)',
    ],
    [
      '(3 > 2) ? "big" ! "small"                                   # "big"',
      '(? (> 3 2) "big" "small")',
    ],
    [
      'kv::get_or("user", "visits", 0) -> ($ + 1) => $n\nkv::set("user", "visits", $n)\n"visit {$n}"',
      '(-> (kv::get_or "user" "visits" 0) (+ $ 1) (=> $n))\n(kv::set "user" "visits" $n)\n(str "visit " $n)',
    ],
  ]);
});

describe('LANGUAGE.md inline examples', () => {
  table([
    ['"42" -> :>number', '(-> "42" (:> <$> number))'],
    ['$x:number', '(: $x number)'],
    ['$x:?string', '(:? $x string)'],
    ['$d.missing ?? 0', '(?? (. $d missing) 0)'],
    ['$list[9] ?? "none"', '(?? ([] $list 9) "none")'],
    ['c1 ? a ! c2 ? b ! d', '(? c1 a (? c2 b d))'],
    ['$v -> ? "then" ! "else"', '(-> $v (? _ "then" "else"))'],
    ['init -> @ { $ + 1 } ? ($ < 3)', '(-> init (do (block (+ $ 1)) (< $ 3)))'],
    ['$v -> break', '(-> $v (break))'],
    ['$v -> return', '(-> $v (return))'],
    ['assert $ok', '(assert $ok)'],
    ['assert $ok "message"', '(assert $ok "message")'],
    ['error "message"', '(error "message")'],
    ['$v -> error', '(-> $v (error))'],
    ['$list -> each(0) { $@ + $ }', '(-> $list (each (init 0) (block (+ $@ $))))'],
    ['$list -> filter { $ > 1 }', '(-> $list (filter (block (> $ 1))))'],
    ['$list -> map .upper', '(-> $list (map (. <$> upper)))'],
    ['[1, 2]', '(list 1 2)'],
    ['list[1, 2]', '(list 1 2)'],
    ['[]', '(list)'],
    ['[a: 1, "b c": 2]', '(dict ("a" 1) ("b c" 2))'],
    ['dict[a: 1]', '(dict ("a" 1))'],
    ['[:]', '(dict)'],
    ['|x| ($x + 1)', '(closure (x) (+ $x 1))'],
    ['|a, b = 2| { $a }', '(closure (a b=2) (block $a))'],
    ['{ $ }', '(block $)'],
  ]);
});

describe('literals and primaries', () => {
  table([
    ['42', '42'],
    ['3.14', '3.14'],
    ['1e3', '1000'],
    ['2.5E-1', '0.25'],
    ['-7', '-7'],
    ['- 7', '-7'],
    ['3.len', '(. 3 len)'],
    ['true', 'true'],
    ['false', 'false'],
    ['""', '""'],
    ['$', '$'],
    ['$@', '$@'],
    ['$name', '$name'],
    ['$_under_1', '$_under_1'],
    ['$fn()', '($fn)'],
    ['$fn(1, 2)', '($fn 1 2)'],
    ['log', 'log'],
    ['log()', '(log)'],
    ['log(1)', '(log 1)'],
    ['kv::get("a")', '(kv::get "a")'],
    ['a::b::c', 'a::b::c'],
    ['each_thing', 'each_thing'],
    ['map::fn', 'map::fn'],
    ['truefalse', 'truefalse'],
    ['(1)', '1'],
    ['((1 + 2))', '(+ 1 2)'],
    ['(1 -> log)', '(-> 1 log)'],
    ['{}', '(block)'],
    ['{ 1 }', '(block 1)'],
    ['||1', '(closure () 1)'],
    ['|| { 1 }', '(closure () (block 1))'],
    ['| | 1', '(closure () 1)'],
    ['|x| $x', '(closure (x) $x)'],
    ['|x| $x.len', '(closure (x) (. $x len))'],
    ['|x: number| $x', '(closure (x:number) $x)'],
    ['|x: any = 1, y: closure| $y', '(closure (x:any=1 y:closure) $y)'],
    ['|a, b,| $a', '(closure (a b) $a)'],
    ['|x = 1 + 2| $x', '(closure (x=(+ 1 2)) $x)'],
    ['|x = $c ? 1 ! 2| $x', '(closure (x=(? $c 1 2)) $x)'],
    ['[1, 2,]', '(list 1 2)'],
    ['[a: 1,]', '(dict ("a" 1))'],
    ['[[1], [2, 3]]', '(list (list 1) (list 2 3))'],
    ['[1 -> log, $x]', '(list (-> 1 log) $x)'],
    [
      '[true: 1, each: 2, map: 3, list: 4, 5: 6, 1.5: 7]',
      '(dict ("true" 1) ("each" 2) ("map" 3) ("list" 4) ("5" 6) ("1.5" 7))',
    ],
    ['["a\\"b": 1]', '(dict ("a\\"b" 1))'],
    ['[a: [b: [c: 1]]]', '(dict ("a" (dict ("b" (dict ("c" 1))))))'],
    ['[$x:number]', '(list (: $x number))'],
    ['dict[]', '(dict)'],
    ['list[]', '(list)'],
    ['list[list[1]]', '(list (list 1))'],
    ['f(1, 2,)', '(f 1 2)'],
    ['f(g(1), [2])', '(f (g 1) (list 2))'],
  ]);
});

describe('operators and precedence', () => {
  table([
    ['1 + 2 * 3', '(+ 1 (* 2 3))'],
    ['1 * 2 + 3', '(+ (* 1 2) 3)'],
    ['1 - 2 - 3', '(- (- 1 2) 3)'],
    ['8 / 4 / 2', '(/ (/ 8 4) 2)'],
    ['7 % 4 * 2', '(* (% 7 4) 2)'],
    ['1 + 2 < 4', '(< (+ 1 2) 4)'],
    ['1 < 2 == true', '(== (< 1 2) true)'],
    ['1 <= 2 != 3 >= 4', '(!= (<= 1 2) (>= 3 4))'],
    ['$a == 1 && $b', '(&& (== $a 1) $b)'],
    ['$a && $b || $c', '(|| (&& $a $b) $c)'],
    ['$a || $b && $c', '(|| $a (&& $b $c))'],
    ['$a || $b ?? $c', '(?? (|| $a $b) $c)'],
    ['$a ?? $b ?? $c', '(?? (?? $a $b) $c)'],
    ['$a ?? $b ? 1 ! 2', '(? (?? $a $b) 1 2)'],
    ['$c ? 1 + 2 ! 3 * 4', '(? $c (+ 1 2) (* 3 4))'],
    ['$c ? 1', '(? $c 1)'],
    ['$c ? $d ? 1 ! 2 ! 3', '(? $c (? $d 1 2) 3)'],
    ['$c ? $d ? 1 ! 2', '(? $c (? $d 1 2))'],
    ['$a ? 1 ! $b ? 2 ! $c ? 3 ! 4', '(? $a 1 (? $b 2 (? $c 3 4)))'],
    ['$c ? 1 ! 2 -> log', '(-> (? $c 1 2) log)'],
    ['1 + 2 -> log', '(-> (+ 1 2) log)'],
    ['!$a', '(! $a)'],
    ['!!$a', '(! (! $a))'],
    ['!$a && $b', '(&& (! $a) $b)'],
    ['-$a * 2', '(* (- $a) 2)'],
    ['- -2', '2'],
    ['-$x.len', '(- (. $x len))'],
    ['!$d.?a', '(! (.? $d a))'],
    ['1 - -2', '(- 1 -2)'],
    ['1 -2', '(- 1 2)'],
    ['$a != $b', '(!= $a $b)'],
  ]);
});

describe('postfix operators', () => {
  table([
    ['$d.name', '(. $d name)'],
    ['$d.?name', '(.? $d name)'],
    ['$l[0]', '([] $l 0)'],
    ['$l[-1]', '([] $l -1)'],
    ['$l[$i + 1]', '([] $l (+ $i 1))'],
    ['$s.split(",")', '(.() $s split ",")'],
    ['$s.replace("a", "b",)', '(.() $s replace "a" "b")'],
    ['$s.len()', '(.() $s len)'],
    ['$x:>string', '(:> $x string)'],
    ['$x : number', '(: $x number)'],
    ['$x:?bool:>string', '(:> (:? $x bool) string)'],
    ['$d.a.b[0].c(1).?d', '(.? (.() ([] (. (. $d a) b) 0) c 1) d)'],
    ['$d.map.each.list.true', '(. (. (. (. $d map) each) list) true)'],
    ['$d.list[0]', '([] (. $d list) 0)'],
    ['"abc".len', '(. "abc" len)'],
    ['[1, 2][0]', '([] (list 1 2) 0)'],
    ['(1 + 2):>string', '(:> (+ 1 2) string)'],
    ['f(1).x', '(. (f 1) x)'],
    ['$f(1).x', '(. ($f 1) x)'],
    ['{ 1 }.x', '(. (block 1) x)'],
  ]);
});

describe('pipes and targets', () => {
  table([
    ['$x -> .upper', '(-> $x (. <$> upper))'],
    ['$x -> .trim.upper', '(-> $x (. (. <$> trim) upper))'],
    ['$x -> .split(",")[0]', '(-> $x ([] (.() <$> split ",") 0))'],
    ['$x -> .?name', '(-> $x (.? <$> name))'],
    ['$x -> [0]', '(-> $x ([] <$> 0))'],
    ['$x -> [0].name', '(-> $x (. ([] <$> 0) name))'],
    ['$x -> [0, 1]', '(-> $x (list 0 1))'],
    ['$x -> [$,]', '(-> $x (list $))'],
    ['$x -> list[$]', '(-> $x (list $))'],
    ['$x -> []', '(-> $x (list))'],
    ['$x -> [a: $]', '(-> $x (dict ("a" $)))'],
    ['$x -> [:]', '(-> $x (dict))'],
    ['$x -> :>number', '(-> $x (:> <$> number))'],
    ['$x -> :number', '(-> $x (: <$> number))'],
    ['$x -> :?number', '(-> $x (:? <$> number))'],
    ['$x -> log', '(-> $x log)'],
    ['$x -> log()', '(-> $x (log))'],
    ['$x -> log(1)', '(-> $x (log 1))'],
    ['$x -> kv::get', '(-> $x kv::get)'],
    ['$x -> log.len', '(-> $x (. log len))'],
    ['$x -> $fn', '(-> $x (invoke $fn))'],
    ['$x -> $fn()', '(-> $x ($fn))'],
    ['$x -> $fn(1)', '(-> $x ($fn 1))'],
    ['$x -> $fn.len', '(-> $x (. (invoke $fn) len))'],
    ['$x -> $', '(-> $x $)'],
    ['$x -> $.len', '(-> $x (. $ len))'],
    ['$x -> $@', '(-> $x $@)'],
    ['$x -> "lit {$}"', '(-> $x (str "lit " $))'],
    ['$x -> 1', '(-> $x 1)'],
    ['$x -> true', '(-> $x true)'],
    ['$x -> ($ + 1)', '(-> $x (+ $ 1))'],
    ['$x -> ($ + 1).len', '(-> $x (. (+ $ 1) len))'],
    ['$x -> ($ -> .a)', '(-> $x (-> $ (. <$> a)))'],
    ['$x -> { $ }', '(-> $x (block $))'],
    ['$x -> |v| $v', '(-> $x (closure (v) $v))'],
    ['$x -> ? 1 ! 2', '(-> $x (? _ 1 2))'],
    ['$x -> ? 1', '(-> $x (? _ 1))'],
    ['$x -> ? { 1 } ! { 2 }', '(-> $x (? _ (block 1) (block 2)))'],
    ['$x -> ? 1 ! $y ? 2 ! 3', '(-> $x (? _ 1 (? $y 2 3)))'],
    ['$x -> ($ > 0) ? "pos" ! "neg"', '(-> $x (? (> $ 0) "pos" "neg"))'],
    ['$x -> .empty ? "y" ! "n"', '(-> $x (? (. <$> empty) "y" "n"))'],
    ['$x -> ($ < 3) @ ($ + 1)', '(-> $x (while (< $ 3) (+ $ 1)))'],
    ['$x -> @ { break }', '(-> $x (do (block (break))))'],
    ['$x -> @ ($ + 1) ? ($ < 3)', '(-> $x (do (+ $ 1) (< $ 3)))'],
    ['$x -> each { $ }', '(-> $x (each (block $)))'],
    ['$x -> each ($ * 2)', '(-> $x (each (* $ 2)))'],
    ['$x -> each(0) ($@ + $)', '(-> $x (each (init 0) (+ $@ $)))'],
    ['$x -> each(0) |v| $v', '(-> $x (each (init 0) (closure (v) $v)))'],
    ['$x -> each |v| ($v + 1)', '(-> $x (each (closure (v) (+ $v 1))))'],
    ['$x -> each $fn', '(-> $x (each $fn))'],
    ['$x -> each $', '(-> $x (each $))'],
    ['$x -> each .upper', '(-> $x (each (. <$> upper)))'],
    ['$x -> each .?a', '(-> $x (each (.? <$> a)))'],
    ['$x -> each :>string', '(-> $x (each (:> <$> string)))'],
    ['$x -> map { $ }', '(-> $x (map (block $)))'],
    ['$x -> map ($ + 1)', '(-> $x (map (+ $ 1)))'],
    ['$x -> map |v| $v', '(-> $x (map (closure (v) $v)))'],
    ['$x -> map $fn', '(-> $x (map $fn))'],
    ['$x -> map .trim.lower', '(-> $x (map (. (. <$> trim) lower)))'],
    ['$x -> filter { $ > 1 }', '(-> $x (filter (block (> $ 1))))'],
    ['$x -> filter ($ > 1)', '(-> $x (filter (> $ 1)))'],
    ['$x -> filter $', '(-> $x (filter $))'],
    ['$x -> fold(0) { $@ + $ }', '(-> $x (fold (init 0) (block (+ $@ $))))'],
    ['$x -> fold([]) ($@)', '(-> $x (fold (init (list)) $@))'],
    ['$x -> fold(0) $add', '(-> $x (fold (init 0) $add))'],
    ['$x -> fold(0) |acc| $acc', '(-> $x (fold (init 0) (closure (acc) $acc)))'],
    ['$x -> break', '(-> $x (break))'],
    ['$x -> return', '(-> $x (return))'],
    ['$x -> error', '(-> $x (error))'],
    ['$x -> error "bad {$}"', '(-> $x (error (str "bad " $)))'],
    ['$x -> assert $ > 0', '(-> $x (assert (> $ 0)))'],
    ['$x -> assert $ > 0 "must be positive"', '(-> $x (assert (> $ 0) "must be positive"))'],
    ['$x -> assert $ "m" -> log', '(-> $x (assert $ "m") log)'],
    ['$x => $y', '(-> $x (=> $y))'],
    ['$x => $y -> log => $z', '(-> $x (=> $y) log (=> $z))'],
    ['x -> .a -> ? "y" ! "n" => $r -> log', '(-> x (. <$> a) (? _ "y" "n") (=> $r) log)'],
    ['1 -> 2 -> 3', '(-> 1 2 3)'],
  ]);
});

describe('statements', () => {
  table([
    ['', ''],
    ['# only a comment', ''],
    ['1\n2', '1\n2'],
    ['break', '(break)'],
    ['return', '(return)'],
    ['error', '(error)'],
    ['break $x', '(break $x)'],
    ['return $x', '(return $x)'],
    ['return $x -> .upper', '(return (-> $x (. <$> upper)))'],
    ['error "bad {$x}"', '(error (str "bad " $x))'],
    ['error "a" -> log', '(error (-> "a" log))'],
    ['assert $x > 0', '(assert (> $x 0))'],
    ['assert $x > 0 "positive"', '(assert (> $x 0) "positive")'],
    ['assert $ok "x {$y}"', '(assert $ok (str "x " $y))'],
    ['assert ($x -> .empty)', '(assert (-> $x (. <$> empty)))'],
    ['$c ? break ! $x', '(? $c (break) $x)'],
    ['$c ? return ! error "no"', '(? $c (return) (error "no"))'],
    ['$c ? $x ! error', '(? $c $x (error))'],
    ['$c ? error ! 1', '(? $c (error) 1)'],
    ['$xs -> each { ($ > 3) ? break ! $ }', '(-> $xs (each (block (? (> $ 3) (break) $))))'],
    ['{ $x => $y\n$y }', '(block (-> $x (=> $y)) $y)'],
  ]);
});

describe('the CST visitor', () => {
  test('has a method for every grammar rule', () => {
    const source = { name: 'x', text: '' };
    const builder = new AstBuilder(
      source,
      () => {
        throw new Error('unused');
      },
      new NodeBudget(source, 1),
      new SourceLines(''),
    );
    expect(() => builder.validateVisitor()).not.toThrow();
  });
});
