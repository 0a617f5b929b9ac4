import { yieldToEventLoop } from '../../harness/sleep.js';
import type { FsCaseRegistrar } from '../fs-case-registrar.js';

const SIZE = 512 * 1024;

/** §4 "writes are atomic": readers never see partial content; nothing is lost. */
export function atomicityCases(reg: FsCaseRegistrar): void {
  reg.heavyTest('a reader loop never sees a partial file while it is rewritten', async (t) => {
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
        if (!versions.includes(content))
          torn.push(`${content.length} chars starting ${content.slice(0, 1)}`);
      }
    });
    await Promise.all([writer, ...readers]);
    t.expect(torn).toEqual([]);
    t.expect(reads).toBeGreaterThan(0);
    await fs.expectCall(versions[0], 'read', 'm', 'big.txt');
  });

  reg.test('concurrent writes of one file leave exactly one complete version', async (t) => {
    const fs = await t.open({ m: {} });
    const versions = Array.from({ length: 12 }, (_, i) =>
      String.fromCharCode(65 + i).repeat(64 * 1024),
    );
    await Promise.all(versions.map((v) => fs.call('write', 'm', 'f.txt', v)));
    const content = (await fs.call('read', 'm', 'f.txt')) as string;
    t.expect(versions.includes(content)).toBe(true);
    await fs.expectCall(['f.txt'], 'find', 'm');
  });

  reg.heavyTest('concurrent appends lose nothing', async (t) => {
    const fs = await t.open({ m: {} });
    const lines = Array.from({ length: 30 }, (_, i) => `line ${String(i).padStart(2, '0')}\n`);
    const result = await fs.run('$lines -> map { fs::append("m", "log.txt", $) }', { lines });
    t.expect(result).toEqual(lines.map((l) => l.length));
    const content = (await fs.call('read', 'm', 'log.txt')) as string;
    t.expect(
      content
        .split('\n')
        .filter((l) => l !== '')
        .sort(),
    ).toEqual(lines.map((l) => l.trim()));
  });

  reg.test('a failed write leaves the old file and nothing else', async (t) => {
    const fs = await t.open({ m: { maxFileSize: 8 } });
    await fs.call('write', 'm', 'dir/f.txt', 'original');
    await fs.fails('FS_FILE_TOO_LARGE', 'write', 'm', 'dir/f.txt', 'replacement');
    await fs.fails('FS_NOT_A_DIRECTORY', 'write', 'm', 'dir/f.txt/x', 'y');
    await fs.expectCall('original', 'read', 'm', 'dir/f.txt');
    await fs.expectCall(['dir/f.txt'], 'find', 'm');
    // No temporary file is left next to the target.
    await fs.expectCall(
      [
        new Map<string, unknown>([
          ['name', 'f.txt'],
          ['type', 'file'],
          ['size', 8],
        ]),
      ],
      'list',
      'm',
      'dir',
    );
  });

  reg.test('concurrent writes create shared parent folders without failing', async (t) => {
    const fs = await t.open({ m: {} });
    const paths = Array.from(
      { length: 20 },
      (_, i) => `new/deep/dir/f${String(i).padStart(2, '0')}.txt`,
    );
    const bytes = await Promise.all(paths.map((p) => fs.call('write', 'm', p, 'x')));
    t.expect(bytes).toEqual(paths.map(() => 1));
    await fs.expectCall(paths, 'find', 'm');
  });

  reg.heavyTest('concurrent mkdir, remove and move each happen exactly once', async (t) => {
    const fs = await t.open({ m: {} });
    const made = await Promise.all(Array.from({ length: 10 }, () => fs.call('mkdir', 'm', 'x/y')));
    t.expect(made.filter((m) => m === true).length).toBe(1);
    await fs.call('write', 'm', 'gone.txt', 'x');
    const removed = await Promise.all(
      Array.from({ length: 10 }, () => fs.call('remove', 'm', 'gone.txt')),
    );
    t.expect(removed.filter((r) => r === true).length).toBe(1);
    await fs.call('write', 'm', 'src.txt', 'payload');
    const moves = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => fs.call('move', 'm', 'src.txt', `dst${i}.txt`)),
    );
    const moved = moves.flatMap((m, i) => (m.status === 'fulfilled' ? [`dst${i}.txt`] : []));
    t.expect(moved.length).toBe(1);
    for (const m of moves) {
      if (m.status === 'rejected')
        t.expect((m.reason as { code?: unknown }).code).toBe('FS_NOT_FOUND');
    }
    await fs.expectCall(moved, 'find', 'm', '*.txt');
    await fs.expectCall('payload', 'read', 'm', moved[0]);
  });
}
