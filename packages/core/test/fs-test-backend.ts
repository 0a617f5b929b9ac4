import { fsError, type FsBackend, type FsBackendStat, type FsEntry } from '../src/index.js';

/**
 * A tiny in-memory FsBackend for policy tests: files in a Map, folders in a Set. It follows
 * the contract (canonical paths, coded errors) and nothing more.
 */
export class MemoryFsBackend implements FsBackend {
  readonly files = new Map<string, Uint8Array>();
  readonly folders = new Set<string>(['']);
  closed = 0;
  calls: string[] = [];

  private parentOf(path: string): string {
    const i = path.lastIndexOf('/');
    return i < 0 ? '' : path.slice(0, i);
  }

  private ensureParents(path: string): void {
    const parts = path.split('/');
    let current = '';
    for (const part of parts.slice(0, -1)) {
      current = current === '' ? part : `${current}/${part}`;
      if (this.files.has(current)) throw fsError('FS_NOT_A_DIRECTORY', path);
      this.folders.add(current);
    }
  }

  async read(path: string, maxBytes: number): Promise<Uint8Array> {
    this.calls.push(`read ${path}`);
    const data = this.files.get(path);
    if (data === undefined)
      throw fsError(this.folders.has(path) ? 'FS_NOT_A_FILE' : 'FS_NOT_FOUND', path);
    if (data.length > maxBytes) throw fsError('FS_FILE_TOO_LARGE', path);
    return data;
  }

  async write(path: string, data: Uint8Array): Promise<void> {
    this.calls.push(`write ${path}`);
    if (this.folders.has(path)) throw fsError('FS_NOT_A_FILE', path);
    this.ensureParents(path);
    this.files.set(path, data);
  }

  async append(path: string, data: Uint8Array, maxBytes: number): Promise<void> {
    const old = this.files.get(path) ?? new Uint8Array();
    if (old.length + data.length > maxBytes) throw fsError('FS_FILE_TOO_LARGE', path);
    const next = new Uint8Array(old.length + data.length);
    next.set(old);
    next.set(data, old.length);
    await this.write(path, next);
  }

  async list(path: string): Promise<readonly FsEntry[]> {
    if (this.files.has(path)) throw fsError('FS_NOT_A_DIRECTORY', path);
    if (!this.folders.has(path)) throw fsError('FS_NOT_FOUND', path);
    const out: FsEntry[] = [];
    for (const folder of this.folders) {
      if (folder !== '' && this.parentOf(folder) === path)
        out.push({
          name: folder.slice(path === '' ? 0 : path.length + 1),
          type: 'directory',
          size: 0,
        });
    }
    for (const [file, data] of this.files) {
      if (this.parentOf(file) === path)
        out.push({
          name: file.slice(path === '' ? 0 : path.length + 1),
          type: 'file',
          size: data.length,
        });
    }
    // Deliberately unsorted: sorting is core's job.
    return out.reverse();
  }

  async walk(base: string): Promise<readonly string[]> {
    this.calls.push(`walk ${base}`);
    return [...this.files.keys()].filter((f) => base === '' || f.startsWith(`${base}/`)).reverse();
  }

  async stat(path: string): Promise<FsBackendStat | undefined> {
    const data = this.files.get(path);
    if (data !== undefined)
      return {
        type: 'file',
        size: data.length,
        modified: Date.UTC(2024, 4, 1, 12),
        created: undefined,
      };
    if (this.folders.has(path))
      return { type: 'directory', size: 0, modified: undefined, created: undefined };
    return undefined;
  }

  async remove(path: string): Promise<boolean> {
    if (this.files.delete(path)) return true;
    if (!this.folders.has(path)) return false;
    const busy = [...this.folders, ...this.files.keys()].some(
      (p) => p !== path && this.parentOf(p) === path && p !== '',
    );
    if (busy) throw fsError('FS_NOT_EMPTY', path);
    this.folders.delete(path);
    return true;
  }

  async mkdir(path: string): Promise<boolean> {
    if (this.files.has(path)) throw fsError('FS_NOT_A_DIRECTORY', path);
    if (this.folders.has(path)) return false;
    this.ensureParents(path);
    this.folders.add(path);
    return true;
  }

  async copy(from: string, to: string, maxBytes: number): Promise<void> {
    const data = await this.read(from, maxBytes);
    await this.write(to, data);
  }

  async move(from: string, to: string): Promise<void> {
    const data = await this.read(from, Number.MAX_SAFE_INTEGER);
    await this.write(to, data);
    if (from !== to) this.files.delete(from);
  }

  async close(): Promise<void> {
    this.closed += 1;
  }
}
