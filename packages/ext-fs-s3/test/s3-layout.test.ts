import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { listKeys } from '@rillkit/test-services';
import { afterAll, expect, it } from 'vitest';
import { createS3FsExtension } from '../src/index.js';
import { run, runFails } from './helpers/run.js';
import { closeS3Target, describeIfTarget, openS3Target } from './helpers/s3-target.js';

// How files and folders map to keys: pagination past 1,000, prefix isolation, folder markers,
// names S3 treats specially, and byte-exact bodies.
const target = await openS3Target();
afterAll(() => closeS3Target(target));

let counter = 0;

describeIfTarget(target, 's3 key layout', (s3) => {
  const root = (label: string) => `${s3.runPrefix}${label}-${counter++}/`;
  const open = (prefix: string, extra: Record<string, unknown> = {}) =>
    createS3FsExtension({
      ...s3.connection,
      mounts: { m: { bucket: s3.bucket, prefix, ...extra } },
    });
  const putRaw = (key: string, body = '') =>
    s3.raw.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: body }));

  it('list and find page through more than 1,000 objects and 1,000 folders', async () => {
    const prefix = root('many');
    const files = Array.from({ length: 1_001 }, (_, i) => `f${String(i).padStart(4, '0')}.txt`);
    const folders = Array.from({ length: 1_001 }, (_, i) => `d${String(i).padStart(4, '0')}`);
    const keys = [
      ...files.map((f) => `${prefix}big/${f}`),
      ...folders.map((d) => `${prefix}big/${d}/x.txt`),
    ];
    // 32 at a time: the local server is one process, and CI machines are small.
    for (let i = 0; i < keys.length; i += 32)
      await Promise.all(keys.slice(i, i + 32).map((k) => putRaw(k, 'x')));
    const fs = open(prefix);
    try {
      const listed = (await run(fs, 'fs::list("m", "big") -> map { $.name }')) as string[];
      expect(listed).toEqual([...folders, ...files]);
      const found = (await run(fs, 'fs::find("m", "big/**")')) as string[];
      expect(found.length).toBe(files.length + folders.length);
      expect(found.slice(0, 2)).toEqual(['big/d0000/x.txt', 'big/d0001/x.txt']);
      expect(await run(fs, 'fs::find("m", "big/*.txt") -> .len')).toBe(files.length);
    } finally {
      await fs.dispose();
    }
    // 2,002 PUTs and four listings against one local server process: on a loaded CI machine
    // (every package testing at once) this has taken 30 s.
  }, 120_000);

  it('two mounts on one bucket never see each other, even with overlapping prefix text', async () => {
    const base = root('iso');
    const fs = createS3FsExtension({
      ...s3.connection,
      mounts: {
        a: { bucket: s3.bucket, prefix: `${base}x/` },
        b: { bucket: s3.bucket, prefix: `${base}x-y/` },
      },
    });
    try {
      await run(fs, 'fs::write("a", "f.txt", "in a")\nfs::write("b", "f.txt", "in b")');
      await putRaw(`${base}x.txt`, 'beside the mount');
      await putRaw(`${base}secret.txt`, 'outside');
      expect(await run(fs, 'fs::read("a", "f.txt")')).toBe('in a');
      expect(await run(fs, 'fs::read("b", "f.txt")')).toBe('in b');
      expect(await run(fs, 'fs::find("a")')).toEqual(['f.txt']);
      expect(await run(fs, 'fs::list("b") -> map { $.name }')).toEqual(['f.txt']);
      for (const path of ['../secret.txt', '../x-y/f.txt', '/../x.txt'])
        expect((await runFails(fs, 'fs::read("a", $p)', { p: path })).code).toBe('FS_PATH_ESCAPE');
      expect(await run(fs, 'fs::exists("a", "x-y")')).toBe(false);
      expect(await listKeys(s3.raw, s3.bucket, base)).toEqual([
        `${base}secret.txt`,
        `${base}x-y/f.txt`,
        `${base}x.txt`,
        `${base}x/f.txt`,
      ]);
    } finally {
      await fs.dispose();
    }
  });

  it('mkdir writes a zero-byte folder/ marker; removing the last entry keeps the folder', async () => {
    const prefix = root('markers');
    const fs = open(prefix);
    try {
      expect(await run(fs, 'fs::mkdir("m", "a/b")')).toBe(true);
      expect(await listKeys(s3.raw, s3.bucket, prefix)).toEqual([`${prefix}a/b/`]);
      expect(await run(fs, 'fs::list("m", "a")')).toEqual([
        new Map<string, unknown>([
          ['name', 'b'],
          ['type', 'directory'],
          ['size', 0],
        ]),
      ]);
      expect(await run(fs, 'fs::list("m", "a/b")')).toEqual([]);
      await run(fs, 'fs::write("m", "c/d/e.txt", "x")');
      expect(await run(fs, 'fs::remove("m", "c/d/e.txt")')).toBe(true);
      expect(await run(fs, 'fs::stat("m", "c/d").type')).toBe('directory');
      expect(await listKeys(s3.raw, s3.bucket, `${prefix}c/`)).toEqual([`${prefix}c/d/`]);
      await run(fs, 'fs::write("m", "mv/src.txt", "x")\nfs::move("m", "mv/src.txt", "dst.txt")');
      expect(await run(fs, 'fs::list("m", "mv")')).toEqual([]);
    } finally {
      await fs.dispose();
    }
  });

  it('a name that is both an object and a prefix (written by another tool) is a file', async () => {
    const prefix = root('both');
    await putRaw(`${prefix}x`, 'file');
    await putRaw(`${prefix}x/inner.txt`, 'inner');
    await putRaw(`${prefix}bad//empty-segment.txt`, 'unaddressable');
    const fs = open(prefix);
    try {
      expect(await run(fs, 'fs::list("m") -> map { "{$.name}:{$.type}" }')).toEqual([
        'bad:directory',
        'x:file',
      ]);
      expect(await run(fs, 'fs::stat("m", "x").type')).toBe('file');
      expect(await run(fs, 'fs::read("m", "x/inner.txt")')).toBe('inner');
      expect(await run(fs, 'fs::find("m")')).toEqual(['x', 'x/inner.txt']);
    } finally {
      await fs.dispose();
    }
  });

  it('copy and move keep names with spaces, Unicode and URL-special characters exact', async () => {
    const prefix = root('names');
    const names = [
      'with space.txt',
      'plus+sign.txt',
      'q?mark#hash.txt',
      'pct%20literal.txt',
      'amp&eq=colon:at@.txt',
      "quote'paren(star)*!.txt",
      'ünïcödé 😀.txt',
      'e\u0301 decomposed',
      '．．fullwidth',
    ];
    const fs = open(prefix);
    try {
      for (const [i, name] of names.entries()) {
        await run(fs, 'fs::write("m", $from, $from)', { from: `src/${name}` });
        expect(
          await run(fs, 'fs::copy("m", $from, $to)', { from: `src/${name}`, to: `copy/${name}` }),
        ).toBe(true);
        expect(
          await run(fs, 'fs::move("m", $from, $to)', {
            from: `src/${name}`,
            to: `moved/${i} ${name}`,
          }),
        ).toBe(true);
        expect(await run(fs, 'fs::read("m", $p)', { p: `copy/${name}` })).toBe(`src/${name}`);
        expect(await run(fs, 'fs::read("m", $p)', { p: `moved/${i} ${name}` })).toBe(`src/${name}`);
      }
      const keys = await listKeys(s3.raw, s3.bucket, prefix);
      expect(keys.filter((k) => k.startsWith(`${prefix}copy/`)).sort()).toEqual(
        names.map((n) => `${prefix}copy/${n}`).sort(),
      );
      expect(keys.filter((k) => k.startsWith(`${prefix}src/`))).toEqual([`${prefix}src/`]);
    } finally {
      await fs.dispose();
    }
  });

  it('bodies round-trip byte-exact (checksum settings never alter them)', async () => {
    const prefix = root('bytes');
    const fs = open(prefix);
    try {
      const text = `\ufeff${'héllo 😀\r\n\u0000\u0001'.repeat(1000)}${String.fromCharCode(...Array.from({ length: 0xd7ff - 0x20 }, (_, i) => 0x20 + ((i * 97) % 0xd7df)))}`;
      expect(await run(fs, 'fs::write("m", "t.txt", $t)', { t: text })).toBe(
        Buffer.byteLength(text),
      );
      expect(await run(fs, 'fs::read("m", "t.txt")')).toBe(text);
      await run(fs, 'fs::append("m", "t.txt", $t)', { t: text });
      expect(await run(fs, 'fs::read("m", "t.txt")')).toBe(text + text);
      // The stored object is exactly the UTF-8 bytes: no chunk framing, no trailer.
      const stored = await s3.raw.send(
        new GetObjectCommand({ Bucket: s3.bucket, Key: `${prefix}t.txt` }),
      );
      expect(
        Buffer.from(await stored.Body!.transformToByteArray()).equals(Buffer.from(text + text)),
      ).toBe(true);
      // An empty file is an empty object.
      expect(await run(fs, 'fs::write("m", "empty.txt", "")')).toBe(0);
      expect(await run(fs, 'fs::append("m", "empty2.txt", "")')).toBe(0);
      for (const name of ['empty.txt', 'empty2.txt']) {
        const empty = await s3.raw.send(
          new GetObjectCommand({ Bucket: s3.bucket, Key: `${prefix}${name}` }),
        );
        expect((await empty.Body!.transformToByteArray()).length, name).toBe(0);
        expect(await run(fs, 'fs::read("m", $p)', { p: name })).toBe('');
        expect(await run(fs, 'fs::stat("m", $p).size', { p: name })).toBe(0);
      }
      // Binary bytes written by another tool come back exactly, invalid UTF-8 as U+FFFD.
      const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      await s3.raw.send(
        new PutObjectCommand({ Bucket: s3.bucket, Key: `${prefix}bin`, Body: bytes }),
      );
      expect(await run(fs, 'fs::read("m", "bin")')).toBe(new TextDecoder().decode(bytes));
      expect(await run(fs, 'fs::stat("m", "bin").size')).toBe(256);
    } finally {
      await fs.dispose();
    }
  });
});
