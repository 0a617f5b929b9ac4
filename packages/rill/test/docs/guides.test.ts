/**
 * Executes the code examples of the guides, so they cannot drift from the implementation.
 *
 * - Every ```rill block of the guides below ends in `# => <rill literal>` or
 *   `# !! <ERROR_CODE>`, as in ref-language.md. It runs against the host the `rill` CLI gives
 *   a script without `--config`, in a fresh temporary folder as the working directory: kv
 *   mount `state` (JSON store `.rill/state.json`) and fs mount `files` (the folder), plus
 *   `--var name=Ada`.
 * - Every ```ts block that imports `@rillkit/rill` or `@rillkit/core` (and nothing but
 *   `node:*` besides) is type-checked (strict) and then run with `node` in a fresh
 *   temporary folder; it must exit with 0. These run against the built `dist/` of both
 *   packages (turbo builds them before `test`; run `pnpm turbo run build
 *   --filter=@rillkit/rill...` first when running this file by hand).
 */
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RillError, formatError, formatValue, isErrorCode } from '@rillkit/core';
import { createRuntimeContext, execute, parse } from '../../src/index.js';
import { createFsExtension } from '../../src/ext/fs/index.js';
import { createKvExtension } from '../../src/ext/kv/index.js';
import { codeBlocks } from './markdown.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const PACKAGE = fileURLToPath(new URL('../../', import.meta.url));

/** Docs whose ```rill blocks are executed (ref-language.md has its own test). */
const RILL_DOCS = [
  'docs/guide-getting-started.md',
  'docs/guide-choosing-a-backend.md',
  'docs/ref-host-api.md',
  'docs/architecture.md',
];
/** Docs and READMEs whose ```ts blocks are type-checked and run. */
const TS_DOCS = [
  'docs/guide-getting-started.md',
  'docs/ref-host-api.md',
  'packages/rill/README.md',
  'packages/core/README.md',
];
const RUNNABLE_IMPORT = /^(@rillkit\/rill(\/ext\/(kv|fs))?|@rillkit\/core|node:.*)$/;
const MARKER = /#\s*(=>|!!)\s*(.+?)\s*$/;

interface Snippet {
  readonly doc: string;
  readonly line: number;
  readonly source: string;
}

function snippets(docs: readonly string[], lang: string): Snippet[] {
  return docs.flatMap((doc) =>
    codeBlocks(readFileSync(join(ROOT, doc), 'utf8'))
      .filter((b) => b.lang === lang)
      .map((b) => ({ doc, line: b.line, source: b.body.join('\n') })),
  );
}

function importsOf(source: string): string[] {
  return [...source.matchAll(/^\s*import\s[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1] as string);
}

describe('```rill examples of the guides', () => {
  const examples = snippets(RILL_DOCS, 'rill');

  it('every block ends in a result or error marker naming a registered code', () => {
    const bad = examples.filter((e) => {
      const match = MARKER.exec(e.source.split('\n').at(-1) ?? '');
      return match === null || (match[1] === '!!' && !isErrorCode(match[2]));
    });
    expect(bad.map((e) => `${e.doc}:${e.line}`)).toEqual([]);
    expect(examples.length).toBeGreaterThan(3);
  });

  for (const example of examples) {
    const match = MARKER.exec(example.source.split('\n').at(-1) ?? '');
    if (match === null) continue;
    const [, kind, expected] = match as unknown as [string, '=>' | '!!', string];
    it(`${example.doc}:${example.line} ${kind} ${expected}`, async () => {
      const cwd = mkdtempSync(join(tmpdir(), 'rill-doc-'));
      mkdirSync(join(cwd, '.rill'));
      const kv = createKvExtension({
        mounts: { state: { store: join(cwd, '.rill', 'state.json') } },
      });
      const fs = createFsExtension({ mounts: { files: { path: cwd } } });
      try {
        const ctx = createRuntimeContext({
          functions: { ...kv.functions, ...fs.functions },
          variables: { name: 'Ada' },
        });
        let outcome: { value: string } | { error: unknown };
        try {
          const { result } = await execute(parse(example.source, { name: example.doc }), ctx);
          outcome = { value: formatValue(result) };
        } catch (error) {
          outcome = { error };
        }
        if (kind === '=>') {
          if ('error' in outcome) throw new Error(`example failed:\n${formatError(outcome.error)}`);
          expect(outcome.value).toBe(expected);
        } else {
          if ('value' in outcome) throw new Error(`expected ${expected}, got ${outcome.value}`);
          expect(RillError.is(outcome.error), String(outcome.error)).toBe(true);
          expect((outcome.error as RillError).code).toBe(expected);
        }
      } finally {
        await kv.dispose();
        await fs.dispose();
        rmSync(cwd, { recursive: true, force: true });
      }
    });
  }
});

describe('```ts examples of the guides and READMEs', { timeout: 120_000 }, () => {
  const all = snippets(TS_DOCS, 'ts').filter((s) => importsOf(s.source).length > 0);
  const runnable = all.filter((s) => importsOf(s.source).every((i) => RUNNABLE_IMPORT.test(i)));
  let dir = '';
  let diagnostics = new Map<string, string[]>();
  const fileOf = (s: Snippet): string =>
    join(dir, `${s.doc.replace(/[^A-Za-z0-9]+/g, '-')}-${s.line}.ts`);

  beforeAll(() => {
    for (const pkg of ['rill', 'core']) {
      const dist = join(ROOT, 'packages', pkg, 'dist', 'index.js');
      if (!existsSync(dist)) throw new Error(`${dist} is missing: build @rillkit/${pkg} first`);
    }
    dir = mkdtempSync(join(tmpdir(), 'rill-doc-ts-'));
    mkdirSync(join(dir, 'node_modules', '@rillkit'), { recursive: true });
    mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
    symlinkSync(PACKAGE, join(dir, 'node_modules', '@rillkit', 'rill'));
    symlinkSync(
      realpathSync(join(PACKAGE, 'node_modules', '@rillkit', 'core')),
      join(dir, 'node_modules', '@rillkit', 'core'),
    );
    symlinkSync(
      realpathSync(join(PACKAGE, 'node_modules', '@types', 'node')),
      join(dir, 'node_modules', '@types', 'node'),
    );
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    for (const s of runnable) writeFileSync(fileOf(s), s.source);

    const program = ts.createProgram(runnable.map(fileOf), {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
    });
    diagnostics = new Map();
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      const where =
        d.file === undefined || d.start === undefined
          ? ''
          : `:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}`;
      const key = d.file?.fileName ?? '';
      diagnostics.set(key, [...(diagnostics.get(key) ?? []), `${where} ${text}`]);
    }
  });

  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('every ts block with imports in these docs can be checked here', () => {
    expect(all.filter((s) => !runnable.includes(s)).map((s) => `${s.doc}:${s.line}`)).toEqual([]);
    expect(runnable.length).toBeGreaterThan(3);
  });

  for (const snippet of runnable) {
    it(`${snippet.doc}:${snippet.line} type-checks and runs`, async () => {
      const file = fileOf(snippet);
      expect([...(diagnostics.get('') ?? []), ...(diagnostics.get(file) ?? [])]).toEqual([]);
      const js = ts.transpileModule(snippet.source, {
        compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
      }).outputText;
      const cwd = mkdtempSync(join(dir, 'run-'));
      writeFileSync(join(cwd, 'snippet.mjs'), js);
      try {
        await run(process.execPath, ['snippet.mjs'], { cwd, timeout: 30_000 });
      } catch (error) {
        const { stderr, stdout } = error as { stderr?: string; stdout?: string };
        throw new Error(
          `${snippet.doc}:${snippet.line} failed:\n${stdout ?? ''}${stderr ?? String(error)}`,
        );
      }
    });
  }
});
