import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { isErrorCode, RillError } from '@rillkit/core';
import { DEFAULT_PARSE_LIMITS, parse } from '../../src/parse.js';
import { tokenize } from '../../src/lexer/lexer.js';
import { SourceLines } from '../../src/lexer/positions.js';
import { certainNodeCount } from '../../src/parser/node-budget.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** Every object with a `type` in the AST: what `maxNodes` counts. */
function countNodes(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + countNodes(item), 0);
  if (typeof value !== 'object' || value === null) return 0;
  let count = typeof (value as { type?: unknown }).type === 'string' ? 1 : 0;
  for (const [key, child] of Object.entries(value)) {
    if (key !== 'span' && key !== 'source') count += countNodes(child);
  }
  return count;
}

function lex(source: string): ReturnType<typeof tokenize> {
  return tokenize(source, { name: 'x', text: source }, new SourceLines(source));
}

function thrown(run: () => unknown): RillError {
  try {
    run();
  } catch (error) {
    if (RillError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a RillError');
}

function rillFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules') continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) rillFiles(path, out);
    else if (path.endsWith('.rill')) out.push(path);
  }
  return out;
}

/** Valid scripts from the examples and the language reference. */
function corpus(): string[] {
  const scripts = rillFiles(join(ROOT, 'examples')).map((path) => readFileSync(path, 'utf8'));
  const reference = readFileSync(join(ROOT, 'docs/ref-language.md'), 'utf8');
  for (const match of reference.matchAll(/```rill\n([\s\S]*?)```/g)) scripts.push(match[1] ?? '');
  scripts.push(
    '"  hello world  " -> .trim -> .split(" ") -> .len',
    '[1, 2, 3] -> map { $ * 2 } -> fold(0) { $@ + $ }',
    '[a: 1, "b": 2, 3: -4, map: true] -> each { "{$.key}={$.value}" } -> .join("&")',
    '0 -> ($ < 5) @ { $ + 1 }\n0 -> @ { $ + 1 } ? ($ < 3)',
    '|x: number, y: string = "a"| ($x:>string + $y) => $add\n$add(5) -> :?string',
    '$x -> [0] -> .?name -> $fn -> ? "y" ! "n"\n-7 -> -$ -> !$',
    '"""\n  {$x -> ? "y" ! "n"} {[1, {$z}] -> .len}\n"""',
  );
  return scripts.filter((script) => {
    try {
      parse(script);
      return true;
    } catch {
      return false;
    }
  });
}

describe('maxLength', () => {
  test('a source of exactly maxLength characters is accepted, one more is refused', () => {
    const source = '1 + 2\n"x"';
    expect(parse(source, { maxLength: source.length }).statements).toHaveLength(2);
    const error = thrown(() => parse(`${source} `, { maxLength: source.length }));
    expect(error.code).toBe('PARSE_TOO_LARGE');
    expect(error.details).toMatchObject({
      option: 'maxLength',
      limit: source.length,
      actual: source.length + 1,
    });
  });

  test('counts UTF-16 code units', () => {
    expect(() => parse('"😀"', { maxLength: 4 })).not.toThrow();
    expect(thrown(() => parse('"😀"', { maxLength: 3 })).code).toBe('PARSE_TOO_LARGE');
  });

  test('the default accepts a 10 MB script', () => {
    expect(DEFAULT_PARSE_LIMITS.maxLength).toBeGreaterThanOrEqual(10_000_000);
    const source = `# ${'x'.repeat(10_000_000)}\n"done"`;
    expect(parse(source).statements).toHaveLength(1);
  });

  test('refuses an oversized source before lexing it', () => {
    // An unterminated string would be a lexing error; the size is reported instead.
    const source = `"${'x'.repeat(DEFAULT_PARSE_LIMITS.maxLength)}`;
    expect(thrown(() => parse(source)).code).toBe('PARSE_TOO_LARGE');
  });
});

describe('maxNodes', () => {
  test.each([
    ['1', 2],
    ['1 + 2', 4],
    ['"a{$x}b{$y -> .len}"', 8],
    ['[a: 1, b: [2, 3]] -> .keys', 12],
  ])('%j has %i nodes: accepted at that limit, refused one below', (source, nodes) => {
    expect(countNodes(parse(source))).toBe(nodes);
    expect(() => parse(source, { maxNodes: nodes })).not.toThrow();
    const error = thrown(() => parse(source, { maxNodes: nodes - 1 }));
    expect(error.code).toBe('PARSE_TOO_LARGE');
    expect(error.details).toMatchObject({ option: 'maxNodes', limit: nodes - 1 });
    expect((error.details as { atLeast: number }).atLeast).toBeGreaterThan(nodes - 1);
  });

  test('every script of the corpus is accepted with maxNodes at its exact node count', () => {
    for (const source of corpus()) {
      const nodes = countNodes(parse(source));
      expect(() => parse(source, { maxNodes: nodes })).not.toThrow();
      expect(thrown(() => parse(source, { maxNodes: nodes - 1 })).code).toBe('PARSE_TOO_LARGE');
    }
  });

  test('the token count is a lower bound of the node count', () => {
    for (const source of corpus()) {
      const certain = certainNodeCount(lex(source));
      expect(certain).toBeGreaterThan(0);
      expect(certain).toBeLessThanOrEqual(countNodes(parse(source)));
    }
  });

  test('a huge input is refused from its tokens, before any syntax node is built', () => {
    // Not even valid: the refusal comes before the parser could notice.
    const source = `${'1\n'.repeat(1_000_000)})`;
    const error = thrown(() => parse(source));
    expect(error.code).toBe('PARSE_TOO_LARGE');
    expect(error.details).toMatchObject({
      option: 'maxNodes',
      limit: DEFAULT_PARSE_LIMITS.maxNodes,
    });
    // Lexed piece by piece: refused after the first piece that passes the limit, not at
    // the end of the whole 2 MB.
    const atLeast = error.details.atLeast as number;
    expect(atLeast).toBeGreaterThan(DEFAULT_PARSE_LIMITS.maxNodes);
    expect(atLeast).toBeLessThan(1_000_001);
    expect(error.span).toBeUndefined();
  });

  test('tokens that make no node are bounded too: four per allowed node', () => {
    const error = thrown(() => parse('('.repeat(100), { maxNodes: 10 }));
    expect(error.code).toBe('PARSE_TOO_LARGE');
    expect(error.details).toMatchObject({ option: 'maxNodes', limit: 10, tokens: 100 });
    // Exactly four per node is accepted as far as the limit goes (it then fails to parse).
    expect(thrown(() => parse('('.repeat(40), { maxNodes: 10 })).code).not.toBe('PARSE_TOO_LARGE');
  });

  test('a script of 200,000 nodes is accepted under the defaults', () => {
    const line = '[a: 1, b: "x"] -> .keys -> each { "{$}" } => $k\n';
    const nodes = countNodes(parse(line));
    const source = line.repeat(Math.ceil(200_000 / (nodes - 1)));
    expect(countNodes(parse(source))).toBeGreaterThanOrEqual(200_000);
  });

  test('interpolations count too, and are checked before they are parsed', () => {
    const source = `"${'{1}'.repeat(100)}"`;
    const error = thrown(() => parse(source, { maxNodes: 50 }));
    expect(error.code).toBe('PARSE_TOO_LARGE');
    expect(() => parse(source, { maxNodes: 102 })).not.toThrow();
  });
});

describe('parse options', () => {
  test.each([
    [{ maxNode: 5 }, 'maxNode'],
    [{ name: 'x', limits: {} }, 'limits'],
    [{ maxLength: 0 }, 'maxLength'],
    [{ maxLength: -1 }, 'maxLength'],
    [{ maxLength: 1.5 }, 'maxLength'],
    [{ maxLength: Number.POSITIVE_INFINITY }, 'maxLength'],
    [{ maxLength: Number.NaN }, 'maxLength'],
    [{ maxLength: '100' }, 'maxLength'],
    [{ maxLength: null }, 'maxLength'],
    [{ maxNodes: 0 }, 'maxNodes'],
    [{ maxNodes: 2 ** 60 }, 'maxNodes'],
    [{ maxNodes: null }, 'maxNodes'],
    [{ name: null }, 'name'],
    [{ name: 5 }, 'name'],
    [null, ''],
    ['x', ''],
    [[], ''],
  ])('%j is HOST_INVALID_DEFINITION naming %j', (options, option) => {
    const error = thrown(() => parse('1', options as never));
    expect(error.code).toBe('HOST_INVALID_DEFINITION');
    expect(error.details).toMatchObject({ option });
  });

  test('undefined options and undefined values take the defaults', () => {
    expect(() => parse('1', undefined)).not.toThrow();
    expect(() =>
      parse('1', { name: undefined, maxLength: undefined, maxNodes: undefined } as never),
    ).not.toThrow();
  });
});

// prettier-ignore
const VOCABULARY = [
  '->', '=>', '?', '!', '.', '.?', ',', ':', ':>', ':?', '@', '??', '||', '|', '&&', '==', '!=',
  '<', '>', '<=', '>=', '+', '-', '*', '/', '%', '=', '(', ')', '[', ']', '{', '}', '$', '$@',
  '$x', '$fn', 'log', 'kv::get', 'true', 'false', 'each', 'map', 'filter', 'fold', 'break',
  'return', 'assert', 'error', 'list[', 'dict[', 'string', 'number', 'x', '0', '42', '-1', '"s"',
  '"a{$x}b"', '"{', '}"', '"""', '"k": ', 'a: ', '\\', '#c\n', '\n', ' ', '[:]', '{{', '}}', '~',
];

/** Parsing succeeds or throws a RillError with a registered code; nothing else escapes. */
function checkOutcome(source: string, maxNodes?: number): void {
  try {
    const ast = parse(source, maxNodes === undefined ? undefined : { maxNodes });
    expect(certainNodeCount(lex(source))).toBeLessThanOrEqual(countNodes(ast));
  } catch (error) {
    if (!RillError.is(error)) throw error;
    expect(isErrorCode(error.code)).toBe(true);
  }
}

describe('properties', () => {
  const soup = fc
    .array(fc.constantFrom(...VOCABULARY), { maxLength: 40 })
    .chain((words) =>
      fc
        .array(fc.boolean(), { minLength: words.length, maxLength: words.length })
        .map((spaces) => words.map((word, i) => (spaces[i] === true ? `${word} ` : word)).join('')),
    );

  test('token soups parse, or fail with a registered code; a parse never beats the bound', () => {
    fc.assert(
      fc.property(soup, (source) => checkOutcome(source)),
      { numRuns: 3000 },
    );
  });

  test('token soups under tiny node limits fail only with registered codes', () => {
    fc.assert(
      fc.property(soup, fc.integer({ min: 1, max: 12 }), (source, maxNodes) =>
        checkOutcome(source, maxNodes),
      ),
      { numRuns: 2000 },
    );
  });

  test('random unicode parses, or fails with a registered code', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (source) => checkOutcome(source)),
      { numRuns: 3000 },
    );
  });
});
