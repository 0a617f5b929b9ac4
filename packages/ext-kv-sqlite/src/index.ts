export { createSqliteKvExtension } from './create-sqlite-kv-extension.js';
export {
  SQLITE_KV_DEFAULT_BUSY_TIMEOUT,
  SQLITE_KV_META_TABLE,
  type SqliteKvMountOptions,
  type SqliteKvOptions,
  type SqliteKvSynchronous,
} from './options.js';
