/**
 * Runs every ```rill example in docs/ref-language.md so the reference cannot drift from the
 * implementation. Each block's last line ends in `# => <rill literal>` (the result, as
 * `formatValue` prints it) or `# !! <ERROR_CODE>`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RillError, formatError, formatValue, isErrorCode } from '@rillkit/core';
import { createRuntimeContext, execute, parse } from '../../src/index.js';
import { createKvTestHost } from '../language/test-host.js';

const DOC = fileURLToPath(new URL('../../../../docs/ref-language.md', import.meta.url));

interface Example {
  readonly line: number;
  readonly source: string;
  readonly expected: { readonly kind: 'value'; readonly text: string } | { readonly kind: 'error'; readonly code: string };
}

const MARKER = /#\s*(=>|!!)\s*(.+?)\s*$/;

/** Every ```rill block, with the 1-based line of its first source line. */
function extractExamples(markdown: string): { examples: Example[]; unmarked: number[] } {
  const lines = markdown.split('\n');
  const examples: Example[] = [];
  const unmarked: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]?.trim() !== '```rill') continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end]?.trim() !== '```') end++;
    const body = lines.slice(start, end);
    i = end;
    const last = body[body.length - 1] ?? '';
    const match = MARKER.exec(last);
    if (match === null) {
      unmarked.push(start + 1);
      continue;
    }
    const [, kind, payload] = match as unknown as [string, string, string];
    examples.push({
      line: start + 1,
      source: body.join('\n'),
      expected: kind === '=>' ? { kind: 'value', text: payload } : { kind: 'error', code: payload },
    });
  }
  return { examples, unmarked };
}

const { examples, unmarked } = extractExamples(readFileSync(DOC, 'utf8'));

describe('docs/ref-language.md examples', () => {
  it('has examples, and every rill block ends in a result or error marker', () => {
    expect(examples.length).toBeGreaterThan(50);
    expect(unmarked, 'lines of ```rill blocks without # => / # !!').toEqual([]);
  });

  it('names only registered error codes', () => {
    const bad = examples.filter((e) => e.expected.kind === 'error' && !isErrorCode(e.expected.code));
    expect(bad.map((e) => e.line)).toEqual([]);
  });

  for (const example of examples) {
    const label = example.expected.kind === 'value' ? `=> ${example.expected.text}` : `!! ${example.expected.code}`;
    it(`line ${example.line}: ${label}`, async () => {
      const ctx = createRuntimeContext({ functions: createKvTestHost().functions });
      let outcome: { value: string } | { error: unknown };
      try {
        const { result } = await execute(parse(example.source, { name: 'ref-language.md' }), ctx);
        outcome = { value: formatValue(result) };
      } catch (error) {
        outcome = { error };
      }
      if (example.expected.kind === 'value') {
        if ('error' in outcome) throw new Error(`example failed:\n${formatError(outcome.error)}`);
        expect(outcome.value).toBe(example.expected.text);
      } else {
        if ('value' in outcome) throw new Error(`expected ${example.expected.code}, got ${outcome.value}`);
        expect(RillError.is(outcome.error), String(outcome.error)).toBe(true);
        expect((outcome.error as RillError).code).toBe(example.expected.code);
      }
    });
  }
});
