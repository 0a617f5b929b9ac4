import { ERROR_CODES, ERROR_LAYERS } from './codes.js';

/** Where the generated error reference lives, relative to the repository root. */
export const ERROR_REFERENCE_PATH = 'docs/ref-errors.md';

// A `|` inside a table cell ends the cell even within backticks (GFM), so escape it.
function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

// Columns are padded to equal width, as Prettier would, so the raw file reads as a table too.
function table(codes: readonly string[]): string[] {
  const rows = codes.map((code) => [
    `\`${code}\``,
    cell(ERROR_CODES[code as keyof typeof ERROR_CODES]),
  ]);
  const header = ['Code', 'Meaning'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => c + ' '.repeat((widths[i] ?? 0) - width(c))).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

function width(text: string): number {
  return [...text].length;
}

/**
 * Render `docs/ref-errors.md` from `ERROR_CODES` and `ERROR_LAYERS`: one table per layer, in
 * layer order and, within a layer, in registry order. The output is deterministic, so a test
 * can compare it with the committed file and fail on drift. Codes matching no layer prefix
 * (which the registry should never have) are listed under "Other" rather than dropped.
 *
 * Regenerate the file with `pnpm docs:errors` from the repository root.
 */
export function renderErrorReference(): string {
  const codes = Object.keys(ERROR_CODES);
  const out: string[] = [
    '<!-- Generated from packages/core/src/errors/codes.ts. Do not edit by hand: run `pnpm docs:errors`. -->',
    '',
    '# Error reference',
    '',
    'Every error rillkit raises is a `RillError` with a stable `code` from the table below.',
    'Codes are grouped by the layer that raises them, are never renamed or reused, and are',
    'what programs should match on (messages are for people and may change). Lexer, parser and',
    'runtime errors also carry a source span; `formatError(err)` renders `file:line:col`, the',
    'source line and a caret under the span.',
    '',
    'This file is generated from `ERROR_CODES` in `packages/core/src/errors/codes.ts`. To',
    'regenerate it after adding a code, run `pnpm docs:errors` from the repository root (it',
    'builds `@rillkit/core`, then runs `packages/core/scripts/gen-errors-doc.mjs`). A test in',
    '`packages/core` fails while this file is out of date.',
    '',
  ];
  const claimed = new Set<string>();
  for (const layer of ERROR_LAYERS) {
    const inLayer = codes.filter((c) => c.startsWith(layer.prefix));
    if (inLayer.length === 0) continue;
    inLayer.forEach((c) => claimed.add(c));
    out.push(`## ${layer.title} (\`${layer.prefix}\`)`, '', ...table(inLayer), '');
  }
  const other = codes.filter((c) => !claimed.has(c));
  if (other.length > 0) out.push('## Other', '', ...table(other), '');
  return out.join('\n');
}
