import { describe, expect, it } from 'vitest';
import {
  defineFsExtension,
  depthOf,
  type ExtensionResult,
  type HostCallContext,
  RillError,
  type RillValue,
} from '../src/index.js';
import { MemoryFsBackend } from './fs-test-backend.js';
import { harness } from './kv-test-backend.js';

function context(memoryLeft?: number): HostCallContext {
  return {
    name: 'test',
    signal: new AbortController().signal,
    span: undefined,
    ...(memoryLeft === undefined ? {} : { memoryLeft }),
    invoke: () => Promise.reject(new Error('no closures here')),
  };
}

/** Call a registered function with rill values (no conversion), defaults filled. */
async function callWith(
  ext: ExtensionResult,
  name: string,
  args: RillValue[],
  memoryLeft?: number,
): Promise<RillValue> {
  const fn = ext.functions[name];
  if (fn === undefined) throw new Error(`no function ${name}`);
  const filled = fn.params.map((p, i) => args[i] ?? p.default) as RillValue[];
  return fn.fn(filled, context(memoryLeft));
}

async function failure(run: Promise<unknown>): Promise<RillError> {
  try {
    await run;
  } catch (error) {
    if (RillError.is(error)) return error;
    throw new Error(`raw error escaped: ${String(error)}`, { cause: error });
  }
  throw new Error('expected an error');
}

function listChain(n: number): RillValue {
  let v: RillValue = 1;
  for (let i = 0; i < n; i++) v = Object.freeze([v]);
  return v;
}

describe('kv writes name the real cause', () => {
  it.each([1_001, 10_000, 100_000])(
    'set/add/setMany/cas of a list %i deep: LIMIT_VALUE_DEPTH',
    async (n) => {
      const h = harness({ m: { maxValueSize: 10_000_000 } });
      const deep = listChain(n);
      for (const [name, args] of [
        ['kv::set', ['m', 'k', deep]],
        ['kv::add', ['m', 'k', deep]],
        ['kv::setMany', ['m', new Map([['k', deep]])]],
        ['kv::cas', ['m', 'k', '', deep]],
      ] as const) {
        const error = await failure(callWith(h.ext, name, [...args]));
        expect(error.code, name).toBe('LIMIT_VALUE_DEPTH');
        expect(error.details['mount']).toBe('m');
        expect(error.details['limit']).toBe(1_000);
      }
    },
  );

  it('a list exactly at the limit is stored and read back', async () => {
    const h = harness({ m: { maxValueSize: 10_000_000 } });
    await callWith(h.ext, 'kv::set', ['m', 'k', listChain(1_000)]);
    expect(depthOf(await callWith(h.ext, 'kv::get', ['m', 'k']))).toBe(1_000);
  });

  it('a deep value that is also too large for maxValueSize is refused either way, never as a type mismatch', async () => {
    const h = harness({ m: { maxValueSize: 100 } });
    const error = await failure(callWith(h.ext, 'kv::set', ['m', 'k', listChain(5_000)]));
    expect(['KV_VALUE_TOO_LARGE', 'LIMIT_VALUE_DEPTH']).toContain(error.code);
  });

  it('a 256 MB string is refused with KV_VALUE_TOO_LARGE before it is serialised', async () => {
    const h = harness({ m: {} });
    const huge = 'x'.repeat(256 * 1024 * 1024);
    const error = await failure(callWith(h.ext, 'kv::set', ['m', 'k', huge]));
    expect(error.code).toBe('KV_VALUE_TOO_LARGE');
    // Refused from the lower bound, before any JSON was made: no exact size is known.
    expect(error.details.atLeast).toBeGreaterThan(error.details.maxValueSize as number);
    expect(error.details.size).toBeUndefined();
    const inDict = await failure(
      callWith(h.ext, 'kv::setMany', [
        'm',
        new Map<string, RillValue>([
          ['a', 1],
          ['k', Object.freeze([huge])],
        ]),
      ]),
    );
    expect(inDict.code).toBe('KV_VALUE_TOO_LARGE');
  });

  it('values near maxValueSize are still decided by the exact byte count', async () => {
    const h = harness({ m: { maxValueSize: 12 } });
    expect(await h.call('set', 'm', 'k', ['é'.repeat(4)])).toBe(true); // ["éééé"] = 12 bytes
    expect(await h.code('set', 'm', 'k', ['é'.repeat(4) + 'x'])).toBe('KV_VALUE_TOO_LARGE');
    expect(await h.code('set', 'm', 'k', [1, 2, 3, 4, 5, 6])).toBe('KV_VALUE_TOO_LARGE');
    expect(await h.call('set', 'm', 'k', [1, 2, 3, 4, 5])).toBe(true); // [1,2,3,4,5] = 11
  });
});

describe('kv reads within the run memory budget', () => {
  it('get, get_or, getAll and getMany refuse a stored value larger than memoryLeft', async () => {
    const h = harness({ m: {} });
    await h.call('set', 'm', 'big', 'x'.repeat(1_000));
    await h.call('set', 'm', 'small', 'y');
    for (const [name, args] of [
      ['kv::get', ['m', 'big']],
      ['kv::get_or', ['m', 'big', '']],
      ['kv::getAll', ['m', '']],
      ['kv::getMany', ['m', Object.freeze(['small', 'big'])]],
    ] as const) {
      const error = await failure(callWith(h.ext, name, [...args], 500));
      expect(error.code, name).toBe('LIMIT_MEMORY');
      expect(error.details['mount']).toBe('m');
    }
    expect(await callWith(h.ext, 'kv::get', ['m', 'big'], 2_000)).toBe('x'.repeat(1_000));
    expect(await callWith(h.ext, 'kv::get', ['m', 'small'], 500)).toBe('y');
    // Several values share the budget.
    const both = await failure(
      callWith(h.ext, 'kv::getMany', ['m', Object.freeze(['big', 'small'])], 1_003),
    );
    expect(both.code).toBe('LIMIT_MEMORY');
  });

  it('results record their depth', async () => {
    const h = harness({ m: {} });
    await h.call('set', 'm', 'a', [[1]]);
    await h.call('set', 'm', 'b', 2);
    expect(depthOf(await h.call('getAll', 'm'))).toBe(3);
    expect(depthOf(await h.call('getMany', 'm', ['b']))).toBe(1);
    expect(depthOf(await h.call('mounts'))).toBe(2);
  });
});

describe('fs::read within the run memory budget', () => {
  function setup(maxFileSize = 1_000) {
    const backend = new MemoryFsBackend();
    const ext = defineFsExtension({
      backend: 'memory-test',
      mounts: { m: { maxFileSize } },
      createBackend: () => backend,
    });
    return { ext, backend };
  }

  it('a file larger than memoryLeft is refused with LIMIT_MEMORY before it is loaded', async () => {
    const { ext, backend } = setup();
    await callWith(ext, 'fs::write', ['m', 'a.txt', 'x'.repeat(600)]);
    const error = await failure(callWith(ext, 'fs::read', ['m', 'a.txt'], 500));
    expect(error.code).toBe('LIMIT_MEMORY');
    expect(error.details).toMatchObject({ mount: 'm', path: 'a.txt', size: 600, memoryLeft: 500 });
    expect(backend.calls.filter((c) => c.startsWith('read'))).toEqual(['read a.txt']);
    expect(await callWith(ext, 'fs::read', ['m', 'a.txt'], 600)).toBe('x'.repeat(600));
    expect(await callWith(ext, 'fs::read', ['m', 'a.txt'])).toBe('x'.repeat(600));
  });

  it('a file over maxFileSize still reports FS_FILE_TOO_LARGE', async () => {
    const { ext, backend } = setup(100);
    backend.files.set('big.txt', new Uint8Array(200));
    expect((await failure(callWith(ext, 'fs::read', ['m', 'big.txt'], 50))).code).toBe(
      'FS_FILE_TOO_LARGE',
    );
    expect((await failure(callWith(ext, 'fs::read', ['m', 'big.txt'], 500))).code).toBe(
      'FS_FILE_TOO_LARGE',
    );
  });

  it('list results record their depth', async () => {
    const { ext } = setup();
    await callWith(ext, 'fs::write', ['m', 'a.txt', 'x']);
    expect(depthOf(await callWith(ext, 'fs::list', ['m']))).toBe(2);
    expect(depthOf(await callWith(ext, 'fs::mounts', []))).toBe(2);
  });
});
