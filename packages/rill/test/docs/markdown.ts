/**
 * Small Markdown helpers for the docs tests: fenced code blocks, relative links and the
 * heading anchors GitHub generates. Only what the repository's docs use; not a parser.
 */

/** One fenced code block: its info string, its lines and the 1-based line of its first line. */
export interface CodeBlock {
  readonly lang: string;
  readonly line: number;
  readonly body: readonly string[];
}

const FENCE = /^\s*(`{3,}|~{3,})\s*([^\s`]*)/;

/** Every fenced code block of `markdown`, in order. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? '');
    if (open === null) continue;
    const fence = open[1] as string;
    let end = i + 1;
    while (end < lines.length && !(lines[end] ?? '').trim().startsWith(fence)) end++;
    blocks.push({ lang: open[2] ?? '', line: i + 2, body: lines.slice(i + 1, end) });
    i = end;
  }
  return blocks;
}

/** `markdown` with fenced blocks blanked (line numbers kept) and inline code spans removed. */
function proseOnly(markdown: string): string[] {
  const lines = markdown.split('\n');
  let fence: string | undefined;
  return lines.map((line) => {
    const open = FENCE.exec(line);
    if (fence === undefined && open !== null) {
      fence = open[1];
      return '';
    }
    if (fence !== undefined) {
      if (line.trim().startsWith(fence)) fence = undefined;
      return '';
    }
    return line.replace(/(`+)[^`]*?\1/g, '');
  });
}

/** A link target written in prose: `[text](target)`, with its 1-based line. */
export interface Link {
  readonly line: number;
  readonly target: string;
}

/** Every inline link and image of the prose (not of code), in order. */
export function links(markdown: string): Link[] {
  const out: Link[] = [];
  proseOnly(markdown).forEach((text, i) => {
    for (const match of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      out.push({ line: i + 1, target: match[1] as string });
    }
  });
  return out;
}

/** The anchors GitHub gives the headings of `markdown` (`## 4. Run it` -> `4-run-it`). */
export function headingAnchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const line of proseOnlyKeepingCode(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading === null) continue;
    const text = (heading[1] as string)
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links keep their text
      .toLowerCase();
    // Punctuation (code marks included) vanishes; spaces become hyphens.
    const base = text.replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** Lines outside fenced blocks, inline code kept (heading anchors include its text). */
function proseOnlyKeepingCode(markdown: string): string[] {
  const lines = markdown.split('\n');
  let fence: string | undefined;
  return lines.filter((line) => {
    const open = FENCE.exec(line);
    if (fence === undefined && open !== null) {
      fence = open[1];
      return false;
    }
    if (fence !== undefined) {
      if (line.trim().startsWith(fence)) fence = undefined;
      return false;
    }
    return true;
  });
}
