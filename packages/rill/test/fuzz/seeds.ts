/**
 * Seed scripts for the fuzz: every `.rill` file under examples/, every `rill` code block of
 * docs/*.md, and the source column of the table-driven language tests. Shortest first, so
 * fast-check's shrinking (which moves a seed index towards 0) also moves towards short seeds.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeBlocks } from '../docs/markdown.js';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const LANGUAGE_TESTS = fileURLToPath(new URL('../language/', import.meta.url));

function rillFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...rillFiles(path));
    else if (entry.name.endsWith('.rill')) out.push(path);
  }
  return out;
}

/** The rill code blocks of the docs, as whole scripts. */
function docBlocks(): string[] {
  const docs = join(REPO, 'docs');
  return readdirSync(docs)
    .filter((name) => name.endsWith('.md'))
    .flatMap((name) => codeBlocks(readFileSync(join(docs, name), 'utf8')))
    .filter((block) => block.lang === 'rill')
    .map((block) => block.body.join('\n'));
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '0': '\0' };

/** The value of a single-quoted JS string literal's body (the escapes the tests use). */
function unquote(body: string): string {
  return body.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_, e: string) => {
    if (e.startsWith('u{')) return String.fromCodePoint(parseInt(e.slice(2, -1), 16));
    if (e.length > 1) return String.fromCharCode(parseInt(e.slice(1), 16));
    return ESCAPES[e] ?? e;
  });
}

/** The first column of the language tests' table rows: `['<source>', ...]`. */
function languageTableSources(): string[] {
  const out: string[] = [];
  for (const name of readdirSync(LANGUAGE_TESTS)) {
    if (!name.endsWith('.test.ts')) continue;
    const text = readFileSync(join(LANGUAGE_TESTS, name), 'utf8');
    for (const match of text.matchAll(/^\s*\['((?:[^'\\\n]|\\.)*)',/gm)) {
      out.push(unquote(match[1] as string));
    }
  }
  return out;
}

/** Every seed, deduplicated, shortest first. */
export function collectSeeds(): string[] {
  const all = [
    ...rillFiles(join(REPO, 'examples')).map((path) => readFileSync(path, 'utf8')),
    ...docBlocks(),
    ...languageTableSources(),
  ];
  return [...new Set(all)].filter((s) => s.trim() !== '').sort((a, b) => a.length - b.length);
}
