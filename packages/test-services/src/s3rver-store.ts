// s3rver's file-system store, fixed (2, 3 and 7 of s3rver-fixes.ts): listings in UTF-8 byte
// order with every common prefix, keys of any shape, no folder removal racing PUTs.
import { type Dirent, promises as fsp, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeKeyPath, encodeKeyPath } from './s3rver-key-paths.js';
import {
  type FilesystemStoreClass,
  type FixedStoreLike,
  type S3ObjectClass,
  requireS3rver,
} from './s3rver-internals.js';

interface ListOptions {
  readonly delimiter?: string;
  readonly startAfter?: string;
  readonly prefix?: string;
  readonly maxKeys?: number;
}

/** S3 orders keys by their UTF-8 bytes (JS string order differs for astral characters). */
function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function readFolder(folder: string): Dirent[] {
  try {
    return readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return [];
    throw error;
  }
}

/** s3rver's file-system store with fixes 2, 3 and 7 (see s3rver-fixes.ts). */
export function createFixedStore(): new (directory: string) => FixedStoreLike {
  const FilesystemStore = requireS3rver<FilesystemStoreClass>('stores/filesystem.js');
  const S3Object = requireS3rver<S3ObjectClass>('models/object.js');
  // The store calls these statics by class name everywhere it maps keys to paths.
  FilesystemStore.encodeKeyPath = encodeKeyPath;
  FilesystemStore.decodeKeyPath = decodeKeyPath;
  const OBJECT_SUFFIX = '._S3rver_object';

  /** Whether any object is stored below `folder`. */
  function holdsObject(folder: string): boolean {
    for (const entry of readFolder(folder)) {
      if (entry.isDirectory()) {
        if (holdsObject(join(folder, entry.name))) return true;
      } else if (entry.name.endsWith(OBJECT_SUFFIX)) {
        return true;
      }
    }
    return false;
  }

  return class FixedStore extends FilesystemStore {
    /**
     * The ETag a conditional request is checked against, read from the one file that holds
     * it (s3rver's getMetadata stats the object and reads two files). S3 evaluates
     * If-Match in its metadata layer; this keeps the emulator's cost of it near that.
     */
    async etagOf(bucket: string, key: string): Promise<string | undefined> {
      try {
        const md5 = await fsp.readFile(this.getResourcePath(bucket, key, 'object.md5'), 'utf8');
        return JSON.stringify(md5);
      } catch (error) {
        if ((error as { code?: string }).code !== 'ENOENT') throw error;
      }
      // s3rver writes the .md5 file beside every object it stores, but creates it lazily
      // for objects it finds without one: take its own route then.
      if (!(await this.existsObject(bucket, key))) return undefined;
      return (await this.getMetadata(bucket, key)).etag;
    }

    async listObjects(bucket: string, options: ListOptions) {
      const { delimiter = '', startAfter = '', prefix = '', maxKeys = Infinity } = options;
      const keys: string[] = [];
      const commonPrefixes = new Set<string>();
      const visit = (folder: string, stored: string) => {
        for (const entry of readFolder(folder)) {
          const path = stored + entry.name;
          if (entry.isDirectory()) {
            const under = decodeKeyPath(`${path}/`);
            if (!under.startsWith(prefix) && !prefix.startsWith(under)) continue;
            const rest = under.startsWith(prefix) ? under.slice(prefix.length) : '';
            const cut = delimiter === '' ? -1 : rest.indexOf(delimiter);
            if (cut >= 0) {
              // Everything below shares one common prefix: report it if it holds anything.
              if (holdsObject(join(folder, entry.name)))
                commonPrefixes.add(prefix + rest.slice(0, cut + delimiter.length));
            } else {
              visit(join(folder, entry.name), `${path}/`);
            }
          } else if (entry.name.endsWith(OBJECT_SUFFIX)) {
            const key = decodeKeyPath(path.slice(0, -OBJECT_SUFFIX.length));
            if (!key.startsWith(prefix)) continue;
            const cut = delimiter === '' ? -1 : key.indexOf(delimiter, prefix.length);
            if (cut >= 0) commonPrefixes.add(key.slice(0, cut + delimiter.length));
            else keys.push(key);
          }
        }
      };
      visit(this.getBucketPath(bucket), '');
      // One sorted run of keys and common prefixes after startAfter. Only keys count toward
      // maxKeys, as in s3rver (its continuation token names the last key of a page).
      const entries = [
        ...keys.map((key) => ({ key, isPrefix: false })),
        ...[...commonPrefixes].map((key) => ({ key, isPrefix: true })),
      ]
        .filter((e) => startAfter === '' || compareKeys(e.key, startAfter) > 0)
        .sort((a, b) => compareKeys(a.key, b.key));
      const page: string[] = [];
      const pagePrefixes: string[] = [];
      let isTruncated = false;
      for (const entry of entries) {
        if (page.length >= maxKeys) {
          isTruncated = true;
          break;
        }
        if (entry.isPrefix) pagePrefixes.push(entry.key);
        else page.push(entry.key);
      }
      const objects = [];
      for (const key of page) {
        try {
          objects.push(new S3Object(bucket, key, null, await this.getMetadata(bucket, key)));
        } catch (error) {
          // Deleted while listing.
          if ((error as { code?: string }).code !== 'ENOENT') throw error;
        }
      }
      return { objects, commonPrefixes: pagePrefixes, isTruncated };
    }

    async deleteObject(bucket: string, key: string): Promise<void> {
      await Promise.all(
        ['object', 'object.md5', 'metadata.json'].map((resource) =>
          fsp.unlink(this.getResourcePath(bucket, key, resource)).catch((error: unknown) => {
            if ((error as { code?: string }).code !== 'ENOENT') throw error;
          }),
        ),
      );
    }
  };
}
