// What JSON.parse lets through or cannot survive: duplicate keys, deep nesting, huge files.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  ExitCode,
  loadConfig,
  MAX_CONFIG_BYTES,
  MAX_CONFIG_DEPTH,
} from '../src/index.js';
import { cli, spawnRill, tempDir, writeConfig, writeFile } from './helpers/cli.js';

const dir = tempDir();

/** A stack trace line, or the error the call stack overflowing throws. */
const STACK_TRACE = /RangeError|\n\s+at /;

let fileCount = 0;
const nextName = (): string => `c${(fileCount += 1)}.json`;

/** `depth` objects `{"a": ...}` nested inside each other under `kv.s.schema`. */
function deepSchemaConfig(depth: number): string {
  return `{"kv":{"s":{"backend":"memory","schema":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}}}`;
}

describe('duplicate keys, deep nesting and huge files through the binary', () => {
  it.each([
    [
      'a mount defined twice',
      '{\n  "kv": {\n    "state": { "backend": "memory" },\n    "state": { "backend": "json", "store": "s.json" }\n  }\n}\n',
      'kv.state: is defined twice (at 3:5 and 4:5); remove one of them',
    ],
    [
      'a section defined twice',
      '{\n  "kv": { "a": { "backend": "memory" } },\n  "kv": { "b": { "backend": "memory" } }\n}\n',
      'kv: is defined twice (at 2:3 and 3:3); remove one of them',
    ],
    [
      'an option defined twice',
      '{ "fs": { "f": { "backend": "local", "path": ".", "path": "./other" } } }',
      'fs.f.path: is defined twice (at 1:38 and 1:51); remove one of them',
    ],
    [
      'objects nested 3,000 levels deep',
      deepSchemaConfig(3000),
      `kv.s.schema${'.a'.repeat(MAX_CONFIG_DEPTH - 3)}: nests deeper than ${MAX_CONFIG_DEPTH} levels`,
    ],
    [
      'arrays nested 3,000 levels deep',
      `${'['.repeat(3000)}${']'.repeat(3000)}`,
      `${'[0]'.repeat(MAX_CONFIG_DEPTH)}: nests deeper than ${MAX_CONFIG_DEPTH} levels`,
    ],
    [
      'a file over 1 MiB',
      `{"kv": {}, "pad": "${'x'.repeat(MAX_CONFIG_BYTES)}"}`,
      'the config file is larger than 1 MiB',
    ],
  ])('%s: exit 2, the file and field, no stack trace', (_name, text, message) => {
    const file = writeFile(dir, nextName(), text);
    const out = spawnRill(['eval', 'log("ran")', '--config', file], dir);
    expect(out.status).toBe(ExitCode.Usage);
    expect(out.stdout).toBe('');
    expect(out.stderr.startsWith(`rill: ${file}: ${message}`)).toBe(true);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.stderr).not.toMatch(STACK_TRACE);
    expect(out.stderr).not.toContain('ran');
  });

  it('--verbose on deep nesting still reports a config error, not a RangeError', () => {
    const file = writeFile(dir, nextName(), deepSchemaConfig(3000));
    const out = spawnRill(['eval', '1', '--config', file, '--verbose'], dir);
    expect(out.status).toBe(ExitCode.Usage);
    expect(out.stderr).toMatch(/^rill: c\d+\.json: kv\.s\.schema(\.a)+: nests deeper/);
    expect(out.stderr).not.toContain('RangeError');
  });
});

describe('parsing: strict JSON with positions', () => {
  it('the error object names the duplicated field, not a line', async () => {
    const file = writeFile(dir, nextName(), '{"limits": {"steps": 10, "steps": 20}}');
    const error = await loadConfig(file, { cwd: dir, env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const { field, line, reason } = error as ConfigError;
    expect([field, line, reason]).toEqual([
      'limits.steps',
      undefined,
      'is defined twice (at 1:13 and 1:26); remove one of them',
    ]);
  });

  it('a key that is not a plain word is quoted in the path', async () => {
    const file = writeFile(
      dir,
      nextName(),
      '{"kv": {"a.b": {"backend": "memory"}, "a.b": {"backend": "memory"}}}',
    );
    const out = await cli(['eval', '1', '--config', file], { cwd: dir });
    expect(out.code).toBe(ExitCode.Usage);
    expect(out.stderr).toMatch(/^rill: c\d+\.json: kv\["a\.b"\]: is defined twice/);
  });

  it('the same key in different objects is no duplicate', async () => {
    const file = writeConfig(dir, nextName(), {
      kv: { s: { backend: 'memory', mode: 'read' } },
      fs: { s: { backend: 'local', path: '.', mode: 'read' } },
    });
    const config = await loadConfig(file, { cwd: dir, env: {} });
    expect([config.kv.length, config.fs.length]).toEqual([1, 1]);
  });

  it.each([
    ['a comment', '{\n  // mounts\n  "kv": {}\n}', 2, 3, 'comments are not allowed in JSON'],
    ['a trailing comma in an array', '{"x": [1, 2,]}', 1, 13, 'expected a value'],
    ['a single-quoted key', "{'kv': {}}", 1, 2, 'unexpected character'],
    ['two values', '{}\n{}', 2, 1, 'unexpected text after the end of the JSON value'],
  ])('%s is invalid JSON, with line and column', async (_name, text, line, column, reason) => {
    const file = writeFile(dir, nextName(), text);
    const out = await cli(['eval', '1', '--config', file], { cwd: dir });
    expect(out.code).toBe(ExitCode.Usage);
    expect(out.stderr).toBe(`rill: ${file}:${line}:${column}: invalid JSON: ${reason}\n`);
  });

  it('a file of exactly 1 MiB is read', async () => {
    const head = '{"kv": {}, "limits": {"steps": 5}}';
    const file = writeFile(dir, nextName(), head + ' '.repeat(MAX_CONFIG_BYTES - head.length));
    const config = await loadConfig(file, { cwd: dir, env: {} });
    expect(config.limits).toEqual({ steps: 5 });
  });
});

// ---- property-based: random valid configs in the shapes the other tests use ----

const word = fc.stringMatching(/^[a-z][a-z0-9_]{0,7}$/);
const mode = fc.constantFrom('read', 'write', 'read-write');
const schemaField = fc.oneof(
  fc.record({ type: fc.constant('string'), default: fc.string({ maxLength: 8 }) }),
  fc.record({ type: fc.constant('number'), default: fc.integer() }),
  fc.record({ type: fc.constant('list'), default: fc.array(fc.integer(), { maxLength: 3 }) }),
);
const kvMount = fc.oneof(
  fc.record(
    {
      backend: fc.constant('memory'),
      mode,
      ttl: fc.integer({ min: 1, max: 3600 }),
      maxEntries: fc.integer({ min: 1, max: 1000 }),
      schema: fc.dictionary(word, schemaField, { maxKeys: 3 }),
    },
    { requiredKeys: ['backend'] },
  ),
  fc.record({ backend: fc.constant('json'), store: word.map((w) => `${w}.json`), mode }),
);
const fsMount = fc.record(
  { backend: fc.constant('local'), path: fc.constant('.'), mode, glob: fc.constant('**/*') },
  { requiredKeys: ['backend', 'path'] },
);
const limits = fc.record(
  {
    timeout: fc.integer({ min: 1, max: 60_000 }),
    steps: fc.integer({ min: 1, max: 1e7 }),
    depth: fc.integer({ min: 1, max: 1000 }),
  },
  { requiredKeys: [] },
);
const validConfig = fc.record(
  {
    kv: fc.dictionary(word, kvMount, { maxKeys: 3 }),
    fs: fc.dictionary(word, fsMount, { maxKeys: 2 }),
    limits,
  },
  { requiredKeys: [] },
);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every object in the tree that has a key, with its path (pre-order). */
function objectsWithKeys(value: Json, path: readonly string[] = []): (readonly string[])[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => objectsWithKeys(v, [...path, `[${i}]`]));
  if (typeof value !== 'object' || value === null) return [];
  const own = Object.keys(value).length > 0 ? [path] : [];
  return [...own, ...Object.entries(value).flatMap(([k, v]) => objectsWithKeys(v, [...path, k]))];
}

/**
 * JSON text of `value` in which the object at `target` repeats its key number `keyIndex`
 * (mod its key count) at position `at` among its entries, with `copy` as the repeat's value.
 * Returns the text and the duplicated field's dotted path.
 */
function withDuplicate(
  value: Json,
  target: readonly string[],
  keyIndex: number,
  at: number,
  copy: Json,
): { text: string; field: string } {
  let field = '';
  const write = (v: Json, path: readonly string[]): string => {
    if (Array.isArray(v)) return `[${v.map((x, i) => write(x, [...path, `[${i}]`])).join(',')}]`;
    if (typeof v !== 'object' || v === null) return JSON.stringify(v);
    const entries = Object.entries(v).map(([k, x]) => ({ k, x, path: [...path, k] }));
    if (path.join('\0') === target.join('\0')) {
      const repeated = entries[keyIndex % entries.length];
      if (repeated === undefined) throw new Error('the target object has no keys');
      field = repeated.path.join('.').replaceAll('.[', '[');
      // The repeat comes after the original, so the first occurrence is always the original.
      const index = entries.indexOf(repeated);
      const position = index + 1 + (at % (entries.length - index));
      entries.splice(position, 0, { ...repeated, x: copy });
    }
    return `{${entries.map((e) => `${JSON.stringify(e.k)}:${write(e.x, e.path)}`).join(',\n')}}`;
  };
  return { text: write(value, []), field };
}

describe('properties', () => {
  it('random valid configs load', async () => {
    await fc.assert(
      fc.asyncProperty(validConfig, async (config) => {
        const file = writeConfig(dir, nextName(), config);
        const loaded = await loadConfig(file, { cwd: dir, env: {} });
        expect(loaded.kv.map((m) => m.name)).toEqual(Object.keys(config.kv ?? {}));
      }),
      { numRuns: 100 },
    );
  });

  it('a key repeated in any object of a valid config: exit 2 naming its path', async () => {
    const withTarget = validConfig
      .map((config) => ({ config: config as Json, objects: objectsWithKeys(config as Json) }))
      .filter(({ objects }) => objects.length > 0)
      .chain(({ config, objects }) =>
        fc.record({
          config: fc.constant(config),
          target: fc.constantFrom(...objects),
          keyIndex: fc.nat(),
          at: fc.nat(),
          isSameValue: fc.boolean(),
        }),
      );
    await fc.assert(
      fc.asyncProperty(withTarget, async ({ config, target, keyIndex, at, isSameValue }) => {
        // A repeat with the same value is as wrong as one that changes it.
        const copy = isSameValue ? null : { backend: 'memory' };
        const { text, field } = withDuplicate(config, target, keyIndex, at, copy);
        const file = writeFile(dir, nextName(), text);
        const out = await cli(['eval', 'log("ran")', '--config', file], { cwd: dir });
        expect(out.code).toBe(ExitCode.Usage);
        expect(out.stdout).toBe('');
        expect(out.stderr).toMatch(
          new RegExp(
            `^rill: ${file}: ${escape(field)}: is defined twice \\(at \\d+:\\d+ and \\d+:\\d+\\); `,
          ),
        );
        expect(out.stderr).not.toMatch(STACK_TRACE);
      }),
      { numRuns: 100 },
    );
  });

  it('nesting is accepted up to the limit and refused past it, at the path that passed it', async () => {
    // kv.s.schema.v.default is at depth 6 (the top-level object is 1); below it a random mix
    // of arrays and { "a": ... } objects.
    // Mostly depths right around the limit, some anywhere up to 300.
    const depths = fc.oneof(
      {
        arbitrary: fc.integer({ min: MAX_CONFIG_DEPTH - 4, max: MAX_CONFIG_DEPTH + 4 }),
        weight: 3,
      },
      { arbitrary: fc.integer({ min: 6, max: 300 }), weight: 1 },
    );
    const steps = depths.chain((depth) =>
      fc.array(fc.boolean(), { minLength: depth - 6, maxLength: depth - 6 }),
    );
    await fc.assert(
      fc.asyncProperty(steps, async (isArray) => {
        let inner = '1';
        for (const array of [...isArray].reverse()) inner = array ? `[${inner}]` : `{"a":${inner}}`;
        const depth = 6 + isArray.length;
        const text = `{"kv":{"s":{"backend":"memory","schema":{"v":{"type":"list","default":[${inner}]}}}}}`;
        const file = writeFile(dir, nextName(), text);
        const out = await cli(['eval', '1', '--config', file], { cwd: dir });
        expect(out.stderr).not.toMatch(STACK_TRACE);
        if (depth <= MAX_CONFIG_DEPTH) {
          expect([out.code, out.stdout, out.stderr]).toEqual([ExitCode.Ok, '1\n', '']);
          return;
        }
        // default[0] is at depth 7 and each step goes one deeper, so the container at depth
        // MAX + 1 is MAX + 1 - 7 steps below it.
        const path =
          'kv.s.schema.v.default[0]' +
          isArray
            .slice(0, MAX_CONFIG_DEPTH + 1 - 7)
            .map((array) => (array ? '[0]' : '.a'))
            .join('');
        expect(out.code).toBe(ExitCode.Usage);
        expect(out.stderr).toBe(
          `rill: ${file}: ${path}: nests deeper than ${MAX_CONFIG_DEPTH} levels of objects and arrays, the limit of a config file\n`,
        );
      }),
      { numRuns: 150 },
    );
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
