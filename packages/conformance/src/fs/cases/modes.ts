import type { RillValue } from '@rillkit/core';
import type { FsCaseRegistrar } from '../fs-case-registrar.js';

/** §4 modes: `read` blocks every write, `write` blocks every read. */
export function fsModesCases(reg: FsCaseRegistrar): void {
  reg.test(
    'a read-only mount serves reads and refuses every write with FS_READ_ONLY',
    async (t) => {
      const seed = await t.open({ m: {} });
      await seed.call('write', 'm', 'dir/f.txt', 'content');
      await seed.call('mkdir', 'm', 'empty');
      const fs = await t.open({ m: { mode: 'read' } });
      await fs.expectCall('content', 'read', 'm', 'dir/f.txt');
      await fs.expectCall(true, 'exists', 'm', 'dir/f.txt');
      await fs.expectCall(['dir/f.txt'], 'find', 'm');
      const listed = (await fs.call('list', 'm')) as readonly ReadonlyMap<string, RillValue>[];
      t.expect(listed.map((e) => e.get('name'))).toEqual(['dir', 'empty']);
      const stat = (await fs.call('stat', 'm', 'dir/f.txt')) as ReadonlyMap<string, RillValue>;
      t.expect(stat.get('size')).toBe(7);
      const before = await seed.snapshot('m');
      await fs.fails('FS_READ_ONLY', 'write', 'm', 'dir/f.txt', 'x');
      await fs.fails('FS_READ_ONLY', 'write', 'm', 'new.txt', 'x');
      await fs.fails('FS_READ_ONLY', 'append', 'm', 'dir/f.txt', 'x');
      await fs.fails('FS_READ_ONLY', 'remove', 'm', 'dir/f.txt');
      await fs.fails('FS_READ_ONLY', 'remove', 'm', 'empty');
      await fs.fails('FS_READ_ONLY', 'remove', 'm', 'absent.txt');
      await fs.fails('FS_READ_ONLY', 'mkdir', 'm', 'new-dir');
      await fs.fails('FS_READ_ONLY', 'copy', 'm', 'dir/f.txt', 'copy.txt');
      await fs.fails('FS_READ_ONLY', 'move', 'm', 'dir/f.txt', 'moved.txt');
      t.expect(await seed.snapshot('m')).toBe(before);
    },
  );

  reg.test(
    'a write-only mount accepts writes and refuses every read with FS_WRITE_ONLY',
    async (t) => {
      const fs = await t.open({ m: { mode: 'write' } });
      await fs.expectCall(5, 'write', 'm', 'dir/f.txt', 'hello');
      await fs.expectCall(1, 'append', 'm', 'dir/f.txt', '!');
      await fs.expectCall(true, 'mkdir', 'm', 'empty');
      await fs.expectCall(true, 'copy', 'm', 'dir/f.txt', 'copy.txt');
      await fs.expectCall(true, 'move', 'm', 'copy.txt', 'moved.txt');
      await fs.expectCall(true, 'remove', 'm', 'empty');
      for (const [fn, ...args] of [
        ['read', 'm', 'dir/f.txt'],
        ['list', 'm', ''],
        ['list', 'm', 'dir'],
        ['find', 'm', '**/*'],
        ['exists', 'm', 'dir/f.txt'],
        ['exists', 'm', 'absent.txt'],
        ['stat', 'm', 'dir/f.txt'],
      ] as const) {
        await fs.fails('FS_WRITE_ONLY', fn, ...args);
      }
      const reader = await t.open({ m: { mode: 'read' } });
      await reader.expectCall('hello!', 'read', 'm', 'dir/f.txt');
      await reader.expectCall(['dir/f.txt', 'moved.txt'], 'find', 'm');
    },
  );
}
