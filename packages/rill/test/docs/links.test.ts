/**
 * Every relative link in docs/*.md, the root README.md and packages/*\/README.md must lead to
 * a file or folder that exists, and a `#anchor` into a Markdown file must name one of its
 * headings. External links (http, https, mailto) are not checked.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { headingAnchors, links } from './markdown.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

function markdownFiles(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(ROOT, 'docs', f));
  const packages = readdirSync(join(ROOT, 'packages'))
    .map((p) => join(ROOT, 'packages', p, 'README.md'))
    .filter((f) => existsSync(f));
  return [join(ROOT, 'README.md'), ...docs, ...packages];
}

const anchorCache = new Map<string, Set<string>>();
function anchorsOf(file: string): Set<string> {
  let anchors = anchorCache.get(file);
  if (anchors === undefined) {
    anchors = headingAnchors(readFileSync(file, 'utf8'));
    anchorCache.set(file, anchors);
  }
  return anchors;
}

/** Why `target`, written in `file`, does not resolve; undefined when it does. */
function brokenReason(file: string, target: string): string | undefined {
  if (/^(https?:|mailto:)/i.test(target)) return undefined;
  const hash = target.indexOf('#');
  const path = hash === -1 ? target : target.slice(0, hash);
  const anchor = hash === -1 ? undefined : decodeURIComponent(target.slice(hash + 1));
  const resolved = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
  if (!existsSync(resolved)) return 'no such file';
  if (anchor === undefined || !resolved.endsWith('.md') || statSync(resolved).isDirectory())
    return undefined;
  return anchorsOf(resolved).has(anchor) ? undefined : `no heading with anchor #${anchor}`;
}

const files = markdownFiles();

describe('relative links in the docs and READMEs', () => {
  it('finds the docs and the READMEs', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it('tells broken links from good ones', () => {
    const sample = [
      'See [a](ref-storage.md#ttl), [b](missing.md) and [c](#local), `[not](code.md)`.',
      '```md',
      '[not a link](inside-a-fence.md)',
      '```',
      '## Local `heading`, 2.',
    ].join('\n');
    expect(links(sample).map((l) => l.target)).toEqual([
      'ref-storage.md#ttl',
      'missing.md',
      '#local',
    ]);
    expect(headingAnchors(sample).has('local-heading-2')).toBe(true);
    const from = join(ROOT, 'docs', 'guide-getting-started.md');
    expect(brokenReason(from, 'ref-storage.md#ttl')).toBeUndefined();
    expect(brokenReason(from, 'ref-storage.md#no-such-heading')).toMatch(/no heading/);
    expect(brokenReason(from, 'missing.md')).toBe('no such file');
    expect(brokenReason(from, '../packages/core')).toBeUndefined();
    expect(brokenReason(from, 'https://example.invalid/x')).toBeUndefined();
  });

  for (const file of files) {
    const name = relative(ROOT, file);
    it(name, () => {
      const broken = links(readFileSync(file, 'utf8'))
        .map((link) => ({ ...link, reason: brokenReason(file, link.target) }))
        .filter((link) => link.reason !== undefined)
        .map((link) => `${name}:${link.line}: ${link.target} (${link.reason})`);
      expect(broken).toEqual([]);
    });
  }
});
