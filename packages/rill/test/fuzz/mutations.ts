/**
 * fast-check arbitraries that turn seed scripts into mutants: token edits, splices of one
 * seed into another, and hostile fragments (deep nesting, huge values, hostile paths, ...).
 *
 * A mutant is generated from plain numbers (seed index, positions, counts) and mapped to
 * text, so fast-check shrinks it by removing edits and moving numbers towards 0.
 */
import fc from 'fast-check';

// Coarse rill tokens: strings (so an edit does not always break them), comments, variables,
// names with namespaces, numbers, multi-character operators, whitespace runs, any character.
const TOKEN =
  /"""[\s\S]*?"""|"(?:[^"\\\n]|\\.)*"|#[^\n]*|\$@|\$[A-Za-z_]\w*|[A-Za-z_]\w*(?:::[A-Za-z_]\w*)*|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|->|=>|:>|:\?|\.\?|\?\?|&&|\|\||==|!=|<=|>=|\s+|[\s\S]/gu;

/** Split a script into coarse tokens; joining them gives the script back. */
export function tokenize(source: string): string[] {
  return source.match(TOKEN) ?? [];
}

// prettier-ignore
const VOCABULARY = [
  '->', '=>', '?', '!', '.', '.?', ',', ':', ':>', ':?', '@', '??', '||', '|', '&&', '==', '!=',
  '<', '>', '<=', '>=', '+', '-', '*', '/', '%', '(', ')', '[', ']', '{', '}', '$', '$@', '$x',
  ' ', '\n', 'each', 'map', 'filter', 'fold(0)', 'break', 'return', 'assert', 'error', 'list[',
  'dict[', 'range(0, 3)', '"s"', '"{$}"', '"""', '0', '-1', '1e308', '0.5', 'true', 'false',
  '[:]', '[]', '|x| $x', '$fn()', ':>string', ':>number', ':>list', ':>dict', '.len', '.keys',
  '.split("")', '.join(",")', '.repeat(3)', 'é', '😀', '\u0000', '\uD800', '#c\n',
];

/** Where a hostile fragment is safe to run on today's interpreter. */
export type Weight = 'light' | 'heavy';

interface Fragment {
  readonly weight: Weight;
  /** The fragment for a size parameter `n` in [0, 1]. */
  readonly text: (n: number) => string;
}

const lerp = (n: number, low: number, high: number): number => Math.round(low + (high - low) * n);

// Paths a script should never get past the fs sandbox, and kv keys/values at the edges.
// prettier-ignore
const HOSTILE_PATHS = [
  '../x', '../../outside/canary', '/etc/passwd', 'a/../../x', '..', '.', '', '/', 'a\u0000b',
  'a\\..\\x', '%2e%2e/x', '．．/x', 'x'.repeat(300), 'a/'.repeat(600), '\uD800', 'a\nb',
  'run-1/../../x', '..\u0000/x',
];

const q = (s: string): string => `"${s.replace(/[\\"{}]/g, (c) => `\\${c}`)}"`;

const FRAGMENTS: readonly Fragment[] = [
  // Deep syntactic nesting: the parser and the evaluator recurse on it.
  { weight: 'light', text: (n) => { const d = lerp(n, 10, 20_000); return '['.repeat(d) + ']'.repeat(d); } },
  { weight: 'light', text: (n) => { const d = lerp(n, 10, 20_000); return '('.repeat(d) + '1' + ')'.repeat(d); } },
  { weight: 'light', text: (n) => { const d = lerp(n, 10, 10_000); return '{ '.repeat(d) + '1' + ' }'.repeat(d); } },
  { weight: 'light', text: (n) => '1' + ' + 1'.repeat(lerp(n, 10, 50_000)) },
  { weight: 'light', text: (n) => '-'.repeat(lerp(n, 10, 20_000)) + '1' },
  { weight: 'light', text: (n) => '!'.repeat(lerp(n, 10, 20_000)) + 'true' },
  { weight: 'light', text: (n) => '"' + '{"'.repeat(lerp(n, 2, 5_000)) + 'x' + '"}'.repeat(lerp(n, 2, 5_000)) + '"' },
  { weight: 'light', text: (n) => '1 -> ' + '|x| $x -> '.repeat(lerp(n, 5, 5_000)) + '$' },
  // Deep values built at run time, then rendered, compared, stored and converted.
  { weight: 'light', text: (n) => `range(0, ${lerp(n, 10, 10_000)}) -> fold([]) { list[$@] } => $deep\n$deep == $deep` },
  { weight: 'light', text: (n) => `range(0, ${lerp(n, 10, 10_000)}) -> fold([]) { list[$@] } -> :>string -> .len` },
  { weight: 'light', text: (n) => `range(0, ${lerp(n, 10, 10_000)}) -> fold([:]) { [a: $@] } => $deep\nkv::set("state", "deep", $deep)\nkv::get("state", "deep")` },
  { weight: 'light', text: (n) => `range(0, ${lerp(n, 10, 10_000)}) -> fold([]) { list[$@] } => $deep\nfs::write("files", "d.txt", "{$deep}")` },
  { weight: 'light', text: (n) => `range(0, ${lerp(n, 10, 10_000)}) -> fold("") { "[{$@}]" } -> :>list` },
  { weight: 'light', text: (n) => `range(0, ${lerp(n, 10, 10_000)}) -> fold([]) { list[$@] } -> log -> .len` },
  // Huge and odd numbers.
  { weight: 'light', text: () => '1e308 * 10' },
  { weight: 'light', text: () => '9007199254740993 + 1' },
  { weight: 'light', text: () => '1e999' },
  { weight: 'light', text: () => '-0 / 1' },
  { weight: 'light', text: () => '(0 - 1e308 * 10) % 3' },
  { weight: 'light', text: () => 'range(0, 1e308)' },
  { weight: 'light', text: () => 'range(1e308, 0 - 1e308, 1e-308)' },
  { weight: 'light', text: () => '"abc".slice(1e308, 0 - 1e308)' },
  { weight: 'light', text: () => '"abc".repeat(1e308)' },
  { weight: 'light', text: () => '[1, 2][1e308]' },
  { weight: 'light', text: (n) => '9'.repeat(lerp(n, 20, 400)) },
  // Unicode and broken text.
  { weight: 'light', text: () => '"é😀\u{10FFFF}\u200B\uFEFF" -> .split("") -> .reverse -> .join("")' },
  { weight: 'light', text: () => '"\uD800\uDC00\uD800" -> each { $ }' },
  { weight: 'light', text: () => '"unterminated' },
  { weight: 'light', text: () => '"""never closed {' },
  { weight: 'light', text: () => '"{"' },
  { weight: 'light', text: () => '"\\' },
  { weight: 'light', text: () => '#' + '\u0000'.repeat(10) },
  // Storage with hostile paths and values (kv mounts `state`/`user`, fs `files` rw, `data` read).
  ...HOSTILE_PATHS.flatMap((path): Fragment[] => [
    { weight: 'light', text: () => `fs::write("files", ${q(path)}, "x")` },
    { weight: 'light', text: () => `fs::read("data", ${q(path)})` },
    { weight: 'light', text: () => `fs::mkdir("files", ${q(path)})` },
    { weight: 'light', text: () => `fs::move("files", "a", ${q(path)})` },
    { weight: 'light', text: () => `fs::write("files", "a", "x")\nfs::copy("files", "a", ${q(path)})` },
    { weight: 'light', text: () => `fs::remove("files", ${q(path)})` },
    { weight: 'light', text: () => `fs::list("files", ${q(path)})` },
    { weight: 'light', text: () => `kv::set("state", ${q(path)}, ${q(path)})` },
  ]),
  { weight: 'light', text: () => 'fs::find("files", "**/../**")' },
  { weight: 'light', text: () => 'fs::find("files", "{' + 'a,'.repeat(500) + '}")' },
  { weight: 'light', text: () => 'fs::find("files", "' + '*'.repeat(2000) + '")' },
  { weight: 'light', text: () => 'kv::getAll("nope")' },
  { weight: 'light', text: () => '[__proto__: 1, constructor: 2] => $d\nkv::set("state", "__proto__", $d)\nkv::merge("state", "__proto__", $d)\nkv::getAll("state") -> json' },
  { weight: 'light', text: () => 'parse_json("\\{\\"__proto__\\": \\{\\"a\\": 1\\}\\}") => $p\n$p.__proto__.a' },
  { weight: 'light', text: () => 'fs::write("files", "__proto__", "x")\nfs::list("files") -> json' },
  { weight: 'light', text: () => 'kv::set("state", "k", range(0, 10000))\nkv::get("state", "k") -> .len' },
  { weight: 'light', text: () => 'range(0, 20) -> fold("x") { "{$@}{$@}" } => $big\nkv::set("state", "big", $big)' },
  { weight: 'light', text: () => 'range(0, 21) -> fold("x") { "{$@}{$@}" } => $big\nfs::write("files", "big", $big)\nfs::append("files", "big", $big)' },
  { weight: 'light', text: () => 'range(0, 50) -> map { kv::incr("state", "n") } -> map { fs::append("files", "log", "{$}") }' },
  { weight: 'light', text: () => 'kv::set("state", "k", 1, [ttl: 1e308])' },
  { weight: 'light', text: () => 'kv::set("state", "k", 1, [ttl: 0 - 1])' },
  { weight: 'light', text: () => 'kv::incr("state", "k", 1e308)\nkv::incr("state", "k", 1e308)' },
  // Work and memory bombs: need limits.steps / limits.memory (see scripts.fuzz.test.ts).
  { weight: 'heavy', text: (n) => `range(0, 10000) -> map { range(0, ${lerp(n, 100, 10_000)}) -> map { $ } }` },
  { weight: 'heavy', text: (n) => `range(0, 10000) -> each { range(0, 10000) -> each { range(0, ${lerp(n, 10, 10_000)}) -> fold(0) { $@ + $ } } }` },
  { weight: 'heavy', text: (n) => `range(0, ${lerp(n, 24, 40)}) -> fold("x") { "{$@}{$@}" } -> .len` },
  { weight: 'heavy', text: (n) => `range(0, ${lerp(n, 18, 28)}) -> fold("x") { "{$@}{$@}" } -> .split("") -> .len` },
  { weight: 'heavy', text: (n) => `range(0, ${lerp(n, 20, 40)}) -> fold([1]) { [$@, $@] } => $w\n$w -> :>string -> .len` },
  { weight: 'heavy', text: (n) => `range(0, ${lerp(n, 20, 40)}) -> fold([1]) { [$@, $@] } => $w\n$w == $w` },
  { weight: 'heavy', text: (n) => `"x".repeat(${lerp(n, 1e6, 1e9)}) -> .split("") -> .len` },
  { weight: 'heavy', text: (n) => `range(0, ${lerp(n, 20, 28)}) -> fold("x") { "{$@}{$@}" } -> .split("x") -> .len` },
  { weight: 'heavy', text: (n) => `range(0, ${lerp(n, 20, 28)}) -> fold("\\n") { "{$@}{$@}" } -> .lines -> .len` },
  { weight: 'heavy', text: (n) => `range(0, ${lerp(n, 20, 28)}) -> fold("x") { "{$@}{$@}" } -> .replace_all("x", "yyyy") -> .len` },
  { weight: 'heavy', text: (n) => `range(0, ${lerp(n, 20, 28)}) -> fold("x") { "{$@}{$@}" } -> .upper -> .is_match("y")` },
  { weight: 'heavy', text: (n) => `range(0, 20) -> fold("x") { "{$@}{$@}" } => $b\nrange(0, ${lerp(n, 10, 2_000)}) -> map { $b.upper } -> .len` },
  { weight: 'heavy', text: (n) => `range(0, ${lerp(n, 20, 30)}) -> fold([1]) { [$@, $@] } => $w\nkv::set("state", "w", $w)` },
  { weight: 'heavy', text: (n) => `range(0, ${lerp(n, 20, 30)}) -> fold([1]) { [$@, $@] } -> log -> .len` },
  { weight: 'heavy', text: () => '|f| $f($f) => $loop\n$loop($loop)' },
  { weight: 'heavy', text: () => '0 -> (true) @ { $ + 1 }' },
];

/** The hostile fragments of the given weights, as arbitraries over a size in [0, 1]. */
export function fragmentArbitrary(weights: readonly Weight[]): fc.Arbitrary<string> {
  const chosen = FRAGMENTS.filter((f) => weights.includes(f.weight));
  return fc
    .tuple(fc.nat(chosen.length - 1), fc.double({ min: 0, max: 1, noNaN: true }))
    .map(([i, n]) => (chosen[i] as Fragment).text(n));
}

/** One edit of a token list. Positions are taken modulo the length at the time. */
type Edit =
  | { readonly op: 'delete'; readonly at: number; readonly count: number }
  | { readonly op: 'duplicate'; readonly at: number; readonly count: number; readonly times: number }
  | { readonly op: 'swap'; readonly at: number; readonly other: number }
  | { readonly op: 'insert'; readonly at: number; readonly token: string }
  | { readonly op: 'splice'; readonly at: number; readonly count: number; readonly seed: number; readonly from: number; readonly length: number }
  | { readonly op: 'fragment'; readonly at: number; readonly text: string };

function editArbitrary(fragments: fc.Arbitrary<string> | undefined): fc.Arbitrary<Edit> {
  const at = fc.nat();
  const edits: fc.Arbitrary<Edit>[] = [
    fc.record({ op: fc.constant('delete' as const), at, count: fc.integer({ min: 1, max: 8 }) }),
    fc.record({
      op: fc.constant('duplicate' as const),
      at,
      count: fc.integer({ min: 1, max: 12 }),
      times: fc.integer({ min: 1, max: 4 }),
    }),
    fc.record({ op: fc.constant('swap' as const), at, other: fc.nat() }),
    fc.record({
      op: fc.constant('insert' as const),
      at,
      token: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...VOCABULARY) },
        { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
      ),
    }),
    fc.record({
      op: fc.constant('splice' as const),
      at,
      count: fc.nat(6),
      seed: fc.nat(),
      from: fc.nat(),
      length: fc.integer({ min: 1, max: 30 }),
    }),
  ];
  if (fragments !== undefined) {
    edits.push(fc.record({ op: fc.constant('fragment' as const), at, text: fragments }));
  }
  return fc.oneof(...edits);
}

function applyEdit(tokens: string[], edit: Edit, seeds: readonly string[][]): string[] {
  const at = tokens.length === 0 ? 0 : edit.at % (tokens.length + 1);
  switch (edit.op) {
    case 'delete':
      return [...tokens.slice(0, at), ...tokens.slice(at + edit.count)];
    case 'duplicate': {
      const part = tokens.slice(at, at + edit.count);
      return [...tokens.slice(0, at), ...Array<string[]>(edit.times + 1).fill(part).flat(), ...tokens.slice(at + edit.count)];
    }
    case 'swap': {
      if (tokens.length < 2) return tokens;
      const i = at % tokens.length;
      const j = edit.other % tokens.length;
      const out = [...tokens];
      [out[i], out[j]] = [out[j] as string, out[i] as string];
      return out;
    }
    case 'insert':
      return [...tokens.slice(0, at), edit.token, ...tokens.slice(at)];
    case 'splice': {
      const donor = seeds[edit.seed % seeds.length] as string[];
      const from = donor.length === 0 ? 0 : edit.from % donor.length;
      return [...tokens.slice(0, at), ...donor.slice(from, from + edit.length), ...tokens.slice(at + edit.count)];
    }
    case 'fragment': {
      // Whole lines most of the time, so the fragment runs as a statement; inline otherwise.
      const text = edit.at % 3 === 0 ? edit.text : `\n${edit.text}\n`;
      return [...tokens.slice(0, at), text, ...tokens.slice(at)];
    }
  }
}

/**
 * Mutants of `seeds`: a seed with up to `maxEdits` edits. With `weights` non-empty, some
 * edits insert hostile fragments of those weights.
 */
export function mutantArbitrary(
  seeds: readonly string[],
  weights: readonly Weight[],
  maxEdits = 4,
): fc.Arbitrary<string> {
  const tokenized = seeds.map(tokenize);
  const fragments = weights.length === 0 ? undefined : fragmentArbitrary(weights);
  // With fragments, every mutant gets one (besides any the random edits add).
  const forced: fc.Arbitrary<Edit[]> =
    fragments === undefined
      ? fc.constant([])
      : fc.record({ op: fc.constant('fragment' as const), at: fc.nat(), text: fragments }).map((e) => [e]);
  return fc
    .record({
      seed: fc.nat(seeds.length - 1),
      forced,
      edits: fc.array(editArbitrary(fragments), { maxLength: maxEdits }),
    })
    .map(({ seed, forced, edits }) =>
      [...forced, ...edits]
        .reduce((tokens, edit) => applyEdit(tokens, edit, tokenized), tokenized[seed] as string[])
        .join(''),
    );
}
