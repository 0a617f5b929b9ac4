import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ERROR_CODES,
  ERROR_LAYERS,
  ERROR_REFERENCE_PATH,
  renderErrorReference,
} from '../src/index.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

describe('docs/ref-errors.md', () => {
  const rendered = renderErrorReference();

  it('matches the registry (run `pnpm docs:errors` after adding a code)', () => {
    const committed = readFileSync(repoRoot + ERROR_REFERENCE_PATH, 'utf8');
    expect(committed).toBe(rendered);
  });

  it('lists every code exactly once, under its layer heading', () => {
    const rows = rendered.split('\n').filter((l) => l.startsWith('| `'));
    for (const code of Object.keys(ERROR_CODES)) {
      expect(
        rows.filter((r) => r.startsWith(`| \`${code}\` `)),
        code,
      ).toHaveLength(1);
    }
    expect(rows).toHaveLength(Object.keys(ERROR_CODES).length);
    for (const layer of ERROR_LAYERS) {
      expect(rendered).toContain(`## ${layer.title} (\`${layer.prefix}\`)`);
    }
    expect(rendered).not.toContain('## Other');
  });

  it('says it is generated and how to regenerate it', () => {
    expect(rendered.split('\n')[0]).toMatch(/Generated .*pnpm docs:errors/);
  });

  it('escapes pipes so no summary splits its table row', () => {
    for (const line of rendered.split('\n').filter((l) => l.startsWith('| `'))) {
      expect(line.split(/(?<!\\)\|/).length, line).toBe(4);
    }
  });
});
