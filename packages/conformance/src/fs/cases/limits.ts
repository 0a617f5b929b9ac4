import type { FsCaseRegistrar } from '../fs-case-registrar.js';

const MIB = 1024 * 1024;

/** §4 maxFileSize at the limit and one byte past it, for writes, appends, reads and copies. */
export function fsLimitsCases(reg: FsCaseRegistrar): void {
  reg.test('maxFileSize: a write of exactly the limit works, one byte more fails', async (t) => {
    const fs = await t.open({ m: { maxFileSize: 10 } });
    await fs.expectCall(10, 'write', 'm', 'ascii.txt', 'x'.repeat(10));
    await fs.expectCall(10, 'write', 'm', 'utf8.txt', 'é'.repeat(5));
    await fs.expectCall(10, 'write', 'm', 'astral.txt', 'ab' + '😀'.repeat(2));
    const before = await fs.snapshot('m');
    await fs.fails('FS_FILE_TOO_LARGE', 'write', 'm', 'ascii.txt', 'y'.repeat(11));
    await fs.fails('FS_FILE_TOO_LARGE', 'write', 'm', 'utf8.txt', 'é'.repeat(5) + 'a');
    await fs.fails('FS_FILE_TOO_LARGE', 'write', 'm', 'new.txt', 'abc' + '😀'.repeat(2));
    t.expect(await fs.snapshot('m')).toBe(before);
  });

  reg.test('maxFileSize: append is checked on the resulting size', async (t) => {
    const fs = await t.open({ m: { maxFileSize: 10 } });
    await fs.call('write', 'm', 'log.txt', 'x'.repeat(8));
    await fs.fails('FS_FILE_TOO_LARGE', 'append', 'm', 'log.txt', 'abc');
    await fs.fails('FS_FILE_TOO_LARGE', 'append', 'm', 'log.txt', 'éa');
    await fs.expectCall('x'.repeat(8), 'read', 'm', 'log.txt');
    await fs.expectCall(2, 'append', 'm', 'log.txt', 'é');
    await fs.expectCall('x'.repeat(8) + 'é', 'read', 'm', 'log.txt');
    await fs.fails('FS_FILE_TOO_LARGE', 'append', 'm', 'log.txt', 'z');
    await fs.fails('FS_FILE_TOO_LARGE', 'append', 'm', 'fresh.txt', 'z'.repeat(11));
    await fs.expectCall(false, 'exists', 'm', 'fresh.txt');
  });

  reg.test('maxFileSize: reading or copying a larger file fails', async (t) => {
    const big = await t.open({ m: {} });
    await big.call('write', 'm', 'eleven.txt', 'x'.repeat(11));
    await big.call('write', 'm', 'ten.txt', 'x'.repeat(10));
    const fs = await t.open({ m: { maxFileSize: 10 } });
    await fs.expectCall('x'.repeat(10), 'read', 'm', 'ten.txt');
    await fs.fails('FS_FILE_TOO_LARGE', 'read', 'm', 'eleven.txt');
    await fs.fails('FS_FILE_TOO_LARGE', 'copy', 'm', 'eleven.txt', 'copy.txt');
    await fs.expectCall(false, 'exists', 'm', 'copy.txt');
    await fs.expectCall(true, 'copy', 'm', 'ten.txt', 'copy.txt');
  });

  reg.test('maxFileSize defaults to 10 MiB', async (t) => {
    const fs = await t.open({ m: {} }, 'direct');
    await fs.expectCall(10 * MIB, 'write', 'm', 'big.txt', 'x'.repeat(10 * MIB));
    await fs.fails('FS_FILE_TOO_LARGE', 'write', 'm', 'big.txt', 'y'.repeat(10 * MIB + 1));
    await fs.fails('FS_FILE_TOO_LARGE', 'append', 'm', 'big.txt', 'y');
    const content = (await fs.call('read', 'm', 'big.txt')) as string;
    t.expect(content.length).toBe(10 * MIB);
    t.expect(content.startsWith('x')).toBe(true);
  });
}
