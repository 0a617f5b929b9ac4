import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replace `file` with `data` so that every reader — in any process, and after a crash at
 * any point — sees either the old content or the new, never a mix:
 * write a uniquely named temp file in the same folder (`.<name>.<random>.tmp`, created
 * exclusively), fsync it, rename it over `file`, then fsync the folder so the rename itself
 * survives a power loss. The file keeps its permission bits. On failure the temp file is
 * removed and `file` is unchanged.
 *
 * Why not `write-file-atomic`: it ignores the byte count of its single `write()` call, so a
 * short write (e.g. the disk filling up) is renamed over the store as a truncated file,
 * and it never fsyncs the folder. `FileHandle.writeFile` loops until every byte is written
 * or throws.
 */
export async function writeFileAtomic(file: string, data: string): Promise<void> {
  const folder = dirname(file);
  const temp = join(folder, `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const mode = await stat(file).then(
    (s) => s.mode & 0o777,
    () => 0o666,
  );
  let handle: FileHandle | undefined;
  try {
    handle = await open(temp, 'wx', mode);
    await handle.writeFile(data, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, file);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncFolder(folder);
}

async function syncFolder(folder: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch {
    // Some platforms and file systems cannot fsync a folder; the rename is done regardless.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
