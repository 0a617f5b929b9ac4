import { describe, expect, it } from 'vitest';
import { createKvExtension } from '../../src/ext/kv/index.js';
import { failure, run } from './helpers.js';

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
});
