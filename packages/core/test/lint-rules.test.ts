import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// Lints in-memory samples against the repository's eslint.config.js, so the layer rules of
// STYLE.md (which arrows may point where) cannot silently stop matching.
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

let eslint: ESLint;

// Loading typescript-eslint for the first lint takes seconds on a busy CI machine; pay it once
// here so the cases below measure nothing but the rules.
beforeAll(async () => {
  eslint = new ESLint({ cwd: repoRoot });
  await eslint.lintText('export {};\n', { filePath: repoRoot + 'packages/core/src/warm-up.ts' });
}, 120_000);

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, {
    filePath: repoRoot + filePath,
    warnIgnored: true,
  });
  if (result === undefined) throw new Error('no lint result');
  const fatal = result.messages.find((m) => m.fatal);
  if (fatal) throw new Error(`sample did not parse: ${fatal.message}`);
  return result.messages.map((m) => m.ruleId ?? 'fatal');
}

const IMPORTS = 'no-restricted-imports';

// Each row: a file under a guarded folder, an import it makes, and whether that is a violation.
const cases: [string, string, boolean][] = [
  // runtime and ast read only ../ast and @rillkit/core
  ['packages/rill/src/runtime/evaluate.ts', 'chevrotain', true],
  ['packages/rill/src/runtime/evaluate.ts', '../parser/parser.js', true],
  ['packages/rill/src/runtime/evaluate.ts', '../lexer/tokens.js', true],
  ['packages/rill/src/runtime/evaluate.ts', '../parse.js', true],
  ['packages/rill/src/runtime/builtins/methods.ts', '../../parser/to-ast.js', true],
  ['packages/rill/src/runtime/builtins/methods.ts', '../../lexer/lexer.js', true],
  ['packages/rill/src/runtime/evaluate.ts', '../ast/nodes.js', false],
  ['packages/rill/src/runtime/evaluate.ts', './scope.js', false],
  ['packages/rill/src/runtime/evaluate.ts', '@rillkit/core', false],
  ['packages/rill/src/ast/nodes.ts', 'chevrotain', true],
  ['packages/rill/src/ast/nodes.ts', '@chevrotain/types', true],
  ['packages/rill/src/ast/nodes.ts', '../parser/parser.js', true],
  // lexer <- parser <- to-ast; nothing points back up
  ['packages/rill/src/lexer/lexer.ts', '../parser/parser.js', true],
  ['packages/rill/src/lexer/lexer.ts', '../runtime/context.js', true],
  ['packages/rill/src/lexer/lexer.ts', 'chevrotain', false],
  ['packages/rill/src/lexer/lexer.ts', './tokens.js', false],
  ['packages/rill/src/parser/to-ast.ts', '../runtime/context.js', true],
  ['packages/rill/src/parser/parser.ts', '../lexer/tokens.js', false],
  ['packages/rill/src/parser/parser.ts', 'chevrotain', false],
  // core is the bottom layer
  ['packages/core/src/values/json.ts', '@rillkit/rill', true],
  ['packages/core/src/values/json.ts', '@rillkit/conformance', true],
  ['packages/core/test/x.test.ts', '@rillkit/rill', true],
  ['packages/core/src/values/json.ts', 'chevrotain', true],
  ['packages/core/src/values/json.ts', '../errors/rill-error.js', false],
  ['packages/core/test/x.test.ts', '@rillkit/core', false],
  // ext packages: core only, and only their own vendor SDK
  ['packages/ext-kv-redis/src/redis-kv.ts', '@rillkit/rill', true],
  ['packages/ext-kv-redis/src/redis-kv.ts', '@rillkit/core', false],
  ['packages/ext-kv-redis/src/redis-kv.ts', 'ioredis', false],
  ['packages/ext-kv-redis/src/redis-kv.ts', 'better-sqlite3', true],
  ['packages/ext-fs-s3/src/s3-fs.ts', '@aws-sdk/client-s3', false],
  ['packages/ext-fs-s3/src/s3-fs.ts', 'ioredis', true],
  ['packages/ext-kv-sqlite/src/sqlite-kv.ts', 'better-sqlite3', false],
  ['packages/ext-kv-sqlite/src/sqlite-kv.ts', '@aws-sdk/client-s3', true],
  ['packages/ext-some-future/src/x.ts', '@rillkit/rill', true],
  ['packages/ext-kv-sqlite/test/x.test.ts', '@rillkit/rill', false],
  ['packages/ext-kv-sqlite/test/x.test.ts', 'ioredis', true],
  ['packages/ext-some-future/test/x.test.ts', '@rillkit/rill/ext/kv', false],
  ['packages/ext-some-future/src/x.ts', 'better-sqlite3', true],
  ['packages/rill/src/ext/kv/json-kv.ts', 'better-sqlite3', true],
  ['packages/cli/src/main.ts', '@aws-sdk/client-s3', true],
  ['packages/cli/src/main.ts', 'ioredis', true],
  ['packages/cli/src/main.ts', '@rillkit/rill', false],
];

describe('layer rules (no-restricted-imports)', () => {
  it.each(cases)('%s importing %s: violation=%s', async (file, source, violation) => {
    const ids = await ruleIds(file, `import { x } from '${source}';\nexport { x };\n`);
    expect(ids.includes(IMPORTS)).toBe(violation);
  });

  it('also catches re-exports and type-only imports', async () => {
    const file = 'packages/rill/src/runtime/evaluate.ts';
    expect(await ruleIds(file, "export * from '../parser/parser.js';\n")).toContain(IMPORTS);
    expect(
      await ruleIds(file, "import type { X } from 'chevrotain';\nexport type { X };\n"),
    ).toContain(IMPORTS);
  });
});

const FOCUS = '.' + 'only';

describe('focused tests', () => {
  it.each([
    // Built from parts so repository-wide greps for committed focused tests stay quiet.
    `it${FOCUS}('x', () => {});`,
    `describe${FOCUS}('x', () => {});`,
    `test${FOCUS}('x', () => {});`,
    "it.concurrent.only('x', () => {});",
    "describe.skipIf(true).only('x', () => {});",
  ])('%s is reported', async (code) => {
    const ids = await ruleIds(
      'packages/rill/test/x.test.ts',
      `import { describe, it, test } from 'vitest';\n${code}\nexport { describe, it, test };\n`,
    );
    expect(ids).toContain('no-restricted-syntax');
  });

  it('an ordinary test is not', async () => {
    const ids = await ruleIds(
      'packages/rill/test/x.test.ts',
      "import { it } from 'vitest';\nit('x', () => {});\n",
    );
    expect(ids).toEqual([]);
  });
});
