import { RillError } from './rill-error.js';

/**
 * Render an error for people: `CODE: message`, then for located errors
 * `file:line:col`, the source line and a caret under the span.
 *
 * ```
 * EVAL_DIVISION_BY_ZERO: division by zero
 *   --> report.rill:3:9
 *    |
 *  3 | 10 -> ($ / 0)
 *    |         ^^^^^
 * ```
 */
export function formatError(error: unknown): string {
  if (!RillError.is(error)) {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
  const head = `${error.code}: ${error.message}`;
  const span = error.span;
  if (span === undefined) return head;
  const name = error.source?.name ?? '<script>';
  const location = `${name}:${span.start.line}:${span.start.column}`;
  const text = error.source?.text;
  if (text === undefined) return `${head}\n  --> ${location}`;
  const lines = text.split(/\r?\n/);
  const lineText = lines[span.start.line - 1] ?? '';
  const gutter = String(span.start.line).length;
  const pad = ' '.repeat(gutter);
  const caretStart = Math.max(0, span.start.column - 1);
  // A span running past the end of its first line is underlined to the line end.
  const caretEnd =
    span.end.line === span.start.line
      ? Math.max(span.end.column - 1, caretStart + 1)
      : Math.max(lineText.length, caretStart + 1);
  const caret = ' '.repeat(caretStart) + '^'.repeat(caretEnd - caretStart);
  return [
    head,
    `${pad} --> ${location}`,
    `${pad} |`,
    `${span.start.line} | ${lineText}`,
    `${pad} | ${caret}`,
  ].join('\n');
}
