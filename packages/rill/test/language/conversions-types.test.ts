import { describe } from 'vitest';
import { fails, table } from './run.js';

const raw = String.raw;

describe(':>string', () => {
  table([
    ['42:>string', '42'],
    ['0.5:>string', '0.5'],
    ['-7 -> :>string', '-7'],
    ['1e21:>string', '1e+21'],
    ['true:>string', 'true'],
    ['false:>string', 'false'],
    ['"x":>string', 'x'],
    ['[1, "a"]:>string', '[1, "a"]'],
    ['[a: 1, "b c": [true]]:>string', '[a: 1, "b c": [true]]'],
    ['[]:>string', '[]'],
    ['[:]:>string', '[:]'],
    ['42 -> :>string -> .len', 2],
  ]);
});

describe(':>number (strict)', () => {
  table([
    ['"42":>number', 42],
    ['"42" -> :>number', 42],
    ['" 42 ":>number', 42],
    ['"-7":>number', -7],
    ['"3.5e2":>number', 350],
    ['"0.25":>number', 0.25],
    ['5:>number', 5],
    ['"":>number', fails('EVAL_CONVERSION_FAILED')],
    ['"  ":>number', fails('EVAL_CONVERSION_FAILED')],
    ['"abc":>number', fails('EVAL_CONVERSION_FAILED')],
    ['"12abc":>number', fails('EVAL_CONVERSION_FAILED')],
    ['"0x10":>number', fails('EVAL_CONVERSION_FAILED')],
    ['"Infinity":>number', fails('EVAL_CONVERSION_FAILED')],
    ['"NaN":>number', fails('EVAL_CONVERSION_FAILED')],
    ['"1,000":>number', fails('EVAL_CONVERSION_FAILED')],
    ['"1e999":>number', fails('EVAL_CONVERSION_FAILED')],
    ['[1]:>number', fails('EVAL_CONVERSION_FAILED')],
    ['[a: 1]:>number', fails('EVAL_CONVERSION_FAILED')],
  ]);
});

describe(':>bool (strict)', () => {
  table([
    ['"true":>bool', true],
    ['"false":>bool', false],
    ['true:>bool', true],
    ['"yes":>bool', fails('EVAL_CONVERSION_FAILED')],
    ['"True":>bool', fails('EVAL_CONVERSION_FAILED')],
    ['"":>bool', fails('EVAL_CONVERSION_FAILED')],
    ['"1":>bool', fails('EVAL_CONVERSION_FAILED')],
    // No truthiness: numbers and collections do not convert.
    ['1:>bool', fails('EVAL_CONVERSION_FAILED')],
    ['0:>bool', fails('EVAL_CONVERSION_FAILED')],
    ['[]:>bool', fails('EVAL_CONVERSION_FAILED')],
  ]);
});

describe('other conversions', () => {
  table([
    ['[1, 2]:>list', [1, 2]],
    ['[a: 1]:>dict', { a: 1 }],
    ['5:>any', 5],
    ['"héy":>list', ['h', 'é', 'y']],
    ['[b: 1, a: 2]:>list', [{ key: 'b', value: 1 }, { key: 'a', value: 2 }]],
    ['[b: 1, a: 2] -> :>list -> :>dict', { b: 1, a: 2 }],
    ['[[key: "k", value: 1]]:>dict', { k: 1 }],
    ['[1, 2]:>dict', fails('EVAL_CONVERSION_FAILED')],
    ['"ab":>dict', fails('EVAL_CONVERSION_FAILED')],
    ['5:>list', fails('EVAL_CONVERSION_FAILED')],
    ['true:>list', fails('EVAL_CONVERSION_FAILED')],
    ['5:>closure', fails('EVAL_CONVERSION_FAILED')],
    ['(|x| $x):>closure -> type', 'closure'],
    ['5:>nosuchtype', fails('PARSE_UNKNOWN_TYPE', { line: 1, column: 4 })],
  ]);
});

describe(':type assertion', () => {
  table([
    ['5:number', 5],
    ['"a":string', 'a'],
    ['true:bool', true],
    ['[1]:list', [1]],
    ['[]:list', []],
    ['[a: 1]:dict', { a: 1 }],
    ['[:]:dict', {}],
    ['5:any', 5],
    ['|x| $x => $f\n$f:closure -> type', 'closure'],
    ['"a" -> :string -> .upper', 'A'],
    ['1 => $x\n$x:number + 1', 2],
    ['5:string', fails('EVAL_TYPE_ASSERTION', { line: 1, column: 1, details: { expected: 'string', actual: 'number' } })],
    ['[]:dict', fails('EVAL_TYPE_ASSERTION', { details: { expected: 'dict', actual: 'list' } })],
    ['[:]:list', fails('EVAL_TYPE_ASSERTION', { details: { expected: 'list', actual: 'dict' } })],
    ['"5" -> :number', fails('EVAL_TYPE_ASSERTION')],
    ['{ 1 }:closure -> type', 'closure'],
    ['5:nosuchtype', fails('PARSE_UNKNOWN_TYPE')],
  ]);
});

describe(':?type check', () => {
  table([
    ['5:?number', true],
    ['5:?string', false],
    ['"a":?string', true],
    ['true:?bool', true],
    ['1:?bool', false],
    ['[]:?list', true],
    ['[]:?dict', false],
    ['[:]:?dict', true],
    ['[:]:?list', false],
    ['(|x| $x):?closure', true],
    ['"a":?any', true],
    ['[1, "a", true] -> map { $:?number }', [true, false, false]],
    ['5 -> :?bool', false],
    ['$nope:?number', fails('EVAL_UNDEFINED_VARIABLE')],
  ]);
});

describe('values are immutable and compared by value', () => {
  table([
    ['[1, 2] => $a\n$a -> each { $ * 2 }\n$a', [1, 2]],
    ['[a: 1] => $d\n$d -> .keys\n$d', { a: 1 }],
    ['"abc" => $s\n$s -> .upper\n$s', 'abc'],
    ['[1, [2]] => $a\n[1, [2]] => $b\n$a == $b', true],
    // There is no null: JSON null is rejected rather than mapped to something.
    ['parse_json("null")', fails('EVAL_INVALID_JSON')],
    [raw`"a\"b" -> .len`, 3],
  ]);
});
