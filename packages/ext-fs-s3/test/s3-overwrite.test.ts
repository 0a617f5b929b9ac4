import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { ExtensionResult } from '@rillkit/core';
import { createS3TestClient, listKeys } from '@rillkit/test-services';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EtagCache } from '../src/etag-cache.js';
import { createS3FsExtension } from '../src/index.js';
import { commandNames, recordCommands, type SentCommand } from './helpers/record-commands.js';
import { run, runFails } from './helpers/run.js';
import { closeS3Target, describeIfTarget, openS3Target } from './helpers/s3-target.js';

// The overwrite fast path of fs::write: one PutObject with If-Match on the ETag the backend
// last saw for the file, falling back to the full check when that ETag is stale.
const target = await openS3Target();
afterAll(() => closeS3Target(target));

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let counter = 0;

describeIfTarget(target, 's3 overwrite fast path', (s3) => {
  const newPrefix = (label: string) => `${s3.runPrefix}${label}-${counter++}/`;

  /** An extension with mount `m` at `prefix`, on a client of its own that records requests. */
  function open(prefix: string): { fs: ExtensionResult; sent: SentCommand[] } {
    const client = createS3TestClient(s3.connection);
    const sent = recordCommands(client);
    const fs = createS3FsExtension({ client, mounts: { m: { bucket: s3.bucket, prefix } } });
    cleanups.push(async () => {
      await fs.dispose();
      client.destroy();
    });
    return { fs, sent };
  }

  const getRaw = async (key: string): Promise<string> => {
    const out = await s3.raw.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
    return new TextDecoder().decode(await out.Body!.transformToByteArray());
  };
  const putRaw = (key: string, body: string) =>
    s3.raw.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: body }));
  const deleteRaw = (key: string) =>
    s3.raw.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: key }));

  it('overwriting a file this process wrote is one PutObject with If-Match', async () => {
    const prefix = newPrefix('own');
    const { fs, sent } = open(prefix);
    await run(fs, 'fs::write("m", "a.txt", "one")\nfs::write("m", "d/e/f.txt", "one")');
    // A first write checks: no folder at the target, no file on the way.
    expect(commandNames(sent)).toContain('ListObjectsV2Command');
    expect(commandNames(sent)).toContain('HeadObjectCommand');
    sent.length = 0;
    expect(await run(fs, 'fs::write("m", "a.txt", "two")')).toBe(3);
    expect(commandNames(sent)).toEqual(['PutObjectCommand']);
    expect(sent[0]?.ifMatch).toMatch(/\S/);
    sent.length = 0;
    await run(fs, 'fs::write("m", "d/e/f.txt", "two, deeper")');
    expect(commandNames(sent)).toEqual(['PutObjectCommand']);
    expect(sent[0]?.ifMatch).toMatch(/\S/);
    expect(await getRaw(`${prefix}a.txt`)).toBe('two');
    expect(await getRaw(`${prefix}d/e/f.txt`)).toBe('two, deeper');
    // Each overwrite remembers the new ETag: the next one is fast too.
    sent.length = 0;
    await run(fs, 'fs::write("m", "a.txt", "three")\nfs::write("m", "a.txt", "four")');
    expect(commandNames(sent)).toEqual(['PutObjectCommand', 'PutObjectCommand']);
    expect(await getRaw(`${prefix}a.txt`)).toBe('four');
    expect(await listKeys(s3.raw, s3.bucket, prefix)).toEqual([
      `${prefix}a.txt`,
      `${prefix}d/e/f.txt`,
    ]);
  });

  it('files this process read, stat-ed, appended to, copied or moved are overwritten the same way', async () => {
    const prefix = newPrefix('seen');
    await putRaw(`${prefix}read.txt`, 'r');
    await putRaw(`${prefix}stat.txt`, 's');
    await putRaw(`${prefix}src.txt`, 'c');
    const { fs, sent } = open(prefix);
    await run(
      fs,
      [
        'fs::read("m", "read.txt")',
        'fs::stat("m", "stat.txt")',
        'fs::append("m", "log.txt", "1")',
        'fs::append("m", "log.txt", "2")',
        'fs::copy("m", "src.txt", "copy.txt")',
        'fs::move("m", "src.txt", "moved.txt")',
      ].join('\n'),
    );
    for (const path of ['read.txt', 'stat.txt', 'log.txt', 'copy.txt', 'moved.txt']) {
      sent.length = 0;
      await run(fs, 'fs::write("m", $p, "new")', { p: path });
      expect(commandNames(sent), path).toEqual(['PutObjectCommand']);
      expect(await getRaw(`${prefix}${path}`), path).toBe('new');
    }
    // The moved-away source is forgotten: writing it again is a new file, fully checked.
    sent.length = 0;
    await run(fs, 'fs::write("m", "src.txt", "back")');
    expect(commandNames(sent)).toContain('ListObjectsV2Command');
    expect(commandNames(sent).filter((n) => n === 'PutObjectCommand')).toHaveLength(1);
    expect(sent.find((s) => s.command === 'PutObjectCommand')?.ifMatch).toBeUndefined();
  });

  it('a file replaced by a folder behind its back is FS_NOT_A_FILE, and nothing is written', async () => {
    const prefix = newPrefix('folder');
    const { fs, sent } = open(prefix);
    await run(fs, 'fs::write("m", "a.txt", "ours")');
    await deleteRaw(`${prefix}a.txt`);
    await putRaw(`${prefix}a.txt/x`, 'inside');
    sent.length = 0;
    const err = await runFails(fs, 'fs::write("m", "a.txt", "again")');
    expect(err.code).toBe('FS_NOT_A_FILE');
    // The conditional PUT was refused; the full check then found the folder.
    expect(sent[0]).toEqual({ command: 'PutObjectCommand', ifMatch: expect.stringMatching(/\S/) });
    expect(commandNames(sent).filter((n) => n === 'PutObjectCommand')).toHaveLength(1);
    expect(commandNames(sent)).toContain('ListObjectsV2Command');
    expect(await listKeys(s3.raw, s3.bucket, prefix)).toEqual([`${prefix}a.txt/x`]);
    // The stale entry is gone: the next attempt goes straight to the check.
    sent.length = 0;
    expect((await runFails(fs, 'fs::write("m", "a.txt", "again")')).code).toBe('FS_NOT_A_FILE');
    expect(commandNames(sent)).not.toContain('PutObjectCommand');
  });

  it('a parent replaced by a file behind its back is FS_NOT_A_DIRECTORY, and nothing is written', async () => {
    const prefix = newPrefix('parent');
    const { fs } = open(prefix);
    await run(fs, 'fs::write("m", "p/q.txt", "ours")');
    await deleteRaw(`${prefix}p/q.txt`);
    await putRaw(`${prefix}p`, 'a file now');
    expect((await runFails(fs, 'fs::write("m", "p/q.txt", "again")')).code).toBe(
      'FS_NOT_A_DIRECTORY',
    );
    expect(await listKeys(s3.raw, s3.bucket, prefix)).toEqual([`${prefix}p`]);
  });

  it('a file another client overwrote is still overwritten, with our content', async () => {
    const prefix = newPrefix('theirs');
    const { fs, sent } = open(prefix);
    await run(fs, 'fs::write("m", "a.txt", "ours 1")');
    await putRaw(`${prefix}a.txt`, 'theirs');
    sent.length = 0;
    await run(fs, 'fs::write("m", "a.txt", "ours 2")');
    expect(await getRaw(`${prefix}a.txt`)).toBe('ours 2');
    expect(await run(fs, 'fs::read("m", "a.txt")')).toBe('ours 2');
    // Refused on the stale ETag, then checked and written unconditionally.
    const puts = sent.filter((s) => s.command === 'PutObjectCommand');
    expect(puts.map((p) => p.ifMatch === undefined)).toEqual([false, true]);
    // The new ETag is remembered.
    sent.length = 0;
    await run(fs, 'fs::write("m", "a.txt", "ours 3")');
    expect(commandNames(sent)).toEqual(['PutObjectCommand']);
    expect(await getRaw(`${prefix}a.txt`)).toBe('ours 3');
  });

  it('remove then mkdir then write of one name is FS_NOT_A_FILE (one script)', async () => {
    const prefix = newPrefix('script');
    const { fs } = open(prefix);
    const err = await runFails(
      fs,
      [
        'fs::write("m", "a", "file")',
        'fs::write("m", "a", "overwritten")',
        'fs::remove("m", "a")',
        'fs::mkdir("m", "a")',
        'fs::write("m", "a", "file again")',
      ].join('\n'),
    );
    expect(err.code).toBe('FS_NOT_A_FILE');
    expect(await listKeys(s3.raw, s3.bucket, prefix)).toEqual([`${prefix}a/`]);
    // A folder emptied and removed, then a file at its name: the old file below it is not
    // writable through the (forgotten) cache entry.
    const err2 = await runFails(
      fs,
      [
        'fs::write("m", "d/f.txt", "x")',
        'fs::remove("m", "d/f.txt")',
        'fs::remove("m", "d")',
        'fs::write("m", "d", "a file")',
        'fs::write("m", "d/f.txt", "y")',
      ].join('\n'),
    );
    expect(err2.code).toBe('FS_NOT_A_DIRECTORY');
  });

  it('another instance (as another process) turning the file into a folder is noticed', async () => {
    const prefix = newPrefix('two');
    const { fs: one } = open(prefix);
    const { fs: two } = open(prefix);
    await run(one, 'fs::write("m", "a.txt", "from one")');
    await run(two, 'fs::remove("m", "a.txt")\nfs::mkdir("m", "a.txt")');
    expect((await runFails(one, 'fs::write("m", "a.txt", "from one again")')).code).toBe(
      'FS_NOT_A_FILE',
    );
    expect(await listKeys(s3.raw, s3.bucket, prefix)).toEqual([`${prefix}a.txt/`]);
  });
});

describe('EtagCache', () => {
  it('keeps at most maxKeys keys, forgetting the least recently used first', () => {
    const cache = new EtagCache(3);
    cache.set('a', '"1"');
    cache.set('b', '"2"');
    cache.set('c', '"3"');
    expect(cache.get('a')).toBe('"1"'); // a is now the most recently used
    cache.set('d', '"4"');
    expect(cache.size).toBe(3);
    expect(cache.get('b')).toBeUndefined();
    expect([cache.get('a'), cache.get('c'), cache.get('d')]).toEqual(['"1"', '"3"', '"4"']);
  });

  it('never holds folder markers or unknown ETags, and forgets a folder’s contents', () => {
    const cache = new EtagCache();
    cache.set('p/dir/', '"m"');
    cache.set('', '"root"');
    expect(cache.size).toBe(0);
    cache.set('p/a', '"1"');
    cache.set('p/a', undefined);
    expect(cache.get('p/a')).toBeUndefined();
    cache.set('p/dir/x', '"1"');
    cache.set('p/dir/y/z', '"2"');
    cache.set('p/dir-sibling', '"3"');
    cache.deleteUnder('p/dir/');
    expect(cache.size).toBe(1);
    expect(cache.get('p/dir-sibling')).toBe('"3"');
  });
});
