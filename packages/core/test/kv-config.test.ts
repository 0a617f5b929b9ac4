import { describe, expect, it } from 'vitest';
import { type KvMountOptions, RillError, defineKvExtension } from '../src/index.js';
import { TestKvBackend, harness } from './kv-test-backend.js';

function configError(mounts: unknown, extra: Record<string, unknown> = {}): RillError {
  try {
    defineKvExtension({
      mounts: mounts as Record<string, KvMountOptions>,
      backendOptions: ['extra'],
      createBackend: (_m, _o, c) => new TestKvBackend(c),
      ...extra,
    });
  } catch (e) {
    if (RillError.is(e)) return e;
    throw e;
  }
  throw new Error('expected KV_INVALID_CONFIG');
}

describe('kv mount config validation', () => {
  const cases: [string, unknown, string][] = [
    ['mounts not an object', [], 'mounts'],
    ['mount options not an object', { a: 'x' }, 'mounts.a'],
    ['bad mount name', { 'a b': {} }, 'mounts.a b'],
    ['empty mount name', { '': {} }, 'mounts.'],
    ['unknown option', { a: { colour: 'red' } }, 'mounts.a.colour'],
    ['bad mode', { a: { mode: 'rw' } }, 'mounts.a.mode'],
    ['maxEntries zero', { a: { maxEntries: 0 } }, 'mounts.a.maxEntries'],
    ['maxEntries fraction', { a: { maxEntries: 1.5 } }, 'mounts.a.maxEntries'],
    ['maxEntries string', { a: { maxEntries: '10' } }, 'mounts.a.maxEntries'],
    ['maxValueSize negative', { a: { maxValueSize: -1 } }, 'mounts.a.maxValueSize'],
    ['maxStoreSize infinite', { a: { maxStoreSize: Infinity } }, 'mounts.a.maxStoreSize'],
    ['ttl zero', { a: { ttl: 0 } }, 'mounts.a.ttl'],
    ['ttl negative', { a: { ttl: -5 } }, 'mounts.a.ttl'],
    ['ttl NaN', { a: { ttl: NaN } }, 'mounts.a.ttl'],
    ['ttl string', { a: { ttl: '60' } }, 'mounts.a.ttl'],
    ['bad writePolicy', { a: { writePolicy: 'later' } }, 'mounts.a.writePolicy'],
    ['writePolicy the backend lacks', { a: { writePolicy: 'dispose' } }, 'mounts.a.writePolicy'],
    ['schema not an object', { a: { schema: [] } }, 'mounts.a.schema'],
    ['schema entry not an object', { a: { schema: { x: 'string' } } }, 'mounts.a.schema.x'],
    ['schema bad type', { a: { schema: { x: { type: 'closure' } } } }, 'mounts.a.schema.x.type'],
    ['schema missing type', { a: { schema: { x: {} } } }, 'mounts.a.schema.x.type'],
    [
      'schema default of another type',
      { a: { schema: { x: { type: 'number', default: '1' } } } },
      'mounts.a.schema.x.default',
    ],
    [
      'schema default null',
      { a: { schema: { x: { type: 'string', default: null } } } },
      'mounts.a.schema.x.default',
    ],
    [
      'schema default non-finite',
      { a: { schema: { x: { type: 'list', default: [Infinity] } } } },
      'mounts.a.schema.x.default',
    ],
    [
      'schema unknown entry option',
      { a: { schema: { x: { type: 'string', required: true } } } },
      'mounts.a.schema.x.required',
    ],
    [
      'schema description not a string',
      { a: { schema: { x: { type: 'string', description: 1 } } } },
      'mounts.a.schema.x.description',
    ],
    [
      'schema key too long',
      { a: { schema: { ['k'.repeat(1025)]: { type: 'string' } } } },
      `mounts.a.schema.${'k'.repeat(1025)}`,
    ],
    [
      'schema key with a lone surrogate',
      { a: { schema: { 'k\ud800': { type: 'string' } } } },
      'mounts.a.schema.k\ud800',
    ],
  ];
  it.each(cases)('%s -> KV_INVALID_CONFIG naming the field', (_label, mounts, field) => {
    const error = configError(mounts);
    expect(error.code).toBe('KV_INVALID_CONFIG');
    expect(error.details['field']).toBe(field);
    expect(error.message).toContain(field);
  });

  it('rejects a bad namespace and a non-function clock', () => {
    expect(configError({}, { namespace: 'a b' }).details['field']).toBe('namespace');
    expect(configError({}, { namespace: '' }).details['field']).toBe('namespace');
    expect(configError({}, { now: 5 }).details['field']).toBe('now');
  });

  it('accepts every common option and the declared backend options', () => {
    const h = harness({
      a: {
        mode: 'read',
        maxEntries: 5,
        maxValueSize: 10,
        maxStoreSize: 100,
        ttl: 0.5,
        writePolicy: 'immediate',
        schema: { x: { type: 'dict', default: { b: 1 }, description: 'x' } },
        extra: 'passed through',
      },
    });
    expect(Object.keys(h.ext.functions).sort()).toEqual(
      [
        'add',
        'cas',
        'clear',
        'delete',
        'get',
        'getAll',
        'getMany',
        'get_or',
        'has',
        'incr',
        'keys',
        'merge',
        'mounts',
        'schema',
        'set',
        'setMany',
      ].map((n) => `kv::${n}`),
    );
  });

  it('closes the backends already built when a later mount is invalid', () => {
    const built: TestKvBackend[] = [];
    expect(() =>
      defineKvExtension({
        mounts: { a: {}, b: { ttl: -1 } },
        createBackend: (_m, _o, c) => {
          const b = new TestKvBackend(c);
          built.push(b);
          return b;
        },
      }),
    ).toThrow(/mounts\.b\.ttl/);
    expect(built).toHaveLength(1);
    expect(built[0]?.closed).toBe(1);
  });

  it('wraps a non-coded createBackend failure as KV_INVALID_CONFIG for that mount', () => {
    const error = configError(
      { a: {} },
      {
        createBackend: () => {
          throw new Error('boom');
        },
      },
    );
    expect(error.details['field']).toBe('mounts.a');
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('uses the namespace for every function name', async () => {
    const h = harness({ a: {} }, { namespace: 'cache' });
    expect(Object.keys(h.ext.functions).every((n) => n.startsWith('cache::'))).toBe(true);
    await h.call('set', 'a', 'k', 1);
    expect(await h.call('get', 'a', 'k')).toBe(1);
  });
});

describe('mounts() and schema()', () => {
  it('describes every mount without backend options', async () => {
    const h = harness({
      open: { extra: 'postgres://user:secret@host/db' },
      declared: { mode: 'read', ttl: 2, maxEntries: 3, schema: { a: { type: 'number' } } },
    });
    const mounts = await h.call('mounts');
    expect(
      JSON.stringify([...(mounts as Map<string, unknown>[])].map((m) => Object.fromEntries(m))),
    ).not.toContain('secret');
    expect((mounts as Map<string, unknown>[]).map((m) => Object.fromEntries(m))).toEqual([
      {
        name: 'open',
        mode: 'read-write',
        backend: 'test',
        writePolicy: 'immediate',
        ttl: 0,
        maxEntries: 10000,
        maxValueSize: 102400,
        maxStoreSize: 10485760,
        declared: false,
      },
      {
        name: 'declared',
        mode: 'read',
        backend: 'test',
        writePolicy: 'immediate',
        ttl: 2,
        maxEntries: 3,
        maxValueSize: 102400,
        maxStoreSize: 10485760,
        declared: true,
      },
    ]);
  });

  it('lists declared keys in declaration order with defaults; [] in open mode', async () => {
    const h = harness({
      open: {},
      d: {
        mode: 'write',
        schema: {
          name: { type: 'string', default: 'anon', description: 'who' },
          tags: { type: 'list' },
          meta: { type: 'dict' },
        },
      },
    });
    expect(await h.call('schema', 'open')).toEqual([]);
    const schema = (await h.call('schema', 'd')) as Map<string, unknown>[];
    expect(schema.map((m) => [...m.keys()])).toEqual([
      ['key', 'type', 'default', 'description'],
      ['key', 'type', 'default', 'description'],
      ['key', 'type', 'default', 'description'],
    ]);
    expect(schema.map((m) => [m.get('key'), m.get('type'), m.get('description')])).toEqual([
      ['name', 'string', 'who'],
      ['tags', 'list', ''],
      ['meta', 'dict', ''],
    ]);
    expect(schema[0]?.get('default')).toBe('anon');
    expect(schema[1]?.get('default')).toEqual([]);
    expect(schema[2]?.get('default')).toEqual(new Map());
  });
});
