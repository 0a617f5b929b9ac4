import { yieldToEventLoop } from '../../harness/sleep.js';
import type { FsCaseRegistrar } from '../fs-case-registrar.js';

const SIZE = 512 * 1024;

/** §4 "writes are atomic": readers never see partial content; nothing is lost. */
export function atomicityCases(reg: FsCaseRegistrar): void {
  reg.test('a reader loop never sees a partial file while it is rewritten', async (t) => {
    const fs = await t.open({ m: {} }, 'direct');
    const versions = ['a', 'b', 'c'].map((c) => c.repeat(SIZE));
    await fs.call('write', 'm', 'big.txt', versions[0]);
    let writing = true;
    const torn: string[] = [];
    let reads = 0;
    const writer = (async () => {
      try {
        for (let i = 1; i <= 24; i++) await fs.call('write', 'm', 'big.txt', versions[i % 3]);
      } finally {
        writing = false;
      }
    })();
    const readers = Array.from({ length: 3 }, async () => {
      while (writing) {
        await yieldToEventLoop();
        const content = (await fs.call('read', 'm', 'big.txt')) as string;
        reads++;
        if (!versions.includes(content)) torn.push(`${content.length} chars starting ${content.slice(0, 1)}`);
      }
    });
    await Promise.all([writer, ...readers]);
    t.expect(torn).toEqual([]);
    t.expect(reads).toBeGreaterThan(0);
    await fs.expectCall(versions[0], 'read', 'm', 'big.txt');
  });

  reg.test('concurrent writes of one file leave exactly one complete version', async (t) => {
    const fs = await t.open({ m: {} });
    const versions = Array.from({ length: 12 }, (_, i) => String.fromCharCode(65 + i).repeat(64 * 1024));
    await Promise.all(versions.map((v) => fs.call('write', 'm', 'f.txt', v)));
    const content = (await fs.call('read', 'm', 'f.txt')) as string;
    t.expect(versions.includes(content)).toBe(true);
    await fs.expectCall(['f.txt'], 'find', 'm');
  });

  reg.test('concurrent appends lose nothing', async (t) => {
    const fs = await t.open({ m: {} });
    const lines = Array.from({ length: 30 }, (_, i) => `line ${String(i).padStart(2, '0')}\n`);
    const result = await fs.run('$lines -> map { fs::append("m", "log.txt", $) }', { lines });
    t.expect(result).toEqual(lines.map((l) => l.length));
    const content = (await fs.call('read', 'm', 'log.txt')) as string;
    t.expect(content.split('\n').filter((l) => l !== '').sort()).toEqual(lines.map((l) => l.trim()));
  });

  reg.test('a failed write leaves the old file and nothing else', async (t) => {
    const fs = await t.open({ m: { maxFileSize: 8 } });
    await fs.call('write', 'm', 'dir/f.txt', 'original');
    await fs.fails('FS_FILE_TOO_LARGE', 'write', 'm', 'dir/f.txt', 'replacement');
    await fs.fails('FS_NOT_A_DIRECTORY', 'write', 'm', 'dir/f.txt/x', 'y');
    await fs.expectCall('original', 'read', 'm', 'dir/f.txt');
    await fs.expectCall(['dir/f.txt'], 'find', 'm');
    // No temporary file is left next to the target.
    await fs.expectCall([new Map<string, unknown>([['name', 'f.txt'], ['type', 'file'], ['size', 8]])], 'list', 'm', 'dir');
  });
}
