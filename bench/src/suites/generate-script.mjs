// Generates a syntactically valid rill script of about `targetLines` lines that uses every
// construct of the language subset, for the parse-throughput benchmark.
const CHUNK = (i) => `# chunk ${i}: literals, strings and interpolation
"plain string {i}" => $s${i}
"""
multi-line {$s${i}} with {{braces}} and \\t escapes
""" => $t${i}
[1, 2, ${i}] => $list${i}
list[3, 4, 5] -> .len
[a: ${i}, "b c": "two", nested: [x: true, y: false]] => $dict${i}
dict[k: 1] -> .keys
[:] -> .empty
[] -> .empty
-${i}.5 -> ($ * 2)
# pipes, captures, methods and postfix operators
"  Hello World ${i}  " -> .trim -> .lower -> .split(" ") -> .join("-") => $slug${i}
$list${i}[0] + $list${i}[-1]
$dict${i}.a ?? 0
$dict${i}.missing ?? "none"
$dict${i}.?nested
$dict${i}["b c"] -> .upper
"42" -> :>number -> ($ + ${i})
${i} -> :>string -> .len
$list${i}:list -> .head
$dict${i}:?dict
# operators and precedence
(${i} + 2) * 3 - 4 / 2 % 5
(1 < 2) == !(3 >= 4) || (3 >= 4) && (5 != 6) || ("a" <= "b")
[1, [2, 3]] == [1, [2, 3]]
# conditionals
(${i} > 10) ? "big" ! "small"
${i} > 100 ? "huge" ! ${i} > 10 ? "big" ! "small"
true -> ? "yes" ! "no"
(${i} == 0) ? { "zero" } ! {
  "nonzero"
}
# closures
|x, y = 10| ($x + $y) => $add${i}
$add${i}(5)
|n: number| { $n * $n } => $sq${i}
${i} -> $sq${i}
{ $ + 1 } => $inc${i}
# loops
0 -> ($ < 5) @ { $ + 1 }
0 -> @ { $ + 2 } ? ($ < 10)
# collection operators
$list${i} -> each { $ * 2 }
$list${i} -> each(0) { $@ + $ }
$list${i} -> map |v| ($v + 1)
$list${i} -> filter { $ > 1 }
$list${i} -> fold(0) { $@ + $ }
$dict${i} -> each { "{$.key}={$.value}" } -> .join("&")
"abc" -> map .upper
[1, 2, 3] -> each {
  ($ > 1) ? ($ -> break)
  $
}
# built-ins and statements
log("chunk ${i}")
json([a: 1]) -> parse_json -> type
range(0, 3) -> .len
assert (1 < 2) "math works"
(false) ? { error "never" }
"x".contains("x") && "xy".starts_with("x") && "xy".ends_with("y")
"a-b-c" -> .replace("-", "+") -> .replace_all("-", "+") -> .is_match("^a")
"l1\\nl2" -> .lines -> .tail
[1, 2, 3] -> .at(1) -> ($ + [1, 2].slice(0, 1).len)
[a: 1] -> .values -> .has(1)
[a: 1] -> .entries -> .len
`;

export function generateScript(targetLines) {
  const chunks = [];
  let lines = 0;
  for (let i = 0; lines < targetLines; i++) {
    const chunk = CHUNK(i);
    chunks.push(chunk);
    lines += chunk.split('\n').length - 1;
  }
  return chunks.join('');
}
