import { describe, expect, it } from 'vitest';
import { createRuntimeContext, execute, parse } from '../../src/index.js';
import { createKvExtension } from '../../src/ext/kv/index.js';
import { failure, run } from './helpers.js';

async function runWithDepth(
  kv: ReturnType<typeof createKvExtension>,
  depth: number,
  source: string,
) {
  const ctx = createRuntimeContext({ functions: kv.functions, limits: { depth } });
  return (await execute(parse(source), ctx)).result;
}

// A script can nest a list as deep as its iteration limit allows; storing one deeper than
// the kv depth limit must name that cause, not a type mismatch or an engine stack overflow.
describe('deep values through a script (memory kv)', () => {
  it('kv::set of a list 5,000 deep fails with LIMIT_VALUE_DEPTH (or the runtime depth limit)', async () => {
    const kv = createKvExtension({ mounts: { m: { store: ':memory:', maxValueSize: 1_000_000 } } });
    const error = await failure(
      run(kv, 'range(0, 5000) -> fold([]) { list[$@] } => $deep\nkv::set("m", "k", $deep)'),
    );
    expect(error.code).toBe('LIMIT_VALUE_DEPTH');
    await kv.dispose();
  });

  it('a list 500 deep is stored and read back', async () => {
    const kv = createKvExtension({ mounts: { m: { store: ':memory:' } } });
    expect(
      await run(
        kv,
        'range(0, 500) -> fold([]) { list[$@] } => $deep\nkv::set("m", "k", $deep)\nkv::get("m", "k") == $deep',
      ),
    ).toBe(true);
    await kv.dispose();
  });

  it('the store caps depth at 1000 even for a run allowed deeper values', async () => {
    const kv = createKvExtension({ mounts: { m: { store: ':memory:' } } });
    const deep = 'range(0, 1500) -> fold([]) { list[$@] } => $deep\n';
    expect(await runWithDepth(kv, 5000, `${deep}$deep -> type`)).toBe('list');
    const error = await failure(runWithDepth(kv, 5000, `${deep}kv::set("m", "k", $deep)`));
    expect(error.code).toBe('LIMIT_VALUE_DEPTH');
    expect(await runWithDepth(kv, 5000, 'kv::get_or("m", "k", "none")')).toBe('none');
    await kv.dispose();
  });

  it('a run with a lower depth limit cannot read a deeper stored value', async () => {
    const kv = createKvExtension({ mounts: { m: { store: ':memory:' } } });
    await runWithDepth(kv, 1000, 'range(0, 50) -> fold([]) { list[$@] } -> kv::set("m", "k", $)');
    expect(await runWithDepth(kv, 51, 'kv::get("m", "k") -> type')).toBe('list');
    const error = await failure(runWithDepth(kv, 50, 'kv::get("m", "k")'));
    expect(error.code).toBe('LIMIT_VALUE_DEPTH');
    await kv.dispose();
  });
});
