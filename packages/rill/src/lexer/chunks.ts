import { matchString } from './string-scanner.js';

// Characters that are tokens of their own (or end one), never the start of a longer token
// nor looked ahead at by one: a piece may end right after them. (`[` is looked ahead at by
// `list[` and `dict[`, so a cut goes after it, never before.)
const ENDS_A_TOKEN = new Set([0x0a, 0x20, 0x09, 0x28, 0x29, 0x5b, 0x5d, 0x7b, 0x7d, 0x2c]);

/**
 * Offsets where `text` may be cut into pieces that lex on their own, each piece at least
 * `every` characters long: just after a line break, blank, bracket or comma outside any
 * string literal and comment (no token but a string spans them). A linear scan that lets `parse` lex a large
 * script piece by piece and stop at its limits before the whole token list exists
 * (docs/ref-host-api.md, `parse`). After an unterminated string there are no more cuts, so
 * the lexer reports it as it would for the whole text.
 */
export function chunkCuts(text: string, every: number): number[] {
  const cuts: number[] = [];
  let last = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const match = matchString(text, i);
      if (match === null) break;
      i += match[0].length;
    } else if (c === 0x23) {
      const lineEnd = text.indexOf('\n', i);
      if (lineEnd < 0) break;
      i = lineEnd;
    } else {
      i += 1;
      if (i - last >= every && ENDS_A_TOKEN.has(c) && i < text.length) {
        cuts.push(i);
        last = i;
      }
    }
  }
  return cuts;
}
