import { describe, expect, test } from 'vitest';
import type { SourceSpan } from '@rillkit/core';
import type { AnyNode } from '../../src/ast/nodes.js';
import { parse } from '../../src/parse.js';

/** Every node of `root`, depth first, in source order of discovery. */
function nodes(root: AnyNode): AnyNode[] {
  const out: AnyNode[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    if ('type' in value && 'span' in value) out.push(value as AnyNode);
    for (const [key, child] of Object.entries(value))
      if (key !== 'span' && key !== 'source') walk(child);
  };
  walk(root);
  return out;
}

/** `line:column-line:column` plus the exact source text the span covers. */
function where(source: string, span: SourceSpan): string {
  return `${span.start.line}:${span.start.column}-${span.end.line}:${span.end.column} ${JSON.stringify(source.slice(span.start.offset, span.end.offset))}`;
}

function spansOf(source: string, type: string): string[] {
  return nodes(parse(source))
    .filter((node) => node.type === type)
    .map((node) => where(source, node.span));
}

describe('spans', () => {
  test('the script spans the whole text', () => {
    const source = '1\n  2\n';
    expect(where(source, parse(source).span)).toBe('1:1-3:1 "1\\n  2\\n"');
    expect(where('', parse('').span)).toBe('1:1-1:1 ""');
  });

  test('pipes, steps and implicit receivers', () => {
    const source = '"a" -> .upper => $b';
    expect(spansOf(source, 'Pipe')).toEqual(['1:1-1:20 "\\"a\\" -> .upper => $b"']);
    expect(spansOf(source, 'PipeStep')).toEqual(['1:5-1:14 "-> .upper"']);
    expect(spansOf(source, 'CaptureStep')).toEqual(['1:15-1:20 "=> $b"']);
    expect(spansOf(source, 'Member')).toEqual(['1:8-1:14 ".upper"']);
    expect(spansOf(source, 'PipeValue')).toEqual(['1:8-1:14 ".upper"']);
  });

  test('statements on later lines', () => {
    const source = '1\n\n  $x.len(2)\n# c\n\t[a: 1]';
    expect(spansOf(source, 'MethodCall')).toEqual(['3:3-3:12 "$x.len(2)"']);
    expect(spansOf(source, 'Variable')).toEqual(['3:3-3:5 "$x"']);
    expect(spansOf(source, 'Dict')).toEqual(['5:2-5:8 "[a: 1]"']);
    expect(spansOf(source, 'DictEntry')).toEqual(['5:3-5:7 "a: 1"']);
  });

  test('grouping keeps the parentheses in the span', () => {
    const source = '(1 + 2) * 3';
    expect(spansOf(source, 'Binary')).toEqual(['1:1-1:12 "(1 + 2) * 3"', '1:1-1:8 "(1 + 2)"']);
  });

  test('operators, conditionals, closures, blocks', () => {
    const source = '$c ? -1 ! |x: number = 2| { $x }';
    expect(spansOf(source, 'Conditional')).toEqual(['1:1-1:33 "$c ? -1 ! |x: number = 2| { $x }"']);
    expect(spansOf(source, 'Number')).toEqual(['1:6-1:8 "-1"', '1:24-1:25 "2"']);
    expect(spansOf(source, 'Closure')).toEqual(['1:11-1:33 "|x: number = 2| { $x }"']);
    expect(spansOf(source, 'Param')).toEqual(['1:12-1:25 "x: number = 2"']);
    expect(spansOf(source, 'Block')).toEqual(['1:27-1:33 "{ $x }"']);
  });

  test('loops and collection operators', () => {
    const source = '0 -> ($ < 5) @ { $ + 1 } -> fold(0) { $@ + $ }';
    expect(spansOf(source, 'While')).toEqual(['1:6-1:25 "($ < 5) @ { $ + 1 }"']);
    expect(spansOf(source, 'Collection')).toEqual(['1:29-1:47 "fold(0) { $@ + $ }"']);
    expect(spansOf(source, 'Accumulator')).toEqual(['1:39-1:41 "$@"']);
  });

  test('inside an interpolation', () => {
    const source = 'log("ab {$x.len} cd")';
    expect(spansOf(source, 'String')).toEqual(['1:5-1:21 "\\"ab {$x.len} cd\\""']);
    expect(spansOf(source, 'Member')).toEqual(['1:10-1:16 "$x.len"']);
    expect(spansOf(source, 'Variable')).toEqual(['1:10-1:12 "$x"']);
  });

  test('inside a nested interpolation', () => {
    const source = '"a {"b {$deep}"}"';
    expect(spansOf(source, 'Variable')).toEqual(['1:9-1:14 "$deep"']);
  });

  test('inside a multi-line string, on a later line', () => {
    const source = 'x\n"""\nhello\n  {$name} and {\n$other}\n"""';
    expect(spansOf(source, 'Variable')).toEqual(['4:4-4:9 "$name"', '5:1-5:7 "$other"']);
  });

  test('tokens after a multi-line string', () => {
    const source = '"""a\nbc""" -> .len';
    expect(spansOf(source, 'Member')).toEqual(['2:10-2:14 ".len"']);
  });

  test('columns count UTF-16 code units', () => {
    const source = '"😀" -> $f';
    expect(spansOf(source, 'Variable')).toEqual(['1:9-1:11 "$f"']);
  });

  test('CRLF sources count one line per line break', () => {
    const source = '1\r\n$x';
    expect(spansOf(source, 'Variable')).toEqual(['2:1-2:3 "$x"']);
  });
});
