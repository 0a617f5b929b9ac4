import { describe, expect, it } from 'vitest';
import {
  defineFsExtension,
  fsConfigError,
  RillError,
  toHostValue,
  type ExtensionResult,
  type FsBackend,
  type FsMountOptions,
  type HostCallContext,
  type RillValue,
} from '../src/index.js';
import { MemoryFsBackend } from './fs-test-backend.js';

type Mounts = Record<string, FsMountOptions & { tag?: string }>;

function setup(mounts: Mounts, extra: { namespace?: string } = {}) {
  const backends = new Map<string, MemoryFsBackend>();
  const ext = defineFsExtension({
    backend: 'memory-test',
    namespace: extra.namespace,
    mounts,
    backendMountOptions: ['tag'],
    createBackend: (name) => {
      const backend = new MemoryFsBackend();
      backends.set(name, backend);
      return backend;
    },
  });
  return { ext, backends, backend: (name: string) => backends.get(name) as MemoryFsBackend };
}

const ctx: HostCallContext = {
  name: 'test',
  signal: new AbortController().signal,
  span: undefined,
  invoke: async () => '',
};

/** Call a registered function the way the runtime does: positional args, defaults filled. */
async function call(ext: ExtensionResult, name: string, ...args: RillValue[]): Promise<unknown> {
  const fn = ext.functions[name];
  if (fn === undefined) throw new Error(`no function ${name}`);
  const full = fn.params.map((p, i) => args[i] ?? p.default ?? '');
  return toHostValue(await fn.fn(full, ctx));
}

async function codeOf(run: () => unknown): Promise<string> {
  try {
    await run();
  } catch (error) {
    if (RillError.is(error)) return error.code;
    throw error;
  }
  throw new Error('expected an error');
}

async function errorOf(run: () => unknown): Promise<RillError> {
  try {
    await run();
  } catch (error) {
    if (RillError.is(error)) return error;
    throw error;
  }
  throw new Error('expected an error');
}

describe('defineFsExtension: registration', () => {
  it('registers every STORAGE.md §4 function under fs::', () => {
    const { ext } = setup({ data: {} });
    expect(Object.keys(ext.functions).sort()).toEqual(
      [
        'append',
        'copy',
        'exists',
        'find',
        'list',
        'mkdir',
        'mounts',
        'move',
        'read',
        'remove',
        'stat',
        'write',
      ].map((n) => `fs::${n}`),
    );
  });

  it('declares mount first and the documented defaults', () => {
    const { ext } = setup({ data: {} });
    const f = ext.functions;
    expect(f['fs::list']?.params.map((p) => [p.name, p.default])).toEqual([
      ['mount', undefined],
      ['path', ''],
    ]);
    expect(f['fs::find']?.params.map((p) => [p.name, p.default])).toEqual([
      ['mount', undefined],
      ['pattern', '**/*'],
    ]);
    expect(f['fs::copy']?.params.map((p) => p.name)).toEqual(['mount', 'from', 'to']);
    expect(f['fs::write']?.params.map((p) => p.type)).toEqual(['string', 'string', 'string']);
    expect(f['fs::mounts']?.params).toEqual([]);
  });

  it('honours namespace', () => {
    const { ext } = setup({ data: {} }, { namespace: 'files' });
    expect(Object.keys(ext.functions)).toContain('files::read');
    expect(Object.keys(ext.functions)).not.toContain('fs::read');
  });
});

describe('defineFsExtension: config validation', () => {
  const cases: [string, () => unknown, string][] = [
    [
      'mounts missing',
      () =>
        defineFsExtension({
          backend: 'x',
          mounts: undefined as never,
          createBackend: () => new MemoryFsBackend(),
        }),
      'mounts',
    ],
    ['mounts empty', () => setup({}), 'mounts'],
    ['mounts not an object', () => setup([] as never), 'mounts'],
    ['mount not an object', () => setup({ data: 'x' as never }), 'mounts.data'],
    ['unknown mount option', () => setup({ data: { nope: 1 } as never }), 'mounts.data.nope'],
    ['bad mode', () => setup({ data: { mode: 'rw' as never } }), 'mounts.data.mode'],
    ['empty glob', () => setup({ data: { glob: '' } }), 'mounts.data.glob'],
    ['glob not a string', () => setup({ data: { glob: 3 as never } }), 'mounts.data.glob'],
    ['zero maxFileSize', () => setup({ data: { maxFileSize: 0 } }), 'mounts.data.maxFileSize'],
    ['negative maxFileSize', () => setup({ data: { maxFileSize: -1 } }), 'mounts.data.maxFileSize'],
    [
      'fractional maxFileSize',
      () => setup({ data: { maxFileSize: 1.5 } }),
      'mounts.data.maxFileSize',
    ],
    [
      'string maxFileSize',
      () => setup({ data: { maxFileSize: '10' as never } }),
      'mounts.data.maxFileSize',
    ],
    ['bad namespace', () => setup({ data: {} }, { namespace: 'a b' }), 'namespace'],
    ['empty namespace', () => setup({ data: {} }, { namespace: '' }), 'namespace'],
  ];

  it.each(cases)('%s -> FS_INVALID_CONFIG', async (_label, run, field) => {
    const error = await errorOf(run);
    expect(error.code).toBe('FS_INVALID_CONFIG');
    expect(error.details['field']).toBe(field);
    expect(error.message).toContain(field);
  });

  it('validates every mount before opening any backend', async () => {
    let opened = 0;
    const error = await errorOf(() =>
      defineFsExtension({
        backend: 'x',
        mounts: { a: {}, b: { mode: 'bad' as never } },
        createBackend: () => {
          opened += 1;
          return new MemoryFsBackend();
        },
      }),
    );
    expect(error.code).toBe('FS_INVALID_CONFIG');
    expect(opened).toBe(0);
  });

  it('closes already-opened backends when a later backend refuses its options', async () => {
    const first = new MemoryFsBackend();
    const error = await errorOf(() =>
      defineFsExtension({
        backend: 'x',
        mounts: { a: {}, b: {} },
        createBackend: (name) => {
          if (name === 'b') throw fsConfigError('mounts.b.path', 'is required');
          return first;
        },
      }),
    );
    expect(error.details['field']).toBe('mounts.b.path');
    await new Promise((r) => setTimeout(r, 0));
    expect(first.closed).toBe(1);
  });

  it('accepts backend options and passes the validated config', () => {
    const seen: unknown[] = [];
    defineFsExtension({
      backend: 'x',
      mounts: { a: { tag: 'hello', glob: '*.md' } as FsMountOptions & { tag: string } },
      backendMountOptions: ['tag'],
      createBackend: (name, options, config) => {
        seen.push(name, options.tag, config);
        return new MemoryFsBackend();
      },
    });
    expect(seen).toEqual([
      'a',
      'hello',
      { name: 'a', mode: 'read-write', glob: '*.md', maxFileSize: 10 * 1024 * 1024 },
    ]);
  });
});

describe('defineFsExtension: calls', () => {
  it('FS_UNKNOWN_MOUNT names the mount, including prototype-ish names', async () => {
    const { ext } = setup({ data: {} });
    for (const name of ['nope', '__proto__', 'toString', '']) {
      const error = await errorOf(() => call(ext, 'fs::read', name, 'a.txt'));
      expect(error.code).toBe('FS_UNKNOWN_MOUNT');
      expect(error.details['mount']).toBe(name);
    }
  });

  it('mounts() lists name, mode, glob, maxFileSize, backend — and no backend options', async () => {
    const { ext } = setup({
      data: { tag: 'secret-token' },
      docs: { mode: 'read', glob: '*.md', maxFileSize: 100 },
    });
    const mounts = await call(ext, 'fs::mounts');
    expect(mounts).toEqual([
      {
        name: 'data',
        mode: 'read-write',
        glob: '',
        maxFileSize: 10 * 1024 * 1024,
        backend: 'memory-test',
      },
      { name: 'docs', mode: 'read', glob: '*.md', maxFileSize: 100, backend: 'memory-test' },
    ]);
    expect(JSON.stringify(mounts)).not.toContain('secret-token');
  });

  it('returns rill values of the declared types', async () => {
    const { ext } = setup({ data: {} });
    expect(await call(ext, 'fs::write', 'data', 'a/b.txt', 'héllo')).toBe(6);
    expect(await call(ext, 'fs::append', 'data', 'a/b.txt', '!')).toBe(1);
    expect(await call(ext, 'fs::read', 'data', '/a/b.txt')).toBe('héllo!');
    expect(await call(ext, 'fs::exists', 'data', 'a')).toBe(true);
    expect(await call(ext, 'fs::list', 'data')).toEqual([
      { name: 'a', type: 'directory', size: 0 },
    ]);
    expect(await call(ext, 'fs::find', 'data')).toEqual(['a/b.txt']);
    expect(await call(ext, 'fs::stat', 'data', 'a/b.txt')).toEqual({
      name: 'b.txt',
      type: 'file',
      size: 7,
      modified: '2024-05-01T12:00:00.000Z',
      created: '',
    });
    expect(await call(ext, 'fs::mkdir', 'data', 'c')).toBe(true);
    expect(await call(ext, 'fs::copy', 'data', 'a/b.txt', 'c/d.txt')).toBe(true);
    expect(await call(ext, 'fs::move', 'data', 'c/d.txt', 'c/e.txt')).toBe(true);
    expect(await call(ext, 'fs::remove', 'data', 'c/e.txt')).toBe(true);
    const list = await ext.functions['fs::list']?.fn(['data', ''], ctx);
    expect(Object.isFrozen(list)).toBe(true);
    expect((list as readonly RillValue[])[0]).toBeInstanceOf(Map);
  });
});

describe('defineFsExtension: dispose', () => {
  it('closes every backend once, is idempotent, and blocks later calls', async () => {
    const { ext, backend } = setup({ a: {}, b: {} });
    const first = ext.dispose();
    expect(ext.dispose()).toBe(first);
    await first;
    await ext.dispose();
    expect(backend('a').closed).toBe(1);
    expect(backend('b').closed).toBe(1);
    expect(await codeOf(() => call(ext, 'fs::read', 'a', 'x'))).toBe('FS_BACKEND_UNAVAILABLE');
    expect(await codeOf(() => call(ext, 'fs::mounts'))).toBe('FS_BACKEND_UNAVAILABLE');
  });

  it('waits for calls in flight', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const backend = new MemoryFsBackend();
    const slow: FsBackend = Object.assign(Object.create(backend) as MemoryFsBackend, {
      write: async (path: string, data: Uint8Array) => {
        await gate;
        await backend.write(path, data);
      },
    });
    const ext = defineFsExtension({ backend: 'x', mounts: { a: {} }, createBackend: () => slow });
    const writing = call(ext, 'fs::write', 'a', 'x.txt', 'abc');
    let disposed = false;
    const disposing = ext.dispose().then(() => {
      disposed = true;
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(disposed).toBe(false);
    release();
    await expect(writing).resolves.toBe(3);
    await disposing;
    expect((slow as MemoryFsBackend).closed).toBe(1);
  });

  it('rejects when a backend fails to close, after closing the others', async () => {
    const good = new MemoryFsBackend();
    const bad = new MemoryFsBackend();
    bad.close = async () => {
      throw new Error('disk gone');
    };
    const ext = defineFsExtension({
      backend: 'x',
      mounts: { bad: {}, good: {} },
      createBackend: (name) => (name === 'bad' ? bad : good),
    });
    const error = await errorOf(() => ext.dispose());
    expect(error.code).toBe('FS_BACKEND_FAILURE');
    expect(good.closed).toBe(1);
    // Idempotent: the same rejection again, no second close.
    expect(await codeOf(() => ext.dispose())).toBe('FS_BACKEND_FAILURE');
    expect(good.closed).toBe(1);
  });

  it('runs the definition dispose hook after the backends', async () => {
    const order: string[] = [];
    const backend = new MemoryFsBackend();
    backend.close = async () => {
      order.push('backend');
    };
    const ext = defineFsExtension({
      backend: 'x',
      mounts: { a: {} },
      createBackend: () => backend,
      dispose: async () => {
        order.push('shared');
      },
    });
    await ext.dispose();
    expect(order).toEqual(['backend', 'shared']);
  });
});
